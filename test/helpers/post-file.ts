// One post file through the content stage as a scan takes it: readPostHead (the front matter,
// which places the post in feeds) and then renderPostBodyBytes (its Markdown), the two calls the
// render workers make, merged into one result for tests that look at a whole post.
import type { Post, PostProblem } from "../../src/content/post.js";
import { readPostHead, renderPostBodyBytes, type LoadError } from "../../src/content/render-file.js";
import type { ContentSettings } from "../../src/content/settings.js";

export type PostFileResult =
  | { readonly kind: "post"; readonly post: Post; readonly warnings: readonly PostProblem[] }
  | { readonly kind: "unpublished"; readonly reason: string }
  | LoadError;

/** `revision` is what the scan passes as the file's render key; tests give any label. */
export function renderPostFile(sourcePath: string, bytes: Uint8Array | string, settings: ContentSettings, maxPostBytes: number, revision = "test"): PostFileResult {
  const data = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
  const head = readPostHead(sourcePath, data, settings, maxPostBytes, revision);
  if (head.kind !== "post") return head;
  const body = renderPostBodyBytes(data, maxPostBytes, head.head.url, head.hints);
  if (body.kind === "error") return body;
  const bodyWarnings = (body.warnings ?? []).map((warning) => ({ file: sourcePath, line: warning.line, message: warning.message }));
  return { kind: "post", post: { ...head.head, ...body.body }, warnings: [...head.warnings, ...bodyWarnings] };
}
