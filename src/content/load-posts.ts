// The content stage's entry point: the posts folder -> every Post, plus every file that was
// skipped and why. One bad file never stops the others.
//
// ContentLoader keeps what the last scan saw, so a rescan does only what changed: a file whose
// inode, size and modification time are unchanged is not even read; one that changed is read and
// hashed, and rendered again only if its render key (content hash + renderer version + settings,
// content/render-key.ts) is new — a touched but identical file costs one read. Renders come from
// the on-disk cache when there is one (a warm restart renders nothing), and otherwise from the
// render pool (worker threads for a cold build).
import { open } from "node:fs/promises";
import type { Config } from "../config.js";
import type { DiskCache } from "../cache/disk-cache.js";
import type { Post, PostProblem } from "./post.js";
import type { LoadResult } from "./render-file.js";
import { RENDERER_VERSION, renderKey, siteFingerprint } from "./render-key.js";
import { createPostRenderer, type FileToRender, type PostRenderer } from "./render-pool.js";
import { scanPostsFolder, type PostFile } from "./scan.js";

export interface Unpublished {
  readonly file: string;
  readonly reason: string;
}

export interface ContentSnapshot {
  /** Every publishable post, future-dated ones included, newest first. */
  readonly posts: readonly Post[];
  /** Files that were skipped, with the error that says why. */
  readonly problems: readonly PostProblem[];
  /** Posts that were published despite something worth fixing. */
  readonly warnings: readonly PostProblem[];
  /** Drafts and `published: false` posts. */
  readonly unpublished: readonly Unpublished[];
}

/** What a scan found different from the one before (source paths). */
export interface ContentChanges {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  /** Files read from disk (new or with a new identity). */
  readonly read: number;
  /** Files rendered by this scan (not found in any cache). */
  readonly rendered: number;
  /** Renders taken from the disk cache. */
  readonly fromDiskCache: number;
}

export interface ContentLoad {
  readonly snapshot: ContentSnapshot;
  readonly changes: ContentChanges;
}

/** What the last scan knew of one file. */
interface FileEntry {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly key: string;
  readonly result: LoadResult;
}

/**
 * The identities and keys of the last scan, saved in the disk cache for a warm restart. Keys
 * depend on the renderer and the site settings, so the index is only used under the same ones.
 */
interface FileIndex {
  readonly renderer: string;
  readonly fingerprint: string;
  readonly files: Record<string, { ino: number; size: number; mtimeMs: number; key: string }>;
}

/** How many files are read at once: enough to hide disk latency, few enough for file handles. */
const READ_CONCURRENCY = 32;
const INDEX_KEY = "files";

export class ContentLoader {
  readonly #config: Pick<Config, "postsDir" | "maxPostBytes" | "site">;
  readonly #renderer: PostRenderer;
  readonly #cache: DiskCache | undefined;
  readonly #fingerprint: string;
  #entries = new Map<string, FileEntry>();
  #diskIndex: FileIndex["files"] | undefined;
  #last: { snapshot: ContentSnapshot; scanProblems: string } | undefined;

  constructor(config: Pick<Config, "postsDir" | "maxPostBytes" | "site">, renderer: PostRenderer, cache?: DiskCache) {
    this.#config = config;
    this.#renderer = renderer;
    this.#cache = cache;
    this.#fingerprint = siteFingerprint(config.site);
  }

  /**
   * Scans the folder. `full`: read and render every file again, ignoring every cache (a cold
   * build). Throws PostsFolderError when the folder itself cannot be read; never for a post.
   */
  async load(options: { full?: boolean } = {}): Promise<ContentLoad> {
    const full = options.full === true;
    const scan = await scanPostsFolder(this.#config.postsDir);
    if (this.#cache && !full && this.#entries.size === 0 && this.#diskIndex === undefined) {
      const saved = await this.#cache.get<FileIndex>("index", INDEX_KEY);
      this.#diskIndex = saved && saved.renderer === RENDERER_VERSION && saved.fingerprint === this.#fingerprint ? saved.files : {};
    }
    const previous = full ? new Map<string, FileEntry>() : this.#entries;
    const next = new Map<string, FileEntry>();
    const problems: PostProblem[] = [...scan.problems];
    const toRead: PostFile[] = [];
    const warm: { file: PostFile; key: string }[] = [];
    let fromDiskCache = 0;
    const cache = full ? undefined : this.#cache;

    for (const file of scan.files) {
      if (file.size > this.#config.maxPostBytes) {
        // Refused from its size alone: a 50 MB file is never read into memory.
        problems.push({ file: file.sourcePath, line: undefined, message: `the file is ${file.size} bytes, over the limit of ${this.#config.maxPostBytes} (max_post_bytes); split it or raise the limit` });
        continue;
      }
      const known = previous.get(file.sourcePath);
      if (known && sameIdentity(known, file)) {
        next.set(file.sourcePath, known);
        continue;
      }
      // A warm restart: the saved index says which render this unchanged file has.
      const indexed = this.#diskIndex?.[file.sourcePath];
      if (cache && indexed && sameIdentity(indexed, file)) warm.push({ file, key: indexed.key });
      else toRead.push(file);
    }
    if (cache) {
      const results = await cache.getMany<LoadResult>("posts", warm.map((entry) => entry.key));
      for (const [index, { file, key }] of warm.entries()) {
        const result = results[index];
        if (!result) {
          toRead.push(file);
          continue;
        }
        next.set(file.sourcePath, { ...identity(file), key, result });
        fromDiskCache++;
      }
    }

    // Read and hash what may have changed; render only what has a new render key.
    type Read = { file: PostFile; bytes: Buffer } | { file: PostFile; error: NodeJS.ErrnoException } | { file: PostFile; tooLarge: number };
    const maxBytes = this.#config.maxPostBytes;
    const reads = await mapWithConcurrency(toRead, READ_CONCURRENCY, async (file): Promise<Read> => {
      try {
        const read = await readAtMost(file.absolutePath, maxBytes);
        return typeof read === "number" ? { file, tooLarge: read } : { file, bytes: read };
      } catch (error) {
        return { file, error: error as NodeJS.ErrnoException };
      }
    });
    const toRender: { file: PostFile; render: FileToRender }[] = [];
    const toLookUp: { file: PostFile; bytes: Buffer; key: string }[] = [];
    for (const read of reads) {
      if ("tooLarge" in read) {
        problems.push({ file: read.file.sourcePath, line: undefined, message: `the file is ${read.tooLarge} bytes, over the limit of ${maxBytes} (max_post_bytes); split it or raise the limit` });
        continue;
      }
      if ("error" in read) {
        // Deleted between the listing and the read: gone, like a file that was never there.
        if (read.error.code === "ENOENT") continue;
        problems.push({ file: read.file.sourcePath, line: undefined, message: `cannot read the file (${read.error.code ?? String(read.error)}); check that it is readable` });
        continue;
      }
      const key = renderKey(this.#fingerprint, read.file.sourcePath, read.bytes);
      const known = previous.get(read.file.sourcePath);
      if (known && known.key === key) {
        next.set(read.file.sourcePath, { ...identity(read.file), key, result: known.result });
        continue;
      }
      toLookUp.push({ file: read.file, bytes: read.bytes, key });
    }
    const cachedResults = cache ? await cache.getMany<LoadResult>("posts", toLookUp.map((entry) => entry.key)) : [];
    for (const [index, { file, bytes, key }] of toLookUp.entries()) {
      const cached = cachedResults[index];
      if (cached) {
        next.set(file.sourcePath, { ...identity(file), key, result: cached });
        fromDiskCache++;
      } else {
        toRender.push({ file, render: { sourcePath: file.sourcePath, bytes, revision: key } });
      }
    }
    const rendered = await this.#renderer.render(toRender.map((entry) => entry.render));
    toRender.forEach((entry, index) => {
      const result = rendered[index];
      if (!result) return;
      next.set(entry.file.sourcePath, { ...identity(entry.file), key: entry.render.revision, result });
      this.#cache?.put("posts", entry.render.revision, result);
    });

    const changes = diff(this.#entries, next, reads.length, toRender.length, fromDiskCache);
    const unchanged = changes.added.length === 0 && changes.changed.length === 0 && changes.removed.length === 0;
    this.#entries = next;
    this.#diskIndex = undefined;
    if (this.#cache && (!unchanged || reads.length > 0 || fromDiskCache > 0)) this.#saveIndex(this.#cache, next);
    // Nothing changed: the very same snapshot, which tells the next stage it has nothing to do.
    const scanProblems = JSON.stringify(problems);
    if (unchanged && !full && this.#last && this.#last.scanProblems === scanProblems) return { snapshot: this.#last.snapshot, changes };
    const snapshot = assemble(scan.files, next, problems);
    this.#last = { snapshot, scanProblems };
    return { snapshot, changes };
  }

  async close(): Promise<void> {
    await this.#renderer.close();
  }

  #saveIndex(cache: DiskCache, entries: ReadonlyMap<string, FileEntry>): void {
    const files: FileIndex["files"] = {};
    for (const [sourcePath, entry] of entries) files[sourcePath] = { ino: entry.ino, size: entry.size, mtimeMs: entry.mtimeMs, key: entry.key };
    const index: FileIndex = { renderer: RENDERER_VERSION, fingerprint: this.#fingerprint, files };
    cache.put("index", INDEX_KEY, index);
    cache.prune("posts", new Set([...entries.values()].map((entry) => entry.key)));
  }
}

/** One full scan without any cache, rendered on this thread: for `check`, `build` and tests. */
export async function loadPosts(config: Pick<Config, "postsDir" | "maxPostBytes" | "site">): Promise<ContentSnapshot> {
  const loader = new ContentLoader(config, createPostRenderer(config.site, config.maxPostBytes, 0));
  return (await loader.load()).snapshot;
}

function sameIdentity(known: { ino: number; size: number; mtimeMs: number }, file: PostFile): boolean {
  return known.ino === file.ino && known.size === file.size && known.mtimeMs === file.mtimeMs;
}

function identity(file: PostFile): { ino: number; size: number; mtimeMs: number } {
  return { ino: file.ino, size: file.size, mtimeMs: file.mtimeMs };
}

function diff(before: ReadonlyMap<string, FileEntry>, after: ReadonlyMap<string, FileEntry>, read: number, rendered: number, fromDiskCache: number): ContentChanges {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [sourcePath, entry] of after) {
    const old = before.get(sourcePath);
    if (!old) added.push(sourcePath);
    else if (old.key !== entry.key) changed.push(sourcePath);
  }
  for (const sourcePath of before.keys()) if (!after.has(sourcePath)) removed.push(sourcePath);
  return { added, changed, removed, read, rendered, fromDiskCache };
}

function assemble(files: readonly PostFile[], entries: ReadonlyMap<string, FileEntry>, problems: PostProblem[]): ContentSnapshot {
  const warnings: PostProblem[] = [];
  const unpublished: Unpublished[] = [];
  const posts: Post[] = [];
  for (const file of files) {
    const entry = entries.get(file.sourcePath);
    if (!entry) continue;
    const result = entry.result;
    if (result.kind === "error") problems.push({ file: file.sourcePath, line: result.line, message: result.message });
    else if (result.kind === "unpublished") unpublished.push({ file: file.sourcePath, reason: result.reason });
    else {
      posts.push(result.post);
      warnings.push(...result.warnings);
    }
  }
  return { posts: withUniqueIds(posts, warnings).sort(newestFirst), problems, warnings, unpublished };
}

/** Newest first; posts with the same date in source-path order, so the order never depends on the disk. */
export function newestFirst(a: Post, b: Post): number {
  return b.date.getTime() - a.date.getTime() || (a.sourcePath < b.sourcePath ? -1 : a.sourcePath > b.sourcePath ? 1 : 0);
}

/**
 * Two posts with the same permalink (or id) are both kept and reported; the one found later in
 * the folder (the scan lists it in a fixed, sorted order) gets its source path as a fragment of
 * its id, so every feed still has unique ids.
 */
function withUniqueIds(posts: Post[], warnings: PostProblem[]): Post[] {
  const byId = new Map<string, Post[]>();
  for (const post of posts) {
    const group = byId.get(post.id) ?? [];
    group.push(post);
    byId.set(post.id, group);
  }
  const result: Post[] = [];
  for (const [id, group] of byId) {
    const [first, ...rest] = group;
    if (first) result.push(first);
    for (const post of rest) {
      warnings.push({
        file: post.sourcePath,
        line: undefined,
        message: `has the same permalink/id as ${first?.sourcePath ?? "another post"} (${id}); both are published, this one with id ${id}#${encodeURIComponent(post.sourcePath)} — give one of them a permalink: or slug:`,
      });
      result.push({ ...post, id: `${id}#${encodeURIComponent(post.sourcePath)}` });
    }
  }
  return result;
}

/**
 * The file's bytes, or its size when that is over `maxBytes`. Hardening fix (hostile content):
 * the size check above uses the listing's lstat, but a file can be replaced between the listing
 * and this read (an editor saving, a sync tool, an attacker), and readFile read whatever it
 * found — a 50 MB file swapped in was read whole into memory before being refused. The size is
 * checked again on the open handle, and at most maxBytes + 1 bytes are ever read (a file still
 * growing is caught by the extra byte).
 */
async function readAtMost(absolutePath: string, maxBytes: number): Promise<Buffer | number> {
  const handle = await open(absolutePath, "r");
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) return size;
    // One byte more than the file holds: a normal file takes one read and one that finds its end.
    // (Not from Buffer's shared pool: a pooled slice would carry its whole slab to a worker.)
    let buffer = Buffer.allocUnsafeSlow(size + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (total > maxBytes) break;
        // The file grew since it was opened: make room, up to one byte over the limit.
        const larger = Buffer.allocUnsafeSlow(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(larger, 0, 0, total);
        buffer = larger;
      }
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > maxBytes) return Math.max(total, size);
    return buffer.subarray(0, total);
  } finally {
    await handle.close();
  }
}

async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
