// {% include %} and {% include_relative %} as Jekyll 4.3 has them (jekyll/tags/include.rb:
// IncludeTag, OptimizedIncludeTag, IncludeRelativeTag). The file name may hold variables
// ({% include {{ page.kind }}.html %}); parameters (key="text", key='text' or key=variable)
// become `include.key` in a new scope, and an include without parameters sees the `include` of
// the include around it. Files are read only through LiquidSite.files: the caller decides what
// may be read; names Jekyll refuses ("..", "//", odd characters) never reach it.
import { AssertionError, LiquidError as LiquidjsError, Tag, Value, type Context, type Emitter, type Liquid, type TagToken, type Template, type TopLevelToken } from "liquidjs";
import type { Parser } from "liquidjs";
import { childTemplates } from "./blank-bodies.js";
import { LRUCache } from "lru-cache";
import { LiquidLimitError } from "../limits.js";
import { liquidjsMessage, parseTemplate, TemplateSyntaxError, type ParsedTemplate } from "../parse.js";
import { renderStateOf, type RenderState } from "../render-state.js";
import { plain } from "../filters/filter-support.js";

// include.rb's regular expressions. Ruby's \w is ASCII, as JavaScript's is.
const PARAMETER = /([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w.-]+))/g;
const VARIABLE_NAME = /(?<variable>[^{]*(?:\{\{\s*[\w\-.]+\s*(?:\|.*)?\}\}[^\s{}]*)+)(?<params>.*)/s;
const ALL_PARAMETERS = new RegExp(String.raw`^\s*(?:${PARAMETER.source}(?=\s|$)\s*)*$`);
// Ruby's ^ and $ match at every line; the file names that reach this have no newline.
const VALID_FILE_NAME = /^[\w/.\-()+~#@]+$/m;
const INVALID_SEQUENCE = /[./]{2,}/;

interface Parameter {
  readonly key: string;
  /** a quoted value's text, or a variable to look up */
  readonly value: string | Value;
}

/** Thrown by an include whose file cannot be included; reported at the include tag's line. */
export class IncludeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "IncludeError";
  }
}

/** An error inside an included file, carried out to the {% include %} that included it. */
export class IncludedFileError extends Error {
  readonly file: string;
  /** the line in the included file, when known */
  readonly line: number | undefined;
  readonly inner: unknown;

  constructor(file: string, line: number | undefined, message: string, inner: unknown) {
    super(`${file}${line === undefined ? "" : `:${line}`}: ${message}`, { cause: inner });
    this.name = "IncludedFileError";
    this.file = file;
    this.line = line;
    this.inner = inner;
  }
}

abstract class JekyllIncludeTag extends Tag {
  /** the file name as written, when it holds no variables */
  readonly fileName: string | undefined;
  /** the file name as a template, when it holds variables */
  readonly fileTemplate: Template[] | undefined;
  readonly parameters: readonly Parameter[] | undefined;

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, _parser: Parser) {
    super(token, remainTokens, liquid);
    const markup = rubyStrip(token.args);
    const variable = VARIABLE_NAME.exec(markup);
    let file: string | undefined;
    let parameters: string | undefined;
    if (variable?.groups) {
      file = rubyStrip(variable.groups.variable ?? "");
      parameters = rubyStrip(variable.groups.params ?? "");
      this.fileTemplate = liquid.parse(file, token.file);
    } else {
      [file, parameters] = splitOnce(markup);
      this.fileName = file;
    }
    if (parameters !== undefined) {
      if (!ALL_PARAMETERS.test(parameters)) {
        throw new Error(`invalid syntax for the ${token.name} tag: "${parameters}"; write ${this.syntaxExample()}`);
      }
      this.parameters = [...parameters.matchAll(PARAMETER)].map(([, key = "", doubleQuoted, singleQuoted, name]): Parameter => {
        if (doubleQuoted !== undefined) return { key, value: doubleQuoted.replaceAll("\\\"", "\"") };
        if (singleQuoted !== undefined) return { key, value: singleQuoted.replaceAll("\\'", "'") };
        return { key, value: new Value(name ?? "", liquid) };
      });
    }
  }

  protected syntaxExample(): string {
    return `{% ${this.name} file.ext param='value' param2='value' %}`;
  }

  /** The text of the file, or undefined when there is none (or the caller refuses it). */
  protected abstract read(state: RenderState, name: string): string | undefined;

  /** How messages name the file: "_includes/video.html". */
  protected abstract displayName(state: RenderState, name: string): string;

  protected abstract notFound(state: RenderState, name: string): string;

  *render(context: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const state = renderStateOf(context);
    const name = this.fileTemplate ? String(yield this.liquid.renderer.renderTemplates(this.fileTemplate, context)) : (this.fileName ?? "");
    validateFileName(name, this.syntaxExample());
    // File.join(dir, name) in Jekyll: a leading "/" does not leave the folder.
    const relativeName = name.replace(/^\/+/, "");
    const source = this.read(state, relativeName);
    if (source === undefined) throw new IncludeError(this.notFound(state, name));
    const file = this.displayName(state, relativeName);
    if (state.includes.length >= state.limits.maxIncludeDepth) {
      throw new LiquidLimitError(`includes nested more than ${state.limits.maxIncludeDepth} deep (an include that includes itself?), at ${file}`);
    }
    const parameters = this.parameters ? yield* this.evaluateParameters(context) : undefined;
    state.includes.push({ file, line: this.token.getPosition()[0] ?? 0 });
    // Jekyll's context.stack: a new scope, with `include` only when this tag has parameters.
    context.push(parameters ? { include: parameters } : {});
    try {
      const parsed = parseInclude(this.liquid, state, file, source);
      for (const problem of parsed.problems) state.warn(problem);
      yield this.liquid.renderer.renderTemplates(parsed.templates, context, emitter);
    } catch (error) {
      throw includedFileError(file, error);
    } finally {
      context.pop();
      state.includes.pop();
    }
  }

  private *evaluateParameters(context: Context): Generator<unknown, Record<string, unknown>, unknown> {
    const values: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const { key, value } of this.parameters ?? []) {
      values[key] = typeof value === "string" ? value : plain(yield value.value(context, false));
    }
    return values;
  }

  *arguments(): Generator<Value> {
    for (const parameter of this.parameters ?? []) if (typeof parameter.value !== "string") yield parameter.value;
  }

  children(): Generator<unknown, Template[]> {
    return childTemplates(this.fileTemplate ?? []);
  }
}

export class IncludeTag extends JekyllIncludeTag {
  protected read(state: RenderState, name: string): string | undefined {
    return state.site.files.include(name);
  }

  protected displayName(_state: RenderState, name: string): string {
    return `_includes/${name}`;
  }

  protected notFound(_state: RenderState, name: string): string {
    return `could not locate the included file '${name}' in _includes/; make sure it exists there (Jekyll refuses symbolic links in safe mode)`;
  }
}

export class IncludeRelativeTag extends JekyllIncludeTag {
  protected read(state: RenderState, name: string): string | undefined {
    return state.site.files.includeRelative(state.post.path, name);
  }

  protected displayName(state: RenderState, name: string): string {
    const folder = state.post.path.includes("/") ? state.post.path.slice(0, state.post.path.lastIndexOf("/") + 1) : "";
    return `${folder}${name}`;
  }

  protected notFound(state: RenderState, name: string): string {
    const folder = state.post.path.includes("/") ? state.post.path.slice(0, state.post.path.lastIndexOf("/")) : ".";
    return `could not locate the included file '${name}' in the post's folder ${folder}/; make sure it exists there`;
  }
}

function validateFileName(name: string, example: string): void {
  if (INVALID_SEQUENCE.test(name) || !VALID_FILE_NAME.test(name)) {
    throw new IncludeError(`invalid syntax for the include tag: the file name "${name}" contains invalid characters or sequences ("..", "//" and characters outside A-Z a-z 0-9 _ / . - ( ) + ~ # @ are refused); write ${example}`);
  }
}

// Parsed includes, shared by every post this thread renders: an include is usually used by many
// posts. The key holds the text itself, so an edited include is parsed again; the size bound
// keeps the cache to about 16 M characters of include text.
const parsedIncludes = new LRUCache<string, ParsedTemplate>({
  max: 1000,
  maxSize: 16_000_000,
  sizeCalculation: (_value, key) => Math.max(1, key.length),
});

function parseInclude(liquid: Liquid, state: RenderState, file: string, source: string): ParsedTemplate {
  // The limits are part of the key: a template parsed under other limits may not pass these.
  const key = `${file}\n${state.limits.maxTemplateChars}\n${state.limits.maxNesting}\n${source}`;
  let parsed = parsedIncludes.get(key);
  if (!parsed) {
    parsed = parseTemplate(liquid, source, file, state.limits);
    if (key.length <= 16_000_000) parsedIncludes.set(key, parsed);
  }
  return parsed;
}

// What went wrong inside an included file, named by file and line. A limit stops the whole
// render as it is: wrapping it at each of a hundred nested includes would only repeat them.
function includedFileError(file: string, error: unknown): unknown {
  const inner = LiquidjsError.is(error) ? (error.originalError ?? error) : error;
  if (inner instanceof LiquidLimitError || (inner instanceof AssertionError && /limit exceeded/.test(inner.message))) return inner;
  if (error instanceof TemplateSyntaxError) return new IncludedFileError(file, error.line, `Liquid syntax error: ${error.message}`, error);
  if (LiquidjsError.is(error)) {
    const message = inner instanceof IncludedFileError ? inner.message : liquidjsMessage(error);
    return new IncludedFileError(file, error.token.getPosition()[0], message, inner);
  }
  return new IncludedFileError(file, undefined, inner instanceof Error ? inner.message : String(inner), inner);
}

function rubyStrip(text: string): string {
  return text.replace(/^[\0\t\n\v\f\r ]+|[\0\t\n\v\f\r ]+$/g, "");
}

// markup.split(/\s+/, 2)
function splitOnce(markup: string): [string | undefined, string | undefined] {
  if (markup === "") return [undefined, undefined];
  const match = /\s+/.exec(markup);
  if (!match) return [markup, undefined];
  return [markup.slice(0, match.index), markup.slice(match.index + match[0].length)];
}
