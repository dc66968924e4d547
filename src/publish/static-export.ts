// `feedwright build --out DIR`: every document as a file, at the path it is served from, so any
// static file server or object store can serve the feeds — archive pages and the browser
// stylesheet included. A category or tag folder is named by its slug itself (feeds/slug.ts makes
// it a safe file name); a URL reaches it percent-encoded.
//
// Beside each document go `.gz` and `.br` files holding exactly the bytes the live server sends
// for those codings (delivery/served-document.ts compresses both, so there is one compression
// code path); where the compressed form is not smaller the live server sends the identity, and
// no sibling is written, so nginx's gzip_static / brotli_static fall back to the identity too.
//
// Re-running into the same DIR is safe: DIR is a symbolic link to a tree in `.DIR.trees/` beside
// it; the new tree is written there and the link switched to it with one rename(2), which
// replaces the link atomically, so a web server serving DIR sees the old tree or the new one,
// never a half-written one nor no DIR at all. An export killed at any point leaves DIR as it
// was; the next one deletes the trees no link leads to (what a killed export left half written),
// and puts back a DIR that an older Feedwright (which swapped with two renames) left missing.
// Only a DIR that holds nothing but what an export writes is ever replaced, and nothing outside
// it and its trees folder is deleted. A file whose bytes did not change keeps the modification time of the previous
// export; a changed one gets the time of this export: nginx derives Last-Modified and its ETag
// from that time (and the size), and sync tools (rsync, aws s3 sync) from it decide what to copy.
import { randomBytes } from "node:crypto";
import { chmod, lstat, mkdir, open, readdir, readFile, readlink, realpath, rename, rm, stat, symlink, unlink, utimes, writeFile } from "node:fs/promises";
import type { Stats } from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import { cacheControlValue, prepareDocument, type DocumentKind } from "../delivery/served-document.js";
import type { FeedwrightDocument } from "../feeds/document.js";
import { bodyOfWholePost, feedArchiveSpec, renderFeedPage, type BodyOf, type FeedDocuments, type SiteBuild } from "../feeds/build-site.js";
import { FEED_FORMATS, isRouteFolder, parseRouteFile, routeFile, SITE_SCOPE, type FeedScope } from "../feeds/routes.js";

/** The suffixes of a document's precompressed siblings. */
const COMPRESSED_SUFFIX = /\.(?:gz|br)$/;

export class StaticExportError extends Error {}

export interface StaticExportOptions {
  /** The modification time of files that are new or changed (default: now). */
  readonly now?: Date;
  /** The bodies of archive pages' items (default: the build's posts are whole, as buildSite's). */
  readonly bodyOf?: BodyOf;
}

/** Writes every document and its compressed siblings into `outDir`; returns how many files it holds. */
export async function writeStaticSite(config: Config, site: SiteBuild, outDir: string, options: StaticExportOptions = {}): Promise<number> {
  const target = await exportTarget(outDir);
  const parent = path.dirname(target);
  const base = path.basename(target);
  await mkdir(parent, { recursive: true });
  const release = await lock(path.join(parent, `.${base}.feedwright-lock`), outDir);
  const trees = treesFolder(target);
  const treeName = `tree-${process.pid}-${randomBytes(4).toString("hex")}`;
  const staging = path.join(trees, treeName);
  try {
    // Holding the lock, nothing else writes here: what a killed export left is cleaned up.
    await recover(target);
    const previous = await previousExport(target, outDir);
    await mkdir(trees, { recursive: true });
    await mkdir(staging);
    if (previous) await chmodLike(staging, previous);
    // Whole seconds: HTTP dates have no fractions, and nginx compares them by the second.
    const stamp = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const writer = new TreeWriter(staging, previous ? target : undefined, stamp);
    const cacheControl = cacheControlValue(config.http.maxAge);
    for (const [relative, document, kind] of exportDocuments(config, site, options.bodyOf ?? bodyOfWholePost)) {
      for (const [suffix, body] of precompressedFiles(document, cacheControl, kind)) await writer.write(`${relative}${suffix}`, body);
    }
    await switchTo(target, treeName, outDir);
    return writer.count;
  } catch (error) {
    // Only the folder this run created; the previous export stays where it was.
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    await release();
  }
}

/**
 * The files of one document as the live server sends it: "" (the identity), ".gz" and ".br",
 * each only where the server sends a compressed form (smaller than the identity).
 */
export function precompressedFiles(document: FeedwrightDocument, cacheControl: string, kind: DocumentKind): [suffix: string, body: Buffer][] {
  const { variants } = prepareDocument(document, { cacheControl, kind });
  const files: [string, Buffer][] = [["", variants.identity.body]];
  if (variants.gzip !== variants.identity) files.push([".gz", variants.gzip.body]);
  if (variants.br !== variants.identity) files.push([".br", variants.br.body]);
  return files;
}

/** Every document by its file under DIR, with its kind, archive pages included (rendered one at a time). */
function* exportDocuments(config: Config, site: SiteBuild, bodyOf: BodyOf): Generator<[string, FeedwrightDocument, DocumentKind]> {
  yield [routeFile({ kind: "index" }), site.index, "index"];
  yield [routeFile({ kind: "opml" }), site.opml, "opml"];
  yield [routeFile({ kind: "stylesheet" }), site.stylesheet, "stylesheet"];
  const feedFiles = function* (scope: FeedScope, first: FeedDocuments): Generator<[string, FeedwrightDocument, DocumentKind]> {
    const firstKind: DocumentKind = scope.kind === "site" ? "site-feed" : scope.kind === "category" ? "category-feed" : "tag-feed";
    for (let archive = 0; archive <= first.spec.archiveCount; archive++) {
      const spec = archive === 0 ? undefined : feedArchiveSpec(config, first, site.published, archive);
      if (archive > 0 && !spec) continue;
      const feed = spec ? renderFeedPage(config, spec, bodyOf) : first;
      for (const format of FEED_FORMATS) yield [routeFile({ kind: "feed", scope, format, archive }), feed.documents[format], archive === 0 ? firstKind : "archive-page"];
    }
  };
  yield* feedFiles(SITE_SCOPE, site.site);
  for (const kind of ["category", "tag"] as const) {
    for (const [slug, feed] of site.terms[kind]) yield* feedFiles({ kind, slug }, feed);
  }
}

/** Whether DIR may hold this file or folder (relative, with "/"): only what an export writes. */
function isExportEntry(relative: string, isFolder: boolean): boolean {
  return isFolder ? isRouteFolder(relative) : parseRouteFile(relative.replace(COMPRESSED_SUFFIX, "")) !== undefined;
}

/** Writes files under the staging folder, giving each the modification time explained above. */
class TreeWriter {
  count = 0;
  readonly #root: string;
  /** The export being replaced, whose files' times are kept where the bytes are the same. */
  readonly #previousRoot: string | undefined;
  readonly #stamp: number;
  readonly #folders = new Set<string>();

  constructor(root: string, previousRoot: string | undefined, stamp: number) {
    this.#root = root;
    this.#previousRoot = previousRoot;
    this.#stamp = stamp;
  }

  async write(relative: string, body: Buffer): Promise<void> {
    const file = path.join(this.#root, ...relative.split("/"));
    const folder = path.dirname(file);
    if (!this.#folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.#folders.add(folder);
    }
    await writeFile(file, body);
    const mtime = await this.#modificationTime(relative, body);
    await utimes(file, mtime, mtime);
    this.count++;
  }

  async #modificationTime(relative: string, body: Buffer): Promise<number> {
    if (!this.#previousRoot) return this.#stamp;
    const before = path.join(this.#previousRoot, ...relative.split("/"));
    let stats: Stats;
    try {
      stats = await stat(before);
    } catch {
      return this.#stamp;
    }
    const beforeSeconds = stats.mtimeMs / 1000;
    if (stats.size === body.length && (await readFile(before)).equals(body)) return beforeSeconds;
    // Changed bytes must change the time even within the same second (or with a clock set back):
    // nginx's ETag is the time and the size, and a size can stay the same.
    return Math.max(this.#stamp, Math.floor(beforeSeconds) + 1);
  }
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
 * its two renames gets its previous tree back; the trees no link leads to (half-written ones, or
 * ones replaced and not yet deleted) are deleted, and so are links never switched in and an older
 * Feedwright's stale `.DIR.new-*` folders.
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
  for (const name of entries) if (name !== live) await rm(path.join(trees, name), { recursive: true, force: true });
}

/**
 * The stats of DIR when it exists and holds only what an export writes (then it is replaced),
 * undefined when it does not exist. Anything else is an error: the export replaces DIR as a
 * whole, and must never take a user's files with it (`--out .` or `--out ~` by mistake).
 */
async function previousExport(target: string, outDir: string): Promise<Stats | undefined> {
  let stats: Stats;
  try {
    stats = await stat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if (!stats.isDirectory()) throw new StaticExportError(`export: ${outDir} is a file, not a folder; give --out a folder (new, empty, or an earlier export)`);
  for (const entry of await readdir(target, { recursive: true, withFileTypes: true })) {
    const relative = path.relative(target, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
    const expected = (entry.isDirectory() || entry.isFile()) && isExportEntry(relative, entry.isDirectory());
    if (!expected) {
      throw new StaticExportError(
        `export: ${outDir} holds "${relative}", which feedwright build does not write; the export replaces the whole folder, ` +
          "so give --out a folder of its own (new, empty, or an earlier export)",
      );
    }
  }
  return stats;
}

/** Gives the new tree's root the permissions of the one it replaces. */
async function chmodLike(folder: string, stats: Stats): Promise<void> {
  await chmod(folder, stats.mode & 0o7777);
}

/**
 * Points DIR at the tree `treeName` with one rename of a new link over it, then deletes the
 * trees it no longer leads to. A DIR that is a folder (an export by an older Feedwright, or an
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
  try {
    await recover(target);
  } catch (error) {
    throw new StaticExportError(`export: wrote ${outDir}, but could not delete the previous export beside it: ${(error as Error).message}`, { cause: error });
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
