import { describe, expect, it } from "vitest";
import { cachedEncodingChooser, chooseEncoding } from "../../src/delivery/accept-encoding.js";

describe("chooseEncoding (RFC 9110 §12.5.3)", () => {
  it.each([
    [undefined, "identity"],
    ["", "identity"],
    ["gzip", "gzip"],
    ["x-gzip", "gzip"],
    ["br", "br"],
    ["gzip, deflate, br", "br"],
    ["gzip, deflate, br, zstd", "br"],
    ["gzip;q=1.0, br;q=0.5", "gzip"],
    ["gzip;q=0.5, br;q=0.8", "br"],
    ["br;q=0, gzip", "gzip"],
    ["gzip;q=0", "identity"],
    ["deflate", "identity"],
    ["*", "br"],
    ["*;q=0.5, gzip;q=0.9", "gzip"],
    ["*;q=0, identity", "identity"],
    ["identity", "identity"],
    ["identity;q=0, gzip", "gzip"],
    ["GZIP;Q=0.7", "gzip"],
    ["gzip;q=2", "identity"],
    ["gzip;q=abc, br;q=0.1", "br"],
  ])("%j -> %s", (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });

  it.each([["identity;q=0"], ["*;q=0"], ["identity;q=0, deflate"]])("%j accepts nothing we have: undefined (406)", (header) => {
    expect(chooseEncoding(header)).toBeUndefined();
  });

  it("gives the same answers when cached", () => {
    const choose = cachedEncodingChooser(2);
    for (const header of ["gzip", "br", "identity;q=0", "gzip", "*;q=0", "br"]) expect(choose(header)).toBe(chooseEncoding(header));
  });
});
