// What Psych, Ruby's YAML parser, makes of a plain (unquoted) scalar that looks like a timestamp,
// ported from Psych::ScalarScanner#tokenize and #parse_time (psych/scalar_scanner.rb, Ruby 3.1).
// Jekyll reads front matter with Psych.safe_load(yaml, permitted_classes: [Date, Time]), so
//
//   date: 2024-12-24 17:00:00          is a Time at 17:00 UTC (not in the site's zone),
//   date: 2024-12-24 17:00:00 -0800    is a Time at that offset,
//   date: 2024-12-24                   is a Date,
//   date: "2024-12-24 17:00:00"        stays a string, read later in the site's zone.
//
// Jekyll then turns the value into text (Document#merge_date!: `data["date"].to_s`) and parses
// that with Time.parse (ruby-time.ts). Time#to_s drops fractions of a second and prints the
// offset without its seconds; jekyllPostDate (jekyll-post-date.ts) does the same.
import { RubyError } from "./ruby-error.js";
import { decimalFractionOf } from "./ruby-date-parse.js";
import { rubyTimeUtc } from "./ruby-time.js";
import { rubyRegExp } from "./ruby-regexp.js";

/** ScalarScanner::TIME, "taken from http://yaml.org/type/timestamp.html". */
export const PSYCH_TIME_PATTERN = rubyRegExp("\\A-?\\d{4}-\\d{1,2}-\\d{1,2}(?:[Tt]|\\s+)\\d{1,2}:\\d\\d:\\d\\d(?:\\.\\d*)?(?:\\s*(?:Z|[-+]\\d{1,2}:?(?:\\d\\d)?))?\\z");

/** The date-only pattern of ScalarScanner#tokenize, read with Date.strptime(string, "%Y-%m-%d"). */
const PSYCH_DATE_PATTERN = rubyRegExp("\\A\\d{4}-(?:1[012]|0\\d|\\d)-(?:[12]\\d|3[01]|0\\d|\\d)\\z");

/** How the Time that Psych builds prints itself (Time#to_s): in UTC, in ENV["TZ"], or at its offset. */
export type PsychTimeDisplay = "UTC" | "local" | { readonly utcOffset: number };

export type PsychTimestamp =
  /** A Ruby Time: the instant (milliseconds, the sub-millisecond part dropped) and how it prints. */
  | { readonly kind: "time"; readonly epochMilliseconds: number; readonly display: PsychTimeDisplay }
  /** A Ruby Date; Date#to_s gives `text` (YYYY-MM-DD), which Jekyll reads at midnight in ENV["TZ"]. */
  | { readonly kind: "date"; readonly text: string }
  /** Psych gives up on the timestamp (an ArgumentError) and keeps the text as a string. */
  | { readonly kind: "string" }
  /** Psych fails with another exception and the whole front matter cannot be read. */
  | { readonly kind: "error"; readonly message: string };

/**
 * What Psych makes of a plain scalar's text, or undefined when the text is not a timestamp or a
 * date (then Psych's other rules apply: strings, numbers, booleans).
 */
export function psychTimestamp(plain: string): PsychTimestamp | undefined {
  // tokenize: text with a line break is always a string; the timestamp pattern comes before the date.
  if (plain.includes("\n")) return undefined;
  if (PSYCH_TIME_PATTERN.test(plain)) {
    try {
      return parseTime(plain);
    } catch (error) {
      if (error instanceof RubyError && error.rubyClass === "ArgumentError") return { kind: "string" };
      if (error instanceof RubyError) return { kind: "error", message: error.message };
      throw error;
    }
  }
  if (PSYCH_DATE_PATTERN.test(plain)) return psychDate(plain);
  return undefined;
}

/**
 * Date.strptime(text, "%Y-%m-%d"), or a string when the date does not exist. (Date's calendar is
 * Julian before October 1582, so a few old dates differ in which of the two they are; the text
 * Jekyll parses is the same either way.)
 */
function psychDate(text: string): PsychTimestamp {
  const [year = 0, month = 0, day = 0] = text.split("-").map(Number);
  const valid = month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(2000, month, 0)).getUTCDate() && !(month === 2 && day === 29 && !isLeapYear(year));
  if (!valid) return { kind: "string" };
  return { kind: "date", text: `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}` };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DATE_PART = /^(-?\d{4})-(\d{1,2})-(\d{1,2})/;
const TIME_PART = /(\d+:\d+:\d+)(?:\.(\d*))?[\t\n\v\f\r ]*(Z|[-+]\d+(:\d\d)?)?/;
const OFFSET_PART = /^([+-]?\d{1,2}):?(\d{1,2})?$/;

/** ScalarScanner#parse_time. */
function parseTime(text: string): PsychTimestamp {
  // `date, time = *(string.split(/[ tT]/, 2))`: a tab between date and time leaves `time` nil.
  const separator = /[ tT]/.exec(text);
  const datePart = separator ? text.slice(0, separator.index) : text;
  const timePart = separator ? text.slice(separator.index + 1) : undefined;
  const date = DATE_PART.exec(datePart);
  const time = timePart === undefined ? null : TIME_PART.exec(timePart);
  if (!date || !time) throw new RubyError("NoMethodError", "undefined method `match' for nil:NilClass (Psych cannot read a timestamp whose date and time are separated by a tab)");
  const [year = 0, month = 0, day = 0] = date.slice(1, 4).map(Number);
  const [hour = 0, minute = 0, second = 0] = (time[1] ?? "").split(":").map(Number);
  const fraction = time[2] === undefined ? undefined : decimalFractionOf(time[2]);
  const fractionMs = fraction === undefined ? 0 : Number((fraction.numerator * 1000n) / fraction.denominator);

  // `klass.utc(yy, m, dd, hh, mm, ss, us)` checks the fields for every form.
  const utcSeconds = rubyTimeUtc(year, month, day, hour, minute, second);
  const zone = time[3];
  if (zone === "Z") return { kind: "time", epochMilliseconds: utcSeconds * 1000 + fractionMs, display: "UTC" };
  if (zone === undefined) return { kind: "time", epochMilliseconds: utcSeconds * 1000 + fractionMs, display: "local" };

  // `-00:30` is +00:30 here: the minutes take the sign of the hours, and -00 has none.
  const offset = OFFSET_PART.exec(zone);
  if (!offset) throw new RubyError("NoMethodError", "undefined method `[]' for nil:NilClass");
  const [, hoursText = "0", minutesText] = offset;
  const hours = Number(hoursText);
  const minutes = minutesText === undefined ? 0 : Number(minutesText);
  let utcOffset = hours * 3600;
  utcOffset += utcOffset < 0 ? -minutes * 60 : minutes * 60;
  // Time.new(..., offset) refuses an offset of a day or more.
  if (utcOffset <= -86400 || utcOffset >= 86400) throw new RubyError("ArgumentError", "utc_offset out of range");
  return { kind: "time", epochMilliseconds: (utcSeconds - utcOffset) * 1000 + fractionMs, display: { utcOffset } };
}

/**
 * A JavaScript Date for the Time that Psych builds, remembering how that Time prints itself
 * (Time#to_s), which is the text Jekyll parses again: the YAML layer (yaml-source.ts, with
 * psych-yaml-tags.ts) gives one for every plain timestamp. A structured clone (a worker thread's
 * message) keeps the Date and loses `display`; jekyllPostDate then prints it in UTC, which gives
 * the same instant except for a zone-less timestamp in an era whose offset had seconds (LMT).
 */
export class PsychTime extends Date {
  readonly display: PsychTimeDisplay;
  constructor(epochMilliseconds: number, display: PsychTimeDisplay) {
    super(epochMilliseconds);
    this.display = display;
  }
}

// ScalarScanner#tokenize's base-60 numbers: one or two ":xx" groups only, each weighted
// `60 ** (e - 2).abs` from the left, so "12:00" is 12 hours (43200), not 12 minutes (720) as
// in YAML 1.1, and "-1:30" is -3600 + 1800. Jekyll would print and parse that number as a date.
const PSYCH_BASE60_INTEGER = rubyRegExp("\\A[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}\\z");
const PSYCH_BASE60_FLOAT = rubyRegExp("\\A[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}\\.[0-9_]*\\z");

/** What Psych makes of a plain scalar in base 60 ("12:00"), or undefined when it is not one. */
export function psychBase60(plain: string): number | undefined {
  const float = PSYCH_BASE60_FLOAT.test(plain);
  if (!float && !PSYCH_BASE60_INTEGER.test(plain)) return undefined;
  // String#to_i and #to_f: leading digits (underscores between them allowed), the rest ignored.
  const part = (text: string): number => Number((/^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?/.exec(text)?.[0] ?? "0").replaceAll("_", "").replace(/\.$/, ""));
  let total = 0;
  plain.split(":").forEach((text, index) => {
    const value = float ? part(text) : Math.trunc(part(text));
    total += value * 60 ** Math.abs(index - 2);
  });
  return total;
}
