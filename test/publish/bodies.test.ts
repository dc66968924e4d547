// Posts are read in two passes: every head (front matter) first, then the bodies the first pages
// show, and only after those are published, every other body in the background. These tests
// check what that must never change: the documents are those of a build that renders everything
// first; a post whose body cannot be rendered is still found and taken out, wherever it is; a
// warm restart renders nothing; and a cold rebuild never holds two copies of identical documents.
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { decodeEntry, DiskCache } from "../../src/cache/disk-cache.js";
import type { Config } from "../../src/config.js";
import { loadPosts } from "../../src/content/load-posts.js";
import { createPostRenderer, type PostRenderer } from "../../src/content/render-pool.js";
import { allFeeds, buildSite, feedArchiveSpec, renderFeedPage, bodyOfWholePost } from "../../src/feeds/build-site.js";
import { silentLogger } from "../../src/logger.js";
import { Publisher } from "../../src/publish/publisher.js";
import { post, testConfig } from "../helpers/site-fixture.js";
import { useScratch } from "../helpers/scratch.js";

const NOW = () => new Date("2030-01-01T00:00:00Z");
const { afterTest, folderWith, temporaryDir } = useScratch("feedwright-bodies-test-");

/** 40 posts over two categories and three tags; with feed.limit 4 most are on no first page. */
function corpus(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let index = 0; index < 40; index++) {
    const day = String((index % 28) + 1).padStart(2, "0");
    const month = String(Math.floor(index / 28) + 1).padStart(2, "0");
    files[`2025-${month}-${day}-post-${index}.md`] = post(`title: Post ${index}\ncategories: [C${index % 2}]\ntags: [t${index % 3}]`, `Body of post ${index}, with a [relative link](../up/).`);
  }
  return files;
}

/** Counts the bodies a renderer is asked for, around the real (single-threaded) one. */
function countingRenderer(config: Config): { renderer: PostRenderer; bodies: () => number } {
  const inner = createPostRenderer(config.maxPostBytes, 0);
  let bodies = 0;
  return {
    bodies: () => bodies,
    renderer: {
      heads: (files, settings) => inner.heads(files, settings),
      bodies: (files, settings, options) => {
        bodies += files.length;
        return inner.bodies(files, settings, options);
      },
      close: () => inner.close(),
    },
  };
}

function publisherFor(config: Config, resources: ConstructorParameters<typeof Publisher>[4] = {}): Publisher {
  const publisher = new Publisher(config, silentLogger, NOW, undefined, resources);
  afterTest(() => publisher.stop());
  return publisher;
}

async function untilChecked(publisher: Publisher): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (publisher.bodiesPending > 0) {
    if (Date.now() > deadline) throw new Error(`${publisher.bodiesPending} bodies still pending`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("a cold build renders the first pages' bodies first", () => {
  test("it publishes before every body is rendered, renders the rest in the background, and the documents are those of a full build", async () => {
    const folder = folderWith(corpus());
    const config = testConfig({ postsDir: folder.dir, feed: { limit: 4 } });
    const counting = countingRenderer(config);
    const publisher = publisherFor(config, { renderer: counting.renderer });
    const report = await publisher.scan();
    expect(report.ok, report.error).toBe(true);
    const firstPagePosts = new Set(allFeeds(publisher.state?.build ?? fail()).flatMap((feed) => feed.spec.items.map((item) => item.sourcePath)));
    // Only what the first pages show was rendered before publishing.
    expect(counting.bodies()).toBe(firstPagePosts.size);
    expect(firstPagePosts.size).toBeLessThan(40);
    expect(publisher.bodiesPending).toBe(40 - firstPagePosts.size);

    await untilChecked(publisher);
    expect(counting.bodies()).toBe(40);
    // Every document, archive pages included, is the one a build of whole posts gives.
    const whole = buildSite(config, await loadPosts(config), NOW());
    const served = publisher.state?.served ?? fail();
    for (const feed of allFeeds(whole)) {
      for (let archive = 0; archive <= feed.spec.archiveCount; archive++) {
        const spec = archive === 0 ? undefined : feedArchiveSpec(config, feed, whole.published, archive);
        const expected = spec ? renderFeedPage(config, spec, bodyOfWholePost) : feed;
        for (const format of ["rss", "atom", "json"] as const) {
          const pathname = new URL(expected.spec.urls[format]).pathname;
          const document = served.lookup(pathname) ?? (await served.archivePage(pathname));
          expect(document?.source.body.equals(expected.documents[format].body), pathname).toBe(true);
        }
      }
    }
  });

  test("a post whose body cannot be rendered, on no first page, is found in the background and taken out of every feed", async () => {
    const files = corpus();
    // The oldest post (on no first page) nests HTML past what Feedwright reads.
    files["2024-01-01-broken.md"] = post("title: Broken\ncategories: [C0]\ntags: [t0]", "<span>".repeat(10_001));
    const folder = folderWith(files);
    const config = testConfig({ postsDir: folder.dir, feed: { limit: 4 } });
    const publisher = publisherFor(config);
    expect((await publisher.scan()).ok).toBe(true);
    expect(publisher.state?.build.site.spec.postCount).toBe(41);
    expect(publisher.state?.content.problems).toEqual([]);

    await untilChecked(publisher);
    // The check found it and published the feeds again without it.
    const deadline = Date.now() + 10_000;
    while (publisher.state?.build.site.spec.postCount !== 40 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(publisher.state?.build.site.spec.postCount).toBe(40);
    expect(publisher.state?.content.problems).toEqual([{ file: "2024-01-01-broken.md", line: undefined, message: expect.stringMatching(/nests HTML elements up to \d+ levels deep/) as string }]);
    expect(publisher.state?.build.terms.category.get("c0")?.spec.postCount).toBe(20);
    // The same problem a full read reports.
    expect((await loadPosts(config)).problems).toEqual(publisher.state?.content.problems);
  });
});

describe("a warm restart", () => {
  test("renders no body and reads none: the feeds come from the cache; an archive page reads its bodies from it", async () => {
    const folder = folderWith(corpus());
    const cacheDir = temporaryDir();
    const config = testConfig({ postsDir: folder.dir, feed: { limit: 4 }, cacheDir });
    const cold = publisherFor(config, { cache: await DiskCache.open(cacheDir, silentLogger) });
    expect((await cold.scan()).ok).toBe(true);
    await untilChecked(cold);
    const archivePath = "/archive/3/feed.xml";
    const coldArchive = await cold.state?.served.archivePage(archivePath);
    const coldBytes = new Map(allFeeds(cold.state?.build ?? fail()).flatMap((feed) => Object.entries(feed.documents).map(([format, document]) => [`${feed.key} ${format}`, Buffer.from(document.body)])));
    await cold.stop();
    // Feed pages are kept in their gzip form (a seventh of the bytes to read back).
    const storedPages = readdirSync(path.join(cacheDir, "v2", "rendered"));
    expect(storedPages.length).toBeGreaterThan(0);
    for (const name of storedPages) {
      const entry = decodeEntry<Record<string, { body?: Buffer; gzip?: Buffer }>>(readFileSync(path.join(cacheDir, "v2", "rendered", name)));
      expect(entry?.value.rss?.gzip).toBeInstanceOf(Uint8Array);
      expect(entry?.value.rss?.body).toBeUndefined();
    }

    const counting = countingRenderer(config);
    const cache = await DiskCache.open(cacheDir, silentLogger);
    const warm = publisherFor(config, { cache, renderer: counting.renderer });
    const report = await warm.scan();
    expect(report.posts).toMatchObject({ read: 0, rendered: 0, fromDiskCache: 40 });
    expect(report.feeds?.rendered).toBe(0);
    expect(warm.bodiesPending).toBe(0);
    // The same bytes, made again from gzip where asked for.
    const warmFeeds = allFeeds(warm.state?.build ?? fail());
    expect(warmFeeds.length * 3).toBe(coldBytes.size);
    for (const feed of warmFeeds) for (const [format, document] of Object.entries(feed.documents)) expect(document.body.equals(coldBytes.get(`${feed.key} ${format}`) ?? Buffer.alloc(0))).toBe(true);
    const hitsBefore = cache.stats.hits;
    const warmArchive = await warm.state?.served.archivePage(archivePath);
    expect(warmArchive?.source.body.equals(coldArchive?.source.body ?? Buffer.alloc(0))).toBe(true);
    // Four bodies, each found in the cache; nothing rendered.
    expect(cache.stats.hits - hitsBefore).toBe(4);
    expect(counting.bodies()).toBe(0);
  });
});

describe("the index of heads on disk", () => {
  test("an edit rewrites one shard of it and deletes the edited post's old body, nothing else", async () => {
    const folder = folderWith(corpus());
    const cacheDir = temporaryDir();
    const config = testConfig({ postsDir: folder.dir, feed: { limit: 4 }, cacheDir });
    const cache = await DiskCache.open(cacheDir, silentLogger);
    const publisher = publisherFor(config, { cache });
    expect((await publisher.scan()).ok).toBe(true);
    await untilChecked(publisher);
    await cache.flush();
    const indexDir = path.join(cacheDir, "v2", "index");
    const bodiesDir = path.join(cacheDir, "v2", "bodies");
    const snapshot = (): Map<string, string> => new Map(readdirSync(indexDir).map((name) => [name, readFileSync(path.join(indexDir, name)).toString("base64")]));
    const before = snapshot();
    const bodiesBefore = new Set(readdirSync(bodiesDir));
    expect(before.size).toBeGreaterThan(10);
    expect(bodiesBefore.size).toBe(40);

    appendFileSync(path.join(folder.dir, "2025-02-12-post-39.md"), "\nEdited.\n");
    expect((await publisher.scan()).posts?.changed).toEqual(["2025-02-12-post-39.md"]);
    await untilChecked(publisher);
    await cache.flush();
    const after = snapshot();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    expect([...after].filter(([name, bytes]) => before.get(name) !== bytes)).toHaveLength(1);
    const bodiesAfter = new Set(readdirSync(bodiesDir));
    expect(bodiesAfter.size).toBe(40);
    expect([...bodiesBefore].filter((name) => !bodiesAfter.has(name))).toHaveLength(1);
  });
});

describe("a cold rebuild", () => {
  test("renders every page again but keeps the documents being served where the bytes are the same", async () => {
    const folder = folderWith(corpus());
    const config = testConfig({ postsDir: folder.dir, feed: { limit: 4 } });
    const counting = countingRenderer(config);
    const publisher = publisherFor(config, { renderer: counting.renderer });
    expect((await publisher.scan()).ok).toBe(true);
    await untilChecked(publisher);
    const before = publisher.state ?? fail();
    const rendered = counting.bodies();
    const report = await publisher.scan({ full: true });
    expect(report.ok).toBe(true);
    expect(report.feeds?.reused).toBe(0);
    expect(counting.bodies()).toBeGreaterThan(rendered);
    const after = publisher.state ?? fail();
    expect(after).not.toBe(before);
    for (const feed of allFeeds(after.build)) {
      const old = feed.spec.term ? before.build.terms[feed.spec.term.kind].get(feed.spec.term.slug) : before.build.site;
      for (const format of ["rss", "atom", "json"] as const) {
        // The very same objects: the rebuild held no second copy of them.
        expect(feed.documents[format]).toBe(old?.documents[format]);
        const pathname = new URL(feed.spec.urls[format]).pathname;
        expect(after.served.lookup(pathname)).toBe(before.served.lookup(pathname));
      }
    }
  });
});

function fail(): never {
  throw new Error("nothing published");
}
