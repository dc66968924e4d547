import { describe, expect, it } from "vitest";
import { isNotModified } from "../../src/delivery/conditional.js";

const ETAGS = new Set(["abc", "abc-gz", "abc-br"]);
const LAST_MODIFIED = Date.parse("2025-11-20T11:00:00Z") / 1000;

describe("isNotModified (RFC 9110 §13)", () => {
  it("matches If-None-Match with the weak comparison, against any coding's tag, or *", () => {
    expect(isNotModified('"abc"', undefined, ETAGS, LAST_MODIFIED)).toBe(true);
    expect(isNotModified('W/"abc-gz"', undefined, ETAGS, LAST_MODIFIED)).toBe(true);
    expect(isNotModified('"x", "y", "abc-br"', undefined, ETAGS, LAST_MODIFIED)).toBe(true);
    expect(isNotModified("*", undefined, ETAGS, LAST_MODIFIED)).toBe(true);
    expect(isNotModified('"abcd"', undefined, ETAGS, LAST_MODIFIED)).toBe(false);
    expect(isNotModified("abc", undefined, ETAGS, LAST_MODIFIED)).toBe(false);
  });

  it("lets If-None-Match take precedence over If-Modified-Since (§13.2.2)", () => {
    const later = "Fri, 21 Nov 2025 00:00:00 GMT";
    const earlier = "Wed, 19 Nov 2025 00:00:00 GMT";
    expect(isNotModified('"other"', later, ETAGS, LAST_MODIFIED)).toBe(false);
    expect(isNotModified('"abc"', earlier, ETAGS, LAST_MODIFIED)).toBe(true);
  });

  it("uses If-Modified-Since alone when there is no If-None-Match, ignoring invalid dates", () => {
    expect(isNotModified(undefined, "Thu, 20 Nov 2025 11:00:00 GMT", ETAGS, LAST_MODIFIED)).toBe(true);
    expect(isNotModified(undefined, "Fri, 21 Nov 2025 00:00:00 GMT", ETAGS, LAST_MODIFIED)).toBe(true);
    expect(isNotModified(undefined, "Thu, 20 Nov 2025 10:59:59 GMT", ETAGS, LAST_MODIFIED)).toBe(false);
    expect(isNotModified(undefined, "yesterday", ETAGS, LAST_MODIFIED)).toBe(false);
    expect(isNotModified(undefined, undefined, ETAGS, LAST_MODIFIED)).toBe(false);
  });
});
