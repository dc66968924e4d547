// What reading a post depends on besides its own bytes: the site's settings, and for a Jekyll
// site the rules of its _config.yml. Plain data, so it travels to the render workers as it is,
// and fingerprinted (content/render-key.ts) so that a change to any of it renders posts again.
import { DEFAULT_MAX_TERMS_PER_POST, type SiteConfig } from "../config.js";
import type { FrontMatterDefaultSet } from "./jekyll/site-config.js";
import type { KramdownOptions } from "./kramdown/options.js";

export interface ContentSettings {
  readonly site: SiteConfig;
  /** Categories, and tags, a post may have (`feed.max_terms_per_post`); the rest are reported. */
  readonly maxTermsPerPost: number;
  /** How a Jekyll site's posts are read (`--site`); undefined for a folder of posts (`--posts`). */
  readonly jekyll: JekyllReading | undefined;
}

/** The rules a Jekyll site's _config.yml sets for its posts. */
export interface JekyllReading {
  /**
   * `excerpt_separator`: a post's excerpt (its summary when it has no `description`) is the text
   * before it, rendered; "" turns excerpts off.
   */
  readonly excerptSeparator: string;
  /** `defaults:` */
  readonly defaults: readonly FrontMatterDefaultSet[];
  /** Lower-case extensions (".md") of the posts Jekyll converts from Markdown; other posts are HTML. */
  readonly markdownExtensions: readonly string[];
  /** `unpublished: true`: posts with `published: false` are published too. */
  readonly unpublished: boolean;
  /** `show_drafts: true`: posts with `draft: true` (and those in `_drafts`) are published. */
  readonly showDrafts: boolean;
  /**
   * What jekyll-feed makes each entry id absolute with (`post.id | absolute_url`): the site's
   * `url` and `baseurl`, or Feedwright's site URL (with its path) when that is set explicitly.
   */
  readonly idBase: { readonly url: string; readonly baseurl: string };
  /**
   * The kramdown options Markdown posts, excerpts and `markdownify` are rendered with; undefined
   * when the site's `markdown:` is not kramdown.
   */
  readonly kramdown: KramdownOptions | undefined;
  /** Authors by key from `_data/authors.yml`, as jekyll-feed looks a post's author up. */
  readonly authors: Readonly<Record<string, unknown>> | undefined;
}

/** The settings of a folder of posts. */
export function postsFolderSettings(site: SiteConfig, maxTermsPerPost = DEFAULT_MAX_TERMS_PER_POST): ContentSettings {
  return { site, maxTermsPerPost, jekyll: undefined };
}
