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
