// Liquid 5.4's StandardFilters (liquid/standardfilters.rb), the filters every Jekyll site has,
// ported for Ruby's string semantics: lengths and offsets count characters (code points), "strip"
// removes ASCII whitespace only, "split" drops trailing empty fields, "escape" writes &quot;.
// `sort` and `where` are Jekyll's (filters/collections.ts), which replace Liquid's; `date` is in
// filters/dates.ts.
import { rubyCapitalize, rubyDowncase } from "../../permalink.js";
import { rubyStrip } from "../addressable.js";
import {
  compareRubyNumbers,
  fromRubyNumber,
  roundRubyNumber,
  roundToInteger,
  rubyArithmetic,
  toRubyNumber,
  type Operation,
  type RubyNumber,
} from "../ruby-number.js";
import { compareStrings, isHash, rubyEquals, rubyToS } from "../ruby-value.js";
import {
  charge,
  isFloatLiteralArgument,
  isList,
  keywordArguments,
  liquidInteger,
  plain,
  positionalArguments,
  type FilterImpl,
  type FilterTable,
} from "./filter-support.js";

const HTML_ESCAPE: Readonly<Record<string, string>> = { "&": "&amp;", ">": "&gt;", "<": "&lt;", "\"": "&quot;", "'": "&#39;" };

function text(filter: FilterImpl, value: unknown): string {
  const string = rubyToS(plain(value));
  charge(filter.context, string.length);
  return string;
}

function characters(value: string): string[] {
  return [...value];
}

/** Liquid's InputIterator: an array flattened, a hash as a one-element list, nil as empty, anything else as itself. */
export function inputList(value: unknown): unknown[] {
  const input = plain(value);
  if (isList(input)) return input.flat<readonly unknown[], 20>(20);
  if (input === undefined || input === null) return [];
  return [input];
}

/** Ruby's String#split with a string pattern: " " splits on whitespace runs; trailing empty fields go. */
export function rubySplit(input: string, pattern: string, limit = 0): string[] {
  let fields: string[];
  if (pattern === " ") {
    fields = [];
    let rest = input.replace(/^[\t\n\v\f\r ]+/, "");
    while (rest !== "") {
      if (limit > 0 && fields.length === limit - 1) {
        fields.push(rest);
        break;
      }
      const match = /[\t\n\v\f\r ]+/.exec(rest);
      if (!match) {
        fields.push(rest);
        break;
      }
      fields.push(rest.slice(0, match.index));
      rest = rest.slice(match.index + match[0].length);
    }
  } else if (pattern === "") {
    fields = characters(input);
  } else {
    fields = input.split(pattern);
  }
  if (limit === 0) while (fields.length > 0 && fields.at(-1) === "") fields.pop();
  return fields;
}

/**
 * The replacement string of Ruby's sub/gsub, where backslash sequences stand for parts of the
 * match: \0 and \& the match, \` and \' the text before and after it, \\ a backslash, and \1…\9
 * groups (a string pattern has none).
 */
function rubyReplacement(replacement: string, match: string, before: string, after: string): string {
  return replacement.replace(/\\(\\|&|0|`|'|[1-9]|k<[^>]*>)/g, (_sequence, code: string) => {
    if (code === "\\") return "\\";
    if (code === "&" || code === "0") return match;
    if (code === "`") return before;
    if (code === "'") return after;
    return "";
  });
}

function replaceText(input: string, pattern: string, replacement: string, which: "all" | "first"): string {
  if (pattern === "") {
    // Ruby matches the empty string before every character and at the end.
    const parts = characters(input);
    if (which === "first") return rubyReplacement(replacement, "", "", input) + input;
    return parts.map((character, index) => rubyReplacement(replacement, "", parts.slice(0, index).join(""), parts.slice(index).join("")) + character).join("") + rubyReplacement(replacement, "", input, "");
  }
  let output = "";
  let from = 0;
  for (;;) {
    const at = input.indexOf(pattern, from);
    if (at === -1) break;
    output += input.slice(from, at) + rubyReplacement(replacement, pattern, input.slice(0, at), input.slice(at + pattern.length));
    from = at + pattern.length;
    if (which === "first") break;
  }
  return output + input.slice(from);
}

function rubySlice<T>(items: readonly T[], offset: number, length: number): T[] | undefined {
  const start = offset < 0 ? items.length + offset : offset;
  if (start < 0 || start > items.length || length < 0) return undefined;
  return items.slice(start, start + length);
}

// CGI.escape: every byte outside "a-zA-Z0-9_.-~" and space as %XX; a space as "+".
export function cgiEscape(input: string): string {
  return Buffer.from(input, "utf8").toString("latin1").replace(/[^ a-zA-Z0-9_.\-~]/g, (character) =>
    `%${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(2, "0")}`).replaceAll(" ", "+");
}

// CGI.unescape: "+" as a space, %XX as a byte; the bytes must then be UTF-8 (url_decode raises otherwise).
function cgiUnescape(input: string): string {
  const bytes = Buffer.from(input, "utf8").toString("latin1").replaceAll("+", " ")
    .replace(/%([0-9a-fA-F]{2})/g, (_sequence, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(bytes, "latin1"));
  } catch {
    throw new Error("invalid byte sequence in UTF-8");
  }
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function arithmetic(filter: FilterImpl, input: unknown, operand: unknown, operation: Operation): unknown {
  const result = rubyArithmetic(toRubyNumber(plain(input)), operation, toRubyNumber(plain(operand), isFloatLiteralArgument(filter, 0)));
  return fromRubyNumber(result);
}

function number(filter: FilterImpl, value: unknown, argumentIndex?: number): RubyNumber {
  return toRubyNumber(plain(value), argumentIndex !== undefined && isFloatLiteralArgument(filter, argumentIndex));
}

// nil_safe_casecmp: nils go last.
function nilSafeCasecmp(a: unknown, b: unknown): number {
  const aNil = a === undefined || a === null;
  const bNil = b === undefined || b === null;
  if (!aNil && !bNil) return compareStrings(asciiDowncase(rubyToS(a)), asciiDowncase(rubyToS(b)));
  return aNil ? 1 : -1;
}

function asciiDowncase(value: string): string {
  return value.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** item[property] as Liquid reads it from a hash (or a string: the substring, if present). */
export function propertyOf(item: unknown, property: unknown): unknown {
  const value = plain(item);
  if (isHash(value)) return Object.hasOwn(value, String(property)) ? value[String(property)] : undefined;
  if (typeof value === "string") return value.includes(String(property)) ? String(property) : undefined;
  if (value === undefined || value === null) return undefined;
  throw new Error(`cannot select the property '${rubyToS(property)}'`);
}

function uniqueBy(items: readonly unknown[], key: (item: unknown) => unknown): unknown[] {
  const seen: unknown[] = [];
  const output: unknown[] = [];
  for (const item of items) {
    const itemKey = key(item);
    // Ruby's uniq compares with eql?: 1 and 1.0 differ, equal strings and arrays do not.
    if (seen.some((other) => rubyEquals(other, itemKey) && typeof other === typeof itemKey)) continue;
    seen.push(itemKey);
    output.push(item);
  }
  return output;
}

export const STANDARD_FILTERS: FilterTable = {
  size(input) {
    const value = plain(input);
    if (typeof value === "string") return characters(value).length;
    if (isList(value)) return value.length;
    if (isHash(value)) return Object.keys(value).length;
    // Integer#size is the machine word: 8 bytes.
    if (typeof value === "number" && Number.isInteger(value)) return 8;
    return 0;
  },
  downcase(input) {
    return rubyDowncase(text(this, input));
  },
  upcase(input) {
    return text(this, input).toUpperCase();
  },
  capitalize(input) {
    return rubyCapitalize(text(this, input));
  },
  escape(input) {
    if (plain(input) === undefined || plain(input) === null) return undefined;
    return text(this, input).replace(/[&><"']/g, (character) => HTML_ESCAPE[character] ?? character);
  },
  h(input) {
    return STANDARD_FILTERS.escape?.call(this, input);
  },
  escape_once(input) {
    return text(this, input).replace(/["><']|&(?!(?:[a-zA-Z]+|#\d+);)/g, (character) => HTML_ESCAPE[character] ?? character);
  },
  url_encode(input) {
    if (plain(input) === undefined || plain(input) === null) return undefined;
    return cgiEscape(text(this, input));
  },
  url_decode(input) {
    if (plain(input) === undefined || plain(input) === null) return undefined;
    return cgiUnescape(text(this, input));
  },
  base64_encode(input) {
    return Buffer.from(text(this, input), "utf8").toString("base64");
  },
  base64_decode(input) {
    const value = text(this, input);
    if (!STRICT_BASE64.test(value)) throw new Error("invalid base64 provided to base64_decode");
    return Buffer.from(value, "base64").toString("utf8");
  },
  base64_url_safe_encode(input) {
    return Buffer.from(text(this, input), "utf8").toString("base64").replaceAll("+", "-").replaceAll("/", "_");
  },
  base64_url_safe_decode(input) {
    const value = text(this, input).replaceAll("-", "+").replaceAll("_", "/");
    const padded = value.length % 4 === 0 ? value : value.padEnd(value.length + 4 - (value.length % 4), "=");
    if (!STRICT_BASE64.test(padded)) throw new Error("invalid base64 provided to base64_url_safe_decode");
    return Buffer.from(padded, "base64").toString("utf8");
  },
  slice(input, offset, length) {
    const start = liquidInteger(plain(offset));
    const count = length === undefined || plain(length) === null ? 1 : liquidInteger(plain(length));
    const value = plain(input);
    if (isList(value)) return rubySlice(value, start, count) ?? [];
    return rubySlice(characters(text(this, value)), start, count)?.join("") ?? "";
  },
  truncate(input, length = 50, ellipsis = "...") {
    if (plain(input) === undefined || plain(input) === null) return undefined;
    const value = characters(text(this, input));
    const limit = liquidInteger(plain(length));
    const ending = rubyToS(plain(ellipsis));
    const keep = Math.max(0, limit - characters(ending).length);
    return value.length > limit ? value.slice(0, keep).join("") + ending : value.join("");
  },
  truncatewords(input, words = 15, ellipsis = "...") {
    if (plain(input) === undefined || plain(input) === null) return undefined;
    const value = text(this, input);
    const count = Math.max(1, liquidInteger(plain(words)));
    const wordList = rubySplit(value, " ", count + 1);
    if (wordList.length <= count) return value;
    wordList.pop();
    return wordList.join(" ") + rubyToS(plain(ellipsis));
  },
  split(input, pattern) {
    const fields = rubySplit(text(this, input), rubyToS(plain(pattern)));
    charge(this.context, fields.length);
    return fields;
  },
  strip(input) {
    return rubyStrip(text(this, input));
  },
  lstrip(input) {
    return text(this, input).replace(/^[\0\t\n\v\f\r ]+/, "");
  },
  rstrip(input) {
    return text(this, input).replace(/[\0\t\n\v\f\r ]+$/, "");
  },
  strip_html(input) {
    return stripHtmlTags(stripHtmlBlocks(text(this, input)));
  },
  strip_newlines(input) {
    return text(this, input).replace(/\r?\n/g, "");
  },
  join(input, glue = " ") {
    const items = inputList(input);
    charge(this.context, items.length);
    return items.map(rubyToS).join(rubyToS(plain(glue)));
  },
  sort_natural(input, property) {
    const items = inputList(input);
    charge(this.context, items.length);
    if (items.length === 0) return [];
    const key = plain(property);
    if (key === undefined || key === null) return [...items].sort(nilSafeCasecmp);
    if (!items.every((item) => isHash(plain(item)) || typeof plain(item) === "string")) return undefined;
    return [...items].sort((a, b) => nilSafeCasecmp(propertyOf(a, key), propertyOf(b, key)));
  },
  uniq(input, property) {
    const items = inputList(input);
    charge(this.context, items.length);
    const key = plain(property);
    if (key === undefined || key === null) return uniqueBy(items, (item) => item);
    return uniqueBy(items, (item) => propertyOf(item, key));
  },
  reverse(input) {
    const items = inputList(input);
    charge(this.context, items.length);
    return [...items].reverse();
  },
  map(input, property) {
    const items = inputList(input);
    charge(this.context, items.length);
    const key = plain(property);
    return items.map((item) => (key === "to_liquid" ? item : propertyOf(item, key)));
  },
  compact(input, property) {
    const items = inputList(input);
    charge(this.context, items.length);
    const key = plain(property);
    if (key === undefined || key === null) return items.filter((item) => plain(item) !== undefined && plain(item) !== null);
    return items.filter((item) => {
      const value = propertyOf(item, key);
      return value !== undefined && value !== null;
    });
  },
  replace(input, pattern, replacement = "") {
    return replaceText(text(this, input), rubyToS(plain(pattern)), rubyToS(plain(replacement)), "all");
  },
  replace_first(input, pattern, replacement = "") {
    return replaceText(text(this, input), rubyToS(plain(pattern)), rubyToS(plain(replacement)), "first");
  },
  replace_last(input, pattern, replacement) {
    const value = text(this, input);
    const search = rubyToS(plain(pattern));
    const at = value.lastIndexOf(search);
    return at === -1 ? value : value.slice(0, at) + rubyToS(plain(replacement)) + value.slice(at + search.length);
  },
  remove(input, pattern) {
    return replaceText(text(this, input), rubyToS(plain(pattern)), "", "all");
  },
  remove_first(input, pattern) {
    return replaceText(text(this, input), rubyToS(plain(pattern)), "", "first");
  },
  remove_last(input, pattern) {
    return STANDARD_FILTERS.replace_last?.call(this, input, pattern, "");
  },
  append(input, suffix) {
    const output = text(this, input) + text(this, suffix);
    return output;
  },
  prepend(input, prefix) {
    return text(this, prefix) + text(this, input);
  },
  concat(input, array) {
    const other = plain(array);
    if (!isList(other)) throw new Error("concat filter requires an array argument");
    const items = inputList(input).concat(other);
    charge(this.context, items.length);
    return items;
  },
  newline_to_br(input) {
    return text(this, input).replace(/\r?\n/g, "<br />\n");
  },
  first(input) {
    const value = plain(input);
    if (isList(value)) return value[0];
    if (isHash(value)) return Object.entries(value)[0];
    return undefined;
  },
  last(input) {
    const value = plain(input);
    if (isList(value)) return value.at(-1);
    if (isHash(value)) return Object.entries(value).at(-1);
    return undefined;
  },
  abs(input) {
    const value = number(this, input);
    if (value.kind === "integer") return fromRubyNumber({ kind: "integer", value: value.value < 0n ? -value.value : value.value });
    if (value.kind === "decimal") return fromRubyNumber({ kind: "decimal", mantissa: value.mantissa < 0n ? -value.mantissa : value.mantissa, scale: value.scale });
    return Math.abs(value.value);
  },
  plus(input, operand) {
    return arithmetic(this, input, operand, "+");
  },
  minus(input, operand) {
    return arithmetic(this, input, operand, "-");
  },
  times(input, operand) {
    return arithmetic(this, input, operand, "*");
  },
  divided_by(input, operand) {
    return arithmetic(this, input, operand, "/");
  },
  modulo(input, operand) {
    return arithmetic(this, input, operand, "%");
  },
  round(input, digits = 0) {
    const places = toRubyNumber(plain(digits));
    const count = places.kind === "integer" ? Number(places.value) : Math.trunc(Number(rubyToS(plain(digits))));
    const result = roundRubyNumber(number(this, input), count);
    if (count === 0) return roundToInteger(result, "floor") + 0;
    return fromRubyNumber(result);
  },
  ceil(input) {
    return roundToInteger(number(this, input), "ceil");
  },
  floor(input) {
    return roundToInteger(number(this, input), "floor");
  },
  at_least(input, minimum) {
    const floor = number(this, minimum, 0);
    const value = number(this, input);
    return fromRubyNumber(compareRubyNumbers(floor, value) > 0 ? floor : value);
  },
  at_most(input, maximum) {
    const ceiling = number(this, maximum, 0);
    const value = number(this, input);
    return fromRubyNumber(compareRubyNumbers(ceiling, value) < 0 ? ceiling : value);
  },
  default(input, ...args) {
    const [fallback = ""] = positionalArguments(this, args);
    const allowFalse = keywordArguments(args).get("allow_false");
    const value = plain(input);
    const missing = allowFalse !== undefined && allowFalse !== null && allowFalse !== false ? value === undefined || value === null : value === undefined || value === null || value === false;
    const empty = (typeof value === "string" || isList(value)) ? value.length === 0 : isHash(value) && Object.keys(value).length === 0;
    return missing || empty ? fallback : value;
  },
};

// STRIP_HTML_BLOCKS (<script…</script>, <!--…-->, <style…</style>), then STRIP_HTML_TAGS (<…>),
// as Ruby's two gsub calls do, without the regular expressions' quadratic time on unclosed openers.
function stripHtmlBlocks(input: string): string {
  // The next match of each kind, found again only once the text before it is consumed; a kind
  // whose opener has no closer after it cannot match again.
  const blocks = [["<script", "</script>"], ["<!--", "-->"], ["<style", "</style>"]].map(([opener = "", closer = ""]) => ({ opener, closer, at: -1, end: -1 }));
  let output = "";
  let index = 0;
  for (;;) {
    let earliest: (typeof blocks)[number] | undefined;
    for (const block of blocks) {
      if (block.at === Infinity) continue;
      if (block.at < index) {
        const at = input.indexOf(block.opener, index);
        const close = at === -1 ? -1 : input.indexOf(block.closer, at + block.opener.length);
        block.at = close === -1 ? Infinity : at;
        block.end = close + block.closer.length;
        if (close === -1) continue;
      }
      if (!earliest || block.at < earliest.at) earliest = block;
    }
    if (!earliest) return output + input.slice(index);
    output += input.slice(index, earliest.at);
    index = earliest.end;
  }
}

function stripHtmlTags(input: string): string {
  let output = "";
  let index = 0;
  for (;;) {
    const open = input.indexOf("<", index);
    if (open === -1) return output + input.slice(index);
    const close = input.indexOf(">", open + 1);
    if (close === -1) return output + input.slice(index);
    output += input.slice(index, open);
    index = close + 1;
  }
}
