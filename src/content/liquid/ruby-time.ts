// Ruby's Time as Jekyll's Liquid sees it: `page.date`, `site.time` and the dates filters format.
//
// Jekyll parses every date with Time.parse(...).localtime (utils.rb parse_date) after setting TZ
// to the site's `timezone`, so a post's date prints in the site's zone: "2024-01-07 09:05:03 +0900".
// A Time that Time.parse read with an explicit offset keeps that offset; one read with "Z" or
// "UTC" is a UTC time and prints "UTC". Liquid's `date` filter formats a Time in its own zone
// (standardfilters.rb date -> Time#strftime); Jekyll's date_to_* filters move it to the site's
// zone first (filters/date_filters.rb time -> #localtime).
import { DateTime } from "luxon";

const MILLISECONDS_PER_DAY = 86_400_000;

/** The fields of a time in its own zone, as Ruby's struct vtm has them. */
export interface BrokenDownTime {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  /** 0 = Sunday, as Ruby's wday */
  readonly weekday: number;
  /** 1..366 */
  readonly yearDay: number;
}

/**
 * A Ruby Time: an instant, the UTC offset it is shown in, and the zone name %Z prints. It is not
 * a liquidjs Drop on purpose: liquidjs unwraps a Drop with valueOf() before filters see it, and
 * filters such as `append` must see the Time to print it as Ruby does (toString).
 */
export class RubyTime {
  readonly #epochMilliseconds: number;
  readonly #offsetSeconds: number;
  /** "UTC" for a UTC time, the IANA zone of a local time, undefined for a fixed offset (%Z prints "") */
  readonly #zone: string | undefined;
  readonly #utc: boolean;
  /** the zone's abbreviation, found on first use (only %Z needs it, and finding it is slow) */
  #abbreviation: string | undefined;

  private constructor(epochMilliseconds: number, offsetSeconds: number, zone: string | undefined, utc: boolean) {
    this.#epochMilliseconds = epochMilliseconds;
    this.#offsetSeconds = offsetSeconds;
    this.#zone = zone;
    this.#utc = utc;
  }

  /** Time#localtime in an IANA zone (Jekyll sets TZ from the site's `timezone`). */
  static local(epochMilliseconds: number, timezone: string): RubyTime {
    const zoned = DateTime.fromMillis(epochMilliseconds, { zone: timezone });
    // An unknown TZ makes the C library use UTC, with the zone's name as the abbreviation.
    if (!zoned.isValid) return new RubyTime(epochMilliseconds, 0, "UTC", false);
    return new RubyTime(epochMilliseconds, zoned.offset * 60, timezone, false);
  }

  /** Time.utc / Time#utc */
  static utc(epochMilliseconds: number): RubyTime {
    return new RubyTime(epochMilliseconds, 0, "UTC", true);
  }

  /** A Time with a fixed UTC offset, as Time.parse returns for "…+05:30". */
  static fixedOffset(epochMilliseconds: number, offsetSeconds: number): RubyTime {
    return new RubyTime(epochMilliseconds, offsetSeconds, undefined, false);
  }

  get epochMilliseconds(): number {
    return this.#epochMilliseconds;
  }

  get offsetSeconds(): number {
    return this.#offsetSeconds;
  }

  /** What %Z prints: "UTC", the local zone's abbreviation ("JST"), or undefined for a fixed offset. */
  get zone(): string | undefined {
    if (this.#zone === undefined || this.#zone === "UTC") return this.#zone;
    this.#abbreviation ??= zoneAbbreviation(this.#epochMilliseconds, this.#zone);
    return this.#abbreviation;
  }

  get isUtc(): boolean {
    return this.#utc;
  }

  fields(): BrokenDownTime {
    const shifted = new Date(this.#epochMilliseconds + this.#offsetSeconds * 1000);
    const year = shifted.getUTCFullYear();
    return {
      year,
      month: shifted.getUTCMonth() + 1,
      day: shifted.getUTCDate(),
      hour: shifted.getUTCHours(),
      minute: shifted.getUTCMinutes(),
      second: shifted.getUTCSeconds(),
      millisecond: shifted.getUTCMilliseconds(),
      weekday: shifted.getUTCDay(),
      yearDay: Math.floor((shifted.getTime() - utcStartOfYear(year)) / MILLISECONDS_PER_DAY) + 1,
    };
  }

  /** Time#to_s: "2024-01-07 09:05:03 +0900", or "… UTC" for a UTC time. */
  toString(): string {
    return rubyStrftime(this, this.#utc ? "%Y-%m-%d %H:%M:%S UTC" : "%Y-%m-%d %H:%M:%S %z");
  }

  /** Time#inspect: to_s with the fraction of a second when there is one ("09:05:03.5 +0900"). */
  inspect(): string {
    const millisecond = this.fields().millisecond;
    if (millisecond === 0) return this.toString();
    const fraction = String(millisecond).padStart(3, "0").replace(/0+$/, "");
    return rubyStrftime(this, `%Y-%m-%d %H:%M:%S.${fraction} ${this.#utc ? "UTC" : "%z"}`);
  }

  /** Time#xmlschema: "2024-01-07T09:05:03+09:00", "Z" for a UTC time. */
  xmlschema(): string {
    return rubyStrftime(this, this.#utc ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%dT%H:%M:%S%:z");
  }

  /** Time#rfc822: "Sun, 07 Jan 2024 09:05:03 +0900"; a UTC time says "-0000" (RFC 2822: zone unknown). */
  rfc822(): string {
    return rubyStrftime(this, this.#utc ? "%a, %d %b %Y %H:%M:%S -0000" : "%a, %d %b %Y %H:%M:%S %z");
  }

  /** Liquid compares with <, >, == through these (liquidjs's Comparable); Ruby's Time#<=> compares instants. */
  valueOf(): number {
    return this.#epochMilliseconds;
  }

  equals(other: unknown): boolean {
    return other instanceof RubyTime && other.#epochMilliseconds === this.#epochMilliseconds;
  }

  gt(other: unknown): boolean {
    return other instanceof RubyTime && this.#epochMilliseconds > other.#epochMilliseconds;
  }

  geq(other: unknown): boolean {
    return other instanceof RubyTime && this.#epochMilliseconds >= other.#epochMilliseconds;
  }

  lt(other: unknown): boolean {
    return other instanceof RubyTime && this.#epochMilliseconds < other.#epochMilliseconds;
  }

  leq(other: unknown): boolean {
    return other instanceof RubyTime && this.#epochMilliseconds <= other.#epochMilliseconds;
  }
}

// Not Date.UTC, which reads the years 0..99 as 1900..1999.
function utcStartOfYear(year: number): number {
  return utcDate(year, 1, 1).getTime();
}

function utcDate(year: number, month: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date;
}

const abbreviationFormats = new Map<string, readonly Intl.DateTimeFormat[]>();

// Ruby prints the tz database's abbreviation ("JST", "CET", "+08"). Intl has no such table: it
// names a zone in a locale's words and says "GMT+9" where the locale has none. Asking the
// locales whose people use these abbreviations finds most of them (JST, KST, IST, AEST, CET,
// BST…); a zone none of them names gets the tz database's numeric form ("+08", "+0530"). Old
// dates can still differ (Intl says "GMT-5" for New York in 1968, Ruby "EST").
const ABBREVIATION_LOCALES = ["en-US", "en-GB", "en-AU", "en-IN", "en-NZ", "ja-JP", "id-ID"];

function zoneAbbreviation(epochMilliseconds: number, timezone: string): string {
  let formats = abbreviationFormats.get(timezone);
  if (!formats) {
    formats = ABBREVIATION_LOCALES.map((locale) => new Intl.DateTimeFormat(locale, { timeZone: timezone, timeZoneName: "short" }));
    abbreviationFormats.set(timezone, formats);
  }
  let numeric = timezone;
  for (const format of formats) {
    const name = format.formatToParts(epochMilliseconds).find((part) => part.type === "timeZoneName")?.value ?? "";
    if (/^[A-Z]{2,5}$/.test(name)) return name;
    const gmt = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(name);
    if (gmt && numeric === timezone) numeric = `${gmt[1]}${(gmt[2] ?? "").padStart(2, "0")}${gmt[3] ?? ""}`;
  }
  return numeric;
}

// ---------------------------------------------------------------------------------------------
// Time#strftime, ported from Ruby 3.1's strftime.c (rb_strftime_with_timespec)

const SHORT_DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

// The conversions strftime.c expands by formatting another pattern (its STRFTIME macro).
const COMPOSITES: Readonly<Record<string, string>> = {
  c: "%a %b %e %H:%M:%S %Y",
  D: "%m/%d/%y",
  F: "%Y-%m-%d",
  r: "%I:%M:%S %p",
  R: "%H:%M",
  T: "%H:%M:%S",
  x: "%m/%d/%y",
  X: "%H:%M:%S",
  v: "%e-%^b-%4Y",
};

/** Thrown where Ruby raises ArgumentError "invalid format": the pattern ends inside a conversion. */
export class StrftimeFormatError extends Error {
  constructor(format: string) {
    super(`invalid format: ${format}`);
    this.name = "StrftimeFormatError";
  }
}

interface Conversion {
  /** "-": no padding */
  left: boolean;
  upper: boolean;
  /** "#": swap case (upper for names, lower for %p and %Z) */
  changeCase: boolean;
  /** "_" -> " ", "0" -> "0", "" when not given */
  padding: string;
  /** the width written in the pattern, or 0 */
  precision: number;
  colons: number;
}

/** Ruby's Time#strftime on `time`, in the zone the time is shown in. */
export function rubyStrftime(time: RubyTime, format: string): string {
  const fields = time.fields();
  let output = "";
  let index = 0;
  while (index < format.length) {
    const char = format[index] ?? "";
    if (char !== "%") {
      output += char;
      index += 1;
      continue;
    }
    const start = index;
    const conversion: Conversion = { left: false, upper: false, changeCase: false, padding: "", precision: 0, colons: 0 };
    index += 1;
    let letter: string | undefined;
    for (;;) {
      const next = format[index];
      if (next === undefined) {
        // strftime.c stops inside the conversion; Time#strftime then raises, except after a
        // modifier or colons, which it copies as unknown text.
        if (conversion.colons > 0) return output + format.slice(start);
        throw new StrftimeFormatError(format);
      }
      index += 1;
      // strftime.c FLAG_FOUND: a flag after the width makes the conversion unknown.
      if ("-^#_".includes(next) && conversion.precision > 0) {
        letter = next;
        break;
      }
      if (next === "-") Object.assign(conversion, { left: true, padding: "", precision: 0 });
      else if (next === "^") conversion.upper = true;
      else if (next === "#") conversion.changeCase = true;
      else if (next === "_") conversion.padding = " ";
      else if (next === ":") conversion.colons += 1;
      else if (next === "0" && conversion.precision === 0) conversion.padding = "0";
      else if (next >= "0" && next <= "9") conversion.precision = conversion.precision * 10 + Number(next);
      else if ((next === "E" && /^[cCxXyY]$/.test(format[index] ?? "")) || (next === "O" && /^[deHkIlmMSuUVwWy]$/.test(format[index] ?? ""))) {
        continue; // locale modifiers that Ruby accepts and ignores
      } else {
        letter = next;
        break;
      }
    }
    const converted = convert(letter, conversion, fields, time);
    output += converted ?? format.slice(start, index);
  }
  return output;
}

function convert(letter: string, conversion: Conversion, fields: BrokenDownTime, time: RubyTime): string | undefined {
  if (conversion.colons > 0 && letter !== "z") return undefined;
  const composite = COMPOSITES[letter];
  if (composite !== undefined) {
    let text = rubyStrftime(time, composite);
    if (conversion.upper) text = text.toUpperCase();
    return conversion.left ? text : padString(text, conversion);
  }
  const hour12 = fields.hour % 12 === 0 ? 12 : fields.hour % 12;
  switch (letter) {
    case "Y": return number(fields.year, conversion, "0", fields.year >= 0 ? 4 : 5);
    case "C": return number(Math.floor(fields.year / 100), conversion, "0", 2);
    case "y": return number(modulo(fields.year, 100), conversion, "0", 2);
    case "m": return number(fields.month, conversion, "0", 2);
    case "d": return number(fields.day, conversion, "0", 2);
    case "e": return number(fields.day, conversion, " ", 2);
    case "j": return number(fields.yearDay, conversion, "0", 3);
    case "H": return number(fields.hour, conversion, "0", 2);
    case "k": return number(fields.hour, conversion, " ", 2);
    case "I": return number(hour12, conversion, "0", 2);
    case "l": return number(hour12, conversion, " ", 2);
    case "M": return number(fields.minute, conversion, "0", 2);
    case "S": return number(fields.second, conversion, "0", 2);
    case "u": return number(fields.weekday === 0 ? 7 : fields.weekday, conversion, "0", 1);
    case "w": return number(fields.weekday, conversion, "0", 1);
    case "U": return number(weekNumber(fields, 0), conversion, "0", 2);
    case "W": return number(weekNumber(fields, 1), conversion, "0", 2);
    case "G": {
      const year = isoWeek(fields).year;
      return number(year, conversion, "0", year >= 0 ? 4 : 5);
    }
    case "g": return number(modulo(isoWeek(fields).year, 100), conversion, "0", 2);
    case "V": return number(isoWeek(fields).week, conversion, "0", 2);
    case "s": return number(Math.floor(time.epochMilliseconds / 1000), conversion, "0", 1);
    case "L": return fraction(fields.millisecond, conversion.precision || 3);
    case "N": return fraction(fields.millisecond, conversion.precision || 9);
    case "a": return name(SHORT_DAYS[fields.weekday] ?? "", conversion, "name");
    case "A": return name(LONG_DAYS[fields.weekday] ?? "", conversion, "name");
    case "b":
    case "h": return name(SHORT_MONTHS[fields.month - 1] ?? "", conversion, "name");
    case "B": return name(LONG_MONTHS[fields.month - 1] ?? "", conversion, "name");
    case "p": return name(fields.hour < 12 ? "AM" : "PM", conversion, "p");
    case "P": return name(fields.hour < 12 ? "AM" : "PM", conversion, "P");
    case "Z": return name(time.zone ?? "", conversion, "Z");
    case "z": return offset(time, conversion);
    case "n": return "\n";
    case "t": return "\t";
    case "%": return padString("%", conversion);
    default: return undefined;
  }
}

function modulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

// strftime.c FMT: printf("%0*d" or "%*d", precision, value); "-" means a precision of 1.
function number(value: number, conversion: Conversion, defaultPadding: string, defaultPrecision: number): string {
  const precision = conversion.left ? 1 : conversion.precision <= 0 ? defaultPrecision : conversion.precision;
  const zeros = conversion.padding === "0" || (conversion.padding === "" && defaultPadding === "0");
  const digits = String(Math.abs(value));
  const sign = value < 0 ? "-" : "";
  if (zeros) return sign + digits.padStart(precision - sign.length, "0");
  return (sign + digits).padStart(precision, " ");
}

// %L and %N: the fraction's digits, truncated or filled with zeros to the width; flags ignored.
function fraction(millisecond: number, width: number): string {
  const digits = String(millisecond).padStart(3, "0");
  return width <= 3 ? digits.slice(0, width) : digits.padEnd(width, "0");
}

// Names (%a %b %p %Z…), with strftime.c's case flags: "^" upper-cases; "#" upper-cases a day or
// month name and lower-cases %p and %Z; %P is lower case unless "^" or "#" is given. Padded with
// spaces (zeros with "0") to the width unless "-".
function name(text: string, conversion: Conversion, kind: "name" | "p" | "P" | "Z"): string {
  let upper = conversion.upper;
  let lower = false;
  if (kind === "name" && conversion.changeCase) upper = true;
  if ((kind === "p" || kind === "Z") && conversion.changeCase) [upper, lower] = [false, true];
  if (kind === "P" && !conversion.changeCase && !conversion.upper) lower = true;
  const value = upper ? text.toUpperCase() : lower ? text.toLowerCase() : text;
  return padString(value, conversion);
}

function padString(text: string, conversion: Conversion): string {
  if (conversion.left || conversion.precision <= text.length) return text;
  return (conversion.padding === "0" ? "0" : " ").repeat(conversion.precision - text.length) + text;
}

// %z, %:z, %::z, %:::z with strftime.c's width and padding rules.
function offset(time: RubyTime, conversion: Conversion): string | undefined {
  const seconds = time.offsetSeconds;
  const negative = seconds < 0 || (time.isUtc && conversion.left);
  const absolute = Math.abs(seconds);
  let precision = conversion.precision;
  switch (conversion.colons) {
    case 0: precision = precision <= 5 ? 2 : precision - 3; break;
    case 1: precision = precision <= 6 ? 2 : precision - 4; break;
    case 2: precision = precision <= 9 ? 2 : precision - 7; break;
    case 3:
      if (absolute % 3600 === 0) precision = precision <= 3 ? 2 : precision - 1;
      else if (absolute % 60 === 0) precision = precision <= 6 ? 2 : precision - 4;
      else precision = precision <= 9 ? 2 : precision - 7;
      break;
    default: return undefined;
  }
  const hours = Math.floor(absolute / 3600);
  const sign = negative ? "-" : "+";
  let text = conversion.padding === " "
    ? `${sign}${hours}`.padStart(precision + 1, " ")
    : sign + String(hours).padStart(precision, "0");
  let rest = absolute % 3600;
  if (conversion.colons === 3 && rest === 0) return text;
  if (conversion.colons >= 1) text += ":";
  text += String(Math.floor(rest / 60)).padStart(2, "0");
  rest %= 60;
  if (conversion.colons === 3 && rest === 0) return text;
  if (conversion.colons >= 2) text += `:${String(rest).padStart(2, "0")}`;
  return text;
}

// strftime.c weeknumber(): weeks starting on Sunday (0) or Monday (1); days before the first
// such day are week 0.
function weekNumber(fields: BrokenDownTime, firstWeekday: number): number {
  let weekday = fields.weekday;
  if (firstWeekday === 1) weekday = weekday === 0 ? 6 : weekday - 1;
  return Math.max(0, Math.floor((fields.yearDay - 1 + 7 - weekday) / 7));
}

function isoWeek(fields: BrokenDownTime): { year: number; week: number } {
  const weekday = fields.weekday === 0 ? 7 : fields.weekday;
  const thursday = utcDate(fields.year, fields.month, fields.day + 4 - weekday); // the Thursday of this ISO week
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - utcStartOfYear(year)) / MILLISECONDS_PER_DAY / 7) + 1;
  return { year, week };
}

// ---------------------------------------------------------------------------------------------
// Time.parse, for the strings that reach the date filters

const MONTH_NUMBERS: Readonly<Record<string, number>> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

// The zone names Time.parse knows that appear in dates people write (RFC 822's list); the
// ones Ruby treats as UTC (time.rb zone_utc?) make a UTC time, the others a fixed offset.
const NAMED_ZONES: Readonly<Record<string, { offsetMinutes: number; utc: boolean }>> = {
  z: { offsetMinutes: 0, utc: true }, utc: { offsetMinutes: 0, utc: true }, ut: { offsetMinutes: 0, utc: true },
  gmt: { offsetMinutes: 0, utc: false },
  est: { offsetMinutes: -300, utc: false }, edt: { offsetMinutes: -240, utc: false },
  cst: { offsetMinutes: -360, utc: false }, cdt: { offsetMinutes: -300, utc: false },
  mst: { offsetMinutes: -420, utc: false }, mdt: { offsetMinutes: -360, utc: false },
  pst: { offsetMinutes: -480, utc: false }, pdt: { offsetMinutes: -420, utc: false },
};

const TIME_OF_DAY = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(?:([ap])\.?m\.?\b)?`;
const ZONE = String.raw`(z|utc|ut|gmt|[ecmp][sd]t|[+-]\d{1,2}(?::?\d{2})?)`;
const ISO_DATE = new RegExp(String.raw`^\s*(?:[a-z]+,?\s+)?(-?\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:(?:t|\s+)${TIME_OF_DAY})?\s*${ZONE}?\s*$`, "i");
const COMPACT_DATE = /^\s*(\d{4})(\d{2})(\d{2})\s*$/;
// "5 Jan 2024", "Sun, 07 Jan 2024 09:05:03 +0900"
const DAY_MONTH_YEAR = new RegExp(String.raw`^\s*(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,})\.?,?\s+(-?\d{4})(?:\s+${TIME_OF_DAY})?\s*${ZONE}?\s*$`, "i");
// "Jan 5, 2024", "Tue Jan 9 2024 10:00", "January 5"
const MONTH_DAY_YEAR = new RegExp(String.raw`^\s*(?:[a-z]+,?\s+)?([a-z]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(-?\d{4}))?(?:\s+${TIME_OF_DAY})?\s*${ZONE}?\s*$`, "i");
const TIME_ONLY = new RegExp(String.raw`^\s*${TIME_OF_DAY}\s*${ZONE}?\s*$`, "i");

interface ParsedParts {
  year: number | undefined;
  month: number | undefined;
  day: number | undefined;
  hour: string | undefined;
  minute: string | undefined;
  second: string | undefined;
  fraction: string | undefined;
  meridian: string | undefined;
  zone: string | undefined;
}

/**
 * Time.parse(text) for the forms people write in front matter and templates: ISO 8601 and
 * "2024/01/05" dates with an optional time and zone, "5 Jan 2024", "Jan 5, 2024", RFC 2822,
 * "20240105" and a time of day alone. Parts the text leaves out come from `now`, as in Ruby;
 * a text without a zone is read in `timezone`. Returns undefined where Ruby raises (Ruby's
 * Date._parse guesses at many more forms; those come back undefined here too).
 */
export function parseRubyTime(text: string, timezone: string, now: RubyTime): RubyTime | undefined {
  const parts = matchDate(text);
  if (!parts) return undefined;
  const today = now.fields();
  const year = parts.year ?? today.year;
  const month = parts.month ?? (parts.day === undefined ? today.month : 1);
  const day = parts.day ?? today.day;
  let hour = Number(parts.hour ?? 0);
  if (parts.meridian !== undefined) hour = (hour % 12) + (parts.meridian.toLowerCase() === "p" ? 12 : 0);
  const fields = {
    year, month, day, hour,
    minute: Number(parts.minute ?? 0),
    second: Number(parts.second ?? 0),
    millisecond: parts.fraction === undefined ? 0 : Math.floor(Number(`0.${parts.fraction}`) * 1000),
  };
  if (month < 1 || month > 12 || day < 1 || day > 31 || fields.hour > 24 || fields.minute > 59 || fields.second > 60) return undefined;
  const zone = parts.zone === undefined ? undefined : zoneOffset(parts.zone);
  // Ruby's Time.local rolls a day past the month's end over into the next month (2023-02-29 is
  // March 1st), so the day is added to the first of the month rather than set.
  const firstOfMonth = { ...fields, day: 1 };
  if (zone === undefined) {
    const local = DateTime.fromObject(firstOfMonth, { zone: timezone }).plus({ days: day - 1 });
    return local.isValid ? RubyTime.local(local.toMillis(), timezone) : undefined;
  }
  const offsetName = `UTC${zone.offsetMinutes >= 0 ? "+" : "-"}${Math.floor(Math.abs(zone.offsetMinutes) / 60)}:${String(Math.abs(zone.offsetMinutes) % 60).padStart(2, "0")}`;
  const fixed = DateTime.fromObject(firstOfMonth, { zone: offsetName }).plus({ days: day - 1 });
  if (!fixed.isValid) return undefined;
  if (zone.utc) return RubyTime.utc(fixed.toMillis());
  // time.rb force_zone!: the local zone is preferred when its offset is the one written.
  const local = RubyTime.local(fixed.toMillis(), timezone);
  return local.offsetSeconds === zone.offsetMinutes * 60 ? local : RubyTime.fixedOffset(fixed.toMillis(), zone.offsetMinutes * 60);
}

function matchDate(text: string): ParsedParts | undefined {
  const time = (match: RegExpExecArray, from: number): Omit<ParsedParts, "year" | "month" | "day"> => ({
    hour: match[from], minute: match[from + 1], second: match[from + 2], fraction: match[from + 3], meridian: match[from + 4], zone: match[from + 5],
  });
  let match = ISO_DATE.exec(text);
  if (match) return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]), ...time(match, 4) };
  match = COMPACT_DATE.exec(text);
  if (match) return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]), hour: undefined, minute: undefined, second: undefined, fraction: undefined, meridian: undefined, zone: undefined };
  match = DAY_MONTH_YEAR.exec(text);
  if (match) {
    const month = monthNumber(match[2]);
    return month === undefined ? undefined : { year: Number(match[3]), month, day: Number(match[1]), ...time(match, 4) };
  }
  match = MONTH_DAY_YEAR.exec(text);
  if (match) {
    const month = monthNumber(match[1]);
    return month === undefined ? undefined : { year: match[3] === undefined ? undefined : Number(match[3]), month, day: Number(match[2]), ...time(match, 4) };
  }
  match = TIME_ONLY.exec(text);
  if (match) return { year: undefined, month: undefined, day: undefined, ...time(match, 1) };
  return undefined;
}

function monthNumber(text: string | undefined): number | undefined {
  return MONTH_NUMBERS[(text ?? "").slice(0, 3).toLowerCase()];
}

function zoneOffset(text: string): { offsetMinutes: number; utc: boolean } | undefined {
  const named = NAMED_ZONES[text.toLowerCase()];
  if (named) return named;
  const numeric = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(text);
  if (!numeric) return undefined;
  const minutes = Number(numeric[2]) * 60 + Number(numeric[3] ?? 0);
  // "-00:00" means "zone unknown", which Ruby reads as UTC (time.rb zone_utc?).
  if (minutes === 0 && numeric[1] === "-") return { offsetMinutes: 0, utc: true };
  return { offsetMinutes: numeric[1] === "-" ? -minutes : minutes, utc: false };
}
