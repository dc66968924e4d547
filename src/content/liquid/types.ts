// The data a post's Liquid is rendered with, and what rendering gives back. Plain data in, plain
// data out: the caller (the content stage) reads the site, enforces the sandbox and decides what
// a warning or an error does to the post.

/** The site as a post's Liquid sees it. One object can serve every post of a scan. */
export interface LiquidSite {
  /** `site` as Jekyll builds it: _config.yml merged over Jekyll's defaults (url, baseurl, title, timezone…); plain data. */
  readonly config: Readonly<Record<string, unknown>>;
  /** `site.data`: _data/ files parsed (YAML/JSON/CSV/TSV), folders as nested objects; plain data. */
  readonly data: Readonly<Record<string, unknown>>;
  /**
   * `site.posts`, newest first: each post's front matter plus Jekyll's computed keys (url, id,
   * date as a Date, title, slug, categories, tags, path, relative_path, ext, collection: "posts",
   * draft, excerpt as rendered HTML if known else undefined). `site.categories`, `site.tags`,
   * `site.related_posts` and each post's `next` and `previous` are derived from this list.
   */
  readonly posts: readonly Readonly<Record<string, unknown>>[];
  /** `site.time`, and "now" for the date filters. Feeds must be byte-identical for the same posts, so pass a fixed instant, not the clock. */
  readonly time: Date;
  /** `jekyll.environment` (JEKYLL_ENV); Jekyll's default is "development". */
  readonly environment?: string;
  /** The only way the module reads files: the caller enforces the sandbox. `undefined` = no such file (or refused). */
  readonly files: LiquidFiles;
  /** The `markdownify` filter: kramdown (or the site's converter) from Markdown to HTML. */
  readonly markdownify: (text: string) => string;
  /** The `smartify` filter: kramdown's SmartyPants converter on a span (typographic quotes and dashes). */
  readonly smartify: (text: string) => string;
}

export interface LiquidFiles {
  /** `{% include name %}`: the text of _includes/<name>; `name` is "/"-separated, relative to _includes/, never starts with "/" and has no ".." (Jekyll refuses those). */
  include(name: string): string | undefined;
  /** `{% include_relative relative %}`: the text of the file at `relative`, resolved against the folder of the post at `postPath`. */
  includeRelative(postPath: string, relative: string): string | undefined;
  /**
   * `{% link path %}`: the URL path (no baseurl) of the site file whose Jekyll relative_path is
   * `path`, or undefined. Documents and pages have no leading "/" ("_posts/2024-01-05-x.md",
   * "about.md"), static files have one ("/assets/logo.png"); a path without "/" that finds
   * nothing is asked again with one, as Jekyll's Site#each_site_file lookup does.
   */
  linkUrl(path: string): string | undefined;
}

export interface LiquidPost {
  /** The text after the front matter. */
  readonly source: string;
  /** Relative to the site root, "/"-separated: "ja/news/_posts/2024-12-25-x.md". */
  readonly path: string;
  /** The 1-based line of the file where `source` starts, so that messages name file lines. */
  readonly firstLine: number;
  /**
   * `page`: front matter (defaults merged) plus url, date (a Date), id, categories, tags, title,
   * slug, path, ext, collection, excerpt… A Date anywhere else in it is read as a Time in the
   * site's zone; a YAML date-only value is closest to Ruby's Date when passed as its text
   * ("2024-01-05"). `content` defaults to `source`, as Jekyll's page.content is the body as
   * written while Liquid runs; `next` and `previous` default to the neighbours in `site.posts`.
   */
  readonly page: Readonly<Record<string, unknown>>;
}

/** Something worth reporting that does not stop the post: a site plugin's tag or filter. */
export interface LiquidProblem {
  /** The line in the post's file; for a problem inside an include, the line of the post's {% include %}. */
  readonly line: number | undefined;
  readonly message: string;
}

export interface LiquidResult {
  readonly output: string;
  readonly warnings: readonly LiquidProblem[];
}

/**
 * Bounds on one post's rendering. Counting limits stop a hostile post at the same point on
 * every machine; `maxMilliseconds` is the last resort for what they do not count.
 */
export interface LiquidLimits {
  /** Characters in one template: the post's body, or one include file. */
  readonly maxTemplateChars: number;
  /** Characters written during one render, {% capture %} included: bounds the output and what captures pile up. */
  readonly maxOutputChars: number;
  /** Liquid nodes (text, {{ }} and tags) rendered, as Liquid's render score counts them: bounds loops. */
  readonly maxRenderedNodes: number;
  /** Includes inside includes. */
  readonly maxIncludeDepth: number;
  /** Blocks ({% if %}, {% for %}…) nested in one template. */
  readonly maxNesting: number;
  /** liquidjs's memory accounting (characters and elements that filters and ranges create). */
  readonly maxMemory: number;
  /** Wall-clock time of one render, in milliseconds. */
  readonly maxMilliseconds: number;
}

/** What a post's Liquid reads, found without rendering. */
export interface LiquidUse {
  /** Static {% include x %} names. */
  readonly includes: readonly string[];
  /** Static {% include_relative x %} paths. */
  readonly includeRelative: readonly string[];
  /** An include or include_relative whose name is computed ({% include {{ x }} %}). */
  readonly dynamicIncludes: boolean;
  /** Top-level keys of site.data read; "all" when the key is computed or site.data is used whole. */
  readonly dataKeys: readonly string[] | "all";
  /** Other `site.<key>` config keys read, the ones filters read implicitly included (relative_url reads baseurl); "all" when `site` is used whole. */
  readonly siteKeys: readonly string[] | "all";
  /** Reads the post list: site.posts, site.categories, site.tags, site.related_posts, site.documents, site.collections, site.pages, page.previous, page.next, or {% post_url %}. */
  readonly usesPosts: boolean;
  /** {% post_url x %} arguments. */
  readonly postUrls: readonly string[];
  /** Static {% link x %} arguments. */
  readonly links: readonly string[];
  /** A {% link %} whose path is computed ({% link {{ x }} %}). */
  readonly dynamicLinks: boolean;
}
