// Finds the post files under the posts folder, the way Jekyll reads _posts: *.md and *.markdown
// at any depth, skipping what Jekyll's EntryFilter skips (names starting with ".", "_" or "#",
// editor backups ending in "~"). Symbolic links are followed only while they stay inside the
// posts folder (Jekyll's --safe rule), and each real folder is visited once, so a link loop ends.
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { PostProblem } from "./post.js";

export interface PostFile {
  /** Path relative to the posts folder, "/"-separated, NFC (so a name typed on macOS matches). */
  readonly sourcePath: string;
  readonly absolutePath: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface ScanResult {
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

/** Lists the post files. Throws PostsFolderError when the folder itself is missing or unreadable. */
export async function scanPostsFolder(root: string): Promise<ScanResult> {
  const rootReal = await checkPostsFolder(root);
  const files: PostFile[] = [];
  const problems: PostProblem[] = [];
  const visited = new Set<string>([rootReal]);

  const walk = async (realDirectory: string, relativeDirectory: string): Promise<void> => {
    let entries: string[];
    try {
      entries = await readdir(realDirectory);
    } catch (error) {
      problems.push({ file: relativeDirectory || ".", line: undefined, message: `cannot read this folder (${(error as NodeJS.ErrnoException).code ?? String(error)}); check its permissions` });
      return;
    }
    // Sorted so that every scan sees the files in the same order, whatever the file system does.
    entries.sort();
    for (const name of entries) {
      if (isIgnoredName(name)) continue;
      const relative = (relativeDirectory ? `${relativeDirectory}/${name}` : name).normalize("NFC");
      const absolute = path.join(realDirectory, name);
      let info;
      try {
        info = await lstat(absolute);
      } catch (error) {
        // Deleted between readdir and lstat: it is simply gone.
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
        problems.push({ file: relative, line: undefined, message: `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
        continue;
      }
      let target = absolute;
      if (info.isSymbolicLink()) {
        try {
          target = await realpath(absolute);
          info = await stat(target);
        } catch {
          if (isPostFileName(name)) problems.push({ file: relative, line: undefined, message: "broken symbolic link; remove it or point it at a post" });
          continue;
        }
        if (!isInside(target, rootReal)) {
          if (isPostFileName(name) || info.isDirectory()) {
            problems.push({ file: relative, line: undefined, message: "symbolic link leading outside the posts folder; not followed (move the target into the posts folder)" });
          }
          continue;
        }
      }
      if (info.isDirectory()) {
        if (visited.has(target)) continue;
        visited.add(target);
        await walk(target, relative);
      } else if (info.isFile() && isPostFileName(name)) {
        files.push({ sourcePath: relative, absolutePath: target, size: info.size, mtimeMs: info.mtimeMs });
      }
    }
  };
  await walk(rootReal, "");
  return { files, problems };
}

function isPostFileName(name: string): boolean {
  return POST_EXTENSIONS.has(path.extname(name).toLowerCase());
}

function isInside(candidate: string, root: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}
