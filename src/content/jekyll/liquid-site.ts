// The site as posts' Liquid sees it, in two halves: LiquidSiteData, plain data the main thread
// assembles once per batch of posts to render (what _config.yml, _data/, _includes/ and the other
// posts say), and liquidSite(), which turns it into the LiquidSite the Liquid module renders
// with, on the render thread.
import type { LiquidSite } from "../liquid/index.js";

/** What rendering a batch of posts' Liquid needs of the site; structured-clonable. */
export interface LiquidSiteData {
  /** `site`: _config.yml over Jekyll's defaults. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly data: Readonly<Record<string, unknown>>;
  /** Include files by their name in _includes/. */
  readonly includes: Readonly<Record<string, string>>;
  /**
   * `site.posts`, newest first, or empty when no post of the batch reads the post list (it can
   * be long, and it is copied to each render thread with the batch).
   */
  readonly posts: readonly Readonly<Record<string, unknown>>[];
  /** `site.time`: the newest post's date, so that the same posts always render the same. */
  readonly time: Date;
  /** `{% link %}` targets of the batch's posts, by the path as written, with their URL path. */
  readonly links: Readonly<Record<string, string>>;
  /** `{% include_relative %}` files of the batch's posts, by `${postPath}\0${relative}`. */
  readonly relativeIncludes: Readonly<Record<string, string>>;
  /** `jekyll.environment` */
  readonly environment: string;
}

/** The key of an include_relative file in LiquidSiteData.relativeIncludes. */
export function relativeIncludeKey(postPath: string, relative: string): string {
  return `${postPath}\u0000${relative}`;
}

/** The LiquidSite of a batch; `markdown` renders markdownify and smartify as the posts are rendered. */
export function liquidSite(data: LiquidSiteData, markdown: Pick<LiquidSite, "markdownify" | "smartify">): LiquidSite {
  return {
    config: data.config,
    data: data.data,
    posts: data.posts,
    time: data.time,
    environment: data.environment,
    files: {
      include: (name) => (Object.hasOwn(data.includes, name) ? data.includes[name] : undefined),
      includeRelative: (postPath, relative) => {
        const key = relativeIncludeKey(postPath, relative);
        return Object.hasOwn(data.relativeIncludes, key) ? data.relativeIncludes[key] : undefined;
      },
      linkUrl: (path) => (Object.hasOwn(data.links, path) ? data.links[path] : undefined),
    },
    markdownify: markdown.markdownify,
    smartify: markdown.smartify,
  };
}
