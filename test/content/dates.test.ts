import { describe, expect, it } from "vitest";
import { DateFormatError, parsePostDate } from "../../src/content/dates.js";

describe("parsePostDate", () => {
  it.each([
    ["2025-11-04 09:15:00 +0900", "2025-11-04T00:15:00.000Z"],
    ["2025-11-04 09:15:00 +09:00", "2025-11-04T00:15:00.000Z"],
    ["2025-11-04T09:15:00Z", "2025-11-04T09:15:00.000Z"],
    ["2025-11-04T09:15:00+0900", "2025-11-04T00:15:00.000Z"],
    ["2025-11-04 09:15:00 -0530", "2025-11-04T14:45:00.000Z"],
    ["2025-11-04 09:15:00 UTC", "2025-11-04T09:15:00.000Z"],
    ["2025-11-04T09:15:00.250Z", "2025-11-04T09:15:00.250Z"],
  ])("reads %s with its own offset", (text, expected) => {
    expect(parsePostDate(text, "Asia/Tokyo").toISOString()).toBe(expected);
  });

  it("reads a date or time without a zone in the configured time zone", () => {
    expect(parsePostDate("2025-11-04", "Asia/Tokyo").toISOString()).toBe("2025-11-03T15:00:00.000Z");
    expect(parsePostDate("2025-11-04 09:15", "Asia/Tokyo").toISOString()).toBe("2025-11-04T00:15:00.000Z");
    expect(parsePostDate("2025-11-04", "UTC").toISOString()).toBe("2025-11-04T00:00:00.000Z");
    // America/New_York is UTC-4 in summer and UTC-5 in winter.
    expect(parsePostDate("2025-07-01 12:00:00", "America/New_York").toISOString()).toBe("2025-07-01T16:00:00.000Z");
    expect(parsePostDate("2025-12-01 12:00:00", "America/New_York").toISOString()).toBe("2025-12-01T17:00:00.000Z");
  });

  it.each([
    ["2025-02-30", /2025-02 has no day 30/],
    ["2025-13-01", /no month 13/],
    ["2025-11-04 24:00:00", /no hour 24/],
    ["2025-11-04 09:61", /no minute 61/],
    ["yesterday", /not a date Feedwright understands/],
    ["2025-11-04 09:15:00 +2500", /offset "\+2500" is out of range/],
  ])("rejects %s, saying why and how to write it", (text, reason) => {
    expect(() => parsePostDate(text, "UTC")).toThrow(DateFormatError);
    expect(() => parsePostDate(text, "UTC")).toThrow(reason);
    expect(() => parsePostDate(text, "UTC")).toThrow(/YYYY-MM-DD HH:MM:SS \+0900/);
  });

  it("rejects values that are not text", () => {
    expect(() => parsePostDate(20251104, "UTC")).toThrow(/must be a date, not a number/);
    expect(() => parsePostDate(["2025-11-04"], "UTC")).toThrow(/not a list/);
  });
});
