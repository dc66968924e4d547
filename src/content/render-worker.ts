// Worker-thread entry for content/render-pool.ts: reads the heads of a batch of post files, or
// renders their bodies. YAML, Markdown and HTML sanitizing dominate a cold build, and they are
// pure, so they run on every core.
import type { BodyHints } from "./load-post.js";
import type { ContentSettings } from "./settings.js";
import { liquidSite, type LiquidSiteData } from "./jekyll/liquid-site.js";
import type { LiquidSite } from "./liquid/index.js";
import { smartifyText } from "./jekyll/smartify.js";
import { renderMarkdown } from "./markdown.js";
import type { KramdownOptions } from "./kramdown/options.js";
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
  | {
      readonly kind: "bodies";
      readonly settings: ContentSettings;
      readonly maxPostBytes: number;
      readonly files: readonly BodyToRender[];
      /** What the batch's posts with Liquid render with (none when no post of the batch has Liquid). */
      readonly liquid?: LiquidSiteData | undefined;
    };

export type RenderTaskResult = HeadResult[] | BodyResult[];

export default function renderBatch(task: RenderTask): RenderTaskResult {
  if (task.kind === "heads") return task.files.map((file) => readPostHead(file.sourcePath, file.bytes, task.settings, task.maxPostBytes, file.revision, { mtimeMs: file.mtimeMs }));
  const site = task.liquid ? siteOf(task.liquid, task.settings.jekyll?.kramdown) : undefined;
  return task.files.map((file) => renderPostBodyBytes(file.bytes, task.maxPostBytes, file.url, file.hints, site && { site, path: file.sourcePath }));
}

/**
 * One LiquidSite per batch's data: what every post shares (site.posts made into Liquid values,
 * say) is built once per LiquidSite, and a batch rendered on the main thread comes one post at a
 * time. `markdownify` renders as the site's posts do, so the LiquidSite is made again when the
 * site's kramdown options change.
 */
const sites = new WeakMap<LiquidSiteData, { readonly kramdown: string; readonly site: LiquidSite }>();

function siteOf(data: LiquidSiteData, kramdown: KramdownOptions | undefined): LiquidSite {
  // Settings reach a worker as a copy with every batch: compared by value.
  const key = JSON.stringify(kramdown ?? null);
  let entry = sites.get(data);
  if (!entry || entry.kramdown !== key) {
    entry = { kramdown: key, site: liquidSite(data, { markdownify: (text) => renderMarkdown(text, kramdown), smartify: smartifyText }) };
    sites.set(data, entry);
  }
  return entry.site;
}
