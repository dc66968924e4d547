// The on-disk cache that makes a restart warm: the index of the last scan (every file's identity,
// render key, head and body state), rendered post bodies by render key, rendered feed documents
// by feed key, and compressed forms by ETag. Every key already says what it was made from (content hash,
// renderer version, settings), so an entry is either exactly right or never looked up.
//
// Each entry is one file: an 8-byte magic, the lengths of its key and payload, a CRC-32 of both,
// then the key it was stored under ("compressed/<etag>") and the payload (v8.serialize). A file
// that is truncated, altered or unreadable fails the check, is deleted and counts as a miss: the
// thing is rebuilt, never served from a damaged entry. So does an intact entry found under
// another name (files swapped or copied between keys): the key it carries must be the key it
// was looked up by, or another document would be served under this one's ETag. (CRC-32 finds
// accidental damage — a torn write, a flipped bit — at several GB/s, three times faster than
// SHA-256, which matters when a warm restart reads hundreds of megabytes; the cache folder is
// the service's own, so deliberate tampering is outside what it defends against.) Writes go to a
// temporary name and are renamed into place, in the background, and never delay publishing.
// A cache folder that cannot be written (a full or read-only disk, permissions) is reported once
// and then only read, and writing is tried again every minute: once the disk has room again the
// cache fills as before, without a restart.
import { readFileSync } from "node:fs";
import { mkdir, readdir, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import { crc32 } from "node:zlib";
import type { Logger } from "../logger.js";
import { TimeSlices } from "../time-slices.js";

const MAGIC = Buffer.from("FWCACHE3");
/** Magic, key length (4), payload length (8), CRC-32 of key and payload (4). */
const HEADER_BYTES = MAGIC.length + 4 + 8 + 4;
/** Writes in flight at once: the cache never competes with serving for file handles. */
const WRITE_CONCURRENCY = 8;
/** Waiting writes at most: a cold build of 10,000 posts asks for about 11,000. */
const MAX_PENDING = 50_000;
/** After a failed write, writes are off this long before one is tried again. */
const WRITE_RETRY_MS = 60_000;
/** Longest run of synchronous reads between two yields to the event loop. */
const SLICE_MS = 5;

export type CacheSection = "bodies" | "rendered" | "compressed" | "index";

export interface CacheStats {
  hits: number;
  misses: number;
  corrupted: number;
  writes: number;
  writeErrors: number;
  /** Writes not made because far too many were waiting. */
  dropped: number;
}

type PendingWork =
  | { readonly kind: "write"; readonly file: string; readonly key: string; readonly value: unknown }
  | { readonly kind: "delete"; readonly file: string }
  | { readonly kind: "prune"; readonly folder: string; readonly live: ReadonlySet<string> };

export class DiskCache {
  readonly dir: string;
  readonly stats: CacheStats = { hits: 0, misses: 0, corrupted: 0, writes: 0, writeErrors: 0, dropped: 0 };
  readonly #logger: Logger;
  readonly #now: () => number;
  /** While writes are off after a failure: when to try again (0: writes are on). */
  #writesOffUntil = 0;
  /** A write failed and none has succeeded since (reported once, and once when it ends). */
  #outage = false;
  /**
   * Background work waiting, by file (or by section for a prune), in the order it was asked for.
   * One file has at most one waiting operation: a second put replaces the first, so however many
   * scans follow one another, the queue holds at most one value per file (a queue of closures
   * kept every superseded document alive while scans held the writes back: a leak).
   */
  #pending = new Map<string, PendingWork>();
  /** Files being written or deleted now. */
  #busy = new Set<string>();
  #active = 0;
  #held = 0;
  #idle: (() => void)[] = [];
  /** Callers of fewerWaitingThan(), each with its count. */
  #belowWaiters: { readonly count: number; readonly resolve: () => void }[] = [];

  private constructor(dir: string, logger: Logger, now: () => number) {
    this.dir = dir;
    this.#logger = logger;
    this.#now = now;
  }

  /**
   * Opens (and creates) the cache folder. A folder that cannot be created is used read-only
   * until a write succeeds. `now` (milliseconds, any clock that never steps back) times retries.
   */
  static async open(dir: string, logger: Logger, options: { readonly now?: () => number } = {}): Promise<DiskCache> {
    // v2: heads and bodies apart (v1 held whole posts); a v1 folder beside it is never read.
    const cache = new DiskCache(path.join(dir, "v2"), logger, options.now ?? (() => performance.now()));
    try {
      await Promise.all((["bodies", "rendered", "compressed", "index"] as const).map((section) => mkdir(path.join(cache.dir, section), { recursive: true })));
    } catch (error) {
      cache.#disableWrites(error);
    }
    return cache;
  }

  /**
   * Many entries at once (a warm restart reads thousands of posts). Synchronous reads in slices
   * of a few milliseconds, yielding to the event loop between them: one promise per small file
   * costs several times the read itself.
   */
  async getMany<T>(section: CacheSection, keys: readonly string[]): Promise<(T | undefined)[]> {
    const values: (T | undefined)[] = [];
    const slices = new TimeSlices(SLICE_MS);
    for (const key of keys) {
      await slices.yieldIfDue();
      const file = this.#file(section, key);
      let bytes: Buffer | undefined;
      try {
        bytes = readFileSync(file);
      } catch {
        bytes = undefined;
      }
      values.push(bytes === undefined ? this.#miss() : this.#decode<T>(file, entryKey(section, key), bytes));
    }
    return values;
  }

  #miss(): undefined {
    this.stats.misses++;
    return undefined;
  }

  #decode<T>(file: string, key: string, bytes: Buffer): T | undefined {
    const value = decodeEntry<T>(bytes, key);
    if (value === undefined && isOtherVersion(bytes)) {
      // Written by another version of Feedwright: not damage, just not ours to read.
      void unlink(file).catch(() => undefined);
      return this.#miss();
    }
    if (value === undefined) {
      this.stats.corrupted++;
      this.#logger.warn(`cache: ${path.relative(process.cwd(), file)} is damaged; it is rebuilt (delete ${this.dir} to start over)`);
      void unlink(file).catch(() => undefined);
      return undefined;
    }
    this.stats.hits++;
    return value.value;
  }

  /**
   * Stores in the background; see flush(). Keys other than the index's name their content, so a
   * put of a file already being written (or waiting) is the same bytes and is dropped; an index
   * shard's newest value replaces a waiting one, or is written again after the write under way.
   */
  put(section: CacheSection, key: string, value: unknown): void {
    if (!this.#writable) return;
    const file = this.#file(section, key);
    const mutable = section === "index";
    if (!mutable && (this.#busy.has(file) || this.#pending.get(file)?.kind === "write")) return;
    this.#schedule(file, { kind: "write", file, key: entryKey(section, key), value });
  }

  /** Deletes one entry (in the background); a missing one is fine. A waiting put of it is dropped. */
  delete(section: Exclude<CacheSection, "index">, key: string): void {
    if (!this.#writable) return;
    const file = this.#file(section, key);
    this.#schedule(file, { kind: "delete", file });
  }

  /**
   * Deletes the entries of a section whose keys are not in `live` (in the background). Waiting
   * puts of other keys of the section are dropped at once; a newer prune of a section replaces
   * one still waiting.
   */
  prune(section: Exclude<CacheSection, "index">, live: ReadonlySet<string>): void {
    if (!this.#writable) return;
    const folder = path.join(this.dir, section);
    for (const [file, work] of this.#pending) {
      if (work.kind === "write" && path.dirname(file) === folder && !live.has(path.basename(file))) this.#pending.delete(file);
    }
    this.#schedule(`prune:${section}`, { kind: "prune", folder, live });
  }

  /**
   * Slows background writes down until release(): a scan calls it so that serializing and writing
   * entries mostly happens after the new documents are live and compressed (publisher.ts). One
   * write at a time still goes on, so that scans following each other back to back cannot pile
   * writes up.
   */
  hold(): void {
    this.#held++;
  }

  release(): void {
    this.#held = Math.max(0, this.#held - 1);
    this.#pump();
  }

  /** Background operations waiting (not yet started). */
  get waiting(): number {
    return this.#pending.size;
  }

  /**
   * Resolves once fewer than `count` operations wait (at once if so already): a producer of many
   * entries (the background check of a cold build's bodies) waits on it so that the queue, which
   * holds every waiting value, stays short.
   */
  fewerWaitingThan(count: number): Promise<void> {
    if (!this.#writable || this.#pending.size < count) return Promise.resolve();
    return new Promise((resolve) => this.#belowWaiters.push({ count, resolve }));
  }

  /** Resolves when every background write so far has finished. */
  flush(): Promise<void> {
    this.#held = 0;
    this.#pump();
    if (this.#active === 0 && this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #file(section: CacheSection, key: string): string {
    // Keys are base64url (content hashes) or fixed names: always one safe path segment.
    return path.join(this.dir, section, key.replace(/[^A-Za-z0-9_-]/g, "_"));
  }

  #schedule(id: string, work: PendingWork): void {
    if (!this.#pending.has(id) && this.#pending.size >= MAX_PENDING) {
      // Far more than a scan asks for; dropping a write costs a miss (a render) later at worst.
      this.stats.dropped++;
      return;
    }
    // Deleted and re-added so that it runs after what was asked for before it.
    this.#pending.delete(id);
    this.#pending.set(id, work);
    this.#pump();
  }

  #pump(): void {
    const limit = this.#held > 0 ? 1 : WRITE_CONCURRENCY;
    for (const [id, work] of this.#pending) {
      if (this.#active >= limit) break;
      // One operation per file at a time; a newer one waits until the one under way is done.
      if (work.kind !== "prune" && this.#busy.has(work.file)) continue;
      this.#pending.delete(id);
      if (work.kind !== "prune") this.#busy.add(work.file);
      this.#active++;
      void this.#run(work).finally(() => {
        if (work.kind !== "prune") this.#busy.delete(work.file);
        this.#active--;
        this.#pump();
        this.#wakeBelowWaiters();
        if (this.#active === 0 && this.#pending.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
      });
    }
  }

  #wakeBelowWaiters(): void {
    if (this.#belowWaiters.length === 0) return;
    const size = this.#writable ? this.#pending.size : 0;
    this.#belowWaiters = this.#belowWaiters.filter((waiter) => {
      if (size >= waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }

  async #run(work: PendingWork): Promise<void> {
    if (work.kind === "delete") {
      await unlink(work.file).catch(() => undefined);
      return;
    }
    if (work.kind === "prune") {
      let names: string[];
      try {
        names = await readdir(work.folder);
      } catch {
        return;
      }
      for (const name of names) {
        // Most names are live: they are passed over before their path is made (pruning the 10,000
        // bodies of 10,000 posts, all live, took 22–33 ms, 30 ms of CPU, with a path per name,
        // and 10–14 ms this way).
        if (work.live.has(name) || name.endsWith(".tmp")) continue;
        const file = path.join(work.folder, name);
        if (this.#busy.has(file) || this.#pending.has(file)) continue;
        await unlink(file).catch(() => undefined);
      }
      return;
    }
    const temporary = `${work.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      // After a failure the folders themselves may be what was missing.
      if (this.#outage) await mkdir(path.dirname(work.file), { recursive: true });
      await writeFile(temporary, encodeEntry(work.value, work.key));
      await rename(temporary, work.file);
      this.stats.writes++;
      if (this.#outage) {
        this.#outage = false;
        this.#logger.info(`cache: writing to ${this.dir} again`);
      }
    } catch (error) {
      this.stats.writeErrors++;
      void unlink(temporary).catch(() => undefined);
      this.#disableWrites(error);
    }
  }

  /** Whether writes are on; after a failure, off for WRITE_RETRY_MS, then tried again. */
  get #writable(): boolean {
    if (this.#writesOffUntil === 0) return true;
    if (this.#now() < this.#writesOffUntil) return false;
    this.#writesOffUntil = 0;
    return true;
  }

  #disableWrites(error: unknown): void {
    if (this.#writesOffUntil !== 0) return;
    this.#writesOffUntil = this.#now() + WRITE_RETRY_MS;
    this.#pending.clear();
    if (this.#outage) return;
    this.#outage = true;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    this.#logger.warn(
      `cache: cannot write to ${this.dir} (${code}); continuing without saving to the cache, and trying again every minute — free disk space, check FEEDWRIGHT_CACHE_DIR or use --no-cache`,
    );
  }
}

function isOtherVersion(bytes: Buffer): boolean {
  return bytes.length >= MAGIC.length && bytes.subarray(0, 7).equals(MAGIC.subarray(0, 7)) && !bytes.subarray(0, MAGIC.length).equals(MAGIC);
}

/** What an entry says it is: its section and the key it was stored by. */
function entryKey(section: CacheSection, key: string): string {
  return `${section}/${key}`;
}

export function encodeEntry(value: unknown, key: string): Buffer {
  const payload = serialize(value);
  const keyBytes = Buffer.from(key, "utf8");
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header);
  header.writeUInt32LE(keyBytes.length, MAGIC.length);
  header.writeBigUInt64LE(BigInt(payload.length), MAGIC.length + 4);
  header.writeUInt32LE(crc32(payload, crc32(keyBytes)), MAGIC.length + 12);
  return Buffer.concat([header, keyBytes, payload]);
}

/**
 * The value, or undefined when the bytes are not an intact entry, or (given `key`) are one
 * stored under another key.
 */
export function decodeEntry<T>(bytes: Buffer, key?: string): { value: T } | undefined {
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const keyLength = bytes.readUInt32LE(MAGIC.length);
  if (HEADER_BYTES + keyLength > bytes.length) return undefined;
  const keyBytes = bytes.subarray(HEADER_BYTES, HEADER_BYTES + keyLength);
  const payload = bytes.subarray(HEADER_BYTES + keyLength);
  if (bytes.readBigUInt64LE(MAGIC.length + 4) !== BigInt(payload.length)) return undefined;
  if (crc32(payload, crc32(keyBytes)) !== bytes.readUInt32LE(MAGIC.length + 12)) return undefined;
  if (key !== undefined && !keyBytes.equals(Buffer.from(key, "utf8"))) return undefined;
  try {
    return { value: deserialize(payload) as T };
  } catch {
    return undefined;
  }
}
