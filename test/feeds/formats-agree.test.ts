// RSS 2.0, Atom 1.0 and JSON Feed 1.1 built from the same posts must say the same thing: every
// feed of the fixture site is read back with an independent XML parser (helpers/xml.ts via
// helpers/read-feeds.ts) and JSON.parse, and compared item by item. The content they carry must
// be safe to show far from the blog: absolute links, nothing that runs.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadPosts } from "../../src/content/load-posts.js";
import { buildSite, type FeedDocuments } from "../../src/feeds/build-site.js";
import { htmlSafetyProblems } from "../helpers/html-safety.js";
import { jsonFeedSchemaErrors } from "../helpers/json-feed-schema.js";
import { decodeHtmlText, readAtom, readJsonFeed, readRss, type ReadItem } from "../helpers/read-feeds.js";
import { testConfig } from "../helpers/site-fixture.js";
import { child, childText, children } from "../helpers/xml.js";

const config = testConfig({
  postsDir: fileURLToPath(new URL("../fixtures/site/", import.meta.url)),
  site: { timezone: "Asia/Tokyo" },
  feed: { url: "https://feeds.example.com" },
});
// Building is pure and the fixture folder is only read, so every test can share one build.
const build = buildSite(config, await loadPosts(config), new Date("2026-01-01T00:00:00Z"));

const feeds: [string, FeedDocuments][] = [
  ["site", build.site],
  ...[...build.terms.category].map(([slug, feed]): [string, FeedDocuments] => [`category ${slug}`, feed]),
  ...[...build.terms.tag].map(([slug, feed]): [string, FeedDocuments] => [`tag ${slug}`, feed]),
];

function documentsOf(feed: FeedDocuments): { rss: string; atom: string; json: string } {
  return {
    rss: feed.documents.rss.body.toString("utf8"),
    atom: feed.documents.atom.body.toString("utf8"),
    json: feed.documents.json.body.toString("utf8"),
  };
}

function readAll(feed: FeedDocuments): { rss: ReturnType<typeof readRss>; atom: ReturnType<typeof readAtom>; json: ReturnType<typeof readJsonFeed> } {
  const text = documentsOf(feed);
  return { rss: readRss(text.rss), atom: readAtom(text.atom), json: readJsonFeed(text.json) };
}

/** "scheme name" pairs, sorted, for comparing category lists as sets. */
function categoryPairs(item: ReadItem): string[] {
  return [...new Set(item.categories.map((category) => `${category.scheme ?? ""} ${category.name}`))].sort();
}

function names(item: ReadItem): string[] {
  return [...new Set(item.categories.map((category) => category.name))].sort();
}

describe("the feed list", () => {
  it("covers the site, several categories and the tag spelled two ways", () => {
    expect(feeds.length).toBeGreaterThan(10);
    expect(feeds.map(([name]) => name)).toEqual(expect.arrayContaining(["site", "category engineering", "tag machine-learning"]));
  });
});

describe.each(feeds)("%s feed", (_name, feed) => {
  it("has the same items in RSS, Atom and JSON Feed, in the same order, newest first", () => {
    const { rss, atom, json } = readAll(feed);
    expect(rss.items.length).toBeGreaterThan(0);
    expect(atom.items).toHaveLength(rss.items.length);
    expect(json.items).toHaveLength(rss.items.length);
    expect(rss.items.map((item) => item.id)).toEqual(feed.spec.items.map((post) => post.id));

    for (const [index, rssItem] of rss.items.entries()) {
      const atomItem = atom.items[index];
      const jsonItem = json.items[index];
      if (!atomItem || !jsonItem) throw new Error(`item ${index} missing`);
      expect(atomItem.id).toBe(rssItem.id);
      expect(jsonItem.id).toBe(rssItem.id);
      expect(atomItem.link).toBe(rssItem.link);
      expect(jsonItem.link).toBe(rssItem.link);
      // RSS titles are plain text (in CDATA); Atom's are type="html" and were decoded.
      expect(atomItem.title).toBe(rssItem.title);
      expect(jsonItem.title).toBe(rssItem.title);
      // RFC 822 dates have whole seconds; the others keep milliseconds.
      expect(Number.isNaN(rssItem.published)).toBe(false);
      expect(atomItem.published).toBe(jsonItem.published);
      expect(rssItem.published).toBe(Math.floor(jsonItem.published / 1000) * 1000);
      // Categories and tags: RSS domain and Atom scheme say which is which; JSON Feed has one list.
      expect(categoryPairs(atomItem)).toEqual(categoryPairs(rssItem));
      expect(names(jsonItem)).toEqual(names(rssItem));
      expect(atomItem.contentHtml).toBe(rssItem.contentHtml);
      expect(jsonItem.contentHtml).toBe(rssItem.contentHtml);
    }
    const instants = rss.items.map((item) => item.published);
    expect(instants).toEqual([...instants].sort((a, b) => b - a));
  });

  it("gives each item its post's categories and tags, told apart by the scheme", () => {
    const { rss } = readAll(feed);
    for (const [index, item] of rss.items.entries()) {
      const post = feed.spec.items[index];
      if (!post) throw new Error(`item ${index} has no post`);
      const expected = [...post.categories.map((name) => `${feed.spec.categoryScheme} ${name}`), ...post.tags.map((name) => `${feed.spec.tagScheme} ${name}`)].sort();
      expect(categoryPairs(item)).toEqual([...new Set(expected)].sort());
    }
  });

  it("has the same summary and last change in every format", () => {
    const { rss, atom, json } = readAll(feed);
    for (const [index, jsonItem] of json.root.items.entries()) {
      const rssItem = rss.items[index];
      const atomEntry = children(atom.root, "entry")[index];
      const atomItem = atom.items[index];
      if (!rssItem || !atomEntry || !atomItem) throw new Error(`item ${index} missing`);
      // RSS <description> and Atom <summary> are the plain-text summary as HTML.
      expect(decodeHtmlText(required(rssItem.summary))).toBe(jsonItem.summary ?? jsonItem.title);
      expect(atomItem.summary === undefined ? undefined : decodeHtmlText(atomItem.summary)).toBe(jsonItem.summary);
      expect(Date.parse(required(childText(atomEntry, "updated")))).toBe(Date.parse(required(jsonItem.date_modified)));
    }
  });

  it("puts each RSS <description> before its <content:encoded>", () => {
    const channel = required(child(readRss(documentsOf(feed).rss).root, "channel"));
    for (const item of children(channel, "item")) {
      const order = item.children.map((element) => element.name);
      expect(order).toContain("description");
      expect(order).toContain("content:encoded");
      expect(order.indexOf("description")).toBeLessThan(order.indexOf("content:encoded"));
    }
  });

  it("links only to absolute http(s) URLs and carries nothing that runs", () => {
    const { rss, atom, json } = readAll(feed);
    // RSS <description> and Atom <summary> are HTML; JSON Feed's summary is plain text.
    const fragments = [...rss.items, ...atom.items].flatMap((item) => [item.contentHtml, item.summary]).concat(json.items.map((item) => item.contentHtml)).filter((html) => html !== undefined);
    expect(fragments.length).toBeGreaterThan(0);
    for (const item of [...rss.items, ...atom.items, ...json.items]) expect(item.link).toMatch(/^https?:\/\//u);
    for (const html of fragments) expect(htmlSafetyProblems(html, { requireAbsoluteHttpUrls: true }), html).toEqual([]);
  });

  it("describes itself as each format requires", () => {
    const { rss, atom, json } = readAll(feed);
    const newest = Math.max(...feed.spec.items.map((post) => (post.updated ?? post.date).getTime()));

    const channel = required(child(rss.root, "channel"));
    expect(rss.root.attributes.version).toBe("2.0");
    for (const name of ["title", "link", "description"]) expect(childText(channel, name), name).toBeTruthy();
    const self = children(channel, "atom:link").find((link) => link.attributes.rel === "self");
    expect(self?.attributes.href).toBe(feed.spec.urls.rss);
    expect(childText(channel, "language")).toBe("en");
    expect(childText(channel, "generator")).toBe("Feedwright");
    expect(Date.parse(required(childText(channel, "lastBuildDate")))).toBe(Math.floor(newest / 1000) * 1000);

    expect(childText(atom.root, "id")).toBe(feed.spec.urls.atom);
    expect(childText(atom.root, "title")).toBe(feed.spec.title);
    expect(Date.parse(required(childText(atom.root, "updated")))).toBe(newest);
    const author = child(atom.root, "author");
    expect(author && childText(author, "name")).toBe("Site Author");
    const atomSelf = children(atom.root, "link").find((link) => link.attributes.rel === "self");
    expect(atomSelf?.attributes.href).toBe(feed.spec.urls.atom);
    expect(atom.root.attributes["xml:lang"]).toBe("en");

    expect(jsonFeedSchemaErrors(json.root)).toEqual([]);
    expect(json.root.version).toBe("https://jsonfeed.org/version/1.1");
    expect(json.root.title).toBe(feed.spec.title);
    expect(json.root.authors).toEqual([{ name: "Site Author" }]);
    expect(json.root.language).toBe("en");
    expect(json.root.home_page_url).toBe("https://blog.example.com/");
    expect(json.root.feed_url).toBe(feed.spec.urls.json);
  });
});

function required<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new Error("missing value");
  return value;
}
