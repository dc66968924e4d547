// The scheduled job with a clock the test controls: what a scan publishes, what the next scan
// changes, that scans never overlap, and that a failed scan keeps the last good documents online.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { scanFolder } from "../../src/content/scan.js";
import type * as ScanModule from "../../src/content/scan.js";
import { healthReport } from "../../src/http/health.js";
import type { Logger } from "../../src/logger.js";
import { Publisher } from "../../src/publish/publisher.js";
import { DiskCache } from "../../src/cache/disk-cache.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

// The real folder listing, wrapped in a spy so a test can count how many scans actually read the folder.
vi.mock("../../src/content/scan.js", async (importOriginal) => {
  const actual = await importOriginal<typeof ScanModule>();
  return { ...actual, scanFolder: vi.fn(actual.scanFolder) };
});

interface Recorded {
  readonly logger: Logger;
  readonly lines: Array<{ level: "info" | "warn" | "error"; message: string }>;
}

function recordingLogger(): Recorded {
  const lines: Recorded["lines"] = [];
  return {
    lines,
    logger: {
      debug: () => undefined,
      info: (message) => lines.push({ level: "info", message }),
      warn: (message) => lines.push({ level: "warn", message }),
      error: (message) => lines.push({ level: "error", message }),
      enabled: () => true,
      flush: () => undefined,
      infoJson: () => undefined,
    },
  };
}

/** A clock the test moves by hand. */
function manualClock(start: string): { now: () => Date; set: (iso: string) => void } {
  let current = new Date(start);
  return { now: () => current, set: (iso) => (current = new Date(iso)) };
}

const folders: PostsFolder[] = [];
function postsFolder(files: Readonly<Record<string, string>>): PostsFolder {
  const folder = makePostsFolder(files);
  folders.push(folder);
  return folder;
}

afterEach(() => {
  for (const folder of folders.splice(0)) folder.remove();
  vi.mocked(scanFolder).mockClear();
});

function publishedTitles(publisher: Publisher): string[] {
  return publisher.state?.build.published.map((entry) => entry.title) ?? [];
}

function siteRss(publisher: Publisher): string {
  return publisher.state?.build.site.documents.rss.body.toString("utf8") ?? "";
}

describe("future-dated posts", () => {
  test("are not in the feeds before their date and appear at the first scan after it", async () => {
    const folder = postsFolder({
      "2025-05-01-past.md": post('title: "Past post"'),
      "2025-07-01-future.md": post('title: "Future post"\ndate: 2025-07-01 12:00:00 +0000\ntags: [later]'),
    });
    const clock = manualClock("2025-06-01T00:00:00Z");
    const publisher = new Publisher(testConfig({ postsDir: folder.dir }), recordingLogger().logger, clock.now);

    await publisher.scan();
    expect(publishedTitles(publisher)).toEqual(["Past post"]);
    expect(publisher.state?.build.scheduled.map((entry) => entry.title)).toEqual(["Future post"]);
    expect(siteRss(publisher)).not.toContain("Future post");
    expect(publisher.state?.build.terms.tag.has("later")).toBe(false);
    expect(healthReport(publisher).nextScheduled).toBe("2025-07-01T12:00:00.000Z");
    expect(healthReport(publisher).posts.scheduled).toBe(1);

    clock.set("2025-07-01T11:59:59Z");
    await publisher.scan();
    expect(publishedTitles(publisher)).toEqual(["Past post"]);

    // Due at its date exactly.
    clock.set("2025-07-01T12:00:00Z");
    await publisher.scan();
    expect(publishedTitles(publisher)).toEqual(["Future post", "Past post"]);
    expect(siteRss(publisher)).toContain("Future post");
    expect(publisher.state?.build.terms.tag.has("later")).toBe(true);
    expect(healthReport(publisher).nextScheduled).toBeNull();
  });

  test("without a new scan the clock alone changes nothing that is served", async () => {
    const folder = postsFolder({ "2025-07-01-future.md": post('title: "Future post"') });
    const clock = manualClock("2025-06-01T00:00:00Z");
    const publisher = new Publisher(testConfig({ postsDir: folder.dir }), recordingLogger().logger, clock.now);
    await publisher.scan();
    clock.set("2025-08-01T00:00:00Z");
    expect(publishedTitles(publisher)).toEqual([]);
  });
});

describe("changes in the folder show up at the next scan", () => {
  test("an added, an edited and a deleted post", async () => {
    const folder = postsFolder({
      "2025-01-01-keep.md": post('title: "Kept"'),
      "2025-01-02-edit.md": post('title: "Before the edit"'),
      "2025-01-03-delete.md": post('title: "To be deleted"'),
    });
    const publisher = new Publisher(testConfig({ postsDir: folder.dir }), recordingLogger().logger, () => new Date("2025-06-01T00:00:00Z"));
    await publisher.scan();
    expect(publishedTitles(publisher)).toEqual(["To be deleted", "Before the edit", "Kept"]);
    const etagBefore = publisher.state?.build.site.documents.atom.etag;

    folder.write("2025-01-04-added.md", post('title: "Added"'));
    folder.write("2025-01-02-edit.md", post('title: "After the edit"'));
    rmSync(join(folder.dir, "2025-01-03-delete.md"));
    // Nothing is re-read until the next scan.
    expect(publishedTitles(publisher)).toEqual(["To be deleted", "Before the edit", "Kept"]);

    const report = await publisher.scan();
    expect(report.ok).toBe(true);
    expect(publishedTitles(publisher)).toEqual(["Added", "After the edit", "Kept"]);
    expect(siteRss(publisher)).not.toContain("To be deleted");
    expect(siteRss(publisher)).not.toContain("Before the edit");
    expect(publisher.state?.build.site.documents.atom.etag).not.toBe(etagBefore);
  });

  test("a scan over an unchanged folder gives the same bytes and ETags, whatever the time", async () => {
    const folder = postsFolder({ "2025-01-01-a.md": post('title: "A"\ntags: [x]'), "2025-01-02-b.md": post('title: "B"\ncategories: [y]') });
    const clock = manualClock("2025-06-01T00:00:00Z");
    const publisher = new Publisher(testConfig({ postsDir: folder.dir }), recordingLogger().logger, clock.now);
    await publisher.scan();
    const first = publisher.state;
    clock.set("2025-06-02T00:00:00Z");
    // An unchanged scan rebuilds nothing: the same documents stay published.
    const unchanged = await publisher.scan();
    expect(publisher.state).toBe(first);
    expect(unchanged.feeds).toEqual({ rendered: 0, reused: 3 });
    expect(unchanged.documentsPrepared).toBe(0);
    // A cold rebuild a day later renders everything again, into the same bytes.
    await publisher.scan({ full: true });
    const second = publisher.state;
    expect(second).not.toBe(first);
    expect(second?.builtAt.toISOString()).toBe("2025-06-02T00:00:00.000Z");
    for (const format of ["rss", "atom", "json"] as const) {
      expect(second?.build.site.documents[format].body.equals(first?.build.site.documents[format].body ?? Buffer.alloc(0))).toBe(true);
      expect(second?.build.site.documents[format].etag).toBe(first?.build.site.documents[format].etag);
      expect(second?.build.terms.tag.get("x")?.documents[format].etag).toBe(first?.build.terms.tag.get("x")?.documents[format].etag);
    }
    expect(second?.build.index.etag).toBe(first?.build.index.etag);
    expect(second?.build.opml.etag).toBe(first?.build.opml.etag);
  });
});

describe("scans never overlap", () => {
  test("two concurrent scan() calls share one scan", async () => {
    const folder = postsFolder({ "2025-01-01-a.md": post('title: "A"') });
    const publisher = new Publisher(testConfig({ postsDir: folder.dir }), recordingLogger().logger, () => new Date("2025-06-01T00:00:00Z"));

    const first = publisher.scan();
    const second = publisher.scan();
    expect(second).toBe(first);
    const [a, b] = await Promise.all([first, second]);
    expect(b).toBe(a);
    expect(vi.mocked(scanFolder)).toHaveBeenCalledTimes(1);

    // Once it has finished, the next call starts a new scan.
    const third = await publisher.scan();
    expect(third).not.toBe(a);
    expect(vi.mocked(scanFolder)).toHaveBeenCalledTimes(2);
  });

  test("stop() waits for the scan that is running", async () => {
    const folder = postsFolder({ "2025-01-01-a.md": post('title: "A"') });
    const publisher = new Publisher(testConfig({ postsDir: folder.dir }), recordingLogger().logger, () => new Date("2025-06-01T00:00:00Z"));
    publisher.start();
    const running = publisher.scan();
    await publisher.stop();
    expect(publisher.lastScan).toBe(await running);
    expect(publisher.state).toBeDefined();
  });
});

describe("a failed scan keeps the last good documents online", () => {
  test("the posts folder removed after a good scan", async () => {
    const folder = postsFolder({ "2025-01-01-a.md": post('title: "A"'), "2025-01-02-b.md": post('title: "B"') });
    const recorded = recordingLogger();
    const clock = manualClock("2025-06-01T00:00:00Z");
    const publisher = new Publisher(testConfig({ postsDir: folder.dir }), recorded.logger, clock.now);
    expect((await publisher.scan()).ok).toBe(true);
    const good = publisher.state;
    expect(healthReport(publisher).status).toBe("ok");

    folder.remove();
    clock.set("2025-06-01T00:01:00Z");
    const report = await publisher.scan();
    expect(report.ok).toBe(false);
    expect(report.error).toContain(folder.dir);
    expect(report.startedAt.toISOString()).toBe("2025-06-01T00:01:00.000Z");
    // The feeds stay online: the very same documents.
    expect(publisher.state).toBe(good);
    expect(publishedTitles(publisher)).toEqual(["B", "A"]);
    expect(publisher.lastScan).toBe(report);

    const health = healthReport(publisher);
    expect(health.status).toBe("degraded");
    expect(health.lastScan?.ok).toBe(false);
    expect(health.lastScan?.error).toContain(folder.dir);
    expect(health.builtAt).toBe("2025-06-01T00:00:00.000Z");
    expect(health.posts.published).toBe(2);

    const errors = recorded.lines.filter((line) => line.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain(folder.dir);
    expect(errors[0]?.message).toMatch(/previous feeds stay online/);

    // Back again: the next scan recovers.
    folder.write("2025-01-03-c.md", post('title: "C"'));
    clock.set("2025-06-01T00:02:00Z");
    expect((await publisher.scan()).ok).toBe(true);
    expect(healthReport(publisher).status).toBe("ok");
    expect(publishedTitles(publisher)).toEqual(["C"]);
  });

  test("a first scan that fails leaves nothing served and health says starting", async () => {
    const recorded = recordingLogger();
    const publisher = new Publisher(testConfig({ postsDir: "/does/not/exist" }), recorded.logger, () => new Date("2025-06-01T00:00:00Z"));
    const report = await publisher.scan();
    expect(report.ok).toBe(false);
    expect(report.error).toContain("/does/not/exist");
    expect(publisher.state).toBeUndefined();
    expect(healthReport(publisher).status).toBe("starting");
    // There are no previous feeds to keep online, so the log must not claim there are.
    for (const line of recorded.lines) expect(line.message).not.toMatch(/previous feeds stay online/);
  });
});

describe("a post that becomes broken", () => {
  test("is skipped while the others stay published, and is logged once", async () => {
    const folder = postsFolder({
      "2025-01-01-a.md": post('title: "A"\ntags: [shared]'),
      "2025-01-02-b.md": post('title: "B"\ntags: [shared, only-b]'),
      "2025-01-03-c.md": post('title: "C"'),
    });
    const recorded = recordingLogger();
    const publisher = new Publisher(testConfig({ postsDir: folder.dir }), recorded.logger, () => new Date("2025-06-01T00:00:00Z"));
    await publisher.scan();
    expect(publishedTitles(publisher)).toEqual(["C", "B", "A"]);

    // Line 3 is not YAML any more.
    writeFileSync(join(folder.dir, "2025-01-02-b.md"), "---\ntitle: B\ntags: [shared, only-b\n---\n\nBody.\n");
    const report = await publisher.scan();
    expect(report.ok).toBe(true);
    expect(publishedTitles(publisher)).toEqual(["C", "A"]);
    expect(publisher.state?.build.terms.tag.has("only-b")).toBe(false);
    expect(publisher.state?.build.terms.tag.get("shared")?.spec.postCount).toBe(1);

    const health = healthReport(publisher);
    expect(health.status).toBe("ok");
    expect(health.posts).toMatchObject({ published: 2, skipped: 1 });
    expect(health.skipped).toHaveLength(1);
    expect(health.skipped[0]?.file).toBe("2025-01-02-b.md");
    expect(health.skipped[0]?.line).toEqual(expect.any(Number));
    expect(health.skipped[0]?.message).toMatch(/YAML/);

    const warnings = (): string[] => recorded.lines.filter((line) => line.level === "warn").map((line) => line.message);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(/2025-01-02-b\.md:\d+: .*YAML.*\(skipped\)$/);
    // Not again at every scan while it stays broken.
    await publisher.scan();
    expect(warnings()).toHaveLength(1);

    // Fixed: published again, and the problem is gone from /healthz.
    folder.write("2025-01-02-b.md", post('title: "B"\ntags: [shared, only-b]'));
    await publisher.scan();
    expect(publishedTitles(publisher)).toEqual(["C", "B", "A"]);
    expect(healthReport(publisher).skipped).toEqual([]);
  });
});

describe("the disk cache during a scan", () => {
  test("is held (one write at a time) until the documents the scan published are compressed", async () => {
    const folder = postsFolder({
      "2025-05-01-one.md": post('title: "One"\ntags: [a, b]'),
      "2025-05-02-two.md": post('title: "Two"\ncategories: [news]'),
    });
    const cacheDir = join(folder.dir, ".cache");
    const { logger } = recordingLogger();
    const cache = await DiskCache.open(cacheDir, logger);
    const order: string[] = [];
    const hold = vi.spyOn(cache, "hold");
    const releaseCache = cache.release.bind(cache);
    vi.spyOn(cache, "release").mockImplementation(() => {
      order.push("released");
      releaseCache();
    });
    const publisher = new Publisher(testConfig({ postsDir: folder.dir, cacheDir }), logger, () => new Date("2025-06-01T00:00:00Z"), undefined, {
      cache,
      // Called in the scan before the cache is let go: the first to wait for the compression.
      onScan: (_report, state) => void state?.served.compressed.then(() => order.push("compressed")),
    });
    await publisher.scan();
    await publisher.state?.served.compressed;
    await new Promise((resolve) => setImmediate(resolve));
    expect(hold).toHaveBeenCalledTimes(1);
    expect(order).toEqual(["compressed", "released"]);
    await publisher.stop();
  });
});
