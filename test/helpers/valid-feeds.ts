// The check every test that builds a whole site can make of it: each feed it publishes parses in
// all three formats with an independent parser, and the formats agree on the items.
import { expect } from "vitest";
import { allFeeds, type FeedDocuments, type SiteBuild } from "../../src/feeds/build-site.js";
import { jsonFeedSchemaErrors } from "./json-feed-schema.js";
import { readAtom, readJsonFeed, readRss } from "./read-feeds.js";

/** Every feed of the build, in all three formats: well-formed XML, schema-valid JSON Feed, same items. */
export function expectValidFeeds(build: SiteBuild): void {
  for (const feed of allFeeds(build)) expectValidFeedDocuments(feed, feed.spec.basePath || "/ (site)");
}

/** One document of a feed (the subscription document or an archive) in its three formats. */
export function expectValidFeedDocuments(feed: Pick<FeedDocuments, "documents">, label: string): void {
  const rss = readRss(feed.documents.rss.body.toString("utf8"));
  const atom = readAtom(feed.documents.atom.body.toString("utf8"));
  const json = readJsonFeed(feed.documents.json.body.toString("utf8"));
  expect(jsonFeedSchemaErrors(json.root), label).toEqual([]);
  expect(rss.items.map((item) => item.id), label).toEqual(json.items.map((item) => item.id));
  expect(atom.items.map((item) => item.id), label).toEqual(json.items.map((item) => item.id));
  expect(new Set(json.items.map((item) => item.id)).size, `${label}: unique ids`).toBe(json.items.length);
  expect(json.items.length, `${label}: not empty`).toBeGreaterThan(0);
}
