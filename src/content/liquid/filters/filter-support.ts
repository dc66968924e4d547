// What every filter module needs: the liquidjs filter signature, the value a filter receives
// with liquidjs's literal drops (nil, empty, blank) unwrapped, and memory accounting.
import { Drop, toValue, TypeGuards, type Context, type FilterImplOptions } from "liquidjs";
import { numericValue } from "../ruby-value.js";

/** What liquidjs binds `this` to in a filter: the render's Context, the filter's token, the engine. */
export type FilterImpl = ThisParameterType<Extract<FilterImplOptions, (...args: never[]) => unknown>>;

/** A filter as liquidjs calls it: `this` gives the render's Context and the filter's own token. */
export type JekyllFilter = (this: FilterImpl, input: unknown, ...args: unknown[]) => unknown;

export type FilterTable = Readonly<Record<string, JekyllFilter>>;

/** liquidjs's literal drops (nil, empty, blank) and others become the plain value they stand for. */
export function plain(value: unknown): unknown {
  return value instanceof Drop ? toValue(value) : value;
}

/**
 * True when argument `index` of this filter call is a number written with a decimal point
 * ("4.0"): liquidjs reads it as the integer 4, Ruby as a Float.
 */
export function isFloatLiteralArgument(filter: FilterImpl, index: number): boolean {
  const argument = filter.token.args[index];
  return argument !== undefined && !Array.isArray(argument) && TypeGuards.isNumberToken(argument) && /[.eE]/.test(argument.getText());
}

/** Array.isArray without TypeScript's `any[]`. */
export function isList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

/** Counts the characters or elements a filter creates against the render's memory limit. */
export function charge(context: Context, size: number): void {
  context.memoryLimit.use(size);
}

/** The keyword arguments liquidjs passes as [name, value] pairs ("allow_false: true"). */
export function keywordArguments(args: readonly unknown[]): Map<string, unknown> {
  const keywords = new Map<string, unknown>();
  for (const argument of args) {
    if (Array.isArray(argument) && argument.length === 2 && typeof argument[0] === "string") keywords.set(argument[0], plain(argument[1]));
  }
  return keywords;
}

/** The positional arguments, keyword pairs left out. */
export function positionalArguments(filter: FilterImpl, args: readonly unknown[]): unknown[] {
  return args.filter((_argument, index) => !Array.isArray(filter.token.args[index])).map(plain);
}

/** Liquid's Utils.to_integer: an Integer, or a string that is exactly one ("12"); anything else raises. */
export function liquidInteger(value: unknown): number {
  const number = numericValue(value);
  if (typeof value === "number" && Number.isInteger(number)) return value;
  const text = number === undefined ? (typeof value === "string" ? value : "") : String(number);
  if (/^[\t\n\v\f\r ]*[+-]?\d+(?:_\d+)*[\t\n\v\f\r ]*$/.test(text)) return Number(text.trim().replaceAll("_", ""));
  throw new Error("invalid integer");
}

export function asFilterOptions(filter: JekyllFilter): FilterImplOptions {
  return filter as FilterImplOptions;
}

// How many arguments each filter takes after its input, [required, required + optional], as Ruby
// declares the methods (Liquid::StandardFilters and Jekyll::Filters). Ruby raises "wrong number
// of arguments", and Jekyll fails the post, for any other count; keyword arguments
// ("allow_false: true") arrive as one more, a hash.
const ARITY: Readonly<Record<string, readonly [number, number]>> = {
  abs: [0, 0], absolute_url: [0, 0], append: [1, 1], array_to_sentence_string: [0, 1], at_least: [1, 1], at_most: [1, 1],
  base64_decode: [0, 0], base64_encode: [0, 0], base64_url_safe_decode: [0, 0], base64_url_safe_encode: [0, 0],
  capitalize: [0, 0], ceil: [0, 0], cgi_escape: [0, 0], compact: [0, 1], concat: [1, 1], date: [1, 1],
  date_to_long_string: [0, 2], date_to_rfc822: [0, 0], date_to_string: [0, 2], date_to_xmlschema: [0, 0], default: [0, 2],
  divided_by: [1, 1], downcase: [0, 0], escape: [0, 0], escape_once: [0, 0], find: [2, 2], find_exp: [2, 2], first: [0, 0],
  floor: [0, 0], group_by: [1, 1], group_by_exp: [2, 2], h: [0, 0], inspect: [0, 0], join: [0, 1], jsonify: [0, 0], last: [0, 0],
  lstrip: [0, 0], map: [1, 1], markdownify: [0, 0], minus: [1, 1], modulo: [1, 1], newline_to_br: [0, 0], normalize_whitespace: [0, 0],
  number_of_words: [0, 1], plus: [1, 1], pop: [0, 1], prepend: [1, 1], push: [1, 1], relative_url: [0, 0], remove: [1, 1],
  remove_first: [1, 1], remove_last: [1, 1], replace: [1, 2], replace_first: [1, 2], replace_last: [2, 2], reverse: [0, 0],
  round: [0, 1], rstrip: [0, 0], sample: [0, 1], sassify: [0, 0], scssify: [0, 0], shift: [0, 1], size: [0, 0], slice: [1, 2],
  slugify: [0, 1], smartify: [0, 0], sort: [0, 2], sort_natural: [0, 1], split: [1, 1], strip: [0, 0], strip_html: [0, 0],
  strip_index: [0, 0], strip_newlines: [0, 0], times: [1, 1], to_integer: [0, 0], truncate: [0, 2], truncatewords: [0, 2],
  uniq: [0, 1], unshift: [1, 1], upcase: [0, 0], uri_escape: [0, 0], url_decode: [0, 0], url_encode: [0, 0], where: [2, 2],
  where_exp: [2, 2], xml_escape: [0, 0],
};

/** `filter`, raising Ruby's ArgumentError when called with a number of arguments its Ruby method does not take. */
export function withRubyArity(name: string, filter: JekyllFilter): JekyllFilter {
  const arity = ARITY[name];
  if (!arity) return filter;
  const [required, most] = arity;
  return function (this: FilterImpl, input: unknown, ...args: unknown[]): unknown {
    const positional = this.token.args.filter((argument) => !Array.isArray(argument)).length;
    const given = positional + (positional < this.token.args.length ? 1 : 0);
    if (given < required || given > most) {
      const expected = required === most ? `${required + 1}` : `${required + 1}..${most + 1}`;
      throw new Error(`wrong number of arguments (given ${given + 1}, expected ${expected})`);
    }
    // An argument given as a variable that is not set arrives as undefined, which would let a
    // JavaScript default stand in for it; in Ruby it is nil, which no default replaces.
    return filter.call(this, input, ...args.map((argument) => (argument === undefined ? null : argument)));
  };
}
