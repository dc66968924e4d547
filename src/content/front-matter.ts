// Splits a post into its YAML front matter and its Markdown body with gray-matter, the way
// Jekyll does: front matter only when the file starts with a `---` line, closed by a `---` (or
// YAML's `...`) line.
//
// gray-matter needs care: called without options it caches results by content in a map that
// never shrinks and hands out shared, mutable objects; and a file starting with `---js` is run
// through eval(). So we always pass options (which bypasses the cache), give it our YAML engine,
// and replace every engine that could execute code with one that refuses.
import matter from "gray-matter";
import { parseYamlSource, YamlSyntaxError, type YamlSource } from "../yaml-source.js";
import { PSYCH_TIME_TAGS } from "./psych-yaml-tags.js";

export class FrontMatterError extends Error {
  /** 1-based line in the post file, when known. */
  readonly line: number | undefined;
  constructor(message: string, line: number | undefined, options?: ErrorOptions) {
    super(message, options);
    this.name = "FrontMatterError";
    this.line = line;
  }
}

export interface FrontMatter {
  readonly data: Readonly<Record<string, unknown>>;
  /** The Markdown after the front matter. */
  readonly body: string;
  /** The 1-based line of the file where the body starts (1 without front matter). */
  readonly bodyLine: number;
  /** 1-based line of a front-matter key in the file, when present. */
  lineOf(key: string): number | undefined;
  readonly duplicateKeys: readonly string[];
}

function refuse(language: string): { parse: () => never } {
  return {
    parse: () => {
      throw new FrontMatterError(`front matter marked "---${language}" is not supported (it would run code); use YAML front matter starting with a plain --- line`, 1);
    },
  };
}

// Jekyll's own test for front matter (Jekyll::Document::YAML_FRONT_MATTER_REGEXP), on the text
// after a byte-order mark: an opening `---` line, then a closing `---` or `...` line.
const OPENING = /^---[ \t]*\n/;
const CLOSING_DOTS = /^\.\.\.[ \t]*$/m;

/** Throws FrontMatterError with the line of the problem. */
export interface FrontMatterOptions {
  /** Read plain timestamps and base-60 numbers as Psych does (a Jekyll site's posts). */
  readonly psychTimestamps?: boolean;
}

export function parseFrontMatter(fileText: string, options: FrontMatterOptions = {}): FrontMatter {
  const text = normalizedText(fileText);
  if (!OPENING.test(text)) {
    if (/^---\S/.test(text)) {
      const language = /^---(\S+)/.exec(text)?.[1] ?? "";
      throw new FrontMatterError(`front matter marked "---${language}" is not supported; start the front matter with a plain --- line`, 1);
    }
    // No front matter at all: Jekyll still publishes such a post, with defaults for everything.
    return { data: {}, body: text, bodyLine: 1, lineOf: () => undefined, duplicateKeys: [] };
  }
  const closing = findClosingLine(text);
  if (closing === undefined) {
    throw new FrontMatterError("front matter opened with --- on line 1 is never closed; add a --- line after the last key", 1);
  }
  const { head, rest } = splitAt(text, closing);

  let source: YamlSource | undefined;
  const yamlEngine = {
    parse: (yamlText: string): object => {
      // gray-matter passes the text right after the opening `---`, starting with the rest of that
      // line, so YAML line n is file line n.
      const tooDeep = firstLineNestedDeeperThan(yamlText, MAX_YAML_NESTING);
      if (tooDeep !== undefined) {
        throw new FrontMatterError(`front matter nests collections more than ${MAX_YAML_NESTING} levels deep ([, { or indentation); flatten it`, tooDeep);
      }
      source = parseYamlSource(yamlText, { timeTags: options.psychTimestamps === true ? PSYCH_TIME_TAGS : undefined });
      const value = source.value;
      if (value === null || value === undefined) return {};
      if (typeof value !== "object" || Array.isArray(value)) {
        throw new FrontMatterError(`front matter must be a YAML mapping of keys (title:, date:, ...), not ${Array.isArray(value) ? "a list" : "a single value"}`, 2);
      }
      return value;
    },
  };
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = splitWith(head, yamlEngine);
  } catch (error) {
    if (error instanceof FrontMatterError) throw error;
    if (error instanceof YamlSyntaxError) {
      throw new FrontMatterError(`front matter: ${error.message}; fix the YAML between the --- lines`, error.line, { cause: error });
    }
    throw new FrontMatterError(`front matter: ${(error as Error).message}`, undefined, { cause: error });
  }
  const found = source;
  return {
    data: parsed.data,
    body: parsed.content + rest,
    bodyLine: lineAfter(text, closing),
    lineOf: (key) => found?.lineOf(key),
    duplicateKeys: found?.duplicateKeys ?? [],
  };
}

/** The line after the closing line: where the body starts. */
function lineAfter(text: string, closing: ClosingLine): number {
  let lines = 1;
  for (let index = text.indexOf("\n"); index !== -1 && index < closing.end; index = text.indexOf("\n", index + 1)) lines++;
  return lines + 1;
}

/**
 * The Markdown body of a post whose front matter parseFrontMatter already accepted, split off the
 * same way but without parsing the YAML again: rendering a body is a second pass over the file
 * (a scan reads every post's front matter first), and YAML is the costly part of the first.
 */
export function frontMatterBody(fileText: string): string {
  const text = normalizedText(fileText);
  if (!OPENING.test(text)) return text;
  const closing = findClosingLine(text);
  if (closing === undefined) return text;
  const { head, rest } = splitAt(text, closing);
  return splitWith(head, { parse: () => ({}) }).content + rest;
}

// A byte-order mark and Windows line endings are common in posts edited on Windows; gray-matter
// would leave a "\r" at the end of the last front-matter line, inside the last value.
function normalizedText(fileText: string): string {
  const withoutBom = fileText.startsWith("\uFEFF") ? fileText.slice(1) : fileText;
  return withoutBom.includes("\r") ? withoutBom.replace(/\r\n?/g, "\n") : withoutBom;
}

/**
 * gray-matter is given the front matter and its closing line, not the whole file: it copies what
 * it is given into a Buffer and uses it as a cache key, which for a long post cost more than the
 * rest of its work. It splits at the first "\n---" after the opening line, which is at or before
 * the closing line (that line starts with "---"), so its front matter and the start of its body
 * are the same as for the whole file, and the rest of the file is the rest of the body.
 * gray-matter only knows `---` as the closing delimiter; Jekyll also accepts YAML's `...`.
 */
function splitAt(text: string, closing: ClosingLine): { head: string; rest: string } {
  const head = `${text.slice(0, closing.start)}${closing.dots ? "---" : text.slice(closing.start, closing.end)}${closing.end < text.length ? "\n" : ""}`;
  return { head, rest: text.slice(closing.end + 1) };
}

function splitWith(head: string, yamlEngine: { parse: (yamlText: string) => object }): matter.GrayMatterFile<string> {
  return matter(head, {
    engines: {
      yaml: yamlEngine,
      js: refuse("js"),
      javascript: refuse("javascript"),
      coffee: refuse("coffee"),
      coffeescript: refuse("coffeescript"),
      cson: refuse("cson"),
      json: refuse("json"),
      toml: refuse("toml"),
    },
  });
}

/**
 * The yaml package composes nested collections recursively and overflows the stack at 600 to
 * 1,400 levels ("[[[[…"). It reports that as an error, but after it a later deep document can
 * make V8 abort the whole process ("FATAL ERROR: RegExpCompiler Allocation failed - process out
 * of memory": a post of 5,000 "[" followed by one of 5,000 "[…]" does). So a document that might
 * nest deeper than this never reaches the parser; real front matter nests two or three levels.
 */
const MAX_YAML_NESTING = 400;

/**
 * The 1-based line where `yamlText` may nest collections deeper than `limit`, or undefined. An
 * upper bound in linear time: every unclosed `[` or `{` (even one inside a quoted string) counts
 * a level; block collections need at least one column of indentation or a leading `- `, `? ` or
 * `: ` per level, and a sequence may sit at its parent key's indentation, so a line counts twice
 * those, plus two.
 */
function firstLineNestedDeeperThan(yamlText: string, limit: number): number | undefined {
  let flow = 0;
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index <= yamlText.length; index++) {
    const code = index < yamlText.length ? yamlText.charCodeAt(index) : 0x0a;
    if (code === 0x5b || code === 0x7b) flow++;
    else if ((code === 0x5d || code === 0x7d) && flow > 0) flow--;
    else if (code === 0x0a) {
      const lead = /^[ \t]*(?:[-?:](?:[ \t]+|$))*/u.exec(yamlText.slice(lineStart, Math.min(index, lineStart + 4 * limit)))?.[0] ?? "";
      const indicators = lead.replace(/[ \t]/gu, "").length;
      const indent = lead.length - lead.trimStart().length;
      if (flow + 2 * (indent + indicators) + 2 > limit) return line;
      line++;
      lineStart = index + 1;
      continue;
    }
    if (flow > limit) return line;
  }
  return undefined;
}

interface ClosingLine {
  /** Offset of the line's first character in the text. */
  readonly start: number;
  /** Offset of the "\n" that ends the line, or the text's length. */
  readonly end: number;
  readonly dots: boolean;
}

/** The first line after the opening one that closes the front matter; the body is not looked at. */
function findClosingLine(text: string): ClosingLine | undefined {
  for (let start = text.indexOf("\n") + 1; start > 0; ) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end);
    if (/^---[ \t]*$/.test(line)) return { start, end, dots: false };
    if (CLOSING_DOTS.test(line)) return { start, end, dots: true };
    start = newline + 1;
  }
  return undefined;
}
