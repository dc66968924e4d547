// absolute_url / relative_url (Addressable's normalisation) and Document#id, replayed from real
// Jekyll's answers in test/fixtures/jekyll-urls.json (recorded by test/jekyll/jekyll-urls.jekyll.test.ts).
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { absoluteUrl, relativeUrl } from "../../src/content/liquid/filters/urls.js";
import { jekyllDocumentId, jekyllFeedId } from "../../src/content/jekyll/jekyll-feed.js";
import { ID_CASES, URL_CASES, URLS_FIXTURE, type RecordedJekyllUrls } from "./jekyll-urls.cases.js";

const recorded = JSON.parse(readFileSync(URLS_FIXTURE, "utf8")) as RecordedJekyllUrls;

test("the fixture covers exactly the cases listed", () => {
  expect(recorded.absoluteUrl.map(({ url, baseurl, input }) => ({ url, baseurl, input }))).toEqual(URL_CASES);
  expect(recorded.documentId.map(({ url, slug }) => ({ url, slug }))).toEqual(ID_CASES);
});

describe("absolute_url and relative_url give Jekyll's answer", () => {
  test.each(recorded.absoluteUrl.map((entry) => [`${entry.url} ${entry.baseurl} ${JSON.stringify(entry.input)}`, entry] as const))("%s", (_name, entry) => {
    expect(absoluteUrl({ url: entry.url, baseurl: entry.baseurl }, entry.input)).toBe(entry.absolute);
    expect(relativeUrl({ url: entry.url, baseurl: entry.baseurl }, entry.input)).toBe(entry.relative);
  });
});

describe("jekyllDocumentId gives Document#id", () => {
  test.each(recorded.documentId.map((entry) => [`${entry.url} + ${entry.slug}`, entry] as const))("%s", (_name, entry) => {
    expect(jekyllDocumentId(entry.url, entry.slug)).toBe(entry.id);
  });
});

test("jekyllFeedId is the post's id made absolute", () => {
  expect(jekyllFeedId({ url: "https://jekyllrb.com", baseurl: "" }, "/news/2025/01/29/jekyll-4-4-1-released/", "jekyll-4-4-1-released")).toBe(
    "https://jekyllrb.com/news/2025/01/29/jekyll-4-4-1-released",
  );
});
