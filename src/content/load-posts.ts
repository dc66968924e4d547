// The content stage's entry point: the posts folder -> every Post, plus every file that was
// skipped and why. One bad file never stops the others.
import type { Config } from "../config.js";
import { loadPost, type LoadedPost } from "./load-post.js";
import type { Post, PostProblem } from "./post.js";
import { PostError } from "./post-error.js";
import { readPostFile } from "./read-post-file.js";
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

/** How many files are read at once: enough to hide disk latency, few enough for file handles. */
const READ_CONCURRENCY = 32;

/** Throws PostsFolderError when the folder itself cannot be read; never for a single bad post. */
export async function loadPosts(config: Pick<Config, "postsDir" | "maxPostBytes" | "site">): Promise<ContentSnapshot> {
  const scan = await scanPostsFolder(config.postsDir);
  const problems: PostProblem[] = [...scan.problems];
  const warnings: PostProblem[] = [];
  const unpublished: Unpublished[] = [];
  const posts: Post[] = [];

  type Result = { file: PostFile; loaded: LoadedPost } | { file: PostFile; error: PostError };
  const results = await mapWithConcurrency(scan.files, READ_CONCURRENCY, async (file): Promise<Result> => {
    try {
      const text = await readPostFile(file.absolutePath, config.maxPostBytes);
      return { file, loaded: loadPost(file.sourcePath, text, config.site) };
    } catch (error) {
      if (error instanceof PostError) return { file, error };
      // Anything else is a bug in Feedwright, but it still must not take the other posts down.
      return { file, error: new PostError(`unexpected error while reading the post: ${String(error)}; please report it`, undefined, { cause: error }) };
    }
  });

  for (const result of results) {
    if ("error" in result) {
      problems.push({ file: result.file.sourcePath, line: result.error.line, message: result.error.message });
    } else if (result.loaded.kind === "unpublished") {
      unpublished.push({ file: result.file.sourcePath, reason: result.loaded.reason });
    } else {
      posts.push(result.loaded.post);
      warnings.push(...result.loaded.warnings);
    }
  }

  return {
    posts: withUniqueIds(posts, warnings).sort(newestFirst),
    problems,
    warnings,
    unpublished,
  };
}

/** Newest first; posts with the same date in source-path order, so the order never depends on the disk. */
export function newestFirst(a: Post, b: Post): number {
  return b.date.getTime() - a.date.getTime() || (a.sourcePath < b.sourcePath ? -1 : a.sourcePath > b.sourcePath ? 1 : 0);
}

/**
 * Two posts with the same permalink (or id) are both kept and reported; the one whose source path
 * sorts later gets its source path as a fragment of its id, so every feed still has unique ids.
 */
function withUniqueIds(posts: Post[], warnings: PostProblem[]): Post[] {
  const byId = new Map<string, Post[]>();
  for (const post of [...posts].sort((a, b) => (a.sourcePath < b.sourcePath ? -1 : 1))) {
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
