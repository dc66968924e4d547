// A build goes live before its documents are compressed: uncompressed and `no-store` first, then
// each document's gzip and Brotli forms swapped in as they are ready.
import { describe, expect, test } from "vitest";
import { loadPosts } from "../../src/content/load-posts.js";
import { compressNow, type CompressedForms } from "../../src/delivery/served-document.js";
import { ServedSite, type CompressedStore } from "../../src/delivery/served-site.js";
import { allFeeds, buildSite } from "../../src/feeds/build-site.js";
import { makePostsFolder, post, testConfig } from "../helpers/site-fixture.js";

describe("ServedSite before and after compression", () => {
  test("serves every new document uncompressed and not to be stored until its compressed forms are in, then those", async () => {
    const folder = makePostsFolder({ "2025-01-01-a.md": post("title: A\ntags: [one]", "Words to compress. ".repeat(50)) });
    try {
      const config = testConfig({ postsDir: folder.dir });
      const build = buildSite(config, await loadPosts(config), new Date("2030-01-01T00:00:00Z"));
      // Compression the test finishes when it chooses.
      const finish = new Map<string, (forms: CompressedForms) => void>();
      const compressing = new Map<string, Promise<CompressedForms>>();
      for (const feed of allFeeds(build)) {
        for (const document of Object.values(feed.documents)) compressing.set(document.etag, new Promise((resolve) => finish.set(document.etag, resolve)));
      }
      const stored: string[] = [];
      const store: CompressedStore = { getMany: (etags) => Promise.resolve(etags.map(() => undefined)), put: (etag) => void stored.push(etag) };
      const compressor = { compress: (etag: string) => compressing.get(etag) ?? Promise.resolve(undefined) };
      const site = await ServedSite.create(config, build, undefined, store, () => undefined, compressor);

      const before = site.lookup("/feed.xml");
      expect(before?.interim).toBe(true);
      expect(site.interimEtags().has(build.site.documents.rss.etag)).toBe(true);
      expect(before?.variants.gzip).toBe(before?.variants.identity);
      expect(before?.variants.br).toBe(before?.variants.identity);
      expect(headerOf(before?.variants.identity.headers, "Cache-Control")).toBe("no-store");
      expect(headerOf(before?.variants.identity.headers, "ETag")).toBe(build.site.documents.rss.etag);

      let done = false;
      void site.compressed.then(() => (done = true));
      for (const [etag, resolve] of finish) {
        const document = allFeeds(build).flatMap((feed) => Object.values(feed.documents)).find((entry) => entry.etag === etag);
        resolve(compressNow(document?.body ?? Buffer.alloc(0), "subscription"));
      }
      await site.compressed;
      expect(done).toBe(true);
      // Every document whose compression this test finished is compressed now (the index, the
      // OPML file and the stylesheet, which it never compresses, still wait).
      expect([...site.interimEtags()].filter((etag) => compressing.has(etag))).toEqual([]);
      expect(site.interimEtags().size).toBe(3);
      const after = site.lookup("/feed.xml");
      expect(after?.interim).toBe(false);
      expect(after?.variants.gzip).not.toBe(after?.variants.identity);
      expect(headerOf(after?.variants.gzip.headers, "Content-Encoding")).toBe("gzip");
      expect(headerOf(after?.variants.gzip.headers, "Cache-Control")).toMatch(/^public, max-age=60/);
      // Every ETag of the uncompressed answer is still one of the document's: a client holding it gets a 304.
      expect(after?.etags.has(build.site.documents.rss.etag.slice(1, -1))).toBe(true);
      expect(stored).toContain(build.site.documents.rss.etag);
    } finally {
      folder.remove();
    }
  });

  test("once compressed, a document gives up its uncompressed bytes and makes the same ones again from gzip", async () => {
    const folder = makePostsFolder({ "2025-01-01-a.md": post("title: A\ntags: [one]", "Words to compress. ".repeat(50)) });
    try {
      const config = testConfig({ postsDir: folder.dir });
      const build = buildSite(config, await loadPosts(config), new Date("2030-01-01T00:00:00Z"));
      const document = build.site.documents.rss;
      const original = Buffer.from(document.body);
      const held = document.body;
      const compressor = { compress: (_etag: string, body: Buffer) => Promise.resolve(compressNow(body, "subscription")) };
      const site = await ServedSite.create(config, build, undefined, undefined, () => undefined, compressor);
      await site.compressed;
      // Not the buffer it held: made again (from gzip), with the very same bytes.
      expect(document.body).not.toBe(held);
      expect(document.body.equals(original)).toBe(true);
      const served = site.lookup("/feed.xml");
      expect(served?.variants.identity.body.equals(original)).toBe(true);
      expect(served?.browserVariants?.identity.body.equals(original)).toBe(true);
      expect(headerOf(served?.variants.identity.headers, "Content-Length")).toBe(String(original.length));
      expect(served?.variants.identity.encoding).toBeUndefined();
      expect(served?.variants.gzip.encoding).toBe("gzip");
    } finally {
      folder.remove();
    }
  });
});

function headerOf(headers: readonly string[] | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (let index = 0; index < headers.length; index += 2) if (headers[index] === name) return headers[index + 1];
  return undefined;
}
