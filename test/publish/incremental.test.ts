// Publishing at scale: a rescan reads, renders and rebuilds only what changed; a parallel build
// gives exactly the bytes of a single-threaded one; a restart with the disk cache renders nothing;
// a damaged cache entry is detected and rebuilt, never served.
import { appendFileSync, readdirSync, rmSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { generatePosts } from "../../bench/gen-corpus.js";
import { DiskCache } from "../../src/cache/disk-cache.js";
import type { Config } from "../../src/config.js";
import { createPostRenderer } from "../../src/content/render-pool.js";
import { allFeeds, type SiteBuild } from "../../src/feeds/build-site.js";
import { silentLogger, type Logger } from "../../src/logger.js";
import { Publisher } from "../../src/publish/publisher.js";
import { post, testConfig } from "../helpers/site-fixture.js";
import { useScratch } from "../helpers/scratch.js";

const NOW = () => new Date("2030-01-01T00:00:00Z");
const { afterTest, folderWith, temporaryDir } = useScratch("feedwright-cache-test-");

/** Every document of a build by path, for byte-for-byte comparisons. */
function documentsOf(build: SiteBuild | undefined): Map<string, Buffer> {
  const documents = new Map<string, Buffer>();
  if (!build) return documents;
  for (const feed of allFeeds(build)) for (const [format, document] of Object.entries(feed.documents)) documents.set(`${feed.spec.basePath}/${format}`, document.body);
  documents.set("index", build.index.body);
  documents.set("opml", build.opml.body);
  return documents;
}

function expectSameDocuments(a: SiteBuild | undefined, b: SiteBuild | undefined): void {
  const left = documentsOf(a);
  const right = documentsOf(b);
  expect([...right.keys()].sort()).toEqual([...left.keys()].sort());
  for (const [key, body] of left) expect(right.get(key)?.equals(body), key).toBe(true);
}

async function publisherFor(config: Config, logger: Logger = silentLogger, cache?: DiskCache): Promise<Publisher> {
  const publisher = new Publisher(config, logger, NOW, undefined, { cache });
  // Stopped and flushed before the scratch folders go: the cache writes in the background, and
  // removing its folder under a pending write fails the removal.
  afterTest(async () => {
    await publisher.stop();
    await cache?.flush();
  });
  const report = await publisher.scan();
  expect(report.ok).toBe(true);
  return publisher;
}

describe("incremental rescans", () => {
  const files = {
    "2025-01-01-alpha.md": post("title: Alpha\ncategories: [Notes]\ntags: [one, shared]"),
    "2025-01-02-beta.md": post("title: Beta\ncategories: [Notes]\ntags: [two, shared]"),
    "2025-01-03-gamma.md": post("title: Gamma\ncategories: [Essays]\ntags: [three]"),
  };

  test("an unchanged scan reads nothing, renders nothing and keeps every ETag", async () => {
    const publisher = await publisherFor(testConfig({ postsDir: folderWith(files).dir }));
    const before = publisher.state;
    const report = await publisher.scan();
    expect(report.posts).toMatchObject({ added: [], changed: [], removed: [], read: 0, rendered: 0 });
    expect(report.feeds?.rendered).toBe(0);
    expect(report.documentsPrepared).toBe(0);
    expect(publisher.state).toBe(before);
  });

  test("a touched but identical file is read and hashed, not rendered", async () => {
    const folder = folderWith(files);
    const publisher = await publisherFor(testConfig({ postsDir: folder.dir }));
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(folder.dir, "2025-01-02-beta.md"), later, later);
    const report = await publisher.scan();
    expect(report.posts).toMatchObject({ changed: [], read: 1, rendered: 0 });
    expect(report.feeds?.rendered).toBe(0);
  });

  test("an edited post re-renders exactly the feeds it appears in", async () => {
    const folder = folderWith(files);
    const publisher = await publisherFor(testConfig({ postsDir: folder.dir }));
    const before = publisher.state?.build;
    appendFileSync(path.join(folder.dir, "2025-01-02-beta.md"), "\nOne more line.\n");
    const report = await publisher.scan();
    expect(report.posts).toMatchObject({ changed: ["2025-01-02-beta.md"], rendered: 1 });
    // The site feed, category Notes, tags two and shared: four feeds; Essays, one, three untouched.
    expect(report.feeds).toEqual({ rendered: 4, reused: 3 });
    const after = publisher.state?.build;
    for (const [kind, slug] of [["category", "essays"], ["tag", "one"], ["tag", "three"]] as const) {
      expect(after?.terms[kind].get(slug)?.documents.rss.etag).toBe(before?.terms[kind].get(slug)?.documents.rss.etag);
    }
    expect(after?.terms.tag.get("shared")?.documents.rss.etag).not.toBe(before?.terms.tag.get("shared")?.documents.rss.etag);
  });

  test("added and removed posts are reported and rebuilt", async () => {
    const folder = folderWith(files);
    const publisher = await publisherFor(testConfig({ postsDir: folder.dir }));
    writeFileSync(path.join(folder.dir, "2025-01-04-delta.md"), post("title: Delta\ntags: [four]"));
    rmSync(path.join(folder.dir, "2025-01-01-alpha.md"));
    const report = await publisher.scan();
    expect(report.posts).toMatchObject({ added: ["2025-01-04-delta.md"], removed: ["2025-01-01-alpha.md"] });
    expect(publisher.state?.build.published.map((entry) => entry.title)).toEqual(["Delta", "Gamma", "Beta"]);
    expect(publisher.state?.build.terms.tag.has("one")).toBe(false);
  });

  test("a scan that fails part-way publishes nothing: the previous documents stay", async () => {
    const folder = folderWith(files);
    let failing = false;
    const inline = createPostRenderer(1024 * 1024, 0);
    // Part-way: the edited post's head is read, then rendering its body fails.
    const renderer = {
      heads: (...args: Parameters<typeof inline.heads>) => inline.heads(...args),
      bodies: (...args: Parameters<typeof inline.bodies>) => (failing ? Promise.reject(new Error("worker crashed")) : inline.bodies(...args)),
      close: () => inline.close(),
    };
    const publisher = new Publisher(testConfig({ postsDir: folder.dir }), silentLogger, NOW, undefined, { renderer });
    afterTest(() => void publisher.stop());
    await publisher.scan();
    const before = publisher.state;
    appendFileSync(path.join(folder.dir, "2025-01-02-beta.md"), "\nEdited.\n");
    failing = true;
    const report = await publisher.scan();
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(/worker crashed/);
    expect(publisher.state).toBe(before);
    // Once rendering works again, the edit is published.
    failing = false;
    expect((await publisher.scan()).posts?.changed).toEqual(["2025-01-02-beta.md"]);
  });
});

describe("parallel cold builds", () => {
  test("worker threads give byte-identical documents to a single-threaded build", { timeout: 30_000 }, async () => {
    const corpus: Record<string, string> = {};
    for (const generated of generatePosts(90, 7)) corpus[generated.fileName] = generated.text;
    const folder = folderWith(corpus);
    const single = await publisherFor(testConfig({ postsDir: folder.dir, workers: 0 }));
    const parallel = await publisherFor(testConfig({ postsDir: folder.dir, workers: 2 }));
    expect(parallel.lastScan?.posts?.rendered).toBe(90);
    expectSameDocuments(single.state?.build, parallel.state?.build);
  });
});

describe("the disk cache", () => {
  const files = {
    "2025-01-01-alpha.md": post("title: Alpha\ntags: [one]"),
    "2025-01-02-beta.md": post("title: Beta\ntags: [two]"),
  };

  test("a restart with a warm cache renders nothing and serves the same bytes", async () => {
    const folder = folderWith(files);
    const cacheDir = temporaryDir();
    const config = testConfig({ postsDir: folder.dir, cacheDir });
    const cold = await publisherFor(config, silentLogger, await DiskCache.open(cacheDir, silentLogger));
    await cold.stop();
    const warmCache = await DiskCache.open(cacheDir, silentLogger);
    const warm = await publisherFor(config, silentLogger, warmCache);
    expect(warm.lastScan?.posts).toMatchObject({ read: 0, rendered: 0, fromDiskCache: 2 });
    expect(warm.lastScan?.feeds?.rendered).toBe(0);
    expect(warmCache.stats.corrupted).toBe(0);
    expectSameDocuments(cold.state?.build, warm.state?.build);
  });

  test("a damaged entry is detected, reported and rebuilt, never served", async () => {
    const folder = folderWith(files);
    const cacheDir = temporaryDir();
    const config = testConfig({ postsDir: folder.dir, cacheDir });
    const cold = await publisherFor(config, silentLogger, await DiskCache.open(cacheDir, silentLogger));
    await cold.stop();
    // Every shard of the index of heads cut short, and one feed's rendered documents replaced
    // by other bytes.
    const indexDir = path.join(cacheDir, "v2", "index");
    const shards = readdirSync(indexDir);
    expect(shards.length).toBeGreaterThan(0);
    for (const shard of shards) truncateSync(path.join(indexDir, shard), 20);
    const renderedDir = path.join(cacheDir, "v2", "rendered");
    const [first] = readdirSync(renderedDir);
    writeFileSync(path.join(renderedDir, first ?? ""), Buffer.from("not a cache entry at all"));
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
    const cache = await DiskCache.open(cacheDir, logger);
    const warm = await publisherFor(config, logger, cache);
    expect(cache.stats.corrupted).toBe(shards.length + 1);
    expect(warm.lastScan?.posts).toMatchObject({ rendered: 2, fromDiskCache: 0 });
    expect(warm.lastScan?.feeds?.rendered).toBe(1);
    expect(warnings.filter((line) => /is damaged; it is rebuilt/.test(line))).toHaveLength(shards.length + 1);
    expectSameDocuments(cold.state?.build, warm.state?.build);
  });

  test("other settings miss the cache instead of serving documents made for them", async () => {
    const folder = folderWith(files);
    const cacheDir = temporaryDir();
    const first = await publisherFor(testConfig({ postsDir: folder.dir, cacheDir }), silentLogger, await DiskCache.open(cacheDir, silentLogger));
    await first.stop();
    const moved = await publisherFor(testConfig({ postsDir: folder.dir, cacheDir, site: { url: "https://moved.example.org" } }), silentLogger, await DiskCache.open(cacheDir, silentLogger));
    expect(moved.lastScan?.posts?.rendered).toBe(2);
    expect(moved.state?.build.site.documents.rss.body.toString()).toContain("https://moved.example.org/");
  });

  test("a cache folder that cannot be written is reported once and the service carries on", async () => {
    const folder = folderWith(files);
    const blocker = path.join(temporaryDir(), "a-file");
    writeFileSync(blocker, "");
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
    // A folder inside a regular file can never be created, whoever runs the test.
    const cache = await DiskCache.open(path.join(blocker, "cache"), logger);
    const publisher = await publisherFor(testConfig({ postsDir: folder.dir }), logger, cache);
    await cache.flush();
    expect(publisher.state?.build.published).toHaveLength(2);
    expect(warnings.filter((line) => /cache: cannot write/.test(line))).toHaveLength(1);
  });
});
