// Post dates in the forms Jekyll users write. Jekyll hands the string to Ruby's Time.parse and
// then to the site's TZ; we accept the forms that appear in real _posts folders, reject the rest
// with a message that shows the expected form, and read a time without a zone in the site's
// configured time zone (gray-matter's YAML would read it as UTC, which is why dates are strings
// until they get here — see yaml-source.ts).
import { DateTime, FixedOffsetZone } from "luxon";

export class DateFormatError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DateFormatError";
  }
}

export const DATE_FORMAT_HINT = "write it as YYYY-MM-DD, YYYY-MM-DD HH:MM:SS +0900 or 2025-11-04T09:15:00Z";

// 2025-11-04 | 2025-11-04 09:15 | 2025-11-04 09:15:00 | 2025-11-04T09:15:00.123 ; then an optional zone:
// Z | UTC | GMT | +0900 | +09:00 | +09, with or without a space before it (Jekyll writes " +0900").
const DATE_PATTERN =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses a front-matter date. `timezone` (IANA) applies when the text has no offset.
 * Throws DateFormatError naming the problem.
 */
export function parsePostDate(value: unknown, timezone: string): Date {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new DateFormatError("is not a valid date");
    return writableDate(value, value.toISOString());
  }
  if (typeof value !== "string") {
    throw new DateFormatError(`must be a date, not ${describe(value)}; ${DATE_FORMAT_HINT}`);
  }
  const text = value.trim();
  const match = DATE_PATTERN.exec(text);
  if (!match) throw new DateFormatError(`"${text}" is not a date Feedwright understands; ${DATE_FORMAT_HINT}`);
  const [, year, month, day, hour, minute, second, fraction, zoneText] = match;
  const fields = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
    millisecond: fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0,
  };
  const problem = impossibleField(fields);
  if (problem) throw new DateFormatError(`"${text}" is not a valid date (${problem}); ${DATE_FORMAT_HINT}`);
  const zone = zoneText ? offsetZone(zoneText) : timezone;
  const parsed = DateTime.fromObject(fields, { zone });
  if (!parsed.isValid) {
    throw new DateFormatError(`"${text}" is not a valid date (${parsed.invalidExplanation ?? parsed.invalidReason ?? "out of range"}); ${DATE_FORMAT_HINT}`);
  }
  return writableDate(parsed.toJSDate(), text);
}

/** 0001-01-01T00:00:00Z and the last millisecond of 9999, the range both formats can write. */
// (Date.UTC reads years 0-99 as 1900-1999, so the first is written out.)
const FIRST_WRITABLE = Date.parse("0001-01-01T00:00:00.000Z");
const LAST_WRITABLE = Date.parse("9999-12-31T23:59:59.999Z");

/** Whether RFC 3339 (four-digit years) and RFC 822 can both write `date`, once in UTC. */
export function isWritableDate(date: Date): boolean {
  const time = date.getTime();
  return time >= FIRST_WRITABLE && time <= LAST_WRITABLE;
}

/**
 * `date`, if the feeds can write it. RFC 3339 has four-digit years (0000-9999) and RFC 822 dates
 * no year 0, so a date outside years 1-9999 in UTC ("9999-12-31 23:59 -23:59" is in year 10000)
 * would make an invalid feed and a Last-Modified no client reads.
 */
export function writableDate(date: Date, text: string): Date {
  if (isWritableDate(date)) return date;
  throw new DateFormatError(`"${text}" is ${date.getTime() < FIRST_WRITABLE ? "before the year 1" : "after the year 9999"} in UTC, which feeds cannot write (RFC 3339, RFC 822); write a date between 0001 and 9999`);
}

/** The date written in a Jekyll post file name, YYYY-MM-DD, at midnight in the site's time zone. */
export function dateFromFileName(year: number, month: number, day: number, timezone: string): Date | undefined {
  const parsed = DateTime.fromObject({ year, month, day }, { zone: timezone });
  return parsed.isValid && isWritableDate(parsed.toJSDate()) ? parsed.toJSDate() : undefined;
}

function impossibleField(fields: { year: number; month: number; day: number; hour: number; minute: number; second: number }): string | undefined {
  if (fields.month < 1 || fields.month > 12) return `there is no month ${fields.month}`;
  const daysInMonth = DateTime.utc(fields.year, fields.month).daysInMonth ?? 31;
  if (fields.day < 1 || fields.day > daysInMonth) {
    return `${fields.year}-${String(fields.month).padStart(2, "0")} has no day ${fields.day}`;
  }
  if (fields.hour > 23) return `there is no hour ${fields.hour}`;
  if (fields.minute > 59) return `there is no minute ${fields.minute}`;
  if (fields.second > 59) return `there is no second ${fields.second}`;
  return undefined;
}

function offsetZone(text: string): FixedOffsetZone {
  const upper = text.toUpperCase();
  if (upper === "Z" || upper === "UTC" || upper === "GMT") return FixedOffsetZone.utcInstance;
  const sign = text.startsWith("-") ? -1 : 1;
  const digits = text.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || "0");
  if (hours > 23 || minutes > 59) throw new DateFormatError(`time zone offset "${text}" is out of range; ${DATE_FORMAT_HINT}`);
  return FixedOffsetZone.instance(sign * (hours * 60 + minutes));
}

function describe(value: unknown): string {
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `a ${typeof value} (${JSON.stringify(value)})`;
}
