// A front-matter `date:` as Jekyll 4.3 reads it, from the value the YAML layer produced:
// Document#merge_date! calls Utils.parse_date(data["date"].to_s), which is
// Time.parse(text).localtime with ENV["TZ"] set from _config.yml's `timezone`.
//
// So the value is first turned into the text Ruby's #to_s gives (a Psych Time prints as
// "2014-06-05 10:00:00 +0900"; a number prints its digits), and that text is read by Time.parse
// (ruby-time.ts). Document#read then merges data twice more (populate_categories and
// populate_tags call merge_data!), and each merge parses `date.to_s` again: the local time,
// printed without its fraction of a second and with the offset's seconds cut off. A post's date
// therefore has whole seconds, and before standard time (an LMT offset such as +09:18:59) it moves
// by those cut-off seconds on each pass. This is the rule for a Jekyll site; a plain posts folder
// keeps the documented forms of dates.ts.
import { DATE_FORMAT_HINT, DateFormatError } from "./dates.js";
import { PsychTime } from "./psych-timestamp.js";
import { readRubyTime, rubyTimeToDate, rubyTimeToS, utcOffsetAt, type RubyTime } from "./ruby-time.js";

/**
 * The instant Jekyll gives a post whose front matter has `date: <value>`, in a site whose
 * `timezone` is `timezone` (IANA). `value` is what parseYamlSource(…, { timeTags: PSYCH_TIME_TAGS })
 * produced: a PsychTime for a plain timestamp, a string (quoted, or a plain date-only value), a
 * number, a boolean or null. Throws DateFormatError where Jekyll refuses the date, and where the
 * date would depend on the day the site is built.
 */
export function jekyllPostDate(value: unknown, timezone: string): Date {
  if (value === null || value === undefined) {
    throw new DateFormatError(`is empty, and Jekyll stops the build on an empty date; remove the line to use the date in the file name, or ${DATE_FORMAT_HINT}`);
  }
  let date = readRubyTime(rubyToS(value, timezone), timezone);
  // populate_categories, then populate_tags: merge_data! → merge_date! → parse_date(date.to_s)
  for (let pass = 0; pass < 2; pass += 1) date = readRubyTime(localTimeToS(date, timezone), timezone);
  return rubyTimeToDate(date);
}

/** Time#to_s of `time.localtime` (what Utils.parse_date returns). */
function localTimeToS(time: RubyTime, timezone: string): string {
  return rubyTimeToS(time.epochSeconds, utcOffsetAt(timezone, time.epochSeconds));
}

/** `value.to_s` for a value the YAML layer produced, as Ruby prints the object Psych produced. */
export function rubyToS(value: unknown, timezone: string): string {
  if (typeof value === "string") return value;
  if (value instanceof Date) {
    const milliseconds = value.getTime();
    if (Number.isNaN(milliseconds)) throw new DateFormatError(`is not a valid date; ${DATE_FORMAT_HINT}`);
    const seconds = Math.floor(milliseconds / 1000);
    const display = value instanceof PsychTime ? value.display : "UTC";
    if (display === "UTC") return rubyTimeToS(seconds, "UTC");
    if (display === "local") return rubyTimeToS(seconds, utcOffsetAt(timezone, seconds));
    return rubyTimeToS(seconds, display.utcOffset);
  }
  if (typeof value === "number") return rubyNumberToS(value);
  if (typeof value === "boolean") return String(value);
  // Ruby would print a list or a mapping as its #inspect text; nobody means that as a date.
  throw new DateFormatError(`must be a date, not ${Array.isArray(value) ? "a list" : "a mapping"}; ${DATE_FORMAT_HINT}`);
}

/**
 * Integer#to_s for a whole number, Float#to_s otherwise (flo_to_s: fixed notation for exponents
 * from -4 to 16, else "1.0e-05"). The YAML layer does not tell a float written as 20140605.0
 * from an integer, so that one prints as Ruby's Integer would.
 */
export function rubyNumberToS(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (Number.isInteger(value)) return BigInt(value).toString();
  const [mantissa = "0", exponentText = "0"] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const decimalPoint = Number(exponentText) + 1;
  const sign = value < 0 ? "-" : "";
  if (decimalPoint > 0 && decimalPoint <= 16) {
    const whole = digits.slice(0, decimalPoint).padEnd(decimalPoint, "0");
    const fraction = digits.slice(decimalPoint);
    return `${sign}${whole}.${fraction === "" ? "0" : fraction}`;
  }
  if (decimalPoint <= 0 && decimalPoint > -4) return `${sign}0.${"0".repeat(-decimalPoint)}${digits}`;
  const exponent = decimalPoint - 1;
  const exponentDigits = String(Math.abs(exponent)).padStart(2, "0");
  return `${sign}${digits[0] ?? "0"}.${digits.slice(1) || "0"}e${exponent < 0 ? "-" : "+"}${exponentDigits}`;
}
