// The HTTP layer as a feed reader sees it: a real Publisher over a temporary posts folder with a
// fixed clock, createServer(publisher) (fast path + Express) listening on a free port of 127.0.0.1, and raw requests whose
// paths are sent byte for byte (percent-encoded as on the wire, un-normalized on purpose).
import { rmSync } from "node:fs";
import type { Server } from "node:http";
import { join } from "node:path";
import { Parser as HtmlParser } from "htmlparser2";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createServer } from "../../src/http/server.js";
import { silentLogger } from "../../src/logger.js";
import { Publisher } from "../../src/publish/publisher.js";
import { closeServer, listenOnFreePort, percentEncodeSegment, rawRequest, type RawRequestOptions, type RawResponse } from "../helpers/http.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";
import { child, childText, findAll, parseXml, type XmlElement } from "../helpers/xml.js";

const BASE = "https://blog.example.com";
const NOW = new Date("2025-06-01T00:00:00Z");
/** The newest post below: every site document's Last-Modified. */
const NEWEST = new Date("2025-01-15T09:30:00Z");

const POSTS: Readonly<Record<string, string>> = {
  "2025-01-10-csharp.md": post(`title: "Sharp post"\ndate: 2025-01-10 09:00:00 +0000\ncategories: [Engineering]\ntags: ["C#"]`),
  "2025-01-11-cpp.md": post(`title: "Plus plus post"\ndate: 2025-01-11 09:00:00 +0000\ncategories: [Engineering]\ntags: ["C++"]`),
  "2025-01-12-c.md": post(`title: "Plain C post"\ndate: 2025-01-12 09:00:00 +0000\ncategories: [Engineering]\ntags: ["C"]`),
  "2025-01-13-pipeline.md": post(`title: "Pipeline post"\ndate: 2025-01-13 09:00:00 +0000\ntags: ["CI/CD", ".NET", "100%", "Machine Learning"]`),
  "2025-01-15-rag.md": post(
    `title: "RAG を本番投入する前のチェックリスト"\ndate: 2025-01-15 18:30:00 +09:00\ncategories: AI導入戦略\ntags: ["データ分析"]`,
    "検索拡張生成（RAG）は試作までは簡単ですが、本番では別の難しさがあります。",
  ),
  // Line 3 is not YAML (a mapping value inside a plain scalar): skipped, reported, nothing else affected.
  "2025-01-14-broken.md": "---\ntitle: ok\nsubtitle: Broken: post\ndate: 2025-01-14\n---\n\nBody.\n",
};
const PUBLISHED_TITLES = ["RAG を本番投入する前のチェックリスト", "Pipeline post", "Plain C post", "Plus plus post", "Sharp post"];

/** Category and tag names with their canonical paths, written out by hand: these are public URLs. */
const TERM_FEEDS: ReadonlyArray<{ name: string; path: string; titles: readonly string[] }> = [
  { name: "AI導入戦略", path: "/categories/ai%E5%B0%8E%E5%85%A5%E6%88%A6%E7%95%A5", titles: ["RAG を本番投入する前のチェックリスト"] },
  { name: "Engineering", path: "/categories/engineering", titles: ["Plain C post", "Plus plus post", "Sharp post"] },
  { name: "データ分析", path: "/tags/%E3%83%87%E3%83%BC%E3%82%BF%E5%88%86%E6%9E%90", titles: ["RAG を本番投入する前のチェックリスト"] },
  { name: "C#", path: "/tags/c%23", titles: ["Sharp post"] },
  { name: "C++", path: "/tags/c++", titles: ["Plus plus post"] },
  { name: "C", path: "/tags/c", titles: ["Plain C post"] },
  { name: "CI/CD", path: "/tags/ci~2fcd", titles: ["Pipeline post"] },
  { name: ".NET", path: "/tags/.net", titles: ["Pipeline post"] },
  { name: "100%", path: "/tags/100~25", titles: ["Pipeline post"] },
  { name: "Machine Learning", path: "/tags/machine-learning", titles: ["Pipeline post"] },
];

const FORMATS = [
  { file: "feed.xml", contentType: "application/rss+xml; charset=utf-8" },
  { file: "atom.xml", contentType: "application/atom+xml; charset=utf-8" },
  { file: "feed.json", contentType: "application/feed+json; charset=utf-8" },
] as const;
type FeedFile = (typeof FORMATS)[number]["file"];

interface ReadFeed {
  readonly title: string;
  readonly selfUrl: string | undefined;
  readonly itemTitles: string[];
}

/** Reads any of the three formats with an independent parser (strict XML, or JSON). */
function readFeed(file: FeedFile, body: Buffer): ReadFeed {
  const text = body.toString("utf8");
  if (file === "feed.json") {
    const feed = JSON.parse(text) as { title: string; feed_url?: string; items: Array<{ title?: string }> };
    return { title: feed.title, selfUrl: feed.feed_url, itemTitles: feed.items.map((item) => item.title ?? "") };
  }
  const root = parseXml(text);
  const selfLink = (links: XmlElement[]): string | undefined => links.find((link) => link.attributes.rel === "self")?.attributes.href;
  if (file === "feed.xml") {
    expect(root.name).toBe("rss");
    const channel = child(root, "channel");
    if (!channel) throw new Error("RSS without <channel>");
    return {
      title: childText(channel, "title") ?? "",
      selfUrl: selfLink(channel.children.filter((node) => node.name === "atom:link")),
      itemTitles: findAll(channel, "item").map((item) => childText(item, "title") ?? ""),
    };
  }
  expect(root.name).toBe("feed");
  return {
    title: childText(root, "title") ?? "",
    selfUrl: selfLink(root.children.filter((node) => node.name === "link")),
    itemTitles: findAll(root, "entry").map((entry) => childText(entry, "title") ?? ""),
  };
}

interface HtmlTag {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  text: string;
}

/** Every element of an HTML page with its attributes and direct text (htmlparser2, as a browser would tokenize it). */
function htmlTags(html: string): HtmlTag[] {
  const tags: HtmlTag[] = [];
  const open: HtmlTag[] = [];
  const parser = new HtmlParser({
    onopentag(name, attributes) {
      const tag: HtmlTag = { name, attributes, text: "" };
      tags.push(tag);
      open.push(tag);
    },
    ontext(text) {
      const current = open.at(-1);
      if (current) current.text += text;
    },
    onclosetag() {
      open.pop();
    },
  });
  parser.write(html);
  parser.end();
  return tags;
}

function expectNoStackTrace(response: RawResponse): void {
  expect(response.text).not.toMatch(/\bat .+:\d+:\d+/);
  expect(response.text).not.toMatch(/Error|node_modules|\/work\/|\\/);
  expect(response.body.length).toBeLessThan(200);
}

function expectCommonHeaders(response: RawResponse): void {
  expect(response.headers["x-powered-by"]).toBeUndefined();
  expect(response.headers["x-content-type-options"]).toBe("nosniff");
}

describe("a scanned site", () => {
  let folder: PostsFolder;
  let server: Server;
  let port: number;
  const request = (rawPath: string, options?: RawRequestOptions): Promise<RawResponse> => rawRequest(port, rawPath, options);

  beforeAll(async () => {
    folder = makePostsFolder(POSTS);
    const publisher = new Publisher(testConfig({ postsDir: folder.dir, site: { url: BASE } }), silentLogger, () => NOW);
    const report = await publisher.scan();
    expect(report.ok).toBe(true);
    // The documents' compressed forms too: these tests compare answers made a moment apart.
    await publisher.settled();
    server = createServer(publisher).listen(0, "127.0.0.1");
    port = await listenOnFreePort(server);
  });

  afterAll(async () => {
    await closeServer(server);
    folder.remove();
  });

  describe.each(FORMATS)("site $file", ({ file, contentType }) => {
    test("is served with its media type, length and validators", async () => {
      const response = await request(`/${file}`);
      expect(response.status).toBe(200);
      expect(response.headers["content-type"]).toBe(contentType);
      expect(response.headers["content-length"]).toBe(String(response.body.length));
      expect(response.headers.etag).toMatch(/^"[^"]+"$/);
      expect(response.headers["last-modified"]).toBe(NEWEST.toUTCString());
      expectCommonHeaders(response);
    });

    test("holds every published post and points rel=self / feed_url at itself", async () => {
      const feed = readFeed(file, (await request(`/${file}`)).body);
      expect(feed.title).toBe("Example Blog");
      expect(feed.selfUrl).toBe(`${BASE}/${file}`);
      expect(feed.itemTitles).toEqual(PUBLISHED_TITLES);
    });

    test("HEAD answers like GET without a body", async () => {
      const get = await request(`/${file}`);
      const head = await request(`/${file}`, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      for (const header of ["content-type", "content-length", "etag", "last-modified", "cache-control"]) {
        expect(head.headers[header], header).toBe(get.headers[header]);
      }
    });

    test("If-None-Match with the ETag gives 304 without a body", async () => {
      const { headers } = await request(`/${file}`);
      const etag = String(headers.etag);
      for (const ifNoneMatch of [etag, `"not-it", ${etag}`, `W/${etag}`, "*"]) {
        const response = await request(`/${file}`, { headers: { "If-None-Match": ifNoneMatch } });
        expect(response.status, ifNoneMatch).toBe(304);
        expect(response.body.length).toBe(0);
        expect(response.headers.etag).toBe(etag);
      }
      const head = await request(`/${file}`, { method: "HEAD", headers: { "If-None-Match": etag } });
      expect(head.status).toBe(304);
      const changed = await request(`/${file}`, { headers: { "If-None-Match": '"an-older-version"' } });
      expect(changed.status).toBe(200);
      expect(changed.body.length).toBeGreaterThan(0);
    });

    test("If-Modified-Since with the Last-Modified gives 304; an earlier date gives the document", async () => {
      const notModified = await request(`/${file}`, { headers: { "If-Modified-Since": NEWEST.toUTCString() } });
      expect(notModified.status).toBe(304);
      expect(notModified.body.length).toBe(0);
      const modified = await request(`/${file}`, { headers: { "If-Modified-Since": new Date(NEWEST.getTime() - 1000).toUTCString() } });
      expect(modified.status).toBe(200);
    });
  });

  describe.each(TERM_FEEDS)("the feeds of $name", ({ name, path, titles }) => {
    test.each(FORMATS)("$file is served at its canonical path with only its posts", async ({ file, contentType }) => {
      const response = await request(`${path}/${file}`);
      expect(response.status).toBe(200);
      expect(response.headers["content-type"]).toBe(contentType);
      expect(response.headers["content-length"]).toBe(String(response.body.length));
      expect(response.headers.etag).toMatch(/^"[^"]+"$/);
      expect(new Date(String(response.headers["last-modified"])).getTime()).not.toBeNaN();
      expectCommonHeaders(response);

      const feed = readFeed(file, response.body);
      expect(feed.title).toContain(name);
      expect(feed.selfUrl).toBe(`${BASE}${path}/${file}`);
      expect(feed.itemTitles).toEqual(titles);
    });

    test("HEAD and If-None-Match behave as for the site feed", async () => {
      const get = await request(`${path}/feed.xml`);
      const head = await request(`${path}/feed.xml`, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      expect(head.headers["content-length"]).toBe(get.headers["content-length"]);
      expect(head.headers.etag).toBe(get.headers.etag);
      const conditional = await request(`${path}/feed.xml`, { headers: { "If-None-Match": String(get.headers.etag) } });
      expect(conditional.status).toBe(304);
      expect(conditional.body.length).toBe(0);
    });
  });

  test('"C#", "C++" and "C" are three different feeds', async () => {
    const bodies = await Promise.all(["/tags/c%23/feed.xml", "/tags/c++/feed.xml", "/tags/c/feed.xml"].map((path) => request(path)));
    expect(new Set(bodies.map((response) => response.headers.etag)).size).toBe(3);
    expect(bodies.map((response) => readFeed("feed.xml", response.body).itemTitles)).toEqual([["Sharp post"], ["Plus plus post"], ["Plain C post"]]);
  });

  describe("another spelling of a name is redirected to the canonical path", () => {
    const nfd = "データ分析".normalize("NFD");
    test.each([
      { sent: "/tags/Machine%20Learning/feed.xml", location: "/tags/machine-learning/feed.xml" },
      { sent: "/tags/machine%20learning/feed.json", location: "/tags/machine-learning/feed.json" },
      { sent: "/tags/MACHINE-LEARNING/atom.xml", location: "/tags/machine-learning/atom.xml" },
      { sent: `/tags/${percentEncodeSegment(nfd)}/feed.xml`, location: "/tags/%E3%83%87%E3%83%BC%E3%82%BF%E5%88%86%E6%9E%90/feed.xml" },
      { sent: "/categories/AI%E5%B0%8E%E5%85%A5%E6%88%A6%E7%95%A5/atom.xml", location: "/categories/ai%E5%B0%8E%E5%85%A5%E6%88%A6%E7%95%A5/atom.xml" },
      { sent: "/categories/Engineering/feed.xml", location: "/categories/engineering/feed.xml" },
      { sent: "/tags/C%23/feed.xml", location: "/tags/c%23/feed.xml" },
      { sent: "/tags/CI%2FCD/feed.xml", location: "/tags/ci~2fcd/feed.xml" },
      { sent: "/tags/100%25/feed.json", location: "/tags/100~25/feed.json" },
      { sent: "/tags/.NET/feed.xml", location: "/tags/.net/feed.xml" },
      // The canonical slug itself in upper case: its "~" must not be escaped a second time.
      { sent: "/tags/CI~2FCD/atom.xml", location: "/tags/ci~2fcd/atom.xml" },
    ])("$sent -> $location", async ({ sent, location }) => {
      const response = await request(sent);
      expect(response.status).toBe(301);
      expect(response.headers.location).toBe(location);
      expectCommonHeaders(response);
      const followed = await request(location);
      expect(followed.status).toBe(200);
    });

    test("the NFD spelling sent above really differs from the NFC name", () => {
      expect(nfd).not.toBe("データ分析");
      expect(nfd.normalize("NFC")).toBe("データ分析");
    });

    test("HEAD is redirected too, without a body", async () => {
      const response = await request("/tags/Machine%20Learning/feed.xml", { method: "HEAD" });
      expect(response.status).toBe(301);
      expect(response.headers.location).toBe("/tags/machine-learning/feed.xml");
      expect(response.body.length).toBe(0);
    });
  });

  describe("what is not there", () => {
    test.each([
      "/tags/rust/feed.xml",
      "/categories/c%23/feed.xml",
      "/tags/machine-learning/rss.xml",
      "/tags/machine-learning",
      "/categories/engineering/",
      "/authors/someone/feed.xml",
      "/feed.rss",
      "/index.html",
      "/no/such/path/at/all",
    ])("%s is 404 with a short text that points to /", async (path) => {
      const response = await request(path);
      expect(response.status).toBe(404);
      expect(response.headers["content-type"]).toMatch(/^text\/plain/);
      expect(response.text).toMatch(/ at \/\s*$/);
      expectNoStackTrace(response);
      expectCommonHeaders(response);
    });

    test.each(["/tags/%E0%A4%A/feed.xml", "/categories/%ZZ/feed.xml", "/%E0%A4%A", "/tags/%C0%AF/atom.xml"])(
      "malformed percent-encoding %s is a 4xx without a stack trace",
      async (path) => {
        const response = await request(path);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(response.headers["content-type"]).toMatch(/^text\/plain/);
        expectNoStackTrace(response);
        expectCommonHeaders(response);
      },
    );
  });

  describe("the index page", () => {
    test("is HTML with autodiscovery links for the three site feeds", async () => {
      const response = await request("/");
      expect(response.status).toBe(200);
      expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(response.headers.etag).toMatch(/^"[^"]+"$/);
      expectCommonHeaders(response);

      const alternates = htmlTags(response.text).filter((tag) => tag.name === "link" && tag.attributes.rel === "alternate");
      const feeds = alternates.filter((tag) => tag.attributes.type !== "text/x-opml");
      expect(feeds.map((tag) => [tag.attributes.type, tag.attributes.href])).toEqual([
        ["application/rss+xml", `${BASE}/feed.xml`],
        ["application/atom+xml", `${BASE}/atom.xml`],
        ["application/feed+json", `${BASE}/feed.json`],
      ]);
      for (const tag of feeds) expect(tag.attributes.title).toBeTruthy();
    });

    test("lists every category and tag with links to its three feeds", async () => {
      const tags = htmlTags((await request("/")).text);
      const names = tags.filter((tag) => tag.name === "strong").map((tag) => tag.text);
      const hrefs = new Set(tags.filter((tag) => tag.name === "a").map((tag) => tag.attributes.href));
      for (const { name, path } of TERM_FEEDS) {
        expect(names).toContain(name);
        for (const { file } of FORMATS) expect(hrefs).toContain(`${BASE}${path}/${file}`);
      }
    });

    test("every link on it to this service answers 200", async () => {
      const tags = htmlTags((await request("/")).text);
      const hrefs = new Set(tags.flatMap((tag) => (tag.attributes.href?.startsWith(`${BASE}/`) ? [tag.attributes.href.slice(BASE.length)] : [])));
      // 3 site feeds + 3 per term + feeds.opml
      expect(hrefs.size).toBe(3 + 3 * TERM_FEEDS.length + 1);
      for (const path of hrefs) expect((await request(path)).status, path).toBe(200);
    });
  });

  test("/feeds.opml is XML with one outline per feed, naming its category or tag", async () => {
    const response = await request("/feeds.opml");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/x-opml; charset=utf-8$/);
    expectCommonHeaders(response);
    const opml = parseXml(response.text);
    expect(opml.name).toBe("opml");
    const feeds = findAll(opml, "outline").filter((outline) => outline.attributes.xmlUrl !== undefined);
    expect(feeds).toHaveLength(1 + TERM_FEEDS.length);
    expect(feeds.map((outline) => outline.attributes.xmlUrl)).toContain(`${BASE}/feed.xml`);
    for (const { name, path } of TERM_FEEDS) {
      const outline = feeds.find((candidate) => candidate.attributes.xmlUrl === `${BASE}${path}/feed.xml`);
      expect(outline, name).toBeDefined();
      expect(outline?.attributes.text).toBe(name);
      expect(outline?.attributes.type).toBe("rss");
    }
  });

  test("/healthz reports the scan, the published posts and every skipped post", async () => {
    const response = await request("/healthz");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expectCommonHeaders(response);
    const health = JSON.parse(response.text) as {
      status: string;
      lastScan: { startedAt: string; finishedAt: string; ok: boolean } | null;
      posts: { published: number; skipped: number };
      documents: { compressionPending: number };
      skipped: Array<{ file: string; line: number | null; message: string }>;
    };
    expect(health.status).toBe("ok");
    // The suite waited for the compressed forms (Publisher.settled()).
    expect(health.documents.compressionPending).toBe(0);
    expect(health.lastScan).toEqual({
      startedAt: NOW.toISOString(),
      finishedAt: NOW.toISOString(),
      durationMs: expect.any(Number) as number,
      ok: true,
      added: 6,
      changed: 0,
      removed: 0,
      feedsRendered: 11,
    });
    expect(health.posts.published).toBe(PUBLISHED_TITLES.length);
    expect(health.posts.skipped).toBe(1);
    expect(health.skipped).toHaveLength(1);
    expect(health.skipped[0]?.file).toBe("2025-01-14-broken.md");
    expect(health.skipped[0]?.line).toBe(3);
    expect(health.skipped[0]?.message).toMatch(/YAML/);
  });

  test.each(["/", "/feeds.opml", "/healthz"])("HEAD %s answers like GET without a body", async (path) => {
    const get = await request(path);
    const head = await request(path, { method: "HEAD" });
    expect(head.status).toBe(get.status);
    expect(head.body.length).toBe(0);
    expect(head.headers["content-type"]).toBe(get.headers["content-type"]);
    expect(head.headers["content-length"]).toBe(String(get.body.length));
    expect(head.headers.etag).toBe(get.headers.etag);
  });

  test("only GET and HEAD are allowed: other methods get 405 with Allow", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const response = await request("/feed.xml", { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.allow).toBe("GET, HEAD");
    }
  });

  test("feeds can be read from other origins; /healthz is never cached", async () => {
    expect((await request("/feed.json")).headers["access-control-allow-origin"]).toBe("*");
    expect((await request("/healthz")).headers["cache-control"]).toBe("no-store");
  });

  test("a redirect keeps the query string", async () => {
    const response = await request("/tags/C%23/feed.xml?utm_source=reader");
    expect(response.status).toBe(301);
    expect(response.headers.location).toBe("/tags/c%23/feed.xml?utm_source=reader");
  });

  test("no response carries X-Powered-By, every one carries nosniff", async () => {
    for (const path of ["/", "/feed.xml", "/feeds.opml", "/healthz", "/nope", "/tags/C%23/feed.xml", "/tags/%E0%A4%A/feed.xml"]) {
      expectCommonHeaders(await request(path));
    }
  });
});

describe("after a rescan", () => {
  let folder: PostsFolder;
  let publisher: Publisher;
  let server: Server;
  let port: number;
  let now = NOW;

  beforeAll(async () => {
    folder = makePostsFolder({
      "2025-01-10-older.md": post('title: "Older"\ntags: [news]'),
      "2025-01-20-newer.md": post('title: "Newer"\ntags: [news]'),
    });
    publisher = new Publisher(testConfig({ postsDir: folder.dir }), silentLogger, () => now);
    await publisher.scan();
    server = createServer(publisher).listen(0, "127.0.0.1");
    port = await listenOnFreePort(server);
  });

  afterAll(async () => {
    await closeServer(server);
    folder.remove();
  });

  test("a back-dated post changes the ETag (so If-None-Match sees it) but not the deterministic Last-Modified", async () => {
    // The index page shows the new count ("3 posts"), not the title.
    const shows: Readonly<Record<string, string>> = { "/": "3 posts" };
    const paths = ["/feed.xml", "/atom.xml", "/feed.json", "/tags/news/feed.xml", "/"];
    const before = await Promise.all(paths.map((path) => rawRequest(port, path)));
    expect(before.map((response) => response.headers["last-modified"])).toEqual(paths.map(() => "Mon, 20 Jan 2025 00:00:00 GMT"));

    // Written later, dated between the two: the newest item (and so the feed's own date) is unchanged.
    folder.write("2025-01-15-backdated.md", post('title: "Back-dated"\ntags: [news]'));
    now = new Date("2025-06-01T00:05:00Z");
    expect((await publisher.scan()).ok).toBe(true);

    for (const [index, path] of paths.entries()) {
      const previous = before[index];
      const response = await rawRequest(port, path, { headers: { "If-None-Match": String(previous?.headers.etag) } });
      expect(response.status, path).toBe(200);
      expect(response.headers.etag).not.toBe(previous?.headers.etag);
      expect(response.text).toContain(shows[path] ?? "Back-dated");
      // Last-Modified is the newest item's date, the same on every replica, never the scan time.
      expect(response.headers["last-modified"]).toBe("Mon, 20 Jan 2025 00:00:00 GMT");
      const again = await rawRequest(port, path, { headers: { "If-None-Match": String(response.headers.etag) } });
      expect(again.status, path).toBe(304);
    }
  });

  test("documents whose bytes did not change keep their ETag and Last-Modified across scans", async () => {
    const before = await rawRequest(port, "/tags/news/atom.xml");
    now = new Date("2025-06-01T00:10:00Z");
    expect((await publisher.scan()).ok).toBe(true);
    const after = await rawRequest(port, "/tags/news/atom.xml", { headers: { "If-Modified-Since": String(before.headers["last-modified"]) } });
    expect(after.status).toBe(304);
    expect(after.headers.etag).toBe(before.headers.etag);
    expect(after.headers["last-modified"]).toBe(before.headers["last-modified"]);
  });

  test("a post removed at the next scan is gone from the feeds, and a tag left without posts is 404", async () => {
    folder.write("2025-01-25-solo.md", post('title: "Solo"\ntags: [lonely]'));
    expect((await publisher.scan()).ok).toBe(true);
    expect((await rawRequest(port, "/tags/lonely/feed.json")).status).toBe(200);

    rmSync(join(folder.dir, "2025-01-25-solo.md"));
    expect((await publisher.scan()).ok).toBe(true);
    expect((await rawRequest(port, "/tags/lonely/feed.json")).status).toBe(404);
    expect((await rawRequest(port, "/feed.xml")).text).not.toContain("Solo");
  });
});

describe("before the first scan", () => {
  let folder: PostsFolder;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    folder = makePostsFolder(POSTS);
    const publisher = new Publisher(testConfig({ postsDir: folder.dir }), silentLogger, () => NOW);
    server = createServer(publisher).listen(0, "127.0.0.1");
    port = await listenOnFreePort(server);
  });

  afterAll(async () => {
    await closeServer(server);
    folder.remove();
  });

  test.each(["/feed.xml", "/atom.xml", "/feed.json", "/tags/c%23/feed.xml", "/", "/feeds.opml"])("%s is 503 with Retry-After", async (path) => {
    const response = await rawRequest(port, path);
    expect(response.status).toBe(503);
    expect(Number(response.headers["retry-after"])).toBeGreaterThan(0);
    expectNoStackTrace(response);
    expectCommonHeaders(response);
  });

  test('/healthz says "starting"', async () => {
    const response = await rawRequest(port, "/healthz");
    expect(response.status).toBe(503);
    const health = JSON.parse(response.text) as { status: string; lastScan: unknown };
    expect(health.status).toBe("starting");
    expect(health.lastScan).toBeNull();
  });
});
