// YAML as Jekyll reads it, with the line number of every top-level key kept for error messages.
//
// Jekyll parses front matter and _config.yml with Ruby's Psych, a YAML 1.1 parser. We use the
// `yaml` package in its 1.1 mode so that `published: no` means false as it does in Jekyll, with
// two changes that make it behave like Psych as Jekyll uses it:
//  - timestamps stay strings: YAML 1.1 would turn `2025-11-04` into a Date at UTC midnight and
//    cannot read Jekyll's `2025-11-04 09:15:00 +0900` at all; dates are parsed by content/dates.ts
//    in the site's time zone instead;
//  - booleans are Psych's (yes/no/true/false/on/off, any case), not YAML 1.1's y/n, so a title
//    or tag spelled `y` or `n` stays a string.
// A Jekyll site's front matter needs one more thing of Psych, its Time and base-60 readings:
// the content stage passes them as `timeTags` (content/psych-yaml-tags.ts), so that this module,
// which the configuration file is read with too, depends on no content code.
import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document, type ScalarTag, type Tags } from "yaml";

/** The most aliases a document may expand; a "billion laughs" document needs far more. */
const MAX_ALIAS_COUNT = 100;

const psychBoolean: ScalarTag = {
  tag: "tag:yaml.org,2002:bool",
  default: true,
  test: /^(?:yes|no|true|false|on|off)$/i,
  resolve: (source: string) => /^(?:yes|true|on)$/i.test(source),
};

function jekyllTags(timeTags: readonly ScalarTag[] | undefined): (tags: Tags) => Tags {
  return (tags) => {
    const kept = tags.filter((tag) => {
      const name = typeof tag === "string" ? tag : tag.tag;
      // YAML 1.1's base-60 numbers, replaced by the time tags' own.
      if (timeTags && typeof tag !== "string" && tag.format === "TIME") return false;
      return name !== "tag:yaml.org,2002:timestamp" && name !== "tag:yaml.org,2002:bool" && name !== "timestamp" && name !== "bool";
    });
    return timeTags ? [...timeTags, psychBoolean, ...kept] : [psychBoolean, ...kept];
  };
}

export class YamlSyntaxError extends Error {
  /** 1-based line within the YAML text, when the parser knows it. */
  readonly line: number | undefined;
  constructor(message: string, line: number | undefined, options?: ErrorOptions) {
    super(message, options);
    this.name = "YamlSyntaxError";
    this.line = line;
  }
}

export interface YamlSource {
  /** The document as plain data (objects, arrays, strings, numbers, booleans, null). */
  readonly value: unknown;
  /** 1-based line of a top-level key, or undefined when the key is absent. */
  lineOf(key: string): number | undefined;
  /** 1-based line of the deepest node found along a path of keys (site, url), if any. */
  lineOfPath(path: readonly (string | number)[]): number | undefined;
  /** Top-level keys that appear more than once (the last one wins, as in Psych). */
  readonly duplicateKeys: readonly string[];
}

export interface YamlSourceOptions {
  /**
   * Tags that read plain timestamps and base-60 numbers (a Jekyll site's front matter passes
   * Psych's, content/psych-yaml-tags.ts); without them every timestamp stays a string and
   * base-60 numbers are YAML 1.1's.
   */
  readonly timeTags?: readonly ScalarTag[] | undefined;
}

/** Parses one YAML document; throws YamlSyntaxError (with the line) on anything Psych would reject. */
export function parseYamlSource(text: string, options: YamlSourceOptions = {}): YamlSource {
  const lineCounter = new LineCounter();
  let document: Document.Parsed;
  try {
    document = parseDocument(text, {
      version: "1.1",
      customTags: jekyllTags(options.timeTags),
      lineCounter,
      uniqueKeys: false,
      prettyErrors: true,
      strict: true,
    });
  } catch (error) {
    throw new YamlSyntaxError(`invalid YAML: ${(error as Error).message}`, undefined, { cause: error });
  }
  const firstError = document.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0]?.line;
    throw new YamlSyntaxError(`invalid YAML: ${firstLine(firstError.message)}`, line, { cause: firstError });
  }

  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // toJS throws for alias bombs ("Excessive alias count") and for aliases that point nowhere.
    throw new YamlSyntaxError(`invalid YAML: ${(error as Error).message}`, undefined, { cause: error });
  }

  const keyLines = new Map<string, number>();
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  if (isMap(document.contents)) {
    for (const pair of document.contents.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const offset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      if (key === undefined || offset === undefined) continue;
      if (seen.has(key)) duplicates.add(key);
      seen.add(key);
      keyLines.set(key, lineCounter.linePos(offset).line);
    }
  }
  // The line of the deepest key found along the path (the key, not its value, which for a nested
  // mapping starts on the next line).
  const lineOfPath = (path: readonly (string | number)[]): number | undefined => {
    let node: unknown = document.contents;
    let line: number | undefined;
    for (const part of path) {
      if (!isMap(node)) break;
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(part));
      const offset = pair && isNode(pair.key) ? pair.key.range?.[0] : undefined;
      if (!pair || offset === undefined) break;
      line = lineCounter.linePos(offset).line;
      node = pair.value;
    }
    return line;
  };
  return {
    value,
    lineOf: (key) => keyLines.get(key),
    lineOfPath,
    duplicateKeys: [...duplicates],
  };
}

function firstLine(message: string): string {
  const end = message.indexOf("\n");
  return (end === -1 ? message : message.slice(0, end)).replace(/ at line \d+, column \d+:?$/, "").trim();
}
