// Aggregator-grade delivery, as a polling client sees it: strong and stable ETags, conditional
// requests, precompressed codings chosen by Accept-Encoding, caching headers, RFC 5005 archives and
// WebSub discovery. Raw requests over loopback against createServer (fast path + Express).
import type { Server } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createServer } from "../../src/http/server.js";
import { silentLogger } from "../../src/logger.js";
import { Publisher } from "../../src/publish/publisher.js";
import { closeServer, listenOnFreePort, rawRequest, type RawRequestOptions, type RawResponse } from "../helpers/http.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";
import { child, childText, children, findAll, parseXml } from "../helpers/xml.js";

const NOW = new Date("2026-01-01T00:00:00Z");
const HUBS = ["https://hub.example.com/", "https://other-hub.example.net/websub"];
const LIMIT = 3;

/** Seven posts, all tagged "news", one a week: two archives of three items at feed.limit 3. */
function postsFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let index = 1; index <= 7; index++) {
    const day = String(index * 3).padStart(2, "0");
    files[`2025-03-${day}-post-${index}.md`] = post(`title: "Post ${index}"\ntags: [news]\ncategories: [Weekly]`, `Body of post ${index}. ${"Words to compress. ".repeat(40)}`);
  }
  return files;
}

async function startSite(folder: PostsFolder): Promise<{ server: Server; port: number; publisher: Publisher }> {
  const config = testConfig({ postsDir: folder.dir, feed: { limit: LIMIT }, hubs: HUBS, maxAge: 300 });
  const publisher = new Publisher(config, silentLogger, () => NOW);
  await publisher.scan();
  await publisher.settled();
  const server = createServer(publisher);
  const port = await listenOnFreePort(server);
  return { server, port, publisher };
}

let folder: PostsFolder;
let site: Awaited<ReturnType<typeof startSite>>;
let request: (path: string, options?: RawRequestOptions) => Promise<RawResponse>;

beforeAll(async () => {
  folder = makePostsFolder(postsFiles());
  site = await startSite(folder);
  request = (path, options) => rawRequest(site.port, path, options);
});

afterAll(async () => {
  await closeServer(site.server);
  folder.remove();
});

const DOCUMENTS = ["/feed.xml", "/atom.xml", "/feed.json", "/tags/news/feed.xml", "/categories/weekly/atom.xml", "/archive/2/feed.json", "/", "/feeds.opml", "/feed.xsl"];

describe("validators", () => {
  test("every document has a strong ETag and a Last-Modified, and two instances over the same posts agree", async () => {
    const second = await startSite(folder);
    try {
      for (const path of DOCUMENTS) {
        for (const encoding of ["identity", "gzip", "br"]) {
          const headers = { "Accept-Encoding": encoding };
          const [a, b] = await Promise.all([request(path, { headers }), rawRequest(second.port, path, { headers })]);
          expect(a.status, path).toBe(200);
          expect(a.headers.etag, path).toMatch(/^"[^"]+"$/);
          expect(a.headers.etag, `${path} ${encoding}`).toBe(b.headers.etag);
          expect(a.headers["last-modified"], path).toBe(b.headers["last-modified"]);
          expect(a.body.equals(b.body), path).toBe(true);
        }
      }
    } finally {
      await closeServer(second.server);
    }
  });

  test("If-None-Match takes precedence over If-Modified-Since", async () => {
    const first = await request("/feed.xml");
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers["last-modified"]);
    const longAgo = "Mon, 01 Jan 2001 00:00:00 GMT";
    expect((await request("/feed.xml", { headers: { "If-None-Match": etag, "If-Modified-Since": longAgo } })).status).toBe(304);
    expect((await request("/feed.xml", { headers: { "If-None-Match": '"stale"', "If-Modified-Since": lastModified } })).status).toBe(200);
    expect((await request("/feed.xml", { headers: { "If-Modified-Since": lastModified } })).status).toBe(304);
    expect((await request("/feed.xml", { headers: { "If-Modified-Since": longAgo } })).status).toBe(200);
  });

  test("If-None-Match uses the weak comparison, lists and *", async () => {
    const etag = String((await request("/atom.xml")).headers.etag);
    for (const header of [`W/${etag}`, `"a", ${etag}, "b"`, "*"]) {
      expect((await request("/atom.xml", { headers: { "If-None-Match": header } })).status, header).toBe(304);
    }
  });

  test("a 304 has no body and repeats ETag, Cache-Control and Vary", async () => {
    const full = await request("/feed.json", { headers: { "Accept-Encoding": "gzip" } });
    const revalidated = await request("/feed.json", { headers: { "Accept-Encoding": "gzip", "If-None-Match": String(full.headers.etag) } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
    for (const name of ["etag", "cache-control", "vary", "last-modified"]) expect(revalidated.headers[name], name).toBe(full.headers[name]);
    expect(revalidated.headers["content-length"]).toBeUndefined();
  });

  test("HEAD answers like GET, Content-Length included, without a body", async () => {
    for (const encoding of ["identity", "gzip", "br"]) {
      const headers = { "Accept-Encoding": encoding };
      const get = await request("/tags/news/atom.xml", { headers });
      const head = await request("/tags/news/atom.xml", { method: "HEAD", headers });
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      for (const name of ["content-type", "content-length", "content-encoding", "etag", "last-modified", "cache-control", "vary", "link"]) {
        expect(head.headers[name], `${encoding} ${name}`).toBe(get.headers[name]);
      }
    }
  });
});

describe("content codings, made when the documents were built", () => {
  test.each([
    [undefined, undefined],
    ["gzip", "gzip"],
    ["br", "br"],
    ["gzip, deflate, br", "br"],
    ["gzip;q=1, br;q=0.5", "gzip"],
    ["br;q=0, gzip;q=0.1", "gzip"],
    ["*", "br"],
    ["gzip;q=0, br;q=0", undefined],
    ["deflate", undefined],
  ])("Accept-Encoding %j gives Content-Encoding %j with the same document inside", async (acceptEncoding, expected) => {
    const identity = await request("/feed.xml");
    const response = await request("/feed.xml", { headers: acceptEncoding === undefined ? {} : { "Accept-Encoding": acceptEncoding } });
    expect(response.status).toBe(200);
    expect(response.headers["content-encoding"]).toBe(expected);
    expect(response.headers.vary).toContain("Accept-Encoding");
    expect(Number(response.headers["content-length"])).toBe(response.body.length);
    const decoded = expected === "gzip" ? gunzipSync(response.body) : expected === "br" ? brotliDecompressSync(response.body) : response.body;
    expect(decoded.equals(identity.body)).toBe(true);
    if (expected) {
      expect(response.body.length).toBeLessThan(identity.body.length);
      expect(response.headers.etag).not.toBe(identity.headers.etag);
    }
  });

  test("identity;q=0 with nothing else acceptable gets 406", async () => {
    const response = await request("/feed.xml", { headers: { "Accept-Encoding": "identity;q=0" } });
    expect(response.status).toBe(406);
  });

  test("each format has its media type with charset=utf-8", async () => {
    expect((await request("/feed.xml")).headers["content-type"]).toBe("application/rss+xml; charset=utf-8");
    expect((await request("/atom.xml")).headers["content-type"]).toBe("application/atom+xml; charset=utf-8");
    expect((await request("/feed.json")).headers["content-type"]).toBe("application/feed+json; charset=utf-8");
    expect((await request("/feed.xsl")).headers["content-type"]).toBe("text/xsl; charset=utf-8");
  });

  test("a browser (Accept: text/html) gets RSS and Atom as application/xml, so it applies the XSLT stylesheet", async () => {
    const accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    const reader = await request("/feed.xml");
    const browser = await request("/feed.xml", { headers: { Accept: accept } });
    expect(browser.headers["content-type"]).toBe("application/xml; charset=utf-8");
    expect(browser.body.equals(reader.body)).toBe(true);
    expect(browser.headers.etag).not.toBe(reader.headers.etag);
    expect(browser.headers.vary).toBe("Accept, Accept-Encoding");
    expect(reader.body.toString()).toContain('<?xml-stylesheet href="https://blog.example.com/feed.xsl" type="text/xsl"?>');
    expect((await request("/feed.json", { headers: { Accept: accept } })).headers["content-type"]).toBe("application/feed+json; charset=utf-8");
  });
});

describe("caching", () => {
  test("Cache-Control follows the configured max-age and RSS <ttl> agrees with it", async () => {
    const response = await request("/feed.xml");
    expect(response.headers["cache-control"]).toBe("public, max-age=300, stale-while-revalidate=300, stale-if-error=86400");
    expect(childText(child(parseXml(response.text), "channel") ?? parseXml(response.text), "ttl")).toBe("5");
  });
});

describe("RFC 5005 archives and JSON Feed next_url", () => {
  const base = "https://blog.example.com";
  /** rel -> href of the RSS channel's atom:link elements, and whether it holds fh:archive. */
  const rssLinks = async (path: string): Promise<{ links: Record<string, string>; archive: boolean; items: number }> => {
    const response = await request(path);
    expect(response.status, path).toBe(200);
    const root = parseXml(response.text);
    const channel = child(root, "channel") ?? root;
    const links: Record<string, string> = {};
    for (const link of children(channel, "atom:link")) links[link.attributes.rel ?? ""] = link.attributes.href ?? "";
    const archive = children(channel, "fh:archive");
    for (const element of archive) expect(element.attributes["xmlns:fh"]).toBe("http://purl.org/syndication/history/1.0");
    return { links, archive: archive.length === 1, items: findAll(root, "item").length };
  };

  test("RSS: the subscription document leads to the newest archive, each archive to the older and newer ones", async () => {
    // Seven posts at feed.limit 3: archive 1 holds posts 1-3, archive 2 posts 4-6, the
    // subscription document posts 5-7.
    expect(await rssLinks("/feed.xml")).toEqual({ links: { self: `${base}/feed.xml`, hub: HUBS[1], "prev-archive": `${base}/archive/2/feed.xml` }, archive: false, items: 3 });
    expect(await rssLinks("/archive/2/feed.xml")).toEqual({
      links: { self: `${base}/archive/2/feed.xml`, current: `${base}/feed.xml`, "prev-archive": `${base}/archive/1/feed.xml` },
      archive: true,
      items: 3,
    });
    expect(await rssLinks("/archive/1/feed.xml")).toEqual({
      links: { self: `${base}/archive/1/feed.xml`, current: `${base}/feed.xml`, "next-archive": `${base}/archive/2/feed.xml` },
      archive: true,
      items: 3,
    });
  });

  test("following prev-archive (Atom) and next_url (JSON Feed) reaches every post, newest document first", async () => {
    const expected = ["Post 7", "Post 6", "Post 5", "Post 6", "Post 5", "Post 4", "Post 3", "Post 2", "Post 1"];
    const jsonTitles: string[] = [];
    let url: string | undefined = `${base}/tags/news/feed.json`;
    while (url) {
      const document = JSON.parse((await request(new URL(url).pathname)).text) as { next_url?: string; feed_url: string; items: { title: string }[] };
      expect(document.feed_url).toBe(`${base}/tags/news/feed.json`);
      jsonTitles.push(...document.items.map((item) => item.title));
      url = document.next_url;
    }
    expect(jsonTitles).toEqual(expected);
    const atomTitles: string[] = [];
    let atomUrl: string | undefined = `${base}/tags/news/atom.xml`;
    while (atomUrl) {
      const feed = parseXml((await request(new URL(atomUrl).pathname)).text);
      expect(childText(feed, "id")).toBe(`${base}/tags/news/atom.xml`);
      const links = children(feed, "link");
      if (atomUrl !== `${base}/tags/news/atom.xml`) {
        expect(links.find((link) => link.attributes.rel === "current")?.attributes.href).toBe(`${base}/tags/news/atom.xml`);
        expect(children(feed, "fh:archive")).toHaveLength(1);
      }
      atomTitles.push(...children(feed, "entry").map((entry) => childText(entry, "title") ?? ""));
      atomUrl = links.find((link) => link.attributes.rel === "prev-archive")?.attributes.href;
    }
    expect(atomTitles).toEqual(expected);
  });

  test("archives carry a day-long Cache-Control and their own strong ETags", async () => {
    const etags = new Set<string>();
    for (const path of ["/archive/1/feed.xml", "/archive/2/feed.xml", "/feed.xml"]) {
      const response = await request(path);
      expect(response.headers.etag, path).toMatch(/^"[^"]+"$/);
      etags.add(String(response.headers.etag));
      const revalidated = await request(path, { headers: { "if-none-match": String(response.headers.etag) } });
      expect(revalidated.status, path).toBe(304);
    }
    expect(etags.size).toBe(3);
    expect((await request("/archive/1/atom.xml")).headers["cache-control"]).toBe("public, max-age=86400, stale-while-revalidate=86400, stale-if-error=86400");
  });

  test("hubs are advertised by subscription documents only, in all three formats and in a Link header", async () => {
    const atom = parseXml((await request("/atom.xml")).text);
    expect(children(atom, "link").filter((link) => link.attributes.rel === "hub").map((link) => link.attributes.href)).toEqual(HUBS);
    const json = JSON.parse((await request("/feed.json")).text) as { hubs?: { type: string; url: string }[] };
    expect(json.hubs).toEqual(HUBS.map((url) => ({ type: "WebSub", url })));
    const link = (await request("/tags/news/feed.xml")).headers.link;
    expect(link).toBe(`<${HUBS[0]}>; rel="hub", <${HUBS[1]}>; rel="hub", <https://blog.example.com/tags/news/feed.xml>; rel="self"`);
    const archive = await request("/archive/2/atom.xml");
    expect(archive.headers.link).toBeUndefined();
    expect(archive.text).not.toContain('rel="hub"');
  });

  test("an archive past the newest is 404; leading zeros are redirected", async () => {
    expect((await request("/archive/3/feed.xml")).status).toBe(404);
    expect((await request("/tags/news/archive/9/atom.xml")).status).toBe(404);
    expect((await request("/archive/0/feed.xml")).status).toBe(404);
    for (const [sent, location] of [
      ["/archive/02/feed.json", "/archive/2/feed.json"],
      ["/tags/NEWS/archive/1/atom.xml", "/tags/news/archive/1/atom.xml"],
    ] as const) {
      const response = await request(sent);
      expect(response.status, sent).toBe(301);
      expect(response.headers.location, sent).toBe(location);
    }
  });

  test("the old pages counted from the newest post lead to the document holding their newest post, or are 404", async () => {
    // Old page n began with the post at position 3 (n - 1) + 1 from the newest: post 7, 4 and 1.
    for (const [sent, location] of [
      ["/page/1/feed.xml", "/feed.xml"],
      ["/page/2/feed.json", "/archive/2/feed.json"],
      ["/page/03/atom.xml", "/archive/1/atom.xml"],
      ["/tags/NEWS/page/2/atom.xml", "/tags/news/archive/2/atom.xml"],
      ["/categories/weekly/page/3/feed.xml", "/categories/weekly/archive/1/feed.xml"],
    ] as const) {
      const response = await request(sent);
      expect(response.status, sent).toBe(301);
      expect(response.headers.location, sent).toBe(location);
    }
    for (const gone of ["/page/4/feed.xml", "/tags/news/page/9/atom.xml", "/tags/no-such-tag/page/2/feed.xml", "/page/0/feed.xml"]) expect((await request(gone)).status, gone).toBe(404);
  });
});

describe("paths no route can match", () => {
  test("get the same short 404 from the fast path as from Express, and other methods still get 405", async () => {
    const fast = await request("/wp-login.php");
    const routed = await request("/tags/no-such-tag/feed.xml");
    expect(fast.status).toBe(404);
    expect(routed.status).toBe(404);
    expect(fast.text).toBe(routed.text);
    expect(fast.headers["content-type"]).toBe(routed.headers["content-type"]);
    expect(fast.headers["x-content-type-options"]).toBe("nosniff");
    expect((await request("/wp-login.php", { method: "HEAD" })).body.length).toBe(0);
    expect((await request("/wp-login.php", { method: "POST" })).status).toBe(405);
    // Percent-encoded paths are decoded by Express before matching: /%66eed.xml is /feed.xml.
    expect((await request("/%66eed.xml")).status).toBe(200);
  });
});
