// `feedwright build --out DIR`: every document as a file, at the path it is served from, so any
// static file server or object store can serve the feeds — archives and the browser stylesheet
// included. A category or tag folder is named by its slug itself (feeds/slug.ts makes it a safe
// file name); a URL reaches it percent-encoded.
//
// Beside each document go `.gz` and `.br` files holding exactly the bytes the live server sends
// for those codings (the same rendering and compression code, delivery/served-document.ts);
// where the compressed form is not smaller the live server sends the identity, and no sibling is
// written, so nginx's gzip_static / brotli_static fall back to the identity too.
//
// Only what changed is made again. The export plans every document from the posts' heads with
// its key (export-plan.ts) and compares it with the manifest of the previous export
// (export-manifest.ts): a document with the same key, or whose new bytes turn out the same, is
// taken from the previous tree as a hard link (a copy where the file system has none), the
// others are rendered and compressed on worker threads (export-renderer.ts) and written. When
// nothing changed at all, nothing is written and DIR stays as it is.
//
// Re-running into the same DIR is safe: DIR is a symbolic link to a tree in `.DIR.trees/` beside
// it; the new tree is written there and the link switched to it with one rename(2), which
// replaces the link atomically, so a web server serving DIR sees the old tree or the new one,
// never a half-written one nor no DIR at all.
//
// Two trees are kept: the one DIR leads to and a spare, the one it replaced (after the first
// export, a tree of hard links to the same files). The next export brings the spare up to date
// in place, touching only the documents that differ, and switches DIR to it; the tree it leaves
// becomes the spare. A new post then costs the few files it changes instead of a link to and an
// unlink of each of the 34,686 files of a 10,000-post export (0.49 s and 0.74 s on the benchmark's
// machine under load, of the 3.1 s a new post took with a new tree each time). A tree
// counts as whole only while its manifest is beside it: the spare's is deleted before it is
// changed, and written again once it is complete. An export killed at any point leaves DIR as it
// was; the next one deletes every tree but DIR's and one spare with its manifest (a tree a killed
// export was writing has none), and puts back a DIR that an older Feedwright (which swapped with two
// renames) left missing.
//
// Only a DIR that holds nothing but what an export writes is ever replaced, and nothing outside
// it and its trees folder is deleted. A file whose bytes did not change keeps the modification
// time of the previous export (a hard link is the same file); a changed one gets the time of this
// export: nginx derives Last-Modified and its ETag from that time (and the size), and sync tools
// (rsync, aws s3 sync) from it decide what to copy.
import { randomBytes } from "node:crypto";
import { copyFileSync, linkSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { chmod, lstat, mkdir, open, readdir, readFile, readlink, realpath, rename, rm, stat, symlink, unlink } from "node:fs/promises";
import type { Stats } from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import type { ContentLoader } from "../content/load-posts.js";
import type { PostBody, PostHead } from "../content/post.js";
import { compressionKindOf } from "../delivery/served-document.js";
import type { BuildInput } from "../feeds/build-site.js";
import type { FeedSpec } from "../feeds/feed-spec.js";
import { withBodies } from "../feeds/render-feed.js";
import { FEED_FORMATS, isRouteFolder, parseRouteFile } from "../feeds/routes.js";
import { StaticExportError } from "./export-error.js";
import { MANIFEST_SUFFIX, readManifest, writeManifest, type ExportManifest, type FolderTimes, type ManifestEntry, type ManifestFile } from "./export-manifest.js";
import { planExport, type ExportPlan, type FeedDocumentPlan } from "./export-plan.js";
import { createFeedDocumentRenderer, POOL_THRESHOLD, type FeedDocumentRenderer } from "./export-renderer.js";
import { exportedFile, type ExportedFile } from "./export-worker.js";

export { StaticExportError } from "./export-error.js";

/** The suffixes of a document's precompressed siblings. */
const COMPRESSED_SUFFIX = /\.(?:gz|br)$/;


/** What is exported: the posts, and their bodies for the documents that must be rendered. */
export interface ExportInput {
  /** Which posts are due (future-dated ones are not exported until their date). */
  readonly now: Date;
  /** The posts, read again after `bodies` left some body out (that post cannot be published). */
  content(): BuildInput;
  /** The bodies of `heads` by revision; one that cannot be rendered is left out. */
  bodies(heads: readonly PostHead[]): Promise<ReadonlyMap<string, PostBody>>;
}

export interface StaticExportOptions {
  /** The modification time of files that are new or changed (default: now). */
  readonly modifiedAt?: Date;
  /** Threads rendering and compressing feed documents; 0: the main thread (default). */
  readonly threads?: number;
  /** Fewer feed documents to render than this are rendered on the main thread (default: POOL_THRESHOLD). */
  readonly poolThreshold?: number;
}

export interface ExportReport {
  /** Files DIR holds now. */
  readonly files: number;
  /** Files written by this export, and their bytes. */
  readonly written: number;
  readonly writtenBytes: number;
  /** Files taken from the previous export as they were. */
  readonly linked: number;
  /** Files of the previous export that the new one no longer has. */
  readonly removed: number;
  /** Feed documents rendered (each in three formats), of all there are. */
  readonly rendered: number;
  readonly feedDocuments: number;
  readonly published: number;
  /** Nothing changed: DIR was left as it was. */
  readonly unchanged: boolean;
}

/** Exports whole posts (each carries its body), as loadPosts() gives them. */
export function wholePostsInput(content: BuildInput<PostHead & PostBody>, now: Date): ExportInput {
  const bodies = new Map(content.posts.map((post) => [post.revision, { summary: post.summary, contentHtml: post.contentHtml }]));
  return { now, content: () => content, bodies: () => Promise.resolve(bodies) };
}

/**
 * Exports the posts a loader has read, rendering (or taking from the disk cache) only the bodies
 * it needs. `afterBodies` runs once they are at hand: the post renderer's threads can stop before
 * the export's own start (each holds tens of megabytes).
 */
export function loaderInput(loader: ContentLoader, now: Date, afterBodies?: () => Promise<void>): ExportInput {
  return {
    now,
    content: () => loader.current(),
    bodies: async (heads) => {
      const result = await loader.bodies(heads);
      await afterBodies?.();
      if (!result.ok) throw new StaticExportError(`export: posts changed while they were read (${result.changedFiles.join(", ")}); run it again`);
      return result.bodies;
    },
  };
}

/** How often the export plans again when posts leave because their bodies cannot be rendered. */
const MAX_PLANS = 3;

/** Writes every document and its compressed siblings into `outDir`, making again only what changed. */
export async function writeStaticSite(config: Config, input: ExportInput, outDir: string, options: StaticExportOptions = {}): Promise<ExportReport> {
  const target = await exportTarget(outDir);
  const parent = path.dirname(target);
  await mkdir(parent, { recursive: true });
  const release = await lock(path.join(parent, `.${path.basename(target)}.feedwright-lock`), outDir);
  const trees = treesFolder(target);
  let renderer: FeedDocumentRenderer | undefined;
  let staging: string | undefined;
  try {
    // Holding the lock, nothing else writes here: what a killed export left is cleaned up.
    await recover(target);
    const previousTree = await liveTree(target);
    const manifestFile = previousTree ? await readManifest(path.join(trees, `${previousTree}${MANIFEST_SUFFIX}`)) : undefined;
    const manifest = manifestFile?.documents;
    const previous = await previousExport(target, outDir, manifestFile);
    // Whole seconds: HTTP dates have no fractions, and nginx compares them by the second.
    const stamp = Math.floor((options.modifiedAt ?? new Date()).getTime() / 1000);
    // Read only once the export knows something changed: a re-export that changes nothing does not need it.
    let spare: Spare | undefined;
    let spareRead = false;
    for (let attempt = 1; ; attempt++) {
      const plan = await planExport(config, input.content(), input.now);
      if (manifest && previous && holdsExactly(manifest, previous.holds, plan)) return unchangedReport(manifest, plan);
      if (!spareRead && previousTree && manifest) spare = await usableSpare(trees, previousTree);
      spareRead = true;
      const treeName = spare?.name ?? `tree-${process.pid}-${randomBytes(4).toString("hex")}`;
      staging = path.join(trees, treeName);
      // From here the spare is being changed: without its manifest, no later export takes it for whole.
      if (spare) await rm(path.join(trees, `${treeName}${MANIFEST_SUFFIX}`), { force: true });
      else await mkdir(staging, { recursive: true });
      if (previous) await chmodLike(staging, previous.stats);
      const writer = new TreeWriter(staging, previousTree && previous ? path.join(trees, previousTree) : previous ? target : undefined, manifest, stamp, spare?.manifest);
      // A listing's key is its ETag: rendered already (they are small), compressed only when new.
      for (const { file, document, kind } of plan.listings) {
        if (!writer.reuse(file, document.etag)) writer.put(file, document.etag, exportedFile(document, compressionKindOf(kind)));
      }
      // Taken from the previous export where the key is the same; the rest is rendered.
      const toRender = plan.feeds.filter((feed) => !FEED_FORMATS.every((format) => writer.reuse(feed.files[format], documentKey(feed, format))));
      const bodies = await input.bodies(toRender.flatMap((feed) => feed.spec.items));
      if (toRender.some((feed) => feed.spec.items.some((head) => !bodies.has(head.revision)))) {
        // A post whose body failed is no longer among the posts: plan without it (in a new tree).
        if (attempt >= MAX_PLANS) throw new Error("export: posts kept failing to render while the export was planned; run it again");
        await rm(staging, { recursive: true, force: true });
        spare = undefined;
        continue;
      }
      renderer ??= createFeedDocumentRenderer(toRender.length < (options.poolThreshold ?? POOL_THRESHOLD) ? 0 : (options.threads ?? 0));
      await renderAll(toRender, bodies, renderer, writer);
      writer.dropTheRest();
      const documents = writer.manifest();
      await writeManifest(path.join(trees, `${treeName}${MANIFEST_SUFFIX}`), documents, folderTimes(staging, documents));
      await switchTo(target, treeName, outDir);
      // Live now: from here on it is never deleted.
      staging = undefined;
      // The tree replaced is the spare now (its manifest is beside it). With none (the first
      // export), the spare is made as hard links to the new tree's files.
      if (!previousTree) await makeSpare(trees, treeName, documents);
      await recover(target).catch((error: unknown) => {
        throw new StaticExportError(`export: wrote ${outDir}, but could not delete what an earlier export left beside it: ${(error as Error).message}`, { cause: error });
      });
      return {
        files: writer.files,
        written: writer.written,
        writtenBytes: writer.writtenBytes,
        linked: writer.linked,
        removed: manifest ? removedFiles(manifest, documents) : 0,
        rendered: toRender.length,
        feedDocuments: plan.feeds.length,
        published: plan.published,
        unchanged: false,
      };
    }
  } catch (error) {
    // Only the tree this run was writing (a new one, or the spare); DIR's tree stays as it was.
    if (staging) await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    await renderer?.close();
    await release();
  }
}

/** The tree kept beside DIR's for the next export to bring up to date, and what it holds. */
interface Spare {
  readonly name: string;
  readonly manifest: ExportManifest;
}

/**
 * The spare beside DIR's tree `live`, when there is one whose manifest this Feedwright reads and
 * none of whose folders changed since it was complete (its files are the ones listed: a document
 * kept from it is not looked at again); any other is deleted.
 */
async function usableSpare(trees: string, live: string): Promise<Spare | undefined> {
  const name = spareName(await readdir(trees), live);
  if (!name) return undefined;
  const manifest = await readManifest(path.join(trees, `${name}${MANIFEST_SUFFIX}`));
  if (manifest?.folders && sameFolderTimes(path.join(trees, name), manifest.folders)) return { name, manifest: manifest.documents };
  await rm(path.join(trees, `${name}${MANIFEST_SUFFIX}`), { force: true });
  await rm(path.join(trees, name), { recursive: true, force: true });
  return undefined;
}

/** Of the trees folder's `entries`, the spare: a tree other than `live` with its manifest beside it. */
function spareName(entries: readonly string[], live: string | undefined): string | undefined {
  const names = new Set(entries);
  return entries.filter((name) => name !== live && !name.endsWith(MANIFEST_SUFFIX) && names.has(`${name}${MANIFEST_SUFFIX}`)).sort()[0];
}

/**
 * Makes the first spare: a tree of hard links to the files of `treeName`, then its manifest.
 * Where the file system has no hard links there is none (it would double the disk space); the
 * next export then links or copies into a new tree, as it does without a spare.
 */
async function makeSpare(trees: string, treeName: string, documents: ExportManifest): Promise<void> {
  const name = `tree-${process.pid}-${randomBytes(4).toString("hex")}`;
  const from = path.join(trees, treeName);
  const to = path.join(trees, name);
  const folders = new Set<string>();
  try {
    for (const [relative, entry] of documents) {
      for (const suffix of entry.suffixes) {
        const parts = `${relative}${suffix}`.split("/");
        const file = path.join(to, ...parts);
        const folder = path.dirname(file);
        if (!folders.has(folder)) {
          mkdirSync(folder, { recursive: true });
          folders.add(folder);
        }
        linkSync(path.join(from, ...parts), file);
      }
    }
  } catch (error) {
    await rm(to, { recursive: true, force: true });
    if (NO_LINKS.has((error as NodeJS.ErrnoException).code ?? "")) return;
    throw error;
  }
  await writeManifest(path.join(trees, `${name}${MANIFEST_SUFFIX}`), documents, folderTimes(to, documents));
}

/** The key of one format of a feed document in the manifest. */
function documentKey(feed: FeedDocumentPlan, format: string): string {
  return `${feed.key}.${format}`;
}

/** Renders the documents on the renderer's threads, a few at a time, writing each as it comes. */
async function renderAll(
  feeds: readonly FeedDocumentPlan[],
  bodies: ReadonlyMap<string, PostBody>,
  renderer: FeedDocumentRenderer,
  writer: TreeWriter,
): Promise<void> {
  let next = 0;
  const bodyOf = (head: PostHead): PostBody => bodies.get(head.revision) as PostBody;
  const work = async (): Promise<void> => {
    for (let feed = feeds[next++]; feed; feed = feeds[next++]) {
      // No term: its posts would be copied to the worker thread for nothing.
      const spec: FeedSpec = { ...withBodies(feed.spec, bodyOf), term: undefined };
      const files = await renderer.render({ spec, compression: compressionKindOf(feed.kind) });
      for (const format of FEED_FORMATS) writer.put(feed.files[format], documentKey(feed, format), files[format]);
    }
  };
  await Promise.all(Array.from({ length: renderer.parallel }, work));
}

/**
 * Whether the previous export holds exactly the documents of `plan`, each from the same key, and
 * every file its manifest lists is still there (`holds`: whether DIR holds a file).
 */
function holdsExactly(manifest: ExportManifest, holds: (relative: string) => boolean, plan: ExportPlan): boolean {
  let count = 0;
  const same = (relative: string, key: string): boolean => {
    const entry = manifest.get(relative);
    count++;
    return entry?.key === key && entry.suffixes.every((suffix) => holds(`${relative}${suffix}`));
  };
  for (const { file, document } of plan.listings) if (!same(file, document.etag)) return false;
  for (const feed of plan.feeds) for (const format of FEED_FORMATS) if (!same(feed.files[format], documentKey(feed, format))) return false;
  return count === manifest.size;
}

function unchangedReport(manifest: ExportManifest, plan: ExportPlan): ExportReport {
  let files = 0;
  for (const entry of manifest.values()) files += entry.suffixes.length;
  return { files, written: 0, writtenBytes: 0, linked: 0, removed: 0, rendered: 0, feedDocuments: plan.feeds.length, published: plan.published, unchanged: true };
}

function removedFiles(before: ExportManifest, after: ExportManifest): number {
  let removed = 0;
  for (const [relative, entry] of before) {
    const kept = new Set(after.get(relative)?.suffixes ?? []);
    removed += entry.suffixes.filter((suffix) => !kept.has(suffix)).length;
  }
  return removed;
}

/** Whether DIR may hold this file or folder (relative, with "/"): only what an export writes. */
function isExportEntry(relative: string, isFolder: boolean): boolean {
  return isFolder ? isRouteFolder(relative) : parseRouteFile(relative.replace(COMPRESSED_SUFFIX, "")) !== undefined;
}

/** Link errors after which a copy does the job: no hard links here, or across file systems. */
const NO_LINKS = new Set(["EXDEV", "EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK"]);

/**
 * Fills a tree: a document from the previous tree where it is the same (a hard link keeps its
 * time), else its new files with the modification time explained above. The tree is new, or the
 * spare, which already holds a document from two exports ago: kept where it is the same as the
 * previous tree's (the same files, normally), else replaced; a file is never written over, since
 * it may be linked from DIR's tree. The file operations are synchronous: the main thread only
 * waits for the renderer's threads meanwhile, and one call costs less than a trip through libuv's
 * thread pool.
 */
class TreeWriter {
  files = 0;
  written = 0;
  writtenBytes = 0;
  linked = 0;
  readonly #root: string;
  /** The tree being replaced, and what it holds (a folder exported by an older Feedwright has no manifest). */
  readonly #previousRoot: string | undefined;
  readonly #previous: ExportManifest | undefined;
  readonly #stamp: number;
  /** What the spare held when this export began (undefined: the tree is new). */
  readonly #spare: ExportManifest | undefined;
  readonly #folders = new Set<string>();
  /** What this export put in the tree, by document. */
  readonly #documents = new Map<string, ManifestEntry>();
  /** The suffixes of the files the tree holds now, by document: the spare's at first. */
  readonly #held: Map<string, readonly string[]>;

  constructor(root: string, previousRoot: string | undefined, previous: ExportManifest | undefined, stamp: number, spare?: ExportManifest) {
    this.#root = root;
    this.#previousRoot = previousRoot;
    this.#previous = previous;
    this.#stamp = stamp;
    this.#spare = spare;
    this.#held = new Map([...(spare ?? new Map<string, ManifestEntry>())].map(([relative, entry]) => [relative, entry.suffixes]));
  }

  manifest(): ExportManifest {
    return this.#documents;
  }

  /** Takes the document at `relative` from the previous tree when it was made from `key`; false when it must be made. */
  reuse(relative: string, key: string): boolean {
    const before = this.#previous?.get(relative);
    if (!before || before.key !== key) return false;
    return this.#take(relative, { ...before, key });
  }

  /** Writes a document's files, unless its bytes are the previous export's (then they are taken from it). */
  put(relative: string, key: string, file: ExportedFile): void {
    // A format taken over before another format of its document was found missing: made again.
    this.#forget(relative);
    const before = this.#previous?.get(relative);
    if (before && before.etag === file.etag && this.#take(relative, { ...before, key })) return;
    this.#drop(relative);
    const suffixes: string[] = [];
    for (const [suffix, bytes] of [["", file.body], [".gz", file.gzip], [".br", file.br]] as const) {
      if (!bytes) continue;
      this.#write(`${relative}${suffix}`, bytes);
      suffixes.push(suffix);
    }
    this.#held.set(relative, suffixes);
    this.#documents.set(relative, { key, etag: file.etag, suffixes });
  }

  /** Deletes what the tree still holds of documents this export does not have, and the folders left empty. */
  dropTheRest(): void {
    const folders = new Set<string>();
    for (const relative of [...this.#held.keys()]) {
      if (this.#documents.has(relative)) continue;
      this.#drop(relative);
      for (let folder = path.posix.dirname(relative); folder !== "."; folder = path.posix.dirname(folder)) folders.add(folder);
    }
    removeEmptyFolders(this.#root, folders);
  }

  /** The previous tree's files of `relative` in this tree: kept when the spare's are the same, else linked. */
  #take(relative: string, entry: ManifestEntry): boolean {
    const spare = this.#spare?.get(relative);
    // The same array: the spare's files of it are all still there, untouched by this export.
    if (spare && this.#held.get(relative) === spare.suffixes && spare.etag === entry.etag && sameSuffixes(spare.suffixes, entry.suffixes)) {
      this.#count(entry.suffixes.length);
      this.#documents.set(relative, entry);
      return true;
    }
    this.#drop(relative);
    return this.#linkAll(relative, entry);
  }

  #count(files: number): void {
    this.files += files;
    this.linked += files;
  }

  /** Undoes what reuse() put in the tree for `relative` (only it can have, by taking it). */
  #forget(relative: string): void {
    const entry = this.#documents.get(relative);
    if (!entry) return;
    this.#count(-entry.suffixes.length);
    this.#documents.delete(relative);
    this.#drop(relative);
  }

  /** Deletes the files the tree holds of `relative`. */
  #drop(relative: string): void {
    const suffixes = this.#held.get(relative);
    if (!suffixes) return;
    for (const suffix of suffixes) rmFile(path.join(this.#root, ...`${relative}${suffix}`.split("/")));
    this.#held.delete(relative);
  }

  #linkAll(relative: string, entry: ManifestEntry): boolean {
    const previousRoot = this.#previousRoot;
    if (!previousRoot) return false;
    const made: string[] = [];
    for (const suffix of entry.suffixes) {
      const name = `${relative}${suffix}`;
      const from = path.join(previousRoot, ...name.split("/"));
      const to = this.#fileIn(name);
      if (!linkOrCopy(from, to)) {
        // Gone from the previous tree (deleted by hand): the document is made again.
        for (const file of made) rmFile(file);
        return false;
      }
      made.push(to);
    }
    this.#count(made.length);
    this.#held.set(relative, entry.suffixes);
    this.#documents.set(relative, entry);
    return true;
  }

  #write(relative: string, bytes: Uint8Array): void {
    const file = this.#fileIn(relative);
    const before = this.#previousRoot ? path.join(this.#previousRoot, ...relative.split("/")) : undefined;
    // A previous export without a manifest (an older Feedwright's) is compared file by file.
    if (before && !this.#previous && sameBytes(before, bytes) && linkOrCopy(before, file)) {
      this.#count(1);
      return;
    }
    // "wx": a file already there may be linked from DIR's tree; writing through it would change DIR.
    writeFileSync(file, bytes, { flag: "wx" });
    const mtime = this.#modificationTime(relative);
    utimesSync(file, mtime, mtime);
    this.files++;
    this.written++;
    this.writtenBytes += bytes.length;
  }

  /** The path of `relative` in the tree, its folder made. */
  #fileIn(relative: string): string {
    const file = path.join(this.#root, ...relative.split("/"));
    const folder = path.dirname(file);
    if (!this.#folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.#folders.add(folder);
    }
    return file;
  }

  #modificationTime(relative: string): number {
    if (!this.#previousRoot) return this.#stamp;
    let before: number;
    try {
      before = statSync(path.join(this.#previousRoot, ...relative.split("/"))).mtimeMs / 1000;
    } catch {
      return this.#stamp;
    }
    // Changed bytes must change the time even within the same second (or with a clock set back):
    // nginx's ETag is the time and the size, and a size can stay the same.
    return Math.max(this.#stamp, Math.floor(before) + 1);
  }
}

function sameSuffixes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((suffix, index) => suffix === b[index]);
}

/**
 * Links `from` as `to`, or copies it with its times where the file system has no hard links;
 * false when `from` is gone.
 */
function linkOrCopy(from: string, to: string): boolean {
  try {
    linkSync(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (code === "ENOENT") return false;
    if (!NO_LINKS.has(code)) throw error;
    copyFileSync(from, to);
    const { atime, mtime } = statSync(from);
    utimesSync(to, atime, mtime);
  }
  return true;
}

function sameBytes(file: string, bytes: Uint8Array): boolean {
  try {
    return statSync(file).size === bytes.length && readFileSync(file).equals(bytes);
  } catch {
    return false;
  }
}

function rmFile(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}

/** The name of the tree DIR leads to, when DIR is this export's own link. */
async function liveTree(target: string): Promise<string | undefined> {
  const pointsTo = await readlink(target).catch(() => undefined);
  return pointsTo !== undefined && isTreeLink(target, pointsTo) ? path.basename(pointsTo) : undefined;
}

/**
 * DIR, absolute. DIR as this export's own link (into `.DIR.trees/`) is DIR itself; another
 * symbolic link is followed, so the link keeps leading to the export.
 */
async function exportTarget(outDir: string): Promise<string> {
  const absolute = path.resolve(outDir);
  const refuseRoot = (folder: string): void => {
    if (path.dirname(folder) === folder) throw new StaticExportError(`export: --out ${outDir} is (or leads to) the root of the file system; give it a folder of its own`);
  };
  refuseRoot(absolute);
  let info: Stats;
  try {
    info = await lstat(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return absolute;
    throw new StaticExportError(`export: cannot read ${outDir}: ${(error as Error).message}`, { cause: error });
  }
  if (info.isSymbolicLink() && isTreeLink(absolute, await readlink(absolute))) return absolute;
  let real: string;
  try {
    real = await realpath(absolute);
  } catch (error) {
    throw new StaticExportError(`export: ${outDir} is a symbolic link that leads nowhere (${(error as Error).message})`, { cause: error });
  }
  // A link to "/" (or to a link to it) must not make "/" the folder that is replaced.
  refuseRoot(real);
  return real;
}

/** Where DIR's trees are kept: `.DIR.trees` beside it. */
function treesFolder(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.trees`);
}

/** Whether the link DIR holds `pointsTo` that leads into its own trees folder. */
function isTreeLink(target: string, pointsTo: string): boolean {
  const prefix = `.${path.basename(target)}.trees${path.sep}`;
  return pointsTo.startsWith(prefix) && !pointsTo.slice(prefix.length).includes(path.sep);
}

/**
 * After an export killed part-way: a DIR missing because an older Feedwright was killed between
 * its two renames gets its previous tree back; every tree but DIR's and one spare with its
 * manifest is deleted (half-written ones have no manifest), and so are links never switched in
 * and an older Feedwright's stale `.DIR.new-*` folders.
 */
async function recover(target: string): Promise<void> {
  const parent = path.dirname(target);
  const base = path.basename(target);
  const beside = await readdir(parent).catch(() => [] as string[]);
  const exists = await lstat(target).then(
    () => true,
    () => false,
  );
  for (const name of beside) {
    const full = path.join(parent, name);
    if (name.startsWith(`.${base}.new-`) || name.startsWith(`.${base}.link-`)) await rm(full, { recursive: true, force: true });
    else if (name.startsWith(`.${base}.old-`)) {
      // The previous export, moved aside just before the kill: it is whole.
      if (!(await lstat(target).then(() => true, () => false))) await rename(full, target);
      else await rm(full, { recursive: true, force: true });
    }
  }
  const trees = treesFolder(target);
  let entries: string[];
  try {
    entries = await readdir(trees);
  } catch {
    return;
  }
  let live: string | undefined;
  if (exists) {
    const pointsTo = await readlink(target).catch(() => undefined);
    if (pointsTo !== undefined && isTreeLink(target, pointsTo)) live = path.basename(pointsTo);
  }
  const spare = live === undefined ? undefined : spareName(entries, live);
  const kept = new Set([live, spare].flatMap((name) => (name === undefined ? [] : [name, `${name}${MANIFEST_SUFFIX}`])));
  for (const name of entries) if (!kept.has(name)) await rm(path.join(trees, name), { recursive: true, force: true });
}

/**
 * The stats of DIR and which files it holds, when it exists and holds only what an export writes
 * (then it is replaced); undefined when it does not exist. Anything else is an error: the export
 * replaces DIR as a whole, and must never take a user's files with it (`--out .` or `--out ~` by
 * mistake). When DIR is the tree `manifest` describes and none of its folders changed since, it
 * holds what the manifest lists and is not listed (export-manifest.ts).
 */
async function previousExport(target: string, outDir: string, manifest: ManifestFile | undefined): Promise<{ stats: Stats; holds: (relative: string) => boolean } | undefined> {
  let stats: Stats;
  try {
    stats = await stat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if (!stats.isDirectory()) throw new StaticExportError(`export: ${outDir} is a file, not a folder; give --out a folder (new, empty, or an earlier export)`);
  // An export of 10,000 posts: listing its 35,000 files took 215–374 ms of a re-export, checking
  // the times of its 4,077 folders 41–85 ms (CPU profiles, two of each, machine under load).
  if (manifest?.folders && sameFolderTimes(target, manifest.folders)) return { stats, holds: () => true };
  const files = new Set<string>();
  // Synchronous: the recursive listing of 35,000 files takes a fifth of the time of the
  // promise-based one (measured on an export of 10,000 posts), and nothing else runs meanwhile.
  const prefix = target.length + 1;
  for (const entry of readdirSync(target, { recursive: true, withFileTypes: true })) {
    const folder = entry.parentPath.length > target.length ? `${entry.parentPath.slice(prefix)}/` : "";
    const relative = `${folder}${entry.name}`.split(path.sep).join("/");
    const expected = (entry.isDirectory() || entry.isFile()) && isExportEntry(relative, entry.isDirectory());
    if (!expected) {
      throw new StaticExportError(
        `export: ${outDir} holds "${relative}", which feedwright build does not write; the export replaces the whole folder, ` +
          "so give --out a folder of its own (new, empty, or an earlier export)",
      );
    }
    if (entry.isFile()) files.add(relative);
  }
  return { stats, holds: (relative) => files.has(relative) };
}

/** The modification time of every folder of the tree at `root` that holds `documents`. */
function folderTimes(root: string, documents: ExportManifest): FolderTimes {
  const folders = new Set<string>([""]);
  for (const relative of documents.keys()) {
    // A folder already there has its parents there too.
    for (let folder = path.posix.dirname(relative); folder !== "." && !folders.has(folder); folder = path.posix.dirname(folder)) folders.add(folder);
  }
  return new Map([...folders].map((folder) => [folder, statSync(path.join(root, ...folder.split("/"))).mtimeMs]));
}

/** Whether every folder under `root` still has its time in `times` (and none is gone). */
function sameFolderTimes(root: string, times: FolderTimes): boolean {
  for (const [folder, time] of times) {
    const info = statSync(path.join(root, ...folder.split("/")), { throwIfNoEntry: false });
    if (info?.mtimeMs !== time) return false;
  }
  return true;
}

/** Gives the new tree's root the permissions of the one it replaces. */
async function chmodLike(folder: string, stats: Stats): Promise<void> {
  await chmod(folder, stats.mode & 0o7777);
}

/**
 * Points DIR at the tree `treeName` with one rename of a new link over it (the caller then
 * deletes the trees it no longer leads to). A DIR that is a folder (an export by an older Feedwright, or an
 * empty folder) is moved into the trees folder first: the one time DIR is briefly absent; an
 * export killed just then puts it back at its next start (recover()).
 */
async function switchTo(target: string, treeName: string, outDir: string): Promise<void> {
  const parent = path.dirname(target);
  const trees = treesFolder(target);
  const info = await lstat(target).catch(() => undefined);
  if (info && !info.isSymbolicLink()) {
    try {
      await rename(target, path.join(parent, `.${path.basename(target)}.old-${process.pid}-${randomBytes(4).toString("hex")}`));
    } catch (error) {
      throw renameError(error, outDir);
    }
  }
  const link = path.join(parent, `.${path.basename(target)}.link-${process.pid}-${randomBytes(4).toString("hex")}`);
  await symlink(path.join(path.basename(trees), treeName), link);
  try {
    await rename(link, target);
  } catch (error) {
    await unlink(link).catch(() => undefined);
    throw renameError(error, outDir);
  }
}

/** Deletes the folders (relative, with "/") under `root` that are empty, deepest first. */
function removeEmptyFolders(root: string, folders: ReadonlySet<string>): void {
  for (const folder of [...folders].sort((a, b) => b.length - a.length)) {
    try {
      rmdirSync(path.join(root, ...folder.split("/")));
    } catch {
      // Not empty, or gone.
    }
  }
}

function renameError(error: unknown, outDir: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EBUSY" || code === "EXDEV" || code === "EPERM") {
    return new StaticExportError(
      `export: cannot swap the new tree into ${outDir} (${code}); is it a mount point? Export into a folder inside it (${path.join(outDir, "site")}) and serve that`,
      { cause: error },
    );
  }
  return new StaticExportError(`export: cannot swap the new tree into ${outDir}: ${(error as Error).message}`, { cause: error });
}

/** One export into DIR at a time; a lock left by a process that is gone is taken over. */
async function lock(file: string, outDir: string): Promise<() => Promise<void>> {
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => unlink(file).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new StaticExportError(`export: cannot create ${file}: ${(error as Error).message}`, { cause: error });
      const holder = Number((await readFile(file, "utf8").catch(() => "")).trim());
      if (attempt === 0 && !isRunning(holder)) {
        await unlink(file).catch(() => undefined);
        continue;
      }
      throw new StaticExportError(`export: another feedwright build is writing ${outDir} (pid ${holder || "unknown"}); if none is, remove ${file}`);
    }
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
