// Ruby's Time.parse(text) with ENV["TZ"] set to the site's time zone: what Jekyll does with every
// front-matter date (Jekyll::Utils.parse_date, then Time#localtime, which keeps the instant).
//
// Time.parse (lib/time.rb, Ruby 3.1) reads the text with Date._parse (ruby-date-parse.ts) and
// builds a Time in make_time:
//  - a field missing from the text comes from the current time, down from the year to the first
//    field the text has ("10:00" is today). Jekyll would give such a post a date that changes with
//    the day the site is built, so parseRubyTime refuses text without a year instead;
//  - the zone is read by Time.zone_offset, which knows numeric offsets ("+0900", "+09:00", "+09"),
//    a short table of names (UTC, GMT, EST, PST, military letters…) and the local zone's own
//    abbreviations; any other zone is ignored and the time read in the site's zone ("JST" with a
//    UTC site is UTC; "+9" is not an offset Time.parse reads);
//  - the date and time fields are then checked as Time.utc / Time.local check them (time.c
//    time_arg): February 30 is March 2, April 31 is May 1, 24:00:00 is the next day, second 60 the
//    next minute, while day 32, month 13, hour 25 or minute 60 are refused;
//  - a local time that does not exist (a DST gap) is read with the offset before the gap, and one
//    that exists twice (the hour DST ends) as the later one (time.c find_time_t).
import { DATE_FORMAT_HINT, DateFormatError } from "./dates.js";
import { num2int, RubyError } from "./ruby-error.js";
import { rubyDateParseForTime, type RubyRational } from "./ruby-date-parse.js";
import { isValidTimeZone, systemTimeZone, type SystemTimeZone } from "./system-time-zone.js";

/** A Ruby Time: whole seconds since the epoch, the fraction of a second, and the offset it shows. */
export interface RubyTime {
  readonly epochSeconds: number;
  /** in [0, 1); undefined for a whole second */
  readonly fraction: RubyRational | undefined;
  /** seconds east of UTC in which the Time presents itself (Time#utc_offset) */
  readonly utcOffset: number;
}

/** Thrown by rubyTimeParse when the text has no year and no `now` was given. */
export class MissingYearError extends Error {
  constructor(text: string) {
    super(`${JSON.stringify(text)} has no year`);
    this.name = "MissingYearError";
  }
}

/** Thrown when Ruby would accept the time but a JavaScript Date cannot hold it (beyond ±275,760 years). */
export class UnrepresentableTimeError extends Error {
  readonly year: number;
  constructor(year: number) {
    super(`year ${year} is outside the range of a JavaScript Date`);
    this.name = "UnrepresentableTimeError";
    this.year = year;
  }
}

/**
 * Ruby's `Time.parse(text)` with `ENV["TZ"] = timezone`, as the instant Jekyll gives a post.
 * Throws DateFormatError, saying what is wrong and what to write, where Ruby raises, where the
 * result would depend on the day the site is built (no year), and beyond a Date's range.
 */
export function parseRubyTime(text: string, timezone: string): Date {
  return rubyTimeToDate(readRubyTime(text, timezone));
}

/** parseRubyTime's Ruby Time: the exact fraction of a second, and the offset it shows. */
export function readRubyTime(text: string, timezone: string): RubyTime {
  requireZone(timezone);
  try {
    return rubyTimeParse(text, timezone);
  } catch (error) {
    throw dateFormatError(text, timezone, error);
  }
}

/** The JavaScript Date (millisecond precision, the sub-millisecond part dropped) of a Ruby Time. */
export function rubyTimeToDate(time: RubyTime): Date {
  const fractionMs = time.fraction ? Number((time.fraction.numerator * 1000n) / time.fraction.denominator) : 0;
  return new Date(time.epochSeconds * 1000 + fractionMs);
}

/**
 * Time.parse(text, now) in `timezone`, exactly: throws RubyError where Ruby raises, and
 * MissingYearError when the text has no year and `now` is not given.
 */
export function rubyTimeParse(text: string, timezone: string, now?: Date): RubyTime {
  const d = rubyDateParseForTime(text);
  const rules = zoneRules(timezone);
  const nowSeconds = now === undefined ? undefined : Math.floor(now.getTime() / 1000);
  const nowMilliseconds = now === undefined || nowSeconds === undefined ? 0 : now.getTime() - nowSeconds * 1000;
  return makeTime(text, d.year, d.yday, d.mon, d.mday, d.hour, d.min, d.sec, d.sec_fraction, d.zone, nowSeconds, nowMilliseconds, rules);
}

/** Time.utc(year, mon, day, hour, min, sec) as seconds since the epoch; throws RubyError as Time.utc raises. */
export function rubyTimeUtc(year: number, mon: number, day: number, hour: number, min: number, sec: number): number {
  return wallSeconds(timeArg({ year, mon, day, hour, min, sec }));
}

/** The UTC offset of `timezone` at an instant, in seconds (LMT offsets keep their seconds). */
export function utcOffsetAt(timezone: string, epochSeconds: number): number {
  return zoneRules(timezone).offsetAt(epochSeconds);
}

function two(value: number): string {
  return String(value).padStart(2, "0");
}

/**
 * Time#to_s: "2014-06-05 10:00:00 +0900", or "... UTC" for a UTC time. The offset is printed
 * as %z prints it, without its seconds, so an LMT offset of +09:18:59 shows as +0918.
 */
export function rubyTimeToS(epochSeconds: number, utcOffset: number | "UTC"): string {
  const wall = civilFromSeconds(Math.floor(epochSeconds) + (utcOffset === "UTC" ? 0 : utcOffset));
  const year = `${wall.year < 0 ? "-" : ""}${String(Math.abs(wall.year)).padStart(4, "0")}`;
  const text = `${year}-${two(wall.mon)}-${two(wall.day)} ${two(wall.hour)}:${two(wall.min)}:${two(wall.sec)}`;
  if (utcOffset === "UTC") return `${text} UTC`;
  const magnitude = Math.abs(utcOffset);
  return `${text} ${utcOffset < 0 ? "-" : "+"}${two(Math.floor(magnitude / 3600))}${two(Math.floor((magnitude % 3600) / 60))}`;
}

function requireZone(timezone: string): void {
  if (!isValidTimeZone(timezone)) throw new DateFormatError(`time zone "${timezone}" is not an IANA time zone (such as Asia/Tokyo or UTC)`);
}

// ---------------------------------------------------------------------------------------------
// Errors a reader can act on

/**
 * Two days far apart in every field, on which a text without a year is tried: if Ruby refuses it
 * on both for the same reason, that reason is reported; otherwise its date depends on the clock.
 */
export const REFERENCE_NOWS = [new Date(Date.UTC(2001, 1, 3, 4, 5, 6)), new Date(Date.UTC(2037, 9, 20, 21, 22, 23))] as const;

function dateFormatError(text: string, timezone: string, error: unknown): Error {
  const quoted = JSON.stringify(text);
  if (error instanceof MissingYearError) {
    const problems = REFERENCE_NOWS.map((now) => {
      try {
        rubyTimeParse(text, timezone, now);
        return undefined;
      } catch (problem) {
        return problem;
      }
    });
    const [first, second] = problems;
    // Refused for the same reason on both reference days (month 20 is refused whatever the date): say why.
    if (first instanceof RubyError && second instanceof RubyError && first.message === second.message) return dateFormatError(text, timezone, first);
    return new DateFormatError(
      `${quoted} has no year, so Jekyll would fill in the missing parts from the current date and the post's date would change with the day the site is built; ${DATE_FORMAT_HINT}`,
      { cause: error },
    );
  }
  if (error instanceof UnrepresentableTimeError) {
    return new DateFormatError(`${quoted} is in the year ${error.year}, which Ruby accepts but Feedwright cannot represent (beyond ±275,760); ${DATE_FORMAT_HINT}`, { cause: error });
  }
  if (error instanceof RubyError) return new DateFormatError(`${quoted} is not a date Jekyll accepts (${explain(error)}); ${DATE_FORMAT_HINT}`, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}

const FIELD_RANGES: Readonly<Record<string, string>> = {
  month: "months run from 1 to 12",
  day: "days run from 1 to 31, and a day past the month's end rolls over: February 30 is March 2",
  hour: "hours run from 0 to 24, and 24:00 is midnight of the next day",
  minute: "minutes run from 0 to 59",
  second: "seconds run from 0 to 60",
};

function explain(error: RubyError): string {
  const message = error.message;
  if (message.startsWith("no time information")) return "Ruby's Time.parse finds no date or time in it";
  if (message.startsWith("string length")) return `Ruby's Date._parse reads at most 128 bytes: ${message}`;
  // The field as Time.utc sees it, after the zone's offset is applied.
  if (error.field !== undefined) return `${error.field} is out of range; ${FIELD_RANGES[error.field.split(" ")[0] ?? ""] ?? "Ruby refuses it"}`;
  if (message === "utc_offset out of range") return "the time zone offset is a day or more";
  if (error.rubyClass === "RangeError") return `a number in it is too large: ${message}; Jekyll stops the build with a RangeError`;
  return message;
}

// ---------------------------------------------------------------------------------------------
// Time.zone_offset and Time.zone_utc? (lib/time.rb)

/** Time::ZoneOffset: the only zone names Time.parse knows besides the local zone's, in hours. */
const TIME_ZONE_OFFSETS: Readonly<Record<string, number>> = {
  UTC: 0,
  Z: 0,
  UT: 0,
  GMT: 0,
  EST: -5,
  EDT: -4,
  CST: -6,
  CDT: -5,
  MST: -7,
  MDT: -6,
  PST: -8,
  PDT: -7,
  A: +1,
  B: +2,
  C: +3,
  D: +4,
  E: +5,
  F: +6,
  G: +7,
  H: +8,
  I: +9,
  K: +10,
  L: +11,
  M: +12,
  N: -1,
  O: -2,
  P: -3,
  Q: -4,
  R: -5,
  S: -6,
  T: -7,
  U: -8,
  V: -9,
  W: -10,
  X: -11,
  Y: -12,
};

const NUMERIC_ZONE = /^([+-])(\d\d)(:?)(\d\d)(?:\3(\d\d))?$/;

function zoneOffset(zone: string, year: number, rules: ZoneRules): number | undefined {
  const upper = zone.toUpperCase();
  const numeric = NUMERIC_ZONE.exec(upper);
  if (numeric) {
    const [, sign, hours = "0", , minutes = "0", seconds = "0"] = numeric;
    return (sign === "-" ? -1 : 1) * ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds));
  }
  if (/^[+-]\d\d$/.test(upper)) return Number(upper) * 3600;
  const hours = Object.hasOwn(TIME_ZONE_OFFSETS, upper) ? TIME_ZONE_OFFSETS[upper] : undefined;
  if (hours !== undefined) return hours * 3600;
  // `Time.local(year, 1, 1).zone.upcase == zone`, then July 1 (`rescue false`: a failure is no match).
  for (const month of [1, 7]) {
    const local = rules.localNameAndOffset(year, month);
    if (local && local.name.toUpperCase() === upper) return local.offset;
  }
  return undefined;
}

function isUtcZone(zone: string): boolean {
  return /^(?:-00:00|-0000|-00|UTC|Z|UT)$/i.test(zone);
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic as Time.parse and time.c do it

const LEAP_YEAR_MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const COMMON_YEAR_MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Time.month_days: Ruby array indexing, so month 0 is December and month 13 is nil. */
function monthDays(year: number, month: number): number | undefined {
  const table = isLeapYear(year) ? LEAP_YEAR_MONTH_DAYS : COMMON_YEAR_MONTH_DAYS;
  let index = month - 1;
  if (index < 0) index += table.length;
  return index >= 0 && index < table.length ? table[index] : undefined;
}

/** Integer#divmod: the quotient rounds toward negative infinity. */
function divmod(a: number, b: number): [number, number] {
  const quotient = Math.floor(a / b);
  return [quotient, a - quotient * b];
}

interface Fields {
  year: number;
  mon: number;
  day: number | undefined;
  hour: number;
  min: number;
  sec: number;
}

/**
 * Time.apply_offset: the wall time minus `offset`, carried through seconds, minutes, hours and at
 * most one month boundary. It runs before Time.utc checks the fields, so "2023-02-35 23:00 -0100"
 * becomes 2023-03-01 00:00 UTC, which Time.utc accepts.
 */
function applyOffset(fields: Fields, offset: number): Fields {
  let { year, mon, day, hour, min, sec } = fields;
  let off = offset;
  let o: number;
  if (off < 0) {
    off = -off;
    [off, o] = divmod(off, 60);
    if (o !== 0) {
      sec += o;
      [o, sec] = divmod(sec, 60);
      off += o;
    }
    [off, o] = divmod(off, 60);
    if (o !== 0) {
      min += o;
      [o, min] = divmod(min, 60);
      off += o;
    }
    [off, o] = divmod(off, 24);
    if (o !== 0) {
      hour += o;
      [o, hour] = divmod(hour, 24);
      off += o;
    }
    if (off !== 0) {
      day = (day ?? 0) + off;
      const days = monthDays(year, mon);
      if (days !== undefined && days < day) {
        mon += 1;
        if (12 < mon) {
          mon = 1;
          year += 1;
        }
        day = 1;
      }
    }
  } else if (0 < off) {
    [off, o] = divmod(off, 60);
    if (o !== 0) {
      sec -= o;
      [o, sec] = divmod(sec, 60);
      off -= o;
    }
    [off, o] = divmod(off, 60);
    if (o !== 0) {
      min -= o;
      [o, min] = divmod(min, 60);
      off -= o;
    }
    [off, o] = divmod(off, 24);
    if (o !== 0) {
      hour -= o;
      [o, hour] = divmod(hour, 24);
      off -= o;
    }
    if (off !== 0) {
      day = (day ?? 0) - off;
      if (day < 1) {
        mon -= 1;
        if (mon < 1) {
          year -= 1;
          mon = 12;
        }
        day = monthDays(year, mon);
      }
    }
  }
  return { year, mon, day, hour, min, sec };
}

/** A checked calendar time (time.c time_arg): every field in range, the day within its month. */
interface CheckedFields {
  readonly year: number;
  readonly mon: number;
  readonly mday: number;
  readonly hour: number;
  readonly min: number;
  readonly sec: number;
}

/** obj2ubits: NUM2INT, then the value must fit in `bits` bits. */
function unsignedBits(value: number, bits: number, field: string): number {
  const int = num2int(value);
  if (int < 0 || int >= 2 ** bits) throw new RubyError("ArgumentError", "argument out of range", `${field} ${value}`);
  return int;
}

function outOfRange(name: string, field: string, value: number): RubyError {
  return new RubyError("ArgumentError", `${name} out of range`, `${field} ${value}`);
}

/** time_arg + validate_vtm, for Time.utc and Time.local with seven arguments. */
function timeArg(fields: Fields): CheckedFields {
  const year = fields.year;
  let mon = unsignedBits(fields.mon, 4, "month");
  let mday = fields.day === undefined ? 1 : unsignedBits(fields.day, 5, "day");
  // "normalize month-mday": Feb 30 is Mar 2, Apr 31 is May 1
  if (mon === 2) {
    const february = isLeapYear(year) ? 29 : 28;
    if (mday > february) {
      mday -= february;
      mon += 1;
    }
  } else if ((mon === 4 || mon === 6 || mon === 9 || mon === 11) && mday === 31) {
    mon += 1;
    mday = 1;
  }
  const hour = unsignedBits(fields.hour, 5, "hour");
  const min = unsignedBits(fields.min, 6, "minute");
  const sec = unsignedBits(fields.sec, 6, "second");
  if (mon < 1 || mon > 12) throw outOfRange("mon", "month", mon);
  if (mday < 1 || mday > 31) throw outOfRange("mday", "day", mday);
  if (hour > 24) throw outOfRange("hour", "hour", hour);
  if (min > (hour === 24 ? 0 : 59)) throw outOfRange("min", "minute", min);
  if (sec > (hour === 24 ? 0 : 60)) throw outOfRange("sec", "second", sec);
  return { year, mon, mday, hour, min, sec };
}

/** Days from 1970-01-01 to a proleptic Gregorian date (any year, no JavaScript Date involved). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Seconds since the epoch of a wall time read as UTC; second 60 and hour 24 carry over. */
function wallSeconds(fields: CheckedFields): number {
  return daysFromCivil(fields.year, fields.mon, fields.mday) * 86400 + fields.hour * 3600 + fields.min * 60 + fields.sec;
}

/** The calendar fields of a wall time given as seconds since the epoch (read as UTC). */
function civilFromSeconds(seconds: number): { year: number; mon: number; day: number; hour: number; min: number; sec: number; yday: number } {
  const [days, secondOfDay] = divmod(seconds, 86400);
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const mon = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (mon <= 2 ? 1 : 0);
  const yday = days - daysFromCivil(year, 1, 1) + 1;
  const [hour, rest] = divmod(secondOfDay, 3600);
  const [min, sec] = divmod(rest, 60);
  return { year, mon, day, hour, min, sec, yday };
}

/** The range of a JavaScript Date: ±8.64e15 ms, exactly ±100,000,000 days around 1970. */
const REPRESENTABLE_SECONDS = 8.64e12;

/** Refuses a time a Date cannot hold (to the millisecond); a wall time gets a day's margin for its zone's offset. */
function requireRepresentable(seconds: number, fraction: RubyRational | undefined, year: number, margin = 0): void {
  const milliseconds = seconds * 1000 + (fraction ? Number((fraction.numerator * 1000n) / fraction.denominator) : 0);
  if (!(Math.abs(milliseconds) <= (REPRESENTABLE_SECONDS + margin) * 1000)) throw new UnrepresentableTimeError(year);
}

// ---------------------------------------------------------------------------------------------
// The site's time zone, as the C library applies ENV["TZ"]

/** The rules of a zone; its transitions are read once per zone by system-time-zone.ts, which keeps them. */
function zoneRules(timezone: string): ZoneRules {
  return new ZoneRules(timezone);
}

class ZoneRules {
  private readonly zone: SystemTimeZone;
  constructor(readonly timezone: string) {
    this.zone = systemTimeZone(timezone);
  }

  /** Seconds east of UTC at an instant (seconds since the epoch). */
  offsetAt(epochSeconds: number): number {
    return this.zone.offsetAt(epochSeconds);
  }

  /**
   * Time.local: the instant of a wall time in this zone. Of two instants with that wall time
   * (DST ends) the later; for a wall time that never happens (DST starts) the offset before the
   * change (time.c find_time_t: the first search result, then a look two hours later; or an
   * extrapolation from the last second before the gap).
   */
  instantOfWall(wall: number): number {
    const offsets = new Set([this.offsetAt(wall - 86400), this.offsetAt(wall), this.offsetAt(wall + 86400)]);
    for (const offset of [...offsets]) offsets.add(this.offsetAt(wall - offset));
    let latest: number | undefined;
    for (const offset of offsets) {
      const instant = wall - offset;
      if (this.offsetAt(instant) === offset && (latest === undefined || instant > latest)) latest = instant;
    }
    if (latest !== undefined) return latest;
    const largest = Math.max(...offsets);
    return wall - this.offsetAt(wall - largest);
  }

  /** `Time.local(year, month, 1)`: its zone abbreviation and offset, or undefined where Ruby would fail. */
  localNameAndOffset(year: number, month: number): { name: string; offset: number } | undefined {
    const wall = daysFromCivil(year, month, 1) * 86400;
    if (!(Math.abs(wall) <= REPRESENTABLE_SECONDS + 86400)) return undefined;
    const instant = this.instantOfWall(wall);
    const name = this.zone.abbreviationAt(instant);
    return name === undefined ? undefined : { name, offset: this.offsetAt(instant) };
  }
}

// ---------------------------------------------------------------------------------------------
// Time.make_time (lib/time.rb)

function makeTime(
  date: string,
  yearIn: number | undefined,
  yday: number | undefined,
  monIn: number | undefined,
  dayIn: number | undefined,
  hourIn: number | undefined,
  minIn: number | undefined,
  secIn: number | undefined,
  secFraction: RubyRational | undefined,
  zone: string | undefined,
  now: number | undefined,
  nowMilliseconds: number,
  rules: ZoneRules,
): RubyTime {
  if (yearIn === undefined && yday === undefined && monIn === undefined && dayIn === undefined && hourIn === undefined && minIn === undefined && secIn === undefined && secFraction === undefined) {
    throw new RubyError("ArgumentError", `no time information in ${rubyInspect(date)}`);
  }
  if (yearIn === undefined && now === undefined) throw new MissingYearError(date);

  // `off_year = year || now.year`, with `now` a local Time
  const offYear = yearIn ?? civilFromSeconds((now ?? 0) + rules.offsetAt(now ?? 0)).year;
  let off = zone === undefined ? undefined : zoneOffset(zone, offYear, rules);

  if (yday !== undefined) {
    if (yday < 1 || yday > 366) throw new RubyError("ArgumentError", `yday ${yday} out of range`);
    let [mon, day] = divmod(yday - 1, 31);
    mon += 1;
    day += 1;
    const first = makeTime(date, yearIn, undefined, mon, day, hourIn, minIn, secIn, secFraction, zone, now, nowMilliseconds, rules);
    const diff = yday - ydayOf(first);
    if (diff === 0) return first;
    day += diff;
    const mday = monthDays(offYear, mon);
    if (day > 28 && mday !== undefined && day > mday) {
      mon += 1;
      if (mon > 12) throw new RubyError("ArgumentError", `yday ${yday} out of range`);
      day -= mday;
    }
    return makeTime(date, yearIn, undefined, mon, day, hourIn, minIn, secIn, secFraction, zone, now, nowMilliseconds, rules);
  }

  // `now.getlocal(off)` raises for an offset of a day or more, as Time#localtime(off) does below.
  if (off !== undefined && Math.abs(off) >= 86400) throw new RubyError("ArgumentError", "utc_offset out of range");

  let year = yearIn;
  let mon = monIn;
  let day = dayIn;
  let hour = hourIn;
  let min = minIn;
  let sec = secIn;
  let fraction = secFraction;
  if (now !== undefined && year === undefined) {
    // Fields missing from the text, down to the first one it has, come from `now` in the zone
    // the text names (or the local zone): `begin break if year; year = now.year; ... end until true`.
    const wall = civilFromSeconds(now + (off ?? rules.offsetAt(now)));
    year = wall.year;
    if (mon === undefined) {
      mon = wall.mon;
      if (day === undefined) {
        day = wall.day;
        if (hour === undefined) {
          hour = wall.hour;
          if (min === undefined) {
            min = wall.min;
            if (sec === undefined) {
              sec = wall.sec;
              if (fraction === undefined) fraction = { numerator: BigInt(nowMilliseconds), denominator: 1000n };
            }
          }
        }
      }
    }
  }
  const fields: Fields = { year: year ?? 1970, mon: mon ?? 1, day: day ?? 1, hour: hour ?? 0, min: min ?? 0, sec: sec ?? 0 };

  if (fields.year !== offYear) off = zone === undefined ? undefined : zoneOffset(zone, fields.year, rules);

  if (off !== undefined) {
    const checked = timeArg(applyOffset(fields, off));
    const epochSeconds = wallSeconds(checked);
    requireRepresentable(epochSeconds, fraction, checked.year);
    // force_zone!: the instant stays; only the offset it shows changes.
    const utcOffset = zone !== undefined && isUtcZone(zone) ? 0 : off;
    return { epochSeconds, fraction: nonZero(fraction), utcOffset };
  }
  const checked = timeArg(fields);
  const wall = wallSeconds(checked);
  requireRepresentable(wall, undefined, checked.year, 86400);
  const epochSeconds = rules.instantOfWall(wall);
  requireRepresentable(epochSeconds, fraction, checked.year);
  return { epochSeconds, fraction: nonZero(fraction), utcOffset: rules.offsetAt(epochSeconds) };
}

function nonZero(fraction: RubyRational | undefined): RubyRational | undefined {
  return fraction === undefined || fraction.numerator === 0n ? undefined : fraction;
}

/** Time#yday in the offset the time shows. */
function ydayOf(time: RubyTime): number {
  return civilFromSeconds(time.epochSeconds + time.utcOffset).yday;
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f", "\v": "\\v", "\b": "\\b", "\u0007": "\\a", "\u001b": "\\e" };

// What String#inspect escapes: quotes, backslashes, "#{" and the like, and control characters
// (the class is built from code points so that no control character is written in the source).
const CHARACTERS_INSPECT_ESCAPES = new RegExp(`["\\\\]|#(?=[{$@])|[${String.fromCharCode(0)}-${String.fromCharCode(0x1f)}${String.fromCharCode(0x7f)}\u2028\u2029]`, "g");

/** String#inspect of a UTF-8 string, for Ruby's message "no time information in \"x\"". */
function rubyInspect(text: string): string {
  const body = text.replace(CHARACTERS_INSPECT_ESCAPES, (char) => {
    if (char === '"' || char === "\\" || char === "#") return `\\${char}`;
    return NAMED_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  });
  return `"${body}"`;
}
