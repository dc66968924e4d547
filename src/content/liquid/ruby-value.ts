// Ruby's view of the plain values a template works on: how they print (to_s, inspect, to_json),
// compare (<=>, ==) and convert (to_i). Liquid in Jekyll is Ruby, so `{{ 2.0 }}` prints "2.0",
// `{{ site.data.people[0] }}` prints `{"name"=>"Ann"}` and `"b" | append: page.tags` appends
// `["a", "b"]`. JavaScript has one number type; a Float whose value is whole is boxed in
// RubyFloat so that it keeps printing as Ruby prints it.
import { RubyTime } from "./ruby-time.js";

/** A Ruby Float with a whole value (2.0). Other floats stay JavaScript numbers: they print the same. */
export class RubyFloat {
  readonly value: number;

  constructor(value: number) {
    this.value = value;
  }

  /** Keeps non-whole results as plain numbers, boxes whole ones. */
  static of(value: number): RubyFloat | number {
    return Number.isInteger(value) || Object.is(value, -0) ? new RubyFloat(value) : value;
  }

  toString(): string {
    return rubyFloatToString(this.value);
  }

  valueOf(): number {
    return this.value;
  }

  // liquidjs's Comparable, so that `x == 2` and `x > 1` compare the number.
  equals(other: unknown): boolean {
    return numericValue(other) === this.value;
  }

  gt(other: unknown): boolean {
    const number = numericValue(other);
    return number !== undefined && this.value > number;
  }

  geq(other: unknown): boolean {
    const number = numericValue(other);
    return number !== undefined && this.value >= number;
  }

  lt(other: unknown): boolean {
    const number = numericValue(other);
    return number !== undefined && this.value < number;
  }

  leq(other: unknown): boolean {
    const number = numericValue(other);
    return number !== undefined && this.value <= number;
  }
}

/** The number in a JavaScript number or RubyFloat; undefined for anything else. */
export function numericValue(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (value instanceof RubyFloat) return value.value;
  return undefined;
}

/** True for a Ruby Float: a RubyFloat or a JavaScript number with a fraction (or not finite). */
export function isRubyFloat(value: unknown): boolean {
  return value instanceof RubyFloat || (typeof value === "number" && !Number.isInteger(value));
}

/** A Liquid hash: a plain object (not an array, a Time or a boxed number). */
export function isHash(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Float#to_s (numeric.c flo_to_s): the shortest digits that read back, in fixed notation when the
 * decimal point falls within 16 digits ("1.0", "0.0001", "123456789012345.6"), else in
 * exponent form with at least two exponent digits ("1.0e+16", "1.0e-05").
 */
export function rubyFloatToString(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  const [mantissa = "0", exponentText = "0"] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const decimalPoint = Number(exponentText) + 1;
  if (decimalPoint > 0 && decimalPoint <= 16 && (decimalPoint < 16 || digits.length > decimalPoint)) {
    const whole = digits.slice(0, decimalPoint).padEnd(decimalPoint, "0");
    const fraction = digits.slice(decimalPoint) || "0";
    return `${sign}${whole}.${fraction}`;
  }
  if (decimalPoint <= 0 && decimalPoint > -4) return `${sign}0.${"0".repeat(-decimalPoint)}${digits}`;
  const exponent = decimalPoint - 1;
  const exponentDigits = String(Math.abs(exponent)).padStart(2, "0");
  return `${sign}${digits[0] ?? "0"}.${digits.slice(1) || "0"}e${exponent < 0 ? "-" : "+"}${exponentDigits}`;
}

function numberToString(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? String(value) : Number.isInteger(value) ? BigInt(value).toString() : rubyFloatToString(value);
}

/** Ruby's #to_s: what `append`, string interpolation and the Jekyll filters make of a value. */
export function rubyToS(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberToString(value);
  if (typeof value === "boolean") return String(value);
  if (value instanceof RubyTime || value instanceof RubyFloat) return value.toString();
  if (Array.isArray(value) || isHash(value)) return rubyInspect(value);
  if (typeof value === "bigint") return value.toString();
  return "";
}

/**
 * What `{{ value }}` writes (Liquid's Variable#render_obj_to_output): nil writes nothing, an
 * array writes each element in turn (nested arrays too), anything else its to_s.
 */
export function liquidOutput(value: unknown): string {
  if (Array.isArray(value)) return value.map(liquidOutput).join("");
  return rubyToS(value);
}

// String#inspect escapes these by name; other control characters as \uXXXX.
const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  "\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f", "\v": "\\v", "\b": "\\b", "\x07": "\\a", "\x1B": "\\e",
};

/** String#inspect for a UTF-8 string. */
export function rubyInspectString(text: string): string {
  let output = "\"";
  const characters = [...text];
  characters.forEach((character, index) => {
    const named = NAMED_ESCAPES[character];
    if (named !== undefined) output += named;
    else if (character === "#" && /^[{$@]$/.test(characters[index + 1] ?? "")) output += "\\#";
    else if ((character.codePointAt(0) ?? 0) < 0x20 || character === "\u007F") output += `\\u${hex(character)}`;
    else if (/^\p{Cn}$/u.test(character)) {
      const code = character.codePointAt(0) ?? 0;
      output += code > 0xffff ? `\\u{${code.toString(16).toUpperCase()}}` : `\\u${hex(character)}`;
    } else output += character;
  });
  return `${output}"`;
}

function hex(character: string): string {
  return (character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
}

/** #inspect: `{"name"=>"Ann", "age"=>30}`, `["a", nil, 2.5]`, `"text"`. */
export function rubyInspect(value: unknown, seen: Set<unknown> = new Set()): string {
  if (value === undefined || value === null) return "nil";
  if (typeof value === "string") return rubyInspectString(value);
  if (value instanceof RubyTime) return value.inspect();
  if (Array.isArray(value) || isHash(value)) {
    // Ruby prints a structure that contains itself as [...] or {...}.
    if (seen.has(value)) return Array.isArray(value) ? "[...]" : "{...}";
    seen.add(value);
    const text = Array.isArray(value)
      ? `[${value.map((item) => rubyInspect(item, seen)).join(", ")}]`
      : `{${Object.entries(value).map(([key, item]) => `${rubyInspectString(key)}=>${rubyInspect(item, seen)}`).join(", ")}}`;
    seen.delete(value);
    return text;
  }
  return rubyToS(value);
}

/**
 * #to_json as Jekyll's `jsonify` calls it (json 2.6): floats as Ruby prints them ("1.0",
 * "1.0e+20"), a Time as its to_s, nil as null; strings escaped as JSON.stringify escapes them
 * (both leave "/" and non-ASCII alone). Throws where Ruby raises: NaN and Infinity, and a
 * structure that contains itself (Ruby: "nesting of 100 is too deep").
 */
export function rubyJson(value: unknown, depth = 0): string {
  if (depth > 100) throw new Error("nesting of 101 is too deep");
  if (value === undefined || value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "boolean") return String(value);
  const number = numericValue(value);
  if (number !== undefined) {
    if (!Number.isFinite(number)) throw new Error(`${rubyFloatToString(number)} not allowed in JSON`);
    return isRubyFloat(value) ? rubyFloatToString(number) : numberToString(number);
  }
  if (value instanceof RubyTime) return JSON.stringify(value.toString());
  if (Array.isArray(value)) return `[${value.map((item) => rubyJson(item, depth + 1)).join(",")}]`;
  if (isHash(value)) return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${rubyJson(item, depth + 1)}`).join(",")}}`;
  return JSON.stringify(rubyToS(value));
}

/** Ruby's String#<=> on UTF-8: byte order, which is code point order (not UTF-16 order). */
export function compareStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const x = a.codePointAt(index) ?? 0;
    const y = b.codePointAt(index) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) index += 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Ruby's a <=> b; undefined where Ruby answers nil (values that do not compare). */
export function rubyCompare(a: unknown, b: unknown): number | undefined {
  const x = numericValue(a);
  const y = numericValue(b);
  if (x !== undefined && y !== undefined) return x === y ? 0 : x < y ? -1 : x > y ? 1 : undefined;
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  if (a instanceof RubyTime && b instanceof RubyTime) return Math.sign(a.epochMilliseconds - b.epochMilliseconds);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
      const order = rubyCompare(a[index], b[index]);
      if (order !== 0) return order;
    }
    return Math.sign(a.length - b.length);
  }
  // Object#<=>: 0 for equal objects, nil otherwise.
  return rubyEquals(a, b) ? 0 : undefined;
}

/** Ruby's == for plain values: 1 == 1.0, arrays and hashes by content, Times by instant. */
export function rubyEquals(a: unknown, b: unknown): boolean {
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  const x = numericValue(a);
  const y = numericValue(b);
  if (x !== undefined || y !== undefined) return x === y;
  if (a instanceof RubyTime) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => rubyEquals(item, b[index]));
  if (isHash(a) && isHash(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && rubyEquals(a[key], b[key]));
  }
  return a === b;
}

/**
 * String#to_i and friends (Jekyll's to_integer, Liquid's Utils.to_number for integers): the
 * leading decimal digits of a string after leading whitespace ("12abc" -> 12, "abc" -> 0), a
 * float truncated, nil 0. Throws for values Ruby has no to_i for (arrays, hashes, booleans).
 */
export function rubyToInteger(value: unknown): number {
  if (value === undefined || value === null) return 0;
  const number = numericValue(value);
  if (number !== undefined) return Math.trunc(number);
  if (typeof value === "string") {
    const match = /^[\t\n\v\f\r ]*([+-]?\d+(?:_\d+)*)/.exec(value);
    return match ? Number((match[1] ?? "0").replaceAll("_", "")) : 0;
  }
  if (value instanceof RubyTime) return Math.floor(value.epochMilliseconds / 1000);
  throw new TypeError(`undefined method 'to_i' for ${rubyInspect(value)}`);
}
