// Faults around the content: the posts folder vanishing, a disk cache that cannot be written or
// holds garbage, a render worker that dies mid-build, a WebSub hub that never answers. In each,
// the service keeps serving the last good feeds (or recovers on its own), says what happened at
// /healthz or in its log, and the documents it serves are byte-for-byte the ones a clean run
// gives. (test/publish/ covers the single-fault basics; these are the hostile variants.)
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import path from "node:path";
import { afterAll, afterEach, describe, expect, test, vi } from "vitest";
import { generatePosts } from "../../bench/gen-corpus.js";
import { DiskCache } from "../../src/cache/disk-cache.js";
import type * as PiscinaModule from "piscina";
import type { Config } from "../../src/config.js";
import { allFeeds, type SiteBuild } from "../../src/feeds/build-site.js";
import type { HealthReport } from "../../src/http/health.js";
import { createServer } from "../../src/http/server.js";
import type { Logger } from "../../src/logger.js";
import { Publisher } from "../../src/publish/publisher.js";
import { WebSubNotifier } from "../../src/publish/websub-notifier.js";
import { heapHungryPost } from "../fixtures/hostile/make-hostile-corpus.js";
import { closeServer, listenOnFreePort, rawRequest } from "../helpers/http.js";
import { post, testConfig } from "../helpers/site-fixture.js";
import { useScratch } from "../helpers/scratch.js";
import { CRASH_MARKER } from "./crashing-render-worker.js";

// The real piscina, except that a test may swap the worker file every new pool loads, to run a
// worker that crashes (crashing-render-worker.ts) through the real render pool.
const workerSwap = vi.hoisted(() => ({ filename: undefined as string | undefined }));
vi.mock("piscina", async (importOriginal) => {
  const actual = await importOriginal<typeof PiscinaModule>();
  type Options = ConstructorParameters<typeof actual.Piscina>[0];
  class SwappablePiscina extends actual.Piscina {
    constructor(options?: Options) {
      super(workerSwap.filename && options ? { ...options, filename: workerSwap.filename } : options);
    }
  }
  return { ...actual, Piscina: SwappablePiscina, default: SwappablePiscina };
});

const NOW = () => new Date("2030-01-01T00:00:00Z");
const { afterTest, folderWith, temporaryDir } = useScratch("feedwright-faults-");
afterEach(() => {
  workerSwap.filename = undefined;
});
afterAll(() => {
  workerSwap.filename = undefined;
});

function recordingLogger(): { logger: Logger; lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const record = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, logger: { debug: () => undefined, info: record("info"), warn: record("warn"), error: record("error"), enabled: () => true, flush: () => undefined, infoJson: () => undefined } };
}


function publisherFor(config: Config, logger: Logger, cache?: DiskCache): Publisher {
  const publisher = new Publisher(config, logger, NOW, undefined, { cache });
  afterTest(() => publisher.stop());
  return publisher;
}

async function serve(publisher: Publisher): Promise<number> {
  const server = createServer(publisher);
  afterTest(() => closeServer(server));
  return listenOnFreePort(server);
}

async function health(port: number): Promise<HealthReport> {
  return JSON.parse((await rawRequest(port, "/healthz")).text) as HealthReport;
}

/** Every document of a build by path, for byte-for-byte comparisons. */
function documentsOf(build: SiteBuild | undefined): Map<string, Buffer> {
  const documents = new Map<string, Buffer>();
  if (!build) return documents;
  for (const feed of allFeeds(build)) for (const [format, document] of Object.entries(feed.documents)) documents.set(`${feed.spec.basePath}/${format}`, document.body);
  documents.set("index", build.index.body);
  documents.set("opml", build.opml.body);
  return documents;
}

function expectSameDocuments(actual: SiteBuild | undefined, expected: SiteBuild | undefined): void {
  const left = documentsOf(expected);
  const right = documentsOf(actual);
  expect([...right.keys()].sort()).toEqual([...left.keys()].sort());
  expect(left.size).toBeGreaterThan(2);
  for (const [key, body] of left) expect(right.get(key)?.equals(body), key).toBe(true);
}

const FILES = {
  "2025-01-01-alpha.md": post("title: Alpha\ncategories: [Notes]\ntags: [one, shared]"),
  "2025-01-02-beta.md": post("title: Beta\ncategories: [Notes]\ntags: [two, shared]"),
  "2025-01-03-gamma.md": post('title: "ガンマ"\ncategories: [Essays]\ntags: [三]'),
};

describe("the posts folder disappears and comes back", () => {
  test("the scan fails with a clear report, the last good feeds stay online, /healthz says degraded, then it recovers", async () => {
    const parent = temporaryDir();
    const postsDir = path.join(parent, "posts");
    mkdirSync(postsDir);
    for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(postsDir, name), text);
    const recorded = recordingLogger();
    const publisher = publisherFor(testConfig({ postsDir }), recorded.logger);
    expect((await publisher.scan()).ok).toBe(true);
    const port = await serve(publisher);
    const before = await rawRequest(port, "/tags/shared/feed.xml");
    expect(before.status).toBe(200);

    // Gone (moved away, as a deploy that swaps folders might leave it for a moment).
    renameSync(postsDir, path.join(parent, "posts.away"));
    const failed = await publisher.scan();
    expect(failed.ok).toBe(false);
    expect(failed.error).toBe(`content: cannot read the posts folder ${postsDir} (ENOENT); check --posts, POSTS_DIR or posts_dir in the config`);
    const during = await rawRequest(port, "/tags/shared/feed.xml");
    expect(during.status).toBe(200);
    expect(during.headers.etag).toBe(before.headers.etag);
    expect(during.body.equals(before.body)).toBe(true);
    const degraded = await health(port);
    expect(degraded.status).toBe("degraded");
    expect(degraded.lastScan?.error).toBe(failed.error);
    expect(degraded.posts.published).toBe(3);
    expect(recorded.lines.filter((line) => line.level === "error").map((line) => line.message)).toEqual([
      `publish: scan failed, the previous feeds stay online: ${failed.error ?? ""}`,
    ]);

    // A regular file where the folder was: another clear report, still the old feeds.
    writeFileSync(postsDir, "not a folder");
    const notFolder = await publisher.scan();
    expect(notFolder.error).toBe(`content: ${postsDir} is not a folder; point --posts or POSTS_DIR at the folder of posts`);
    expect((await rawRequest(port, "/tags/shared/feed.xml")).body.equals(before.body)).toBe(true);
    rmSync(postsDir);

    // Back, with an edit: the next scan publishes it and health is ok again.
    renameSync(path.join(parent, "posts.away"), postsDir);
    writeFileSync(path.join(postsDir, "2025-01-04-delta.md"), post("title: Delta\ntags: [shared]"));
    const recovered = await publisher.scan();
    expect(recovered.ok).toBe(true);
    expect((await health(port)).status).toBe("ok");
    const after = await rawRequest(port, "/tags/shared/feed.xml");
    expect(after.text).toContain("Delta");
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });
});

describe("a disk cache that cannot be written", () => {
  test("a cache folder under a regular file: reported once, the feeds are exactly those of a run without a cache", async () => {
    const folder = folderWith(FILES);
    const blocker = path.join(temporaryDir(), "a-file");
    writeFileSync(blocker, "");
    const recorded = recordingLogger();
    const cacheDir = path.join(blocker, "cache");
    const cache = await DiskCache.open(cacheDir, recorded.logger);
    const cached = publisherFor(testConfig({ postsDir: folder.dir, cacheDir }), recorded.logger, cache);
    expect((await cached.scan()).ok).toBe(true);
    folder.write("2025-01-05-epsilon.md", post("title: Epsilon"));
    expect((await cached.scan()).ok).toBe(true);
    await cache.flush();
    const plain = publisherFor(testConfig({ postsDir: folder.dir }), recordingLogger().logger);
    expect((await plain.scan()).ok).toBe(true);
    expectSameDocuments(cached.state?.build, plain.state?.build);
    const warnings = recorded.lines.filter((line) => line.level === "warn").map((line) => line.message);
    expect(warnings).toEqual([`cache: cannot write to ${path.join(cacheDir, "v2")} (ENOTDIR); continuing without saving to the cache, and trying again every minute — free disk space, check FEEDWRIGHT_CACHE_DIR or use --no-cache`]);
  });

  test("a cache that stops being writable while running (its folders replaced by files): reported once, output unchanged", async () => {
    const folder = folderWith(FILES);
    const cacheDir = temporaryDir();
    const recorded = recordingLogger();
    const cache = await DiskCache.open(cacheDir, recorded.logger);
    for (const section of ["bodies", "rendered", "compressed", "index"]) {
      rmSync(path.join(cacheDir, "v2", section), { recursive: true });
      writeFileSync(path.join(cacheDir, "v2", section), "");
    }
    const publisher = publisherFor(testConfig({ postsDir: folder.dir, cacheDir }), recorded.logger, cache);
    expect((await publisher.scan()).ok).toBe(true);
    folder.write("2025-01-02-beta.md", post("title: Beta, edited\ntags: [two]"));
    expect((await publisher.scan()).ok).toBe(true);
    await cache.flush();
    const plain = publisherFor(testConfig({ postsDir: folder.dir }), recordingLogger().logger);
    expect((await plain.scan()).ok).toBe(true);
    expectSameDocuments(publisher.state?.build, plain.state?.build);
    const warnings = recorded.lines.filter((line) => line.level === "warn").map((line) => line.message);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^cache: cannot write to .+ \(ENOTDIR\); continuing without saving to the cache/);
    expect(cache.stats.writeErrors).toBeGreaterThan(0);
  });
});

describe("a corrupted disk cache", () => {
  /** Deterministic noise (xorshift32), so a failure reproduces. */
  function noise(length: number, seed: number): Buffer {
    const bytes = Buffer.alloc(length);
    let state = seed | 1;
    for (let index = 0; index < length; index++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      bytes[index] = state & 0xff;
    }
    return bytes;
  }

  test("random bytes in every entry and a truncated index: each damaged entry reported, rebuilt, the same bytes served, and the cache heals", async () => {
    const corpus: Record<string, string> = { ...FILES };
    for (const generated of generatePosts(12, 3)) corpus[generated.fileName] = generated.text;
    const folder = folderWith(corpus);
    const cacheDir = temporaryDir();
    const config = testConfig({ postsDir: folder.dir, cacheDir });

    const first = publisherFor(config, recordingLogger().logger, await DiskCache.open(cacheDir, recordingLogger().logger));
    expect((await first.scan()).ok).toBe(true);
    await first.stop();

    // Damage: every body, feed and compressed entry overwritten with noise of its own length
    // (the header's magic and CRC no longer match), and every shard of the index cut in half.
    let damaged = 0;
    for (const section of ["bodies", "rendered", "compressed"]) {
      const sectionDir = path.join(cacheDir, "v2", section);
      for (const [index, name] of readdirSync(sectionDir).entries()) {
        const file = path.join(sectionDir, name);
        writeFileSync(file, noise(statSync(file).size, index + 1));
        damaged++;
      }
    }
    const indexDir = path.join(cacheDir, "v2", "index");
    const shards = readdirSync(indexDir);
    for (const shard of shards) truncateSync(path.join(indexDir, shard), Math.floor(statSync(path.join(indexDir, shard)).size / 2));
    expect(damaged).toBeGreaterThan(20);

    const recorded = recordingLogger();
    const cache = await DiskCache.open(cacheDir, recorded.logger);
    const second = publisherFor(config, recorded.logger, cache);
    const report = await second.scan();
    expect(report.ok).toBe(true);
    expect(report.posts).toMatchObject({ rendered: Object.keys(corpus).length, fromDiskCache: 0 });
    expectSameDocuments(second.state?.build, first.state?.build);
    const damagedLines = recorded.lines.filter((line) => line.level === "warn" && /is damaged; it is rebuilt \(delete .+ to start over\)$/.test(line.message));
    // The index, and every entry this scan looked up: each feed's rendered documents (the noise
    // files of keys no longer used are pruned; bodies of an index that was lost are rendered
    // again rather than looked up).
    expect(damagedLines.length).toBe(cache.stats.corrupted);
    expect(damagedLines.filter((line) => line.message.includes(path.join("v2", "index", "heads-")))).toHaveLength(shards.length);
    const firstBuild = first.state?.build;
    if (!firstBuild) throw new Error("the first scan published nothing");
    expect(cache.stats.corrupted).toBeGreaterThanOrEqual(shards.length + allFeeds(firstBuild).length);
    await second.stop();

    // Healed: the next restart is warm again and renders nothing.
    const third = publisherFor(config, recordingLogger().logger, await DiskCache.open(cacheDir, recordingLogger().logger));
    const warm = await third.scan();
    expect(warm.posts).toMatchObject({ read: 0, rendered: 0, fromDiskCache: Object.keys(corpus).length });
    expect(warm.feeds?.rendered).toBe(0);
    expectSameDocuments(third.state?.build, first.state?.build);
  });

  test("entries replaced by folders and empty files are misses, not crashes", async () => {
    const folder = folderWith(FILES);
    const cacheDir = temporaryDir();
    const config = testConfig({ postsDir: folder.dir, cacheDir });
    const first = publisherFor(config, recordingLogger().logger, await DiskCache.open(cacheDir, recordingLogger().logger));
    expect((await first.scan()).ok).toBe(true);
    await first.stop();
    // The feeds' rendered documents: what a warm start looks up first.
    const renderedSection = path.join(cacheDir, "v2", "rendered");
    const [one, two] = readdirSync(renderedSection);
    rmSync(path.join(renderedSection, one ?? ""));
    mkdirSync(path.join(renderedSection, one ?? ""));
    writeFileSync(path.join(renderedSection, two ?? ""), "");
    const recorded = recordingLogger();
    const second = publisherFor(config, recorded.logger, await DiskCache.open(cacheDir, recorded.logger));
    expect((await second.scan()).ok).toBe(true);
    expectSameDocuments(second.state?.build, first.state?.build);
  });
});

describe("a render worker that crashes mid-build", () => {
  /** More posts than the render pool's threshold (64), so a cold build uses worker threads. */
  function largeCorpus(): Record<string, string> {
    const corpus: Record<string, string> = {};
    for (let index = 0; index < 70; index++) {
      const day = String((index % 28) + 1).padStart(2, "0");
      corpus[`2025-${String(Math.floor(index / 28) + 1).padStart(2, "0")}-${day}-post-${index}.md`] = post(`title: Post ${index}
categories: [C${index % 3}]
tags: [t${index % 5}, shared]`, `Post ${index}, *emphasis* and a [link](../x/).`);
    }
    return corpus;
  }

  test("a worker that exits: the scan fails cleanly, the last good feeds stay online, and the next scan succeeds", async () => {
    workerSwap.filename = new URL("./crashing-render-worker.ts", import.meta.url).href;
    const folder = folderWith(largeCorpus());
    const recorded = recordingLogger();
    const publisher = publisherFor(testConfig({ postsDir: folder.dir, workers: 2 }), recorded.logger);
    const first = await publisher.scan();
    expect(first.ok, first.error).toBe(true);
    expect(first.posts?.rendered).toBe(70);
    const good = publisher.state;
    const port = await serve(publisher);
    const before = await rawRequest(port, "/feed.json");

    // A cold rebuild meets a post that kills its worker thread.
    folder.write("2030-01-01-crash.md", post("title: Crash", CRASH_MARKER));
    const crashed = await publisher.scan({ full: true });
    expect(crashed.ok).toBe(false);
    expect(crashed.error).toMatch(/^content: a render worker failed \(worker exited with code: 70\) while (?:reading the front matter of|rendering) \d+ posts \(\S+\.md … \S+\.md\); nothing from this scan is published, and the next scan tries again$/);
    expect(publisher.state).toBe(good);
    const during = await rawRequest(port, "/feed.json");
    expect(during.status).toBe(200);
    expect(during.body.equals(before.body)).toBe(true);
    const degraded = await health(port);
    expect(degraded.status).toBe("degraded");
    expect(degraded.lastScan?.error).toBe(crashed.error);
    expect(recorded.lines.filter((line) => line.level === "error").map((line) => line.message)).toEqual([`publish: scan failed, the previous feeds stay online: ${crashed.error ?? ""}`]);

    // The next (incremental) scan renders the one new post on the main thread and publishes it.
    const next = await publisher.scan();
    expect(next.ok, next.error).toBe(true);
    expect(next.posts?.added).toEqual(["2030-01-01-crash.md"]);
    expect((await health(port)).status).toBe("ok");
    expect((await rawRequest(port, "/feed.json")).text).toContain('"title": "Crash"');
  }, 60_000);

  test("a post that needs more than a worker's heap: the batch is rendered on the main thread, the build is the single-threaded one", async () => {
    const corpus = { ...largeCorpus(), "2025-06-01-heap-hungry.md": heapHungryPost() };
    const folder = folderWith(corpus);
    const parallel = publisherFor(testConfig({ postsDir: folder.dir, workers: 2 }), recordingLogger().logger);
    const report = await parallel.scan();
    expect(report.ok, report.error).toBe(true);
    expect(report.posts?.rendered).toBe(71);
    expect(parallel.state?.build.published.map((entry) => entry.title)).toContain("Heap hungry");
    const single = publisherFor(testConfig({ postsDir: folder.dir, workers: 0 }), recordingLogger().logger);
    expect((await single.scan()).ok).toBe(true);
    expectSameDocuments(parallel.state?.build, single.state?.build);
  }, 60_000);
});

describe("a WebSub hub that never answers", () => {
  // (That a scan never waits for a hub is test/publish/websub-publish.test.ts; here the hub keeps
  // failing over several scans.)
  test("every scan still publishes, each notification that timed out is logged with hub and feed, and /healthz stays ok", async () => {
    let held = 0;
    const hub: Server = createHttpServer(() => {
      held++; // never answers
    });
    const hubUrl = `http://127.0.0.1:${await listenOnFreePort(hub)}/`;
    afterTest(async () => {
      hub.closeAllConnections();
      await closeServer(hub);
    });
    const folder = folderWith(FILES);
    const recorded = recordingLogger();
    const notifier = new WebSubNotifier({ hubs: [hubUrl], logger: recorded.logger, timeoutMs: 100, maxAttempts: 2, baseDelayMs: 10 });
    afterTest(() => notifier.close());
    const publisher = new Publisher(testConfig({ postsDir: folder.dir, hubs: [hubUrl] }), recorded.logger, NOW, notifier);
    afterTest(() => publisher.stop());
    const port = await serve(publisher);
    expect((await publisher.scan()).ok).toBe(true);

    for (const edit of ["one", "two", "three"]) {
      folder.write("2025-01-01-alpha.md", post(`title: Alpha ${edit}\ncategories: [Notes]\ntags: [one, shared]`));
      const report = await publisher.scan();
      expect(report.ok).toBe(true);
      expect((await rawRequest(port, "/feed.xml")).text).toContain(`Alpha ${edit}`);
    }
    await publisher.settled();
    await notifier.idle();
    expect(held).toBeGreaterThan(0);
    const failures = recorded.lines.filter((line) => line.level === "warn" && line.message.startsWith(`websub: hub ${hubUrl} was not notified of `));
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) expect(failure.message).toMatch(/ after 2 attempts: no answer within 100 ms$/);
    expect((await health(port)).status).toBe("ok");
  }, 30_000);
});
