// Worker-thread entry for content/render-pool.ts: reads the heads of a batch of post files, or
// renders their bodies. YAML, Markdown and HTML sanitizing dominate a cold build, and they are
// pure, so they run on every core.
import type { BodyHints } from "./load-post.js";
import type { ContentSettings } from "./settings.js";
import { readPostHead, renderPostBodyBytes, type BodyResult, type HeadResult } from "./render-file.js";

export interface HeadToRead {
  readonly sourcePath: string;
  readonly bytes: Uint8Array;
  readonly revision: string;
  /** The file's modification time (a Jekyll draft without a date is dated by it). */
  readonly mtimeMs: number;
}

export interface BodyToRender {
  /** For messages: which file this is. */
  readonly sourcePath: string;
  readonly bytes: Uint8Array;
  /** The post's URL (relative links resolve against it) and what its head says of its body. */
  readonly url: string;
  readonly hints: BodyHints;
}

export type RenderTask =
  | { readonly kind: "heads"; readonly settings: ContentSettings; readonly maxPostBytes: number; readonly files: readonly HeadToRead[] }
  | { readonly kind: "bodies"; readonly settings: ContentSettings; readonly maxPostBytes: number; readonly files: readonly BodyToRender[] };

export type RenderTaskResult = HeadResult[] | BodyResult[];

export default function renderBatch(task: RenderTask): RenderTaskResult {
  if (task.kind === "heads") return task.files.map((file) => readPostHead(file.sourcePath, file.bytes, task.settings, task.maxPostBytes, file.revision, { mtimeMs: file.mtimeMs }));
  return task.files.map((file) => renderPostBodyBytes(file.bytes, task.maxPostBytes, file.url, file.hints));
}
