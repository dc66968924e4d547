// The disk cache's background writes: however many scans follow one another, waiting work stays
// bounded by the number of files, and what ends up on disk is the newest value of each.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { DiskCache, decodeEntry } from "../../src/cache/disk-cache.js";
import { silentLogger } from "../../src/logger.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function openCache(): Promise<{ cache: DiskCache; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), "feedwright-disk-cache-test-"));
  dirs.push(dir);
  return { cache: await DiskCache.open(dir, silentLogger), dir: path.join(dir, "v2") };
}

function onDisk(dir: string, section: string, key: string): unknown {
  return decodeEntry(readFileSync(path.join(dir, section, key)))?.value;
}

describe("background writes", () => {
  test("while held, a thousand puts of ten index shards leave at most ten waiting, and the newest of each is written", async () => {
    const { cache, dir } = await openCache();
    cache.hold();
    for (let round = 0; round < 100; round++) for (let shard = 0; shard < 10; shard++) cache.put("index", `heads-${shard}`, { round, shard, payload: Buffer.alloc(1024, round) });
    // One write goes on while held; the rest wait, one per file.
    expect(cache.waiting).toBeLessThanOrEqual(10);
    cache.release();
    await cache.flush();
    expect(cache.waiting).toBe(0);
    for (let shard = 0; shard < 10; shard++) expect(onDisk(dir, "index", `heads-${shard}`)).toMatchObject({ round: 99, shard });
  });

  test("a put of a key that names its content is made once, however often it is asked for", async () => {
    const { cache, dir } = await openCache();
    cache.hold();
    for (let round = 0; round < 50; round++) cache.put("bodies", "same-key", { summary: "s", contentHtml: "<p>x</p>" });
    expect(cache.waiting).toBeLessThanOrEqual(1);
    await cache.flush();
    expect(cache.stats.writes).toBe(1);
    expect(readdirSync(path.join(dir, "bodies"))).toEqual(["same-key"]);
  });

  test("a prune drops the waiting puts it would delete, and a delete drops a waiting put", async () => {
    const { cache, dir } = await openCache();
    cache.hold();
    cache.put("bodies", "first-one", { n: 1 });
    for (const key of ["kept", "dropped-a", "dropped-b", "deleted"]) cache.put("bodies", key, { key });
    cache.delete("bodies", "deleted");
    cache.prune("bodies", new Set(["first-one", "kept", "deleted"]));
    expect(cache.waiting).toBeLessThanOrEqual(3);
    await cache.flush();
    expect(readdirSync(path.join(dir, "bodies")).sort()).toEqual(["first-one", "kept"]);
    expect(onDisk(dir, "bodies", "kept")).toEqual({ key: "kept" });
  });
});

describe("entries swapped between keys", () => {
  test("are refused, deleted and rebuilt: an intact entry found under another key is never served", async () => {
    const { cache, dir } = await openCache();
    const first = { body: Buffer.from("the document of the first ETag") };
    const second = { body: Buffer.from("another document, of another length") };
    cache.put("compressed", "etag-first", first);
    cache.put("compressed", "etag-second", second);
    await cache.flush();
    // Swap the two files: each is intact (its length and CRC are right), under the wrong name.
    const a = path.join(dir, "compressed", "etag-first");
    const b = path.join(dir, "compressed", "etag-second");
    const bytesA = readFileSync(a);
    writeFileSync(a, readFileSync(b));
    writeFileSync(b, bytesA);
    expect((await cache.getMany("compressed", ["etag-first"]))[0]).toBeUndefined();
    expect(await cache.getMany("compressed", ["etag-second"])).toEqual([undefined]);
    expect(cache.stats.corrupted).toBe(2);
    // Put again, each is found under its own key.
    cache.put("compressed", "etag-first", first);
    await cache.flush();
    expect((await cache.getMany("compressed", ["etag-first"]))[0]).toEqual(first);
  });
});

describe("a disk that was full", () => {
  test("turns writes off, reported once, and on again a minute later without a restart", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "feedwright-disk-cache-test-"));
    dirs.push(root);
    let now = 1_000;
    const warnings: string[] = [];
    const infos: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => void warnings.push(message), info: (message: string) => void infos.push(message) };
    const cache = await DiskCache.open(root, logger, { now: () => now });
    const bodies = path.join(root, "v2", "bodies");
    // Writes fail (as with ENOSPC; root can write anywhere, so the folder is made a file).
    rmSync(bodies, { recursive: true });
    writeFileSync(bodies, "");
    cache.put("bodies", "first", { n: 1 });
    await cache.flush();
    cache.put("bodies", "second", { n: 2 });
    await cache.flush();
    expect(cache.stats.writeErrors).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot write to .* trying again every minute/u);
    // Room again; a minute later the next put is written.
    rmSync(bodies);
    now += 61_000;
    cache.put("bodies", "third", { n: 3 });
    await cache.flush();
    expect((await cache.getMany("bodies", ["third"]))[0]).toEqual({ n: 3 });
    expect(infos.some((message) => /writing to .* again/u.test(message))).toBe(true);
    expect(warnings).toHaveLength(1);
  });
});
