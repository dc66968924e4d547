// Worker-thread entry for content/render-pool.ts: renders a batch of post files. Markdown and
// HTML sanitizing dominate a cold build, and they are pure, so they run on every core.
import type { SiteConfig } from "../config.js";
import { renderPostBytes, type LoadResult } from "./render-file.js";

export interface RenderTask {
  readonly site: SiteConfig;
  readonly maxPostBytes: number;
  readonly files: readonly { readonly sourcePath: string; readonly bytes: Uint8Array; readonly revision: string }[];
}

export default function renderBatch(task: RenderTask): LoadResult[] {
  return task.files.map((file) => renderPostBytes(file.sourcePath, file.bytes, task.site, task.maxPostBytes, file.revision));
}
