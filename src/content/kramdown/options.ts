// The kramdown options Feedwright honours, read from a Jekyll site's `kramdown:` block (already
// merged over Jekyll's defaults by jekyll/site-config.ts) and validated once, so that the Markdown
// stage gets plain, typed data. Plain data: it travels to the render workers as it is and is part
// of the render key (content/render-key.ts), so a change to any option renders posts again.
// Names and defaults are kramdown 2's (kramdown/options.rb), under Jekyll 4.3's own defaults.

/** How a site's Markdown is read: kramdown's options as Feedwright applies them. */
export interface KramdownOptions {
  /** `input`: "GFM" (kramdown-parser-gfm, Jekyll's default) or "kramdown". */
  readonly input: "GFM" | "kramdown";
  /** `hard_wrap`: a line break in a paragraph becomes <br /> (GFM input only). */
  readonly hardWrap: boolean;
  /** `auto_ids`: headings get an id made from their text. */
  readonly autoIds: boolean;
  /** `auto_id_prefix`: put before every automatic id. */
  readonly autoIdPrefix: string;
  /** `auto_id_stripping`: HTML tags are removed from a heading's text before its id is made. */
  readonly autoIdStripping: boolean;
  /** `transliterated_header_ids`: non-ASCII letters are transliterated in automatic ids. */
  readonly transliteratedHeaderIds: boolean;
  /** `smart_quotes`: the four entities (names or code points) for ‘ ’ “ ” in that order. */
  readonly smartQuotes: readonly [string, string, string, string];
  /** `footnote_nr`: the number of the first footnote. */
  readonly footnoteNr: number;
  /** `footnote_prefix`: put before footnote ids. */
  readonly footnotePrefix: string;
  /** `footnote_backlink`: the text of a footnote's link back ("" for none). */
  readonly footnoteBacklink: string;
  /** `entity_output`: how entities are written. */
  readonly entityOutput: "as_char" | "as_input" | "numeric" | "symbolic";
  /** `toc_levels`: the heading levels a `{:toc}` lists. */
  readonly tocLevels: readonly number[];
  /** `parse_block_html`: Markdown inside HTML blocks is parsed. */
  readonly parseBlockHtml: boolean;
  /** `parse_span_html`: Markdown inside span-level HTML tags is parsed. */
  readonly parseSpanHtml: boolean;
}

/** Reports a bad value: the key path within `kramdown:` and what to write instead. Never returns. */
export type KramdownOptionFailure = (keyPath: readonly (string | number)[], message: string) => never;

// kramdown 2's defaults for the options Jekyll 4.3 does not set itself.
const KRAMDOWN_DEFAULTS = {
  auto_id_prefix: "",
  auto_id_stripping: false,
  transliterated_header_ids: false,
  footnote_prefix: "",
  footnote_backlink: "&#8617;",
  parse_block_html: false,
  parse_span_html: true,
} as const;

const ENTITY_OUTPUTS = ["as_char", "as_input", "numeric", "symbolic"] as const;

/**
 * The options of a `kramdown:` block (merged over Jekyll's defaults). `fail` is called for a value
 * kramdown would refuse or Feedwright cannot apply, with the key path under `kramdown`.
 */
export function kramdownOptions(block: Readonly<Record<string, unknown>>, fail: KramdownOptionFailure): KramdownOptions {
  const value = (key: string): unknown => (block[key] === undefined || block[key] === null ? (KRAMDOWN_DEFAULTS as Readonly<Record<string, unknown>>)[key] : block[key]);
  const flag = (key: string, fallback: boolean): boolean => {
    const raw = value(key);
    if (raw === undefined) return fallback;
    if (typeof raw === "boolean") return raw;
    return fail([key], `must be true or false, not ${JSON.stringify(raw)}`);
  };
  const text = (key: string): string => {
    const raw = value(key);
    if (typeof raw === "string") return raw;
    if (typeof raw === "number") return String(raw);
    return fail([key], `must be text, not ${JSON.stringify(raw)}`);
  };
  return {
    input: inputOf(value("input"), fail),
    hardWrap: flag("hard_wrap", false),
    autoIds: flag("auto_ids", true),
    autoIdPrefix: text("auto_id_prefix"),
    autoIdStripping: flag("auto_id_stripping", false),
    transliteratedHeaderIds: flag("transliterated_header_ids", false),
    smartQuotes: smartQuotesOf(value("smart_quotes"), fail),
    footnoteNr: footnoteNumberOf(value("footnote_nr"), fail),
    footnotePrefix: text("footnote_prefix"),
    footnoteBacklink: text("footnote_backlink"),
    entityOutput: entityOutputOf(value("entity_output"), fail),
    tocLevels: tocLevelsOf(value("toc_levels"), fail),
    parseBlockHtml: flag("parse_block_html", false),
    parseSpanHtml: flag("parse_span_html", true),
  };
}

function inputOf(raw: unknown, fail: KramdownOptionFailure): KramdownOptions["input"] {
  if (raw === undefined) return "GFM";
  // kramdown names the parser class: "GFM" (kramdown-parser-gfm) or "kramdown"/"Kramdown".
  if (typeof raw === "string" && raw.toLowerCase() === "gfm") return "GFM";
  if (typeof raw === "string" && raw.toLowerCase() === "kramdown") return "kramdown";
  return fail(["input"], `${JSON.stringify(raw)} is not an input Feedwright reads; use GFM (Jekyll's default) or kramdown`);
}

const ENTITY_NAME = /^(?:[a-zA-Z][a-zA-Z0-9]{0,31}|\d{1,7})$/u;

// kramdown's SmartQuotes option: "lsquo,rsquo,ldquo,rdquo" (entity names or code points), or a list.
function smartQuotesOf(raw: unknown, fail: KramdownOptionFailure): KramdownOptions["smartQuotes"] {
  if (raw === undefined) return ["lsquo", "rsquo", "ldquo", "rdquo"];
  const parts = typeof raw === "string" ? raw.split(",").map((part) => part.trim()) : Array.isArray(raw) ? raw.map((part) => String(part).trim()) : [];
  const [a, b, c, d] = parts;
  if (parts.length !== 4 || a === undefined || b === undefined || c === undefined || d === undefined || !parts.every((part) => ENTITY_NAME.test(part))) {
    return fail(["smart_quotes"], `${JSON.stringify(raw)} is not four entity names or numbers; write it as lsquo,rsquo,ldquo,rdquo`);
  }
  return [a, b, c, d];
}

function footnoteNumberOf(raw: unknown, fail: KramdownOptionFailure): number {
  if (raw === undefined) return 1;
  const number = typeof raw === "string" && /^\d{1,9}$/u.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (typeof number === "number" && Number.isInteger(number) && number >= 0 && number < 1e9) return number;
  return fail(["footnote_nr"], `${JSON.stringify(raw)} is not a whole number; write the number of the first footnote, e.g. 1`);
}

function entityOutputOf(raw: unknown, fail: KramdownOptionFailure): KramdownOptions["entityOutput"] {
  if (raw === undefined) return "as_char";
  const found = ENTITY_OUTPUTS.find((name) => name === raw);
  return found ?? fail(["entity_output"], `${JSON.stringify(raw)} is not one of ${ENTITY_OUTPUTS.join(", ")}`);
}

// kramdown accepts a list ([1, 2, 3]), a range ("1..3") or a comma-separated string ("1,2,3").
function tocLevelsOf(raw: unknown, fail: KramdownOptionFailure): readonly number[] {
  if (raw === undefined) return [1, 2, 3, 4, 5, 6];
  let levels: unknown[];
  const range = typeof raw === "string" ? /^\s*([1-6])\s*\.\.\s*([1-6])\s*$/u.exec(raw) : null;
  if (range) {
    levels = [];
    for (let level = Number(range[1]); level <= Number(range[2]); level++) levels.push(level);
  } else if (typeof raw === "string") levels = raw.split(",").map((part) => Number(part.trim()));
  else if (Array.isArray(raw)) levels = raw;
  else if (typeof raw === "number") levels = [raw];
  else levels = [];
  if (levels.length === 0 || !levels.every((level) => typeof level === "number" && Number.isInteger(level) && level >= 1 && level <= 6)) {
    return fail(["toc_levels"], `${JSON.stringify(raw)} is not a list of heading levels from 1 to 6; write it as 1..3 or [1, 2, 3]`);
  }
  return [...new Set(levels as number[])].sort((x, y) => x - y);
}
