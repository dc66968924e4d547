// One post file's bytes -> its LoadResult: what the main thread and the render workers both run,
// so a parallel build gives exactly the posts a single-threaded one does.
import type { SiteConfig } from "../config.js";
import { loadPost } from "./load-post.js";
import type { Post, PostProblem } from "./post.js";
import { PostError } from "./post-error.js";
import { decodePostBytes } from "./read-post-file.js";

export type LoadResult =
  | { readonly kind: "post"; readonly post: Post; readonly warnings: readonly PostProblem[] }
  | { readonly kind: "unpublished"; readonly reason: string }
  | { readonly kind: "error"; readonly line: number | undefined; readonly message: string };

export function renderPostBytes(sourcePath: string, bytes: Uint8Array, site: SiteConfig, maxPostBytes: number, revision: string): LoadResult {
  try {
    const text = decodePostBytes(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), maxPostBytes);
    return loadPost(sourcePath, text, site, revision);
  } catch (error) {
    if (error instanceof PostError) return { kind: "error", line: error.line, message: error.message };
    // Hardening fix (hostile content): Markdown nested thousands of levels deep (">>>>…" or
    // nested lists) overflows marked's recursion. That is the post's doing, not a bug to report,
    // and the message (marked.parse used to append a second line to it) is not one to show.
    if (error instanceof RangeError && /call stack/iu.test(error.message)) {
      return { kind: "error", line: undefined, message: "the post is nested too deeply to render (blockquotes, lists or HTML thousands of levels deep); flatten it" };
    }
    // Anything else is a bug in Feedwright, but it still must not take the other posts down.
    const firstLine = String(error).split("\n", 1)[0] ?? "";
    return { kind: "error", line: undefined, message: `unexpected error while reading the post: ${firstLine}; please report it` };
  }
}
