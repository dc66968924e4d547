// LiquidError: what makes Jekyll fail a post (a syntax error, an include that is missing or
// refused, a link to nothing, a limit reached), with the line of the post's file, as the
// content stage reports other bad posts.
import { AssertionError, LiquidError as LiquidjsError } from "liquidjs";
import { LiquidLimitError } from "./limits.js";
import { liquidjsMessage, TemplateSyntaxError } from "./parse.js";
import type { RenderState } from "./render-state.js";
import { IncludedFileError } from "./tags/include.js";

/** Thrown for what makes Jekyll fail the post. `line` is the line of the post's file. */
export class LiquidError extends Error {
  readonly line: number | undefined;

  constructor(message: string, line: number | undefined, options?: ErrorOptions) {
    super(message, options);
    this.name = "LiquidError";
    this.line = line;
  }
}

const SYNTAX_HINT = "fix the Liquid, wrap text meant literally in {% raw %}…{% endraw %}, or set render_with_liquid: false in the front matter";

/** The LiquidError for anything parsing or rendering `state.post` threw. */
export function toLiquidError(error: unknown, state: RenderState): LiquidError {
  if (error instanceof LiquidError) return error;
  const where = (line: number | undefined) => `content: ${state.post.path}${line === undefined ? "" : `:${line}`}`;
  if (error instanceof TemplateSyntaxError) {
    const line = state.fileLine(error.line);
    return new LiquidError(`${where(line)}: Liquid syntax error: ${error.message}; ${SYNTAX_HINT}`, line, { cause: error });
  }
  if (LiquidjsError.is(error)) {
    const line = state.fileLine(error.token.getPosition()[0]);
    const inner = error.originalError ?? error;
    return new LiquidError(`${where(line)}: ${describe(inner, error, state)}`, line, { cause: error });
  }
  return new LiquidError(`${where(undefined)}: ${describe(error, undefined, state)}`, undefined, { cause: error });
}

function describe(error: unknown, liquidjsError: LiquidjsError | undefined, state: RenderState): string {
  if (error instanceof IncludedFileError) return `in ${error.message}`;
  if (error instanceof LiquidLimitError) return `${error.message}; the post is skipped`;
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return "Liquid nested too deeply for the stack (an include that includes itself?); the post is skipped";
  }
  if (error instanceof AssertionError && /memory alloc limit exceeded/.test(error.message)) {
    return `Liquid used more than ${state.limits.maxMemory.toLocaleString("en-US")} units of memory (a range such as (1..100000000), or strings built without bound); the post is skipped`;
  }
  if (error instanceof AssertionError && /template render limit exceeded/.test(error.message)) {
    return `rendering took longer than ${state.limits.maxMilliseconds.toLocaleString("en-US")} ms; the post is skipped`;
  }
  const message = liquidjsError && error === liquidjsError ? liquidjsMessage(liquidjsError) : error instanceof Error ? error.message : String(error);
  return `Liquid error: ${message}`;
}
