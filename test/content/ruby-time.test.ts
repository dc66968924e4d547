// Front-matter dates as Jekyll reads them. The recorded cases come from real Ruby 3.1 and Jekyll
// 4.3 (test/fixtures/ruby-time.json, written by `RECORD=1 npm run test:jekyll`); the unit tests
// below pin the rules a reader of src/content/ruby-time.ts should not have to rediscover.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { DateFormatError } from "../../src/content/dates.js";
import { jekyllPostDate, rubyNumberToS } from "../../src/content/jekyll-post-date.js";
import { PsychTime, psychTimestamp } from "../../src/content/psych-timestamp.js";
import { dateZoneToDiff, rubyDateParse } from "../../src/content/ruby-date-parse.js";
import { parseRubyTime, REFERENCE_NOWS, rubyTimeParse, rubyTimeToS } from "../../src/content/ruby-time.js";
import { parseYamlSource } from "../../src/yaml-source.js";
import { PSYCH_TIME_TAGS } from "../../src/content/psych-yaml-tags.js";
import { compareWithRuby, type RecordedRubyTime } from "../helpers/ruby-time-cases.js";

const recorded = JSON.parse(readFileSync(new URL("../fixtures/ruby-time.json", import.meta.url), "utf8")) as RecordedRubyTime;

describe("agrees with the answers recorded from real Ruby and Jekyll", () => {
  test("the recording covers the four time zones, both reference days and at least 300 strings", () => {
    expect(recorded.timezones).toEqual(["UTC", "Asia/Tokyo", "America/Los_Angeles", "Europe/Berlin"]);
    expect(recorded.nows).toEqual(REFERENCE_NOWS.map((now) => now.toISOString()));
    expect(recorded.versions).toMatchObject({ ruby: expect.stringMatching(/^3\.1\./) as unknown, jekyll: expect.stringMatching(/^4\.3\./) as unknown, date: "3.2.2" });
    expect(recorded.cases.length).toBeGreaterThanOrEqual(300);
    const texts = recorded.cases.map((entry) => entry.text);
    expect(texts).toEqual(expect.arrayContaining(["2023-01-29 18:30:22 2023 -0800", "2014-06-05T10:00:00.123+09:00", "2014年6月5日", "Sat Aug 28 02:55:50 1999"]));
  });

  const report = compareWithRuby(recorded);

  test("every Date._parse hash, Time.parse instant and Jekyll post date agrees", () => {
    expect(report.disagreements).toEqual([]);
    expect(report.agreements + report.knownDifferences.length).toBe(report.checks);
  });

  test("the only known differences: years beyond a JavaScript Date, and a float written with .0", () => {
    expect(report.knownDifferences.length).toBeLessThan(report.checks / 100);
    for (const difference of report.knownDifferences) {
      expect(difference.reason).toMatch(/beyond a JavaScript Date's range|a YAML float with a zero fraction/);
    }
  });
});

describe("parseRubyTime: Ruby's Time.parse in the site's time zone", () => {
  const iso = (text: string, zone: string): string => parseRubyTime(text, zone).toISOString();

  test("a time without a zone is read in the site's zone; an offset or a known name wins", () => {
    expect(iso("2014-06-05 12:00", "Asia/Tokyo")).toBe("2014-06-05T03:00:00.000Z");
    expect(iso("2014-06-05 12:00:00 -0700", "Asia/Tokyo")).toBe("2014-06-05T19:00:00.000Z");
    expect(iso("5 Jun 2014 10:00 PST", "UTC")).toBe("2014-06-05T18:00:00.000Z");
  });

  test("the year that a later number repeats leaves the offset unread (a real post)", () => {
    // Date._parse takes 18:30:22 and 2023-01-29, and no zone: "-0800" follows a bare "2023".
    expect(iso("2023-01-29 18:30:22 2023 -0800", "America/Los_Angeles")).toBe("2023-01-30T02:30:22.000Z");
    expect(iso("2023-01-29 18:30:22 2023 -0800", "UTC")).toBe("2023-01-29T18:30:22.000Z");
  });

  test("a zone name Time.parse does not know is ignored, unless it names the site's own zone", () => {
    expect(iso("2014-06-05 10:00 JST", "UTC")).toBe("2014-06-05T10:00:00.000Z");
    expect(iso("2014-06-05 10:00 JST", "Asia/Tokyo")).toBe("2014-06-05T01:00:00.000Z");
    // Berlin's January name is +01:00 even in June.
    expect(iso("2014-06-05 10:00 CET", "Europe/Berlin")).toBe("2014-06-05T09:00:00.000Z");
    expect(iso("2014-06-05 10:00:00 +9", "UTC")).toBe("2014-06-05T10:00:00.000Z");
  });

  test("days past the month's end roll over up to the 31st; beyond, Ruby refuses", () => {
    expect(iso("2023-02-30", "UTC")).toBe("2023-03-02T00:00:00.000Z");
    expect(iso("2023-04-31", "UTC")).toBe("2023-05-01T00:00:00.000Z");
    expect(() => parseRubyTime("2023-02-32", "UTC")).toThrow(/^"2023-02-32" is not a date Jekyll accepts \(day 32 is out of range; days run from 1 to 31, .*\); write it as YYYY-MM-DD/);
    expect(() => parseRubyTime("2023-13-01", "UTC")).toThrow(/month 13 is out of range/);
    expect(() => parseRubyTime("2014-06-05 23:61", "UTC")).toThrow(/minute 61 is out of range/);
    expect(iso("2014-06-05 24:00", "UTC")).toBe("2014-06-06T00:00:00.000Z");
  });

  test("a DST gap takes the offset before it; a repeated hour is the later one", () => {
    expect(iso("2024-03-10 02:30:00", "America/Los_Angeles")).toBe("2024-03-10T10:30:00.000Z");
    expect(iso("2024-11-03 01:30:00", "America/Los_Angeles")).toBe("2024-11-03T09:30:00.000Z");
    expect(iso("2024-10-27 02:30:00", "Europe/Berlin")).toBe("2024-10-27T01:30:00.000Z");
  });

  test("text without a year is refused: Jekyll would take it from the day of the build", () => {
    expect(() => parseRubyTime("June 5", "UTC")).toThrow(/has no year, so Jekyll would fill in the missing parts from the current date/);
    // Refused on every day for another reason: that reason is given.
    expect(() => parseRubyTime("2014年6月5日", "UTC")).toThrow(/is not a date Jekyll accepts \(month 20 is out of range/);
    // ...and Ruby's answer does depend on the day.
    expect(rubyTimeParse("June 5", "UTC", REFERENCE_NOWS[0]).epochSeconds).not.toBe(rubyTimeParse("June 5", "UTC", REFERENCE_NOWS[1]).epochSeconds);
  });

  test("what Ruby refuses outright, and what a Date cannot hold", () => {
    expect(() => parseRubyTime("", "UTC")).toThrow(/finds no date or time in it/);
    expect(() => parseRubyTime(`2014-06-05 ${"x".repeat(118)}`, "UTC")).toThrow(/reads at most 128 bytes/);
    expect(() => parseRubyTime("2014-06-05 10:00:00 +24", "UTC")).toThrow(/the time zone offset is a day or more/);
    expect(() => parseRubyTime("99999999-01-01", "UTC")).toThrow(/year 99999999, which Ruby accepts but Feedwright cannot represent/);
    expect(() => parseRubyTime("2014-06-05", "Mars/Olympus")).toThrow(DateFormatError);
  });
});

describe("Date._parse", () => {
  test("reads the pieces it finds, in the order of its patterns", () => {
    expect(rubyDateParse("Sat Aug 28 02:29:34 JST 1999")).toEqual({ wday: 6, zone: "JST", hour: 2, min: 29, sec: 34, mon: 8, mday: 28, year: 1999, offset: 32400 });
    expect(rubyDateParse("H31.04.30")).toEqual({ year: 2019, mon: 4, mday: 30 });
    expect(rubyDateParse("99/5/2")).toEqual({ year: 1999, mon: 5, mday: 2 });
    expect(rubyDateParse("22:45:59.05").sec_fraction).toEqual({ numerator: 1n, denominator: 20n });
  });

  test("date_zone_to_diff reads names, numbers and Windows names", () => {
    expect(dateZoneToDiff("Eastern Daylight Time")).toBe(-14400);
    expect(dateZoneToDiff("GMT-09:01:02")).toBe(-(9 * 3600 + 62));
    expect(dateZoneToDiff("+12345")).toBe(5025);
    expect(dateZoneToDiff("Mars")).toBeNull();
  });
});

describe("Psych and Jekyll: what an unquoted date becomes", () => {
  test("a zone-less timestamp is UTC to Psych, while quoted it is in the site's zone", () => {
    const plain = parseYamlSource("date: 2024-12-24 17:00:00\n", { timeTags: PSYCH_TIME_TAGS }).value as { date: unknown };
    expect(plain.date).toBeInstanceOf(PsychTime);
    expect(jekyllPostDate(plain.date, "America/Los_Angeles").toISOString()).toBe("2024-12-24T17:00:00.000Z");
    expect(jekyllPostDate("2024-12-24 17:00:00", "America/Los_Angeles").toISOString()).toBe("2024-12-25T01:00:00.000Z");
  });

  test("without the option the YAML layer keeps timestamps as strings, as before", () => {
    expect(parseYamlSource("date: 2024-12-24 17:00:00\n").value).toEqual({ date: "2024-12-24 17:00:00" });
    expect(parseYamlSource("date: 2024-12-24\n", { timeTags: PSYCH_TIME_TAGS }).value).toEqual({ date: "2024-12-24" });
  });

  test("Psych's own quirks: -00:30 is +00:30, a bad field keeps the string, a tab breaks it", () => {
    expect(psychTimestamp("2014-06-05 10:00:00 -00:30")).toEqual({ kind: "time", epochMilliseconds: Date.UTC(2014, 5, 5, 9, 30), display: { utcOffset: 1800 } });
    expect(psychTimestamp("2014-13-05 10:00:00")).toEqual({ kind: "string" });
    expect(psychTimestamp("2014-06-05\t10:00:00")).toMatchObject({ kind: "error" });
    expect(() => parseYamlSource("date: 2014-06-05\t10:00:00\n", { timeTags: PSYCH_TIME_TAGS })).toThrow(/Psych\) fails on the timestamp/);
  });

  test("Jekyll re-reads the date as it merges data, so fractions of a second are lost", () => {
    expect(jekyllPostDate("2014-06-05T10:00:00.123+09:00", "UTC").toISOString()).toBe("2014-06-05T01:00:00.000Z");
    expect(parseRubyTime("2014-06-05T10:00:00.123+09:00", "UTC").toISOString()).toBe("2014-06-05T01:00:00.123Z");
  });

  test("Time#to_s, Integer#to_s and Float#to_s as Ruby prints them", () => {
    expect(rubyTimeToS(Date.UTC(-5, 0, 1) / 1000, "UTC")).toBe("-0005-01-01 00:00:00 UTC");
    expect(rubyTimeToS(0, 33539)).toBe("1970-01-01 09:18:59 +0918");
    expect(rubyNumberToS(20140605)).toBe("20140605");
    expect(rubyNumberToS(2014.0605)).toBe("2014.0605");
    expect(rubyNumberToS(0.00001)).toBe("1.0e-05");
    expect(() => jekyllPostDate(null, "UTC")).toThrow(/is empty/);
    expect(() => jekyllPostDate(["2014-06-05"], "UTC")).toThrow(/not a list/);
  });
});
