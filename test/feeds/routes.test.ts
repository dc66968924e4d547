// The route table (src/feeds/routes.ts): every route formats to one path that parses back to the
// same route, for request paths and for a static export's files alike; other spellings of a feed
// parse to a route whose canonical path differs (the router redirects them); hostile paths are
// refused.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  FEED_FORMATS,
  formatRoute,
  isRouteFolder,
  parseCanonicalRoute,
  parseRoute,
  parseRouteFile,
  routeFile,
  type DocumentRoute,
  type FeedScope,
  type Route,
} from "../../src/feeds/routes.js";
import { foldTermName, termSlug } from "../../src/feeds/slug.js";
import { percentEncodeSegment } from "../helpers/http.js";

const FIXED_ROUTES: readonly Route[] = [
  { kind: "index" },
  { kind: "opml" },
  { kind: "stylesheet" },
  { kind: "health" },
  { kind: "ready" },
  { kind: "metrics" },
  { kind: "rebuild" },
];

/** Names from posts: Japanese, ones slug.ts escapes (~XX), ones kept readable but percent-encoded on the wire. */
const NAMES = ["機械学習", "AI導入戦略", "C#", "C++", "CI/CD", ".NET", "100%", "Machine Learning", "~", "..", "con", "a?b", "データ分析"];

const scopes = (): FeedScope[] => [{ kind: "site" }, ...NAMES.flatMap((name): FeedScope[] => [{ kind: "category", slug: termSlug(name) }, { kind: "tag", slug: termSlug(name) }])];

const feedRoutes = (): DocumentRoute[] => scopes().flatMap((scope) => FEED_FORMATS.flatMap((format) => [0, 1, 2, 37].map((archive): DocumentRoute => ({ kind: "feed", scope, format, archive }))));

// Posts never carry a blank name (content/ drops them), so no slug is empty.
const nameArbitrary = fc
  .oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }), fc.string({ unit: "binary", minLength: 1, maxLength: 12 }), fc.constantFrom(...NAMES))
  .filter((name) => foldTermName(name) !== "");
const feedRouteArbitrary = fc.record({
  kind: fc.constant("feed" as const),
  scope: fc.oneof(
    fc.constant<FeedScope>({ kind: "site" }),
    fc.record({ kind: fc.constantFrom("category" as const, "tag" as const), slug: nameArbitrary.map(termSlug) }),
  ),
  format: fc.constantFrom(...FEED_FORMATS),
  archive: fc.integer({ min: 0, max: 999_999_999 }),
});

describe("formatRoute and parseRoute", () => {
  it("give every fixed route back", () => {
    for (const route of FIXED_ROUTES) expect(parseRoute(formatRoute(route))).toEqual(route);
  });

  it("give every feed route back, Japanese and percent-encoded slugs included", () => {
    for (const route of feedRoutes()) {
      const path = formatRoute(route);
      expect(parseRoute(path)).toEqual(route);
      expect(parseCanonicalRoute(path)).toEqual(route);
    }
  });

  it("give any feed route back", () => {
    fc.assert(
      fc.property(feedRouteArbitrary, (route) => {
        expect(parseRoute(formatRoute(route))).toEqual(route);
      }),
    );
  });

  it("write the paths the feeds have always been served at", () => {
    expect(formatRoute({ kind: "feed", scope: { kind: "site" }, format: "rss", archive: 0 })).toBe("/feed.xml");
    expect(formatRoute({ kind: "feed", scope: { kind: "site" }, format: "json", archive: 2 })).toBe("/archive/2/feed.json");
    expect(formatRoute({ kind: "feed", scope: { kind: "tag", slug: termSlug("機械学習") }, format: "atom", archive: 0 })).toBe(`/tags/${percentEncodeSegment("機械学習")}/atom.xml`);
    expect(formatRoute({ kind: "feed", scope: { kind: "category", slug: termSlug("C++") }, format: "rss", archive: 3 })).toBe("/categories/c++/archive/3/feed.xml");
    expect(formatRoute({ kind: "feed", scope: { kind: "tag", slug: termSlug("C#") }, format: "rss", archive: 0 })).toBe("/tags/c%23/feed.xml");
  });

  it("read other spellings of a path as the same route, at a path that is not canonical", () => {
    const spellings: [sent: string, route: Route][] = [
      ["/archive/02/feed.xml", { kind: "feed", scope: { kind: "site" }, format: "rss", archive: 2 }],
      ["/tags/c%2B%2B/atom.xml", { kind: "feed", scope: { kind: "tag", slug: "c++" }, format: "atom", archive: 0 }],
      [`/categories/${percentEncodeSegment("ai導入戦略").toLowerCase()}/archive/2/feed.xml`, { kind: "feed", scope: { kind: "category", slug: "ai導入戦略" }, format: "rss", archive: 2 }],
      ["/page/02/feed.xml", { kind: "old-page", scope: { kind: "site" }, format: "rss", page: 2 }],
    ];
    for (const [sent, route] of spellings) {
      expect(parseRoute(sent)).toEqual(route);
      expect(parseCanonicalRoute(sent)).toBeUndefined();
    }
  });

  it("read the paged feeds' old page paths as old pages, for the router to redirect", () => {
    expect(parseRoute("/page/1/feed.json")).toEqual({ kind: "old-page", scope: { kind: "site" }, format: "json", page: 1 });
    expect(parseRoute("/tags/ai/page/3/atom.xml")).toEqual({ kind: "old-page", scope: { kind: "tag", slug: "ai" }, format: "atom", page: 3 });
    expect(parseCanonicalRoute("/categories/c++/page/2/feed.xml")).toEqual({ kind: "old-page", scope: { kind: "category", slug: "c++" }, format: "rss", page: 2 });
  });

  it("read a category or tag as written, for the router to find the feed it names", () => {
    expect(parseRoute("/tags/Machine%20Learning/feed.xml")).toEqual({ kind: "feed", scope: { kind: "tag", slug: "Machine Learning" }, format: "rss", archive: 0 });
    expect(parseRoute("/tags/CI%2FCD/atom.xml")).toEqual({ kind: "feed", scope: { kind: "tag", slug: "CI/CD" }, format: "atom", archive: 0 });
  });

  it("refuse hostile and unknown paths", () => {
    const hostile = [
      "",
      "feed.xml",
      "//feed.xml",
      "/../feed.xml",
      "/tags/../feed.xml",
      "/tags/./atom.xml",
      "/tags/%2E%2E/feed.xml",
      "/tags/%2e/feed.xml",
      "/tags//feed.xml",
      "/tags/%E0%A4%A/feed.xml",
      "/tags/%/feed.xml",
      "/tags/a/b/feed.xml",
      "/categories/feed.xml",
      "/page/0/feed.xml",
      "/archive/0/feed.xml",
      "/archive/000/feed.xml",
      "/archive/1e3/feed.xml",
      "/archive/1234567890/feed.xml",
      "/archive//feed.xml",
      "/archive/2/",
      "/page/-1/feed.xml",
      "/page/1e3/feed.xml",
      "/page/1234567890/feed.xml",
      "/page//feed.xml",
      "/page/2/",
      "/feed.html",
      "/FEED.XML",
      "/Tags/ai/feed.xml",
      "/wp-login.php",
      "/etc/passwd",
      "/feed.xml/../../etc/passwd",
      "/feeds.opml/..",
      "/healthz/x",
      "/index.html",
    ];
    for (const path of hostile) expect(parseRoute(path), path).toBeUndefined();
  });
});

describe("routeFile and parseRouteFile", () => {
  it("give every document back from its file", () => {
    const documents: DocumentRoute[] = [{ kind: "index" }, { kind: "opml" }, { kind: "stylesheet" }, ...feedRoutes()];
    for (const route of documents) expect(parseRouteFile(routeFile(route))).toEqual(route);
  });

  it("give any feed route back", () => {
    fc.assert(
      fc.property(feedRouteArbitrary, (route) => {
        expect(parseRouteFile(routeFile(route))).toEqual(route);
      }),
    );
  });

  it("name folders by the slug itself, and the index page index.html", () => {
    expect(routeFile({ kind: "index" })).toBe("index.html");
    expect(routeFile({ kind: "feed", scope: { kind: "tag", slug: termSlug("機械学習") }, format: "json", archive: 2 })).toBe("tags/機械学習/archive/2/feed.json");
    expect(routeFile({ kind: "feed", scope: { kind: "tag", slug: termSlug("CI/CD") }, format: "rss", archive: 0 })).toBe("tags/ci~2fcd/feed.xml");
  });

  it("put every file in folders isRouteFolder accepts", () => {
    for (const route of feedRoutes()) {
      const segments = routeFile(route).split("/").slice(0, -1);
      for (let depth = 1; depth <= segments.length; depth++) expect(isRouteFolder(segments.slice(0, depth).join("/"))).toBe(true);
    }
  });

  it("never write a slug that is not one file name", () => {
    for (const slug of ["", ".", "..", "a/b", "a\\b", "a\u0000b"]) {
      expect(() => routeFile({ kind: "feed", scope: { kind: "tag", slug }, format: "rss", archive: 0 })).toThrow(RangeError);
    }
  });

  it("refuse files and folders an export does not write", () => {
    for (const file of ["notes.txt", "tags/a/b/feed.xml", "tags/../feed.xml", "tags//feed.xml", "page/02/feed.xml", "page/2/feed.xml", "archive/02/feed.xml", "archive/0/feed.xml", "healthz", "metrics", "feeds.opml.txt"]) {
      expect(parseRouteFile(file), file).toBeUndefined();
    }
    for (const folder of ["posts", "tags/a/b", "page", "page/2", "archive/02", "archive/x", "tags/..", "categories/a/archive/0"]) expect(isRouteFolder(folder), folder).toBe(false);
  });

  it("answer for a file whatever was asked before about its folder's other files", () => {
    // Each folder is parsed once: its answer must hold for every file name in it, and only there.
    const asked = ["tags/a/archive/3/feed.xml", "tags/a/archive/3/atom.xml", "tags/a/archive/3/notes.txt", "tags/a/archive/3/feed.json", "feed.xml", "/feed.xml", "/atom.xml", "atom.xml", "tags/a/archive/03/feed.xml", "tags/a/archive/03/feed.json"];
    expect(asked.map((file) => parseRouteFile(file))).toEqual([
      { kind: "feed", scope: { kind: "tag", slug: "a" }, format: "rss", archive: 3 },
      { kind: "feed", scope: { kind: "tag", slug: "a" }, format: "atom", archive: 3 },
      undefined,
      { kind: "feed", scope: { kind: "tag", slug: "a" }, format: "json", archive: 3 },
      { kind: "feed", scope: { kind: "site" }, format: "rss", archive: 0 },
      undefined,
      undefined,
      { kind: "feed", scope: { kind: "site" }, format: "atom", archive: 0 },
      undefined,
      undefined,
    ]);
  });
});
