// Liquid 5.4's comparison operators (liquid/condition.rb), for liquidjs's `operators` option:
// "<>" is "!=", `blank` never equals anything (String#blank? is ActiveSupport's, which Jekyll does
// not load), `empty` equals an empty string, array or hash, == compares as Ruby's ==, and < > <= >=
// compare numbers with numbers, strings with strings and Times with Times, are false when either
// side is nil, an array, a hash or a boolean, and raise for mixed types ("comparison of String
// with 1 failed"), which fails the post in Jekyll.
import { defaultOperators, Tokenizer, toValue, type Liquid } from "liquidjs";
import { RubyTime } from "./ruby-time.js";
import { compareStrings, isHash, numericValue, rubyEquals, rubyInspect, rubyToS } from "./ruby-value.js";

type Operator = (left: unknown, right: unknown) => boolean;

// liquidjs's `blank` and `empty` are one literal object each; reading the literals finds them.
function literal(name: string): unknown {
  const token = new Tokenizer(name).readValue();
  return token && "content" in token ? token.content : undefined;
}

const BLANK = literal("blank");
const EMPTY = literal("empty");

// Condition#equal_variables; undefined stands for Ruby's nil answer (a method the value lacks).
function equalVariables(left: unknown, right: unknown): boolean | undefined {
  if (left === BLANK || right === BLANK) return undefined;
  if (left === EMPTY || right === EMPTY) {
    const other: unknown = toValue(left === EMPTY ? right : left);
    if (typeof other === "string" || Array.isArray(other)) return other.length === 0;
    if (isHash(other)) return Object.keys(other).length === 0;
    return undefined;
  }
  return rubyEquals(toValue(left), toValue(right));
}

type Kind = "number" | "string" | "time" | undefined;

function kindOf(value: unknown): Kind {
  if (numericValue(value) !== undefined) return "number";
  if (typeof value === "string") return "string";
  if (value instanceof RubyTime) return "time";
  return undefined;
}

const RUBY_CLASS: Readonly<Record<string, string>> = { number: "Integer", string: "String", time: "Time" };

function ordering(test: (order: number) => boolean): Operator {
  return (leftOperand, rightOperand) => {
    const left: unknown = toValue(leftOperand);
    const right: unknown = toValue(rightOperand);
    const leftKind = kindOf(left);
    const rightKind = kindOf(right);
    if (leftKind === undefined || rightKind === undefined) return false;
    if (leftKind !== rightKind) throw new Error(`comparison of ${RUBY_CLASS[leftKind] ?? leftKind} with ${rubyInspect(right)} failed`);
    if (leftKind === "number") return test(Math.sign((numericValue(left) ?? 0) - (numericValue(right) ?? 0)));
    if (leftKind === "string") return test(compareStrings(left as string, right as string));
    return test(Math.sign((left as RubyTime).epochMilliseconds - (right as RubyTime).epochMilliseconds));
  };
}

/** The operators for the engine: `and` and `or` stay liquidjs's; `not` goes (Liquid has no such operator). */
export function rubyOperators(): NonNullable<ConstructorParameters<typeof Liquid>[0]>["operators"] {
  const liquidjsOperators: Record<string, unknown> = { ...defaultOperators };
  delete liquidjsOperators.not;
  return {
    ...(liquidjsOperators as typeof defaultOperators),
    "==": (left: unknown, right: unknown) => equalVariables(left, right) === true,
    "!=": (left: unknown, right: unknown) => equalVariables(left, right) !== true,
    "<>": (left: unknown, right: unknown) => equalVariables(left, right) !== true,
    // String#include? (of the right side's to_s), Array#include? (by ==), Hash#key?
    contains: (leftOperand: unknown, rightOperand: unknown) => {
      const left: unknown = toValue(leftOperand);
      const right: unknown = toValue(rightOperand);
      if (left === undefined || left === null || left === false || right === undefined || right === null || right === false) return false;
      if (typeof left === "string") return left.includes(rubyToS(right));
      if (Array.isArray(left)) return left.some((item) => rubyEquals(toValue(item), right));
      if (isHash(left)) return typeof right === "string" && Object.hasOwn(left, right);
      return false;
    },
    "<": ordering((order) => order < 0),
    ">": ordering((order) => order > 0),
    "<=": ordering((order) => order <= 0),
    ">=": ordering((order) => order >= 0),
  };
}
