// Liquid 5.4's arithmetic (standardfilters.rb apply_operation, Utils.to_number): integers stay
// integers (10 / 4 is 2, -7 / 2 is -4, division by zero raises), and any float turns the
// operation into BigDecimal arithmetic on the float's printed digits, converted back with to_f
// (0.1 + 0.2 is 0.3, 10 / 2.0 is 5.0).
import { isRubyFloat, numericValue, RubyFloat, rubyFloatToString } from "./ruby-value.js";

/** A Ruby Integer, or a BigDecimal as mantissa * 10^-scale, or BigDecimal's Infinity/NaN. */
export type RubyNumber =
  | { readonly kind: "integer"; readonly value: bigint }
  | { readonly kind: "decimal"; readonly mantissa: bigint; readonly scale: number }
  | { readonly kind: "special"; readonly value: number };

/** Liquid::ZeroDivisionError: "divided by 0". */
export class RubyZeroDivisionError extends Error {
  constructor() {
    super("divided by 0");
    this.name = "ZeroDivisionError";
  }
}

const FLOAT_STRING = /^-?\d+\.\d+$/;

/**
 * Utils.to_number. `floatLiteral` marks a number written with a decimal point in the template
 * ("4.0"), which JavaScript reads as the integer 4 but Ruby as a Float.
 */
export function toRubyNumber(value: unknown, floatLiteral = false): RubyNumber {
  const number = numericValue(value);
  if (number !== undefined) {
    if (!Number.isFinite(number)) return { kind: "special", value: number };
    if (floatLiteral || isRubyFloat(value)) return parseDecimal(rubyFloatToString(number));
    return { kind: "integer", value: BigInt(number) };
  }
  if (typeof value === "string") {
    const text = value.replace(/^[\0\t\n\v\f\r ]+|[\0\t\n\v\f\r ]+$/g, "");
    if (FLOAT_STRING.test(text)) return parseDecimal(text);
    const integer = /^[\t\n\v\f\r ]*([+-]?\d+(?:_\d+)*)/.exec(value)?.[1];
    return { kind: "integer", value: BigInt(integer === undefined ? 0 : integer.replaceAll("_", "")) };
  }
  return { kind: "integer", value: 0n };
}

function parseDecimal(text: string): RubyNumber {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(text);
  if (!match) return { kind: "special", value: Number(text) };
  const [, sign = "", whole = "0", fraction = "", exponent = "0"] = match;
  let mantissa = BigInt(`${sign}${whole}${fraction}`);
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    mantissa *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { kind: "decimal", mantissa, scale };
}

function asDecimal(number: RubyNumber): { mantissa: bigint; scale: number } | undefined {
  if (number.kind === "integer") return { mantissa: number.value, scale: 0 };
  if (number.kind === "decimal") return number;
  return undefined;
}

function toFloat(number: RubyNumber): number {
  if (number.kind === "special") return number.value;
  if (number.kind === "integer") return Number(number.value);
  return decimalToNumber(number.mantissa, number.scale);
}

function decimalToNumber(mantissa: bigint, scale: number): number {
  return Number(`${mantissa}e${-scale}`);
}

/** A RubyNumber as the template sees it: an integer, or a Float (boxed when whole). */
export function fromRubyNumber(number: RubyNumber): number | RubyFloat {
  if (number.kind === "integer") return Number(number.value);
  return RubyFloat.of(toFloat(number));
}

function align(a: { mantissa: bigint; scale: number }, b: { mantissa: bigint; scale: number }): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.mantissa * 10n ** BigInt(scale - a.scale), b.mantissa * 10n ** BigInt(scale - b.scale), scale];
}

export type Operation = "+" | "-" | "*" | "/" | "%";

/** Integer#op or BigDecimal#op, as apply_operation calls it. */
export function rubyArithmetic(left: RubyNumber, operation: Operation, right: RubyNumber): RubyNumber {
  if (left.kind === "integer" && right.kind === "integer") return integerArithmetic(left.value, operation, right.value);
  const a = asDecimal(left);
  const b = asDecimal(right);
  if (!a || !b) return { kind: "special", value: floatArithmetic(toFloat(left), operation, toFloat(right)) };
  switch (operation) {
    case "+":
    case "-": {
      const [x, y, scale] = align(a, b);
      return { kind: "decimal", mantissa: operation === "+" ? x + y : x - y, scale };
    }
    case "*": return { kind: "decimal", mantissa: a.mantissa * b.mantissa, scale: a.scale + b.scale };
    case "/": {
      if (b.mantissa === 0n) return { kind: "special", value: a.mantissa === 0n ? Number.NaN : a.mantissa > 0n ? Infinity : -Infinity };
      // 40 significant digits: more than to_f can keep, so the double is the one Ruby gets.
      const [x, y] = align(a, b);
      const extra = 40;
      const quotient = (x * 10n ** BigInt(extra)) / y;
      return { kind: "decimal", mantissa: quotient, scale: extra };
    }
    case "%": {
      if (b.mantissa === 0n) throw new RubyZeroDivisionError();
      const [x, y, scale] = align(a, b);
      return { kind: "decimal", mantissa: floorModulo(x, y), scale };
    }
  }
}

function integerArithmetic(a: bigint, operation: Operation, b: bigint): RubyNumber {
  switch (operation) {
    case "+": return { kind: "integer", value: a + b };
    case "-": return { kind: "integer", value: a - b };
    case "*": return { kind: "integer", value: a * b };
    case "/": {
      if (b === 0n) throw new RubyZeroDivisionError();
      const quotient = a / b;
      // Ruby's Integer#/ rounds toward negative infinity.
      return { kind: "integer", value: (a % b !== 0n && (a < 0n) !== (b < 0n)) ? quotient - 1n : quotient };
    }
    case "%":
      if (b === 0n) throw new RubyZeroDivisionError();
      return { kind: "integer", value: floorModulo(a, b) };
  }
}

function floorModulo(a: bigint, b: bigint): bigint {
  const remainder = a % b;
  return remainder !== 0n && (remainder < 0n) !== (b < 0n) ? remainder + b : remainder;
}

function floatArithmetic(a: number, operation: Operation, b: number): number {
  switch (operation) {
    case "+": return a + b;
    case "-": return a - b;
    case "*": return a * b;
    case "/": return a / b;
    case "%": return a - b * Math.floor(a / b);
  }
}

/** Ruby's <=> between numbers. */
export function compareRubyNumbers(left: RubyNumber, right: RubyNumber): number {
  const a = asDecimal(left);
  const b = asDecimal(right);
  if (!a || !b) return Math.sign(toFloat(left) - toFloat(right));
  const [x, y] = align(a, b);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Integer#round(digits) or BigDecimal#round(digits) (ROUND_HALF_UP: halves away from zero). */
export function roundRubyNumber(number: RubyNumber, digits: number): RubyNumber {
  if (number.kind === "special") return number;
  if (number.kind === "integer" && digits >= 0) return number;
  const decimal = asDecimal(number);
  if (!decimal) return number;
  const drop = decimal.scale - digits;
  if (drop <= 0) return number;
  const unit = 10n ** BigInt(drop);
  const magnitude = decimal.mantissa < 0n ? -decimal.mantissa : decimal.mantissa;
  let rounded = magnitude / unit;
  if ((magnitude % unit) * 2n >= unit) rounded += 1n;
  const signed = decimal.mantissa < 0n ? -rounded : rounded;
  if (digits < 0) {
    const value = signed * 10n ** BigInt(-digits);
    return number.kind === "integer" ? { kind: "integer", value } : { kind: "decimal", mantissa: value, scale: 0 };
  }
  return { kind: "decimal", mantissa: signed, scale: digits };
}

/** BigDecimal#ceil / #floor to an Integer. */
export function roundToInteger(number: RubyNumber, direction: "ceil" | "floor"): number {
  if (number.kind === "integer") return Number(number.value);
  if (number.kind === "special") throw new Error(`${rubyFloatToString(number.value)} cannot be rounded to an integer`);
  const unit = 10n ** BigInt(number.scale);
  let quotient = number.mantissa / unit;
  const exact = quotient * unit === number.mantissa;
  if (!exact && direction === "floor" && number.mantissa < 0n) quotient -= 1n;
  if (!exact && direction === "ceil" && number.mantissa > 0n) quotient += 1n;
  return Number(quotient);
}
