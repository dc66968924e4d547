// An exception that Ruby would raise, by class and message, so that the ports of Ruby's date and
// time parsing can say exactly what Ruby says. Jekyll rescues ArgumentError from Time.parse and
// reports an invalid date; a RangeError (a number too large for a C int) stops its build.

export type RubyErrorClass = "ArgumentError" | "RangeError" | "NoMethodError";

export class RubyError extends Error {
  readonly rubyClass: RubyErrorClass;
  /** What Ruby's message leaves out, for a reader ("day 32"): the field and value at fault. */
  readonly field: string | undefined;
  constructor(rubyClass: RubyErrorClass, message: string, field?: string) {
    super(message);
    this.name = "RubyError";
    this.rubyClass = rubyClass;
    this.field = field;
  }
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_LIMIT = 2n ** 63n;

/**
 * NUM2INT: Ruby's conversion of an Integer to a C int, with its RangeError messages. `value` is
 * the Integer; digits beyond a double's 53 bits are not kept, so such a number prints rounded.
 */
export function num2int(value: number | bigint): number {
  if (typeof value === "number" && Number.isInteger(value) && value >= INT_MIN && value <= INT_MAX) return value;
  const exact = typeof value === "bigint" ? value : BigInt(Math.trunc(value));
  if (exact >= LONG_LIMIT || exact < -LONG_LIMIT) throw new RubyError("RangeError", "bignum too big to convert into `long'");
  if (exact > BigInt(INT_MAX)) throw new RubyError("RangeError", `integer ${exact} too big to convert to \`int'`);
  if (exact < BigInt(INT_MIN)) throw new RubyError("RangeError", `integer ${exact} too small to convert to \`int'`);
  return Number(exact);
}
