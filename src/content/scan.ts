// Finds the post files to read: under a posts folder, the way Jekyll reads _posts (*.md and
// *.markdown at any depth, skipping what Jekyll's EntryFilter skips: names starting with ".", "_"
// or "#", editor backups ending in "~"); or in a whole Jekyll site, every `_posts` folder at any
// depth (content/jekyll/site-scan-rules.ts says which). Symbolic links are followed only while
// they stay inside the scanned folder (Jekyll's --safe rule), and each real folder is visited
// once, so a link loop ends.
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { PostProblem } from "./post.js";
import { notRegularFile } from "./read-inside.js";
import { STAT_FIELDS, STAT_FILE, StatHelper } from "./stat-helper.js";
import { TimeSlices } from "../time-slices.js";

export interface PostFile {
  /** Path relative to the posts folder, "/"-separated, NFC (so a name typed on macOS matches). */
  readonly sourcePath: string;
  readonly absolutePath: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** With size and mtime, what tells a scan that a file is unchanged without reading it. */
  readonly ino: number;
}

export interface ScanResult {
  /** The real path of the scanned folder: every file read must still be inside it. */
  readonly root: string;
  readonly files: readonly PostFile[];
  readonly problems: readonly PostProblem[];
}

export class PostsFolderError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`content: ${message}`, options);
    this.name = "PostsFolderError";
  }
}

const POST_EXTENSIONS = new Set([".md", ".markdown"]);

export function isIgnoredName(name: string): boolean {
  return name.startsWith(".") || name.startsWith("_") || name.startsWith("#") || name.endsWith("~");
}

/**
 * The real path of the posts folder. Throws PostsFolderError when it is missing, not a folder or
 * unreadable: the one case where no feed can be built at all.
 */
export async function checkPostsFolder(root: string): Promise<string> {
  try {
    const rootReal = await realpath(root);
    const rootStat = await stat(rootReal);
    if (!rootStat.isDirectory()) throw new PostsFolderError(`${root} is not a folder; point --posts or POSTS_DIR at the folder of posts`);
    return rootReal;
  } catch (error) {
    if (error instanceof PostsFolderError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new PostsFolderError(`cannot read the posts folder ${root} (${code ?? String(error)}); check --posts, POSTS_DIR or posts_dir in the config`, { cause: error });
  }
}

// eslint-disable-next-line no-control-regex -- the whole ASCII range, on purpose
const ASCII = /^[\u0000-\u007f]*$/;

/** The longest run of synchronous stat calls between two turns of the event loop. */
const STAT_SLICE_MS = 1;

/**
 * A folder's listing is taken again unless the folder's modification time is at least this much
 * older than the listing. File systems stamp times with a coarse clock (a few milliseconds on
 * Linux, a second or two on some), so a file added just after a listing can leave the folder's
 * time as it was; a listing taken well after the folder last changed cannot miss anything
 * (git's "racy" rule, with a wide margin).
 */
const RACY_MARGIN_MS = 2_000;

/** One name in a folder, with what the walk derives from it (the same at every scan). */
interface ListedName {
  readonly name: string;
  /** Relative to the scanned folder, "/"-separated, NFC. */
  readonly relative: string;
  readonly ignored: boolean;
  readonly postFile: boolean;
}

/**
 * What the walk takes in one folder: which names it skips, which are post files, and with which
 * rules it goes on in a subfolder. The same rules always classify a name the same way (listings
 * are cached by folder and rules).
 */
export interface ScanRules {
  /** Names the rules for the folder listing cache. */
  readonly id: string;
  /** What the scanned folder is, for messages: "the posts folder", "the site". */
  readonly folder: string;
  /** `relative` is the entry's path relative to the scanned folder. */
  classify(name: string, relative: string): { readonly ignored: boolean; readonly postFile: boolean };
  /** The rules for the contents of the (not ignored) subfolder `relative`. */
  inFolder(name: string, relative: string): ScanRules;
}

/** A posts folder: every Markdown file at any depth, Jekyll's EntryFilter names skipped. */
export const POSTS_FOLDER_RULES: ScanRules = {
  id: "posts",
  folder: "the posts folder",
  classify: (name) => ({ ignored: isIgnoredName(name), postFile: isPostFileName(name) }),
  inFolder: () => POSTS_FOLDER_RULES,
};

/**
 * The listings of the folders of the last scan, by real path. Listing a folder of 10,000 posts
 * (readdir, then each name joined, normalized and tested) costs about a third of a scan; it is
 * taken again only when the folder itself changed, which adding, deleting or renaming a file in
 * it always does. Editing a file does not, which the stat of every file catches.
 */
export class FolderListings {
  /** Shares the stat calls of large folders with a second thread (see stat-helper.ts). */
  readonly helper: StatHelper | undefined;
  readonly #listings = new Map<string, { readonly ino: number; readonly mtimeMs: number; readonly listedAt: number; readonly rules: string; readonly names: readonly ListedName[] }>();
  #seen = new Set<string>();

  constructor(options: { parallel?: boolean } = {}) {
    this.helper = options.parallel === true ? new StatHelper() : undefined;
  }

  /** Stops the helper thread, if any. */
  async close(): Promise<void> {
    await this.helper?.close();
  }

  /** The names in `realDirectory` (sorted), from the last listing while it is still valid. */
  list(realDirectory: string, relativeDirectory: string, rules: ScanRules = POSTS_FOLDER_RULES): readonly ListedName[] {
    this.#seen.add(realDirectory);
    const folder = statSync(realDirectory);
    const cached = this.#listings.get(realDirectory);
    if (cached && cached.rules === rules.id && cached.ino === folder.ino && cached.mtimeMs === folder.mtimeMs && cached.listedAt - folder.mtimeMs >= RACY_MARGIN_MS) return cached.names;
    // The time before reading, so that a change during the read makes the listing "racy".
    const listedAt = Date.now();
    // Sorted so that every scan sees the files in the same order, whatever the file system does.
    const raw = readdirSync(realDirectory).sort();
    // Linux keeps "café.md" in NFC and in NFD as two files. A name is NFC'd only when no other
    // name in the folder has the same NFC form: else two posts would share one source path.
    // (NFC can make an ASCII name of a non-ASCII one: U+212A KELVIN SIGN is "K".)
    const nfcCounts = new Map<string, number>();
    if (!raw.every((name) => ASCII.test(name))) {
      for (const name of raw) {
        const nfc = ASCII.test(name) ? name : name.normalize("NFC");
        nfcCounts.set(nfc, (nfcCounts.get(nfc) ?? 0) + 1);
      }
    }
    const names = raw.map((name): ListedName => {
      // Most names are ASCII, which NFC leaves alone.
      const shown = ASCII.test(name) || (nfcCounts.get(name.normalize("NFC")) ?? 0) > 1 ? name : name.normalize("NFC");
      const relative = relativeDirectory ? `${relativeDirectory}/${shown}` : shown;
      const { ignored, postFile } = rules.classify(name, relative);
      return { name, relative, ignored, postFile };
    });
    this.#listings.set(realDirectory, { ino: folder.ino, mtimeMs: folder.mtimeMs, listedAt, rules: rules.id, names });
    return names;
  }

  /** Forgets folders the last scan did not visit (deleted, or no longer linked). */
  endScan(): void {
    for (const folder of this.#listings.keys()) if (!this.#seen.has(folder)) this.#listings.delete(folder);
    this.#seen = new Set();
  }
}

/**
 * Lists the post files. Throws PostsFolderError when the folder itself is missing or unreadable.
 *
 * The listing uses synchronous stat calls, a few microseconds each, in slices that yield to the
 * event loop between them: ten thousand files are listed in a few tens of milliseconds without
 * holding up a request for more than about a millisecond. (Awaiting one promise per file costs
 * ten times as much.)
 */
export async function scanPostsFolder(root: string, listings: FolderListings = new FolderListings()): Promise<ScanResult> {
  return scanFolder(root, POSTS_FOLDER_RULES, listings);
}

/**
 * Lists the post files under `root` that `rules` take, with paths relative to `root`. Throws
 * PostsFolderError when the folder itself is missing or unreadable.
 */
export async function scanFolder(root: string, rules: ScanRules, listings: FolderListings = new FolderListings()): Promise<ScanResult> {
  const rootReal = await checkPostsFolder(root);
  const files: PostFile[] = [];
  const problems: PostProblem[] = [];
  const visited = new Set<string>([rootReal]);
  const slices = new TimeSlices(STAT_SLICE_MS);

  const walk = async (realDirectory: string, relativeDirectory: string, folderRules: ScanRules): Promise<void> => {
    let entries: readonly ListedName[];
    try {
      entries = listings.list(realDirectory, relativeDirectory, folderRules);
    } catch (error) {
      problems.push({ file: relativeDirectory || ".", line: undefined, message: `cannot read this folder (${(error as NodeJS.ErrnoException).code ?? String(error)}); check its permissions` });
      return;
    }
    const known = await prefetchStats(realDirectory, entries, listings.helper);
    for (const [index, { name, relative, ignored, postFile }] of entries.entries()) {
      await slices.yieldIfDue();
      if (ignored) continue;
      const absolute = `${realDirectory}${path.sep}${name}`;
      const at = index * STAT_FIELDS;
      if (known && known[at] === STAT_FILE) {
        // A regular post file, stat'ed already (by prefetchStats).
        files.push({ sourcePath: relative, absolutePath: absolute, size: known[at + 2] ?? 0, mtimeMs: known[at + 3] ?? 0, ino: known[at + 1] ?? 0 });
        continue;
      }
      let info: Stats | undefined;
      try {
        // Deleted between readdir and lstat: it is simply gone.
        info = lstatSync(absolute, { throwIfNoEntry: false });
        if (!info) continue;
      } catch (error) {
        problems.push({ file: relative, line: undefined, message: `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
        continue;
      }
      let target = absolute;
      if (info.isSymbolicLink()) {
        try {
          target = realpathSync(absolute);
          info = statSync(target);
        } catch (error) {
          // A link that leads back to itself (ELOOP) is named as a loop, not as a link to a
          // missing file, so the report says what is actually wrong.
          const loop = (error as NodeJS.ErrnoException).code === "ELOOP";
          if (postFile) {
            problems.push({ file: relative, line: undefined, message: loop ? "symbolic link loop (the link leads back to itself); remove it or point it at a post" : "broken symbolic link; remove it or point it at a post" });
          }
          continue;
        }
        if (!isInside(target, rootReal)) {
          if (postFile || info.isDirectory()) {
            problems.push({ file: relative, line: undefined, message: `symbolic link leading outside ${rules.folder}; not followed (move the target into ${rules.folder})` });
          }
          continue;
        }
      }
      if (info.isDirectory()) {
        if (visited.has(target)) continue;
        visited.add(target);
        await walk(target, relative, folderRules.inFolder(name, relative));
      } else if (postFile && info.isFile()) {
        files.push({ sourcePath: relative, absolutePath: target, size: info.size, mtimeMs: info.mtimeMs, ino: info.ino });
      } else if (postFile) {
        // A named pipe would never be read to its end (and is refused when read): reported, so
        // the post it replaced does not vanish without a word.
        problems.push({ file: relative, line: undefined, message: notRegularFile(info).message });
      }
    }
  };
  await walk(rootReal, "", rules);
  listings.endScan();
  return { root: rootReal, files, problems };
}

/** A folder with fewer posts than this is stat'ed on this thread alone. */
const PARALLEL_STAT_MIN = 1024;

/**
 * For a large folder, the stat of every post file name in it, the first half on the helper's
 * thread while this one does the second (in slices, yielding): STAT_FIELDS numbers per entry,
 * STAT_FILE for a regular file. Other entries (ignored names, folders, links, errors) are left at
 * 0 for the walk to look at itself. Undefined for a small folder, or without a helper.
 */
async function prefetchStats(realDirectory: string, entries: readonly ListedName[], helper: StatHelper | undefined): Promise<Float64Array | undefined> {
  if (!helper || entries.length < PARALLEL_STAT_MIN) return undefined;
  const wanted: number[] = [];
  entries.forEach((entry, index) => {
    if (!entry.ignored && entry.postFile) wanted.push(index);
  });
  const pathOf = (index: number): string => `${realDirectory}${path.sep}${entries[index]?.name ?? ""}`;
  const half = Math.floor(wanted.length / 2);
  const theirs = helper.stat(wanted.slice(0, half).map(pathOf));
  const known = new Float64Array(entries.length * STAT_FIELDS);
  const slices = new TimeSlices(STAT_SLICE_MS);
  for (let position = half; position < wanted.length; position++) {
    await slices.yieldIfDue();
    const index = wanted[position] ?? 0;
    let info: Stats | undefined;
    try {
      info = lstatSync(pathOf(index), { throwIfNoEntry: false });
    } catch {
      continue;
    }
    if (info?.isFile()) known.set([STAT_FILE, info.ino, info.size, info.mtimeMs], index * STAT_FIELDS);
  }
  const found = await theirs;
  // The helper failed: the walk stats the first half itself.
  if (!found) return known;
  for (let position = 0; position < half; position++) {
    const index = wanted[position] ?? 0;
    known.set(found.subarray(position * STAT_FIELDS, (position + 1) * STAT_FIELDS), index * STAT_FIELDS);
  }
  return known;
}

export function isPostFileName(name: string): boolean {
  // A name from a listing holds no "/": its extension (path.extname) starts at its last ".",
  // unless that is its first character.
  const dot = name.lastIndexOf(".");
  if (name.includes("/")) return POST_EXTENSIONS.has(path.extname(name).toLowerCase());
  return dot > 0 && POST_EXTENSIONS.has(name.slice(dot).toLowerCase());
}

function isInside(candidate: string, root: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}
