// One post file's bytes -> its head, then its body: what the main thread and the render workers
// both run, so a parallel build gives exactly the posts a single-threaded one does.
//
// A file is read in two passes that can run at different times: its head (front matter: enough
// to know which feeds and pages it is in) and its body (the rendered Markdown). A scan reads
// every head first and renders first the bodies that the feeds' first pages show.
import { frontMatterBody } from "./front-matter.js";
import { loadPostHead, renderPostBody, type BodyHints, type PostFileFacts, type PostLiquid } from "./load-post.js";
import type { PostBody, PostHead, PostProblem } from "./post.js";
import { PostError } from "./post-error.js";
import { checkMarkdownNesting } from "./markdown-nesting.js";
import { decodePostBytes } from "./read-post-file.js";
import type { ContentSettings } from "./settings.js";
import { withTermLimit } from "./term-limit.js";

/** Why a file is not a post: the message says what to fix. */
export type LoadError = { readonly kind: "error"; readonly line: number | undefined; readonly message: string };

export type HeadResult =
  | { readonly kind: "post"; readonly head: PostHead; readonly warnings: readonly PostProblem[]; readonly hints: BodyHints }
  | { readonly kind: "unpublished"; readonly reason: string }
  | LoadError;

export type BodyResult = { readonly kind: "body"; readonly body: PostBody; readonly warnings?: readonly BodyWarning[] | undefined } | LoadError;

/** Something worth fixing found while rendering a body (a site plugin's Liquid tag): the post is published. */
export interface BodyWarning {
  readonly line: number | undefined;
  readonly message: string;
}

export function readPostHead(sourcePath: string, bytes: Uint8Array, settings: ContentSettings, maxPostBytes: number, revision: string, facts?: PostFileFacts): HeadResult {
  return guarded(() => {
    const loaded = loadPostHead(sourcePath, decode(bytes, maxPostBytes), settings, revision, facts);
    if (loaded.kind !== "post") return loaded;
    const limited = withTermLimit(loaded.head, loaded.warnings, settings.maxTermsPerPost);
    return { ...loaded, head: limited.head, warnings: limited.warnings };
  });
}

/**
 * The body of a file whose head was read from the same bytes (the caller checks the revision),
 * so the front matter is known to be valid and is not parsed again.
 */
export function renderPostBodyBytes(bytes: Uint8Array, maxPostBytes: number, url: string, hints: BodyHints, liquid?: PostLiquid): BodyResult {
  return guarded(() => {
    const warnings: BodyWarning[] = [];
    const text = decode(bytes, maxPostBytes);
    const markdown = checkBodyNesting(text);
    const body = renderPostBody(markdown, url, hints, liquid, warnings);
    return warnings.length === 0 ? { kind: "body", body } : { kind: "body", body, warnings };
  });
}

/**
 * The Markdown after the front matter, checked for nesting before anything renders it, with the
 * same limit on every thread (markdown-nesting.ts). HTML posts nest through the HTML check.
 */
function checkBodyNesting(fileText: string): string {
  const markdown = frontMatterBody(fileText);
  try {
    checkMarkdownNesting(markdown);
  } catch (error) {
    if (!(error instanceof PostError)) throw error;
    // Only a post over the limit pays for finding the line of the file its body starts on.
    const normalized = fileText.replace(/\r\n?/gu, "\n");
    const before = normalized.endsWith(markdown) ? normalized.slice(0, normalized.length - markdown.length) : undefined;
    checkMarkdownNesting(markdown, before === undefined ? 1 : before.split("\n").length);
  }
  return markdown;
}

function decode(bytes: Uint8Array, maxPostBytes: number): string {
  return decodePostBytes(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), maxPostBytes);
}

function guarded<T>(load: () => T): T | LoadError {
  try {
    return load();
  } catch (error) {
    if (error instanceof PostError) return { kind: "error", line: error.line, message: error.message };
    // Markdown nested thousands of levels deep (">>>>…" or nested lists) overflows marked's
    // recursion. That is the post's doing, not a bug to report, and V8's message is not one to
    // show a writer.
    if (error instanceof RangeError && /call stack/iu.test(error.message)) {
      return { kind: "error", line: undefined, message: "the post is nested too deeply to render (blockquotes, lists or HTML thousands of levels deep); flatten it" };
    }
    // Anything else is a bug in Feedwright, but it still must not take the other posts down.
    const firstLine = String(error).split("\n", 1)[0] ?? "";
    return { kind: "error", line: undefined, message: `unexpected error while reading the post: ${firstLine}; please report it` };
  }
}
