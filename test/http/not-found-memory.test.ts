// Requests for names no feed has must not cost memory that stays: 45,000 requests for distinct
// 15 KB tag names would otherwise hold about a gigabyte. The retained heap is measured after a
// full garbage collection, before and after.
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import type { FeedDocuments } from "../../src/feeds/build-site.js";
import { findTerm } from "../../src/http/term-lookup.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function retainedBytes(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Distinct names of about 15 KB (as long as a URL may be), made without keeping them. */
function longName(index: number): string {
  return `${"x".repeat(15_000)}-${index}`;
}

const MB = 1024 * 1024;

describe("memory that requests can fill", () => {
  it("a tag name that matches no feed leaves nothing behind", () => {
    const terms = new Map<string, FeedDocuments>();
    const before = retainedBytes();
    for (let index = 0; index < 10_000; index++) expect(findTerm(terms, longName(index))).toBeUndefined();
    // 10,000 names of 15 KB are 150 MB if kept.
    expect((retainedBytes() - before) / MB).toBeLessThan(20);
  });
});
