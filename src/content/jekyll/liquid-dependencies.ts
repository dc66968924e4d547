// What a post's Liquid reads, as one digest: the include files it reaches (following includes
// inside includes), the `site.data` keys and `_config.yml` settings it reads, the post list when
// it reads that, and the URLs of the posts and files it links to. The digest is part of the
// post's revision, so a change to _config.yml, _data/ or _includes/ renders again exactly the
// posts that read what changed — and feeds holding them — and no other.
import { createHash } from "node:crypto";
import { analyzeLiquid, type LiquidUse } from "../liquid/index.js";
import type { SiteFiles } from "./site-files.js";

export interface DependencyContext {
  readonly files: SiteFiles;
  /** `site` as Liquid sees it. */
  readonly site: Readonly<Record<string, unknown>>;
  /** A digest of every post's head (the post list), computed when first needed. */
  readonly postsDigest: () => string;
  /** The URL path a `{% link %}` to `path` gives, or undefined. */
  readonly linkUrl: (path: string) => string | undefined;
  /** How a post's folder-relative include reads, or undefined. */
  readonly relativeInclude: (postPath: string, relative: string) => string | undefined;
}

/** Include analyses by the include's digest: the same file is analysed once. */
const includeUses = new Map<string, LiquidUse | "error">();
const MAX_INCLUDE_USES = 10_000;

/** What a post's Liquid reads, its includes' (and theirs) included. */
export interface ClosedLiquidUse {
  /** Include names reached. */
  readonly includes: ReadonlySet<string>;
  /** Some include is named by a value: any include may be read. */
  readonly everyInclude: boolean;
  readonly includeRelative: ReadonlySet<string>;
  readonly dataKeys: ReadonlySet<string> | "all";
  readonly siteKeys: ReadonlySet<string> | "all";
  /** The post list (site.posts and what derives from it, {% post_url %}, a computed {% link %}). */
  readonly posts: boolean;
  readonly links: ReadonlySet<string>;
  readonly dynamicLinks: boolean;
}

/** `use` (a post's own) with what the include files it reaches read, following includes in includes. */
export function closedLiquidUse(use: LiquidUse, files: SiteFiles): ClosedLiquidUse {
  const uses = [use];
  const includes = new Set<string>();
  let everyInclude = use.dynamicIncludes;
  // Breadth first, each include once.
  for (let index = 0; index < uses.length; index++) {
    for (const name of uses[index]?.includes ?? []) {
      if (includes.has(name)) continue;
      includes.add(name);
      const file = files.includes.get(name);
      const inner = file ? includeUse(file.digest, file.text) : undefined;
      if (inner === undefined || inner === "error") continue;
      if (inner.dynamicIncludes) everyInclude = true;
      uses.push(inner);
    }
  }
  let dataKeys: Set<string> | "all" = new Set();
  let siteKeys: Set<string> | "all" = new Set();
  const includeRelative = new Set<string>();
  const links = new Set<string>();
  let posts = false;
  let dynamicLinks = false;
  for (const current of uses) {
    if (current.dataKeys === "all" || dataKeys === "all") dataKeys = "all";
    else for (const key of current.dataKeys) dataKeys.add(key);
    if (current.siteKeys === "all" || siteKeys === "all") siteKeys = "all";
    else for (const key of current.siteKeys) siteKeys.add(key);
    if (current.usesPosts || current.postUrls.length > 0 || current.dynamicLinks) posts = true;
    if (current.dynamicLinks) dynamicLinks = true;
    for (const relative of current.includeRelative) includeRelative.add(relative);
    for (const link of current.links) links.add(link);
  }
  return { includes, everyInclude, includeRelative, dataKeys, siteKeys, posts, links, dynamicLinks };
}

/** The digest of everything `use` (the post at `postPath`'s own Liquid) reads, as of `context`. */
export function dependencyDigest(postPath: string, use: LiquidUse, context: DependencyContext): string {
  const hash = createHash("sha256");
  const add = (...parts: string[]): void => {
    for (const part of parts) hash.update(part).update("\0");
  };
  const reads = closedLiquidUse(use, context.files);
  for (const name of [...reads.includes].sort()) add("include", name, context.files.includes.get(name)?.digest ?? "-");
  if (reads.everyInclude) for (const [name, file] of [...context.files.includes].sort(([a], [b]) => (a < b ? -1 : 1))) add("any-include", name, file.digest);
  for (const relative of [...reads.includeRelative].sort()) add("relative", relative, digestOf(context.relativeInclude(postPath, relative) ?? "-"));
  if (reads.dataKeys === "all") add("data", context.files.dataDigests.get("") ?? "-");
  else for (const key of [...reads.dataKeys].sort()) add("data", key, context.files.dataDigests.get(key) ?? "-");
  if (reads.siteKeys === "all") add("site", JSON.stringify(context.site));
  else for (const key of [...reads.siteKeys].sort()) add("site", key, JSON.stringify(context.site[key]) ?? "-");
  if (reads.posts) add("posts", context.postsDigest());
  for (const link of [...reads.links].sort()) add("link", link, context.linkUrl(link) ?? "-");
  return hash.digest("base64url").slice(0, 22);
}

function includeUse(digest: string, text: string): LiquidUse | "error" {
  let use = includeUses.get(digest);
  if (use === undefined) {
    try {
      use = analyzeLiquid(text);
    } catch {
      // The post that includes it fails to render, with the error; nothing more to depend on.
      use = "error";
    }
    if (includeUses.size >= MAX_INCLUDE_USES) includeUses.clear();
    includeUses.set(digest, use);
  }
  return use;
}

function digestOf(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 22);
}
