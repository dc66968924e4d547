// Jekyll's own filters (jekyll/filters.rb, filters/grouping_filters.rb), ported for Ruby's
// semantics. `sort` and `where` replace Liquid's filters of the same name, as in Jekyll.
import { Drop, toValueSync, Value, type Context, type Liquid } from "liquidjs";
import { jekyllSlugify, type JekyllSlugifyMode } from "../../permalink.js";
import { normalizeComponent } from "../addressable.js";
import { renderStateOf } from "../render-state.js";
import { isHash, isRubyFloat, numericValue, rubyCompare, rubyInspect, rubyJson, rubyToInteger, rubyToS } from "../ruby-value.js";
import { charge, isList, plain, type FilterImpl, type FilterTable } from "./filter-support.js";
import { cgiEscape, rubySplit } from "./standard.js";

function text(filter: FilterImpl, value: unknown): string {
  const string = rubyToS(plain(value));
  charge(filter.context, string.length);
  return string;
}

/** Jekyll calls String methods on these inputs; nil (and other non-strings) raise in Ruby. */
function requireString(value: unknown, filter: string): string {
  const input = plain(value);
  if (typeof input !== "string") throw new Error(`${filter}: undefined method for ${rubyInspect(input)} (expected a string)`);
  return input;
}

// I18n.transliterate's default table, used by slugify's "latin" mode: letters with accents lose
// them (NFD), these become other letters, and any other non-ASCII character becomes "?".
const LATIN_SPECIAL: Readonly<Record<string, string>> = {
  Æ: "AE", Ð: "D", "×": "x", Ø: "O", Þ: "Th", ß: "ss", æ: "ae", ð: "d", ø: "o", þ: "th", Đ: "D", đ: "d", Ħ: "H", ħ: "h",
  ı: "i", Ĳ: "IJ", ĳ: "ij", ĸ: "k", Ŀ: "L", ŀ: "l", Ł: "L", ł: "l", ŉ: "'n", Ŋ: "NG", ŋ: "ng", Œ: "OE", œ: "oe", Ŧ: "T", ŧ: "t",
};

function transliterateLatin(input: string): string {
  return input.replace(/[\u0080-\u{10FFFF}]/gu, (character) => {
    const special = LATIN_SPECIAL[character];
    if (special !== undefined) return special;
    const code = character.codePointAt(0) ?? 0;
    const base = character.normalize("NFD")[0] ?? "";
    // The table's plain entries are the accented letters of U+00C0..U+017E.
    return code >= 0xc0 && code <= 0x17e && /^[A-Za-z]$/.test(base) ? base : "?";
  });
}

const SLUGIFY_MODES = new Set(["raw", "default", "pretty", "ascii", "latin"]);

/** Utils.slugify(input, mode:) as the slugify filter calls it (never cased). */
export function slugify(input: string, mode: string | undefined): string {
  const chosen = mode ?? "default";
  if (!SLUGIFY_MODES.has(chosen)) return jekyllSlugify(input, "none");
  if (chosen === "latin") return jekyllSlugify(transliterateLatin(input), "default");
  return jekyllSlugify(input, chosen as JekyllSlugifyMode);
}

// number_of_words' "cjk" and "auto" modes; Ruby's \s is ASCII whitespace.
const CJK = /[\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}\p{Script=Hangul}]/gu;
const NON_CJK_WORD = /[^\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}\p{Script=Hangul}\t\n\v\f\r ]+/gu;

// Filters#item_property: a hash's value (a dotted property walks into nested hashes), turned into
// a number when it looks like one, so that sort and where compare "10" after "9".
function itemProperty(item: unknown, property: unknown): unknown {
  const key = rubyToS(plain(property));
  const data = plain(item);
  let value: unknown;
  if (!key.includes(".")) value = isHash(data) && Object.hasOwn(data, key) ? data[key] : undefined;
  else {
    value = data;
    for (const part of key.split(".")) value = isHash(value) && Object.hasOwn(value, part) ? value[part] : isHash(value) ? undefined : false;
  }
  return sortableValue(value);
}

const INTEGER_LIKE = /^\s*-?\d+\s*$/;
const FLOAT_LIKE = /^\s*-?(?:\d+\.?\d*|\.\d+)\s*$/;

function sortableValue(value: unknown): unknown {
  const string = rubyToS(value);
  if (INTEGER_LIKE.test(string)) return rubyToInteger(string);
  if (FLOAT_LIKE.test(string)) return Number.parseFloat(string);
  return value;
}

// Filters#compare_property_vs_target (the `where` and `find` test).
function matchesTarget(property: unknown, target: unknown, rawTarget: unknown): boolean {
  if (target === undefined || target === null) return property === undefined || property === null;
  const wanted = rubyToS(target);
  // `empty` and `blank` (Liquid's method literals) match an empty string or array.
  if (isMethodLiteral(rawTarget)) return rubyToS(property) === wanted || (isList(property) && property.map(rubyToS).join("") === wanted);
  if (typeof property === "string") return property === wanted;
  return rubyArray(property).some((item) => rubyToS(item) === wanted);
}

function isMethodLiteral(value: unknown): boolean {
  return value instanceof Drop && plain(value) === "";
}

// Kernel#Array: nil -> [], an array as it is, a hash as its pairs, anything else in a list.
function rubyArray(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (isList(value)) return value;
  if (isHash(value)) return Object.entries(value);
  return [value];
}

// where/find: a hash's values; anything without Enumerable#select comes back as it is.
function selectable(input: unknown): readonly unknown[] | undefined {
  const value = plain(input);
  if (isList(value)) return value;
  if (isHash(value)) return Object.values(value);
  return undefined;
}

const parsedExpressions = new Map<string, Value>();

// Parses where_exp / find_exp / group_by_exp expressions once per engine; a small bound, since
// a site uses a handful.
function expression(liquid: Liquid, source: string): Value {
  let parsed = parsedExpressions.get(source);
  if (!parsed) {
    parsed = new Value(source, liquid);
    if (parsedExpressions.size >= 500) parsedExpressions.clear();
    parsedExpressions.set(source, parsed);
  }
  return parsed;
}

// Evaluates `source` once per item with `variable` bound to it, in a scope of its own
// (Jekyll's @context.stack).
function evaluateFor(filter: FilterImpl, items: readonly unknown[], variable: unknown, source: unknown, each: (item: unknown, value: unknown) => boolean | void): void {
  const parsed = expression(filter.liquid, rubyToS(plain(source)));
  const name = rubyToS(plain(variable));
  const scope: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const context: Context = filter.context;
  context.push(scope);
  try {
    for (const item of items) {
      scope[name] = item;
      renderStateOf(context).budget.chargeNodes(1);
      if (each(item, plain(toValueSync(parsed.value(context, false)))) === false) return;
    }
  } finally {
    context.pop();
  }
}

function isTruthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false;
}

// Filters#sort_input: nils first (order -1) or last (+1); values that do not compare fall back
// to comparing their to_s. Ruby sorts with the C library's qsort_r, which in glibc 2.36 (Debian
// 12's) merges, keeping equal items in order as JavaScript's sort does.
function sortByProperty(items: readonly unknown[], property: unknown, nilOrder: number): unknown[] {
  const keyed = items.map((item) => ({ key: itemProperty(item, property), item }));
  keyed.sort((a, b) => {
    const aNil = a.key === undefined || a.key === null;
    const bNil = b.key === undefined || b.key === null;
    if (!aNil && bNil) return -nilOrder;
    if (aNil && !bNil) return nilOrder;
    return rubyCompare(a.key, b.key) ?? rubyCompare(rubyToS(a.key), rubyToS(b.key)) ?? 0;
  });
  return keyed.map(({ item }) => item);
}

function groupedArray(groups: Map<string, { name: unknown; items: unknown[] }>): unknown[] {
  return [...groups.values()].map(({ name, items }) => ({ name, items, size: items.length }));
}

export const JEKYLL_FILTERS: FilterTable = {
  markdownify(input) {
    const html = renderStateOf(this.context).site.markdownify(text(this, input));
    charge(this.context, html.length);
    return html;
  },
  smartify(input) {
    const html = renderStateOf(this.context).site.smartify(text(this, input));
    charge(this.context, html.length);
    return html;
  },
  slugify(input, mode) {
    const value = plain(input);
    if (value === undefined || value === null) return undefined;
    const chosen = plain(mode);
    return slugify(requireString(value, "slugify"), chosen === undefined || chosen === null ? undefined : rubyToS(chosen));
  },
  xml_escape(input) {
    // String#encode(xml: :attr) without the quotes it adds.
    return text(this, input).replace(/[&<>"]/g, (character) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" })[character] ?? character);
  },
  cgi_escape(input) {
    return cgiEscape(requireString(input, "cgi_escape"));
  },
  uri_escape(input) {
    const value = plain(input);
    if (value === undefined || value === null) return undefined;
    return normalizeComponent(rubyToS(value));
  },
  normalize_whitespace(input) {
    return text(this, input).replace(/[\t\n\v\f\r ]+/g, " ").replace(/^[\t\n\v\f\r\0 ]+|[\t\n\v\f\r\0 ]+$/g, "");
  },
  number_of_words(input, mode) {
    const value = requireString(input, "number_of_words");
    const chosen = plain(mode);
    const words = () => rubySplit(value, " ").length;
    if (chosen === "cjk") return (value.match(CJK)?.length ?? 0) + (value.match(NON_CJK_WORD)?.length ?? 0);
    if (chosen === "auto") {
      const cjk = value.match(CJK)?.length ?? 0;
      return cjk === 0 ? words() : cjk + (value.match(NON_CJK_WORD)?.length ?? 0);
    }
    return words();
  },
  array_to_sentence_string(input, connector = "and") {
    const items = plain(input);
    if (!isList(items)) throw new Error(`array_to_sentence_string: ${rubyInspect(items)} is not an array`);
    const word = rubyToS(plain(connector));
    const strings = items.map((item) => (isList(item) ? item.flat(Infinity).map(rubyToS).join("") : rubyToS(item)));
    if (strings.length === 0) return "";
    if (strings.length === 1) return strings[0];
    if (strings.length === 2) return `${strings[0]} ${word} ${strings[1]}`;
    return `${strings.slice(0, -1).join(", ")}, ${word} ${strings.at(-1)}`;
  },
  jsonify(input) {
    const json = rubyJson(plain(input));
    charge(this.context, json.length);
    return json;
  },
  where(input, property, value) {
    const target = plain(value);
    if (plain(property) === undefined || plain(property) === null || plain(property) === false || isList(target) || isHash(target)) return input;
    const items = selectable(input);
    if (!items) return input;
    charge(this.context, items.length);
    return items.filter((item) => matchesTarget(itemProperty(item, property), target, value));
  },
  where_exp(input, variable, source) {
    const items = selectable(input);
    if (!items) return input;
    charge(this.context, items.length);
    const selected: unknown[] = [];
    evaluateFor(this, items, variable, source, (item, result) => {
      if (isTruthy(result)) selected.push(item);
    });
    return selected;
  },
  find(input, property, value) {
    const target = plain(value);
    if (plain(property) === undefined || plain(property) === null || plain(property) === false || isList(target) || isHash(target)) return input;
    const items = selectable(input);
    if (!items) return input;
    return items.find((item) => matchesTarget(itemProperty(item, property), target, value));
  },
  find_exp(input, variable, source) {
    const items = selectable(input);
    if (!items) return input;
    let found: unknown;
    evaluateFor(this, items, variable, source, (item, result) => {
      if (!isTruthy(result)) return true;
      found = item;
      return false;
    });
    return found;
  },
  group_by(input, property) {
    const items = plain(input);
    if (!isList(items) && !isHash(items)) return input;
    const list = isList(items) ? items : Object.entries(items);
    charge(this.context, list.length);
    const groups = new Map<string, { name: unknown; items: unknown[] }>();
    for (const item of list) {
      const name = rubyToS(itemProperty(item, property));
      const group = groups.get(name) ?? { name, items: [] };
      group.items.push(item);
      groups.set(name, group);
    }
    return groupedArray(groups);
  },
  group_by_exp(input, variable, source) {
    const items = plain(input);
    if (!isList(items) && !isHash(items)) return input;
    const list = isList(items) ? items : Object.entries(items);
    charge(this.context, list.length);
    const groups = new Map<string, { name: unknown; items: unknown[] }>();
    evaluateFor(this, list, variable, source, (item, name) => {
      // Ruby's group_by keys a hash by value (eql?), so 1 and "1" are different groups.
      const key = `${typeof name}:${rubyInspect(name)}`;
      const group = groups.get(key) ?? { name, items: [] };
      group.items.push(item);
      groups.set(key, group);
    });
    return groupedArray(groups);
  },
  sort(input, property, nils = "first") {
    const value = plain(input);
    if (value === undefined || value === null) throw new Error("Cannot sort a null object.");
    const items = isList(value) ? value : isHash(value) ? Object.entries(value) : undefined;
    if (!items) throw new Error(`undefined method 'sort' for ${rubyInspect(value)}`);
    charge(this.context, items.length);
    if (plain(property) === undefined || plain(property) === null) {
      return [...items].sort((a, b) => {
        const order = rubyCompare(a, b);
        if (order === undefined) throw new Error(`comparison of ${rubyInspect(a)} with ${rubyInspect(b)} failed`);
        return order;
      });
    }
    const order = plain(nils);
    if (order !== "first" && order !== "last") throw new Error(`Invalid nils order: '${rubyToS(order)}' is not a valid nils order. It must be 'first' or 'last'.`);
    return sortByProperty(items, property, order === "first" ? -1 : 1);
  },
  pop(input, count = 1) {
    const value = plain(input);
    if (!isList(value)) return value;
    const n = liquidCount(count);
    return value.slice(0, Math.max(0, value.length - n));
  },
  push(input, item) {
    const value = plain(input);
    if (!isList(value)) return value;
    charge(this.context, value.length + 1);
    return [...value, plain(item)];
  },
  shift(input, count = 1) {
    const value = plain(input);
    if (!isList(value)) return value;
    return value.slice(liquidCount(count));
  },
  unshift(input, item) {
    const value = plain(input);
    if (!isList(value)) return value;
    charge(this.context, value.length + 1);
    return [plain(item), ...value];
  },
  // Jekyll picks at random. Feeds must be the same for the same posts, so Feedwright picks the
  // first element (or the first `count`): the output is one Jekyll could have produced.
  sample(input, count = 1) {
    const value = plain(input);
    if (!isList(value)) return value;
    let n: number;
    try {
      n = liquidCount(count);
    } catch {
      n = 1;
    }
    return n === 1 ? value[0] : value.slice(0, Math.max(0, n));
  },
  inspect(input) {
    return rubyInspect(plain(input)).replace(/[&<>"]/g, (character) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" })[character] ?? character);
  },
  to_integer(input) {
    const value = plain(input);
    if (value === true) return 1;
    if (value === false) return 0;
    return rubyToInteger(value);
  },
};

function liquidCount(value: unknown): number {
  const number = numericValue(plain(value));
  if (number !== undefined && Number.isInteger(number) && !isRubyFloat(plain(value))) return number;
  const string = rubyToS(plain(value)).trim();
  if (/^[+-]?\d+$/.test(string)) return Number(string);
  throw new Error("invalid integer");
}

