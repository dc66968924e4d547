// Parses one template (a post's body or an include file) with liquidjs, the way Jekyll's Liquid
// would accept it, except that a tag or filter only a site plugin defines becomes a warning and
// renders as nothing (Jekyll fails the build on it; Feedwright publishes the rest of the post).
import { LiquidError as LiquidjsError, TypeGuards, type Liquid, type Template } from "liquidjs";
import { LiquidLimitError } from "./limits.js";
import { TemplateSyntaxError } from "./parse-errors.js";
import type { TemplateProblem } from "./render-state.js";
import { withRubyLiquidSyntax, type TagMark } from "./ruby-syntax.js";
import { PluginTag, pluginFilter } from "./tags/plugin-tag.js";
import type { LiquidLimits } from "./types.js";

export interface ParsedTemplate {
  readonly templates: Template[];
  /** warnings, in the template's own lines */
  readonly problems: readonly TemplateProblem[];
}

export { TemplateSyntaxError };

// Tags that only make sense inside a block: Liquid reports them outside one as a syntax error
// ("Unexpected outer 'else' tag"), never as a plugin's tag.
const BLOCK_PARTS = new Set(["else", "elsif", "when"]);

// Unknown names registered for one parse. Far more than any real template has; a template made
// of thousands of distinct unknown tags is stopped instead of re-parsed thousands of times.
const MAX_UNKNOWN_NAMES = 100;

/**
 * Parses `source` (named `file` in messages). Throws TemplateSyntaxError for what Liquid rejects,
 * LiquidLimitError for a template over the size or nesting limit.
 */
export function parseTemplate(liquid: Liquid, source: string, file: string, limits: LiquidLimits): ParsedTemplate {
  if (source.length > limits.maxTemplateChars) {
    throw new LiquidLimitError(`${file} has ${source.length.toLocaleString("en-US")} characters, over the limit of ${limits.maxTemplateChars.toLocaleString("en-US")} for one template`);
  }
  const ruby = withRubyLiquidSyntax(source);
  checkNesting(source, ruby.tags, limits.maxNesting);
  let rubySource = ruby.source;
  const problems: TemplateProblem[] = [];
  let laxOutputs = 0;
  const temporaryTags: string[] = [];
  const temporaryFilters: string[] = [];
  try {
    for (;;) {
      try {
        return { templates: liquid.parse(rubySource, file), problems };
      } catch (error) {
        const unknown = unknownName(liquid, error);
        if (!unknown) {
          const lax = laxOutput(rubySource, error);
          if (!lax || laxOutputs >= MAX_UNKNOWN_NAMES) throw syntaxError(error);
          laxOutputs += 1;
          rubySource = lax.source;
          problems.push({ line: lax.line, message: `Liquid syntax error in {{ … }} (${liquidjsMessage(error as LiquidjsError)}): read as Jekyll's lax parser reads it, {{ ${lax.markup} }}` });
          continue;
        }
        if (temporaryTags.length + temporaryFilters.length >= MAX_UNKNOWN_NAMES) throw syntaxError(error);
        // Registered only while this template parses: the engine is shared by every post, and
        // the next template must report the name again.
        if (unknown.kind === "tag") {
          liquid.registerTag(unknown.name, PluginTag);
          temporaryTags.push(unknown.name);
          problems.push({ line: unknown.line, message: `unknown Liquid tag '${unknown.name}' (a site plugin's?): rendered as nothing` });
        } else {
          liquid.registerFilter(unknown.name, pluginFilter);
          temporaryFilters.push(unknown.name);
          problems.push({ line: unknown.line, message: `unknown Liquid filter '${unknown.name}' (a site plugin's?): its result is nil, rendered as nothing` });
        }
      }
    }
  } finally {
    for (const name of temporaryTags) delete liquid.tags[name];
    for (const name of temporaryFilters) liquid.unregisterFilter(name);
  }
}

// Liquid's lax parse of a {{ … }} (variable.rb lax_parse), which Jekyll falls back to with a
// warning when the strict parse fails (its default liquid.error_mode is "warn"): the first quoted
// fragment is the value, and filters with their arguments are picked out of what follows the
// first "|"; anything else is ignored.
const QUOTED_STRING = String.raw`"[^"]*"|'[^']*'`;
const QUOTED_FRAGMENT = String.raw`(?:${QUOTED_STRING}|(?:[^\s,|'"]|${QUOTED_STRING})+)`;
const MARKUP_WITH_QUOTED_FRAGMENT = new RegExp(String.raw`(${QUOTED_FRAGMENT})([\s\S]*)`);
const FILTER_PARSER = new RegExp(String.raw`(?:\s+|${QUOTED_FRAGMENT}|,)+`, "g");
const FILTER_ARGUMENT = new RegExp(String.raw`(?::|,)\s*((?:\w+\s*:\s*)?${QUOTED_FRAGMENT})`, "g");

/** `markup` of a {{ … }} as Liquid's lax parser reads it, written in a syntax liquidjs accepts. */
export function laxOutputMarkup(markup: string): string {
  const match = MARKUP_WITH_QUOTED_FRAGMENT.exec(markup);
  if (!match) return "nil";
  const [, name = "nil", rest = ""] = match;
  const filters: string[] = [];
  const filterMarkup = /\|\s*([\s\S]*)/.exec(rest)?.[1];
  for (const part of filterMarkup?.match(FILTER_PARSER) ?? []) {
    const filterName = /\w+/.exec(part)?.[0];
    if (!filterName) continue;
    const args = [...part.matchAll(FILTER_ARGUMENT)].map((argument) => argument[1] ?? "");
    filters.push(args.length > 0 ? `${filterName}: ${args.join(", ")}` : filterName);
  }
  return [name, ...filters].join(" | ");
}

// The source with the {{ … }} that failed to parse rewritten to its lax reading (on as many
// lines as before, so that later lines keep their numbers), or undefined when the error is not
// in a {{ … }} or the lax reading changes nothing.
function laxOutput(source: string, error: unknown): { source: string; markup: string; line: number | undefined } | undefined {
  if (!LiquidjsError.is(error) || error.token.input !== source) return undefined;
  // The error's token is the {{ … }}, or a token inside one (a filter's name, say).
  const begin = source.lastIndexOf("{{", error.token.begin);
  const close = begin === -1 ? -1 : source.indexOf("}}", begin + 2);
  if (begin === -1 || close === -1 || close + 2 < error.token.end) return undefined;
  const end = close + 2;
  const inner = /^\{\{(-?)([\s\S]*?)(-?)\}\}$/.exec(source.slice(begin, end));
  if (!inner) return undefined;
  const [, trimLeft = "", original = "", trimRight = ""] = inner;
  const markup = laxOutputMarkup(original);
  if (markup === original.trim()) return undefined;
  const newlines = "\n".repeat(original.split("\n").length - 1);
  const rewritten = `{{${trimLeft} ${markup} ${newlines}${trimRight}}}`;
  const line = source.slice(0, begin).split("\n").length;
  return { source: source.slice(0, begin) + rewritten + source.slice(end), markup, line };
}

interface UnknownName {
  readonly kind: "tag" | "filter";
  readonly name: string;
  readonly line: number | undefined;
}

function unknownName(liquid: Liquid, error: unknown): UnknownName | undefined {
  if (!LiquidjsError.is(error)) return undefined;
  const message = error.originalError?.message ?? "";
  const line = error.token.getPosition()[0];
  const filter = /^undefined filter: (.+)$/.exec(message);
  if (filter?.[1]) return { kind: "filter", name: filter[1], line };
  if (!/^tag ".*" not found$/.test(message) || !TypeGuards.isTagToken(error.token)) return undefined;
  const name = error.token.name;
  if (BLOCK_PARTS.has(name)) return undefined;
  // {% endif %} with no {% if %} open is a syntax error; {% endyoutube %} is a plugin's.
  if (name.startsWith("end") && Object.hasOwn(liquid.tags, name.slice(3))) return undefined;
  return { kind: "tag", name, line };
}

/** A liquidjs parse error as a TemplateSyntaxError with the template's line. */
export function syntaxError(error: unknown): Error {
  if (error instanceof TemplateSyntaxError || error instanceof LiquidLimitError) return error;
  if (LiquidjsError.is(error)) {
    const name = TypeGuards.isTagToken(error.token) ? error.token.name : undefined;
    let message = liquidjsMessage(error);
    if (name && BLOCK_PARTS.has(name) && /not found/.test(message)) message = `unexpected {% ${name} %} outside a block`;
    else if (name?.startsWith("end") && /not found/.test(message)) message = `{% ${name} %} closes no open {% ${name.slice(3)} %}`;
    return new TemplateSyntaxError(message, error.token.getPosition()[0], { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** The message of a liquidjs error without the ", line:1, col:2" liquidjs appends. */
export function liquidjsMessage(error: LiquidjsError): string {
  const message = error.originalError?.message ?? error.message;
  return message.replace(/, (?:file:[^,]*, )?line:\d+, col:\d+$/, "");
}

// Liquid stops at 100 nested blocks (Block::MAX_DEPTH, "Nesting too deep"); liquidjs would
// recurse until the JavaScript stack runs out. A block is any tag the template also closes.
function checkNesting(source: string, tags: readonly TagMark[], maxNesting: number): void {
  const closed = new Set<string>();
  for (const { name } of tags) if (name.startsWith("end")) closed.add(name.slice(3));
  let depth = 0;
  for (const { name, offset } of tags) {
    if (closed.has(name)) {
      depth += 1;
      if (depth > maxNesting) {
        const line = source.slice(0, offset).split("\n").length;
        throw new TemplateSyntaxError(`blocks nested more than ${maxNesting} deep ("Nesting too deep", as Liquid says)`, line);
      }
    } else if (name.startsWith("end") && closed.has(name.slice(3))) {
      depth = Math.max(0, depth - 1);
    }
  }
}
