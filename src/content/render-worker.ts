// Worker-thread entry for content/render-pool.ts: reads the heads of a batch of post files, or
// renders their bodies. YAML, Markdown and HTML sanitizing dominate a cold build, and they are
// pure, so they run on every core.
import type { SiteConfig } from "../config.js";
import { readPostHead, renderPostBodyBytes, type BodyResult, type HeadResult } from "./render-file.js";

export interface HeadToRead {
  readonly sourcePath: string;
  readonly bytes: Uint8Array;
  readonly revision: string;
}

export interface BodyToRender {
  /** For messages: which file this is. */
  readonly sourcePath: string;
  readonly bytes: Uint8Array;
  /** The post's URL (relative links resolve against it) and its head's summary, if given. */
  readonly url: string;
  readonly givenSummary: string | undefined;
}

export type RenderTask =
  | { readonly kind: "heads"; readonly site: SiteConfig; readonly maxPostBytes: number; readonly files: readonly HeadToRead[] }
  | { readonly kind: "bodies"; readonly site: SiteConfig; readonly maxPostBytes: number; readonly files: readonly BodyToRender[] };

export type RenderTaskResult = HeadResult[] | BodyResult[];

export default function renderBatch(task: RenderTask): RenderTaskResult {
  if (task.kind === "heads") return task.files.map((file) => readPostHead(file.sourcePath, file.bytes, task.site, task.maxPostBytes, file.revision));
  return task.files.map((file) => renderPostBodyBytes(file.bytes, task.maxPostBytes, file.url, file.givenSummary));
}
