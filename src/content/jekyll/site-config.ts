// A Jekyll site's _config.yml, read as Jekyll 4.3 reads it (jekyll/configuration.rb): the file
// merged over Jekyll's DEFAULTS, `collections.posts.permalink` derived from `permalink`, and the
// default excludes added. Only the keys Feedwright acts on are validated, each error naming the
// file, the line and the key; every other key is kept as it is for Liquid's `site.*`.
import { realpathSync } from "node:fs";
import { validEmail } from "../../text/email.js";
import { FileRefusedError, readFileInside } from "../read-inside.js";
import path from "node:path";
import { IANAZone } from "luxon";
import { parseYamlSource, YamlSyntaxError, type YamlSource } from "../../yaml-source.js";
import { JEKYLL_PERMALINK_STYLES } from "../permalink.js";
import { kramdownOptions, type KramdownOptions } from "../kramdown/options.js";

/** A `_config.yml` Feedwright cannot use; the message names the file, the line and the key. */
export class SiteConfigError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, line: number | undefined, message: string, options?: ErrorOptions) {
    super(`content: ${file}${line ? `:${line}` : ""}: ${message}`, options);
    this.name = "SiteConfigError";
    this.file = file;
    this.line = line;
  }
}

/** One entry of `defaults:` (jekyll/frontmatter_defaults.rb). */
export interface FrontMatterDefaultSet {
  /** `scope.path` as written ("" or absent: every path). */
  readonly path: string;
  /** `scope.type` ("posts", "drafts", "pages", a collection), or undefined: every type. */
  readonly type: string | undefined;
  readonly values: Readonly<Record<string, unknown>>;
}

/** jekyll-feed 0.17's `feed:` settings (jekyll-feed/generator.rb). */
export interface JekyllFeedSettings {
  /** The site feed's path ("/feed.xml" unless `feed.path` says otherwise). */
  readonly path: string;
  /** Categories jekyll-feed writes a feed for, each at /feed/<category>.xml. */
  readonly categories: readonly string[];
  /** Tag feeds (/feed/by_tag/<tag>.xml), when `feed.tags` is set. */
  readonly tags: { readonly only: readonly string[] | undefined; readonly except: readonly string[]; readonly path: string } | undefined;
  /** `feed.posts_limit` (jekyll-feed's default is 10). */
  readonly postsLimit: number | undefined;
  /** `feed.excerpt_only`: entries carry the summary alone. */
  readonly excerptOnly: boolean;
}

export interface JekyllSiteConfig {
  /** The file read, relative to the site ("_config.yml"), or undefined when the site has none. */
  readonly file: string | undefined;
  /** `site` as Liquid sees it: the file merged over Jekyll's defaults (plain data). */
  readonly site: Readonly<Record<string, unknown>>;
  readonly title: string | undefined;
  readonly description: string | undefined;
  /** `url` + `baseurl`, without a trailing slash, or undefined when `url` is not set. */
  readonly url: string | undefined;
  readonly baseurl: string;
  readonly language: string | undefined;
  readonly timezone: string | undefined;
  readonly author: { readonly name: string; readonly email?: string | undefined; readonly url?: string | undefined } | undefined;
  /** The posts collection's permalink pattern (or style name), as Jekyll resolves it. */
  readonly permalink: string;
  readonly defaults: readonly FrontMatterDefaultSet[];
  readonly future: boolean;
  readonly unpublished: boolean;
  readonly showDrafts: boolean;
  readonly excerptSeparator: string;
  readonly exclude: readonly string[];
  readonly include: readonly string[];
  /** Lower-case extensions, with the dot, that Jekyll's kramdown converter takes. */
  readonly markdownExtensions: readonly string[];
  /** The `kramdown:` block merged over Jekyll's defaults, as written (Liquid's `site.kramdown`). */
  readonly kramdown: Readonly<Record<string, unknown>>;
  /**
   * The kramdown options posts are rendered with, validated; undefined when `markdown:` names
   * another converter (Markdown is then read as a folder of posts reads it).
   */
  readonly kramdownOptions: KramdownOptions | undefined;
  readonly feed: JekyllFeedSettings;
  /** Every key of the file, with its line: for messages about values read later. */
  readonly lineOf: (keyPath: readonly (string | number)[]) => number | undefined;
}

// Jekyll::Configuration::DEFAULTS, the keys that change what a post or a feed is.
const JEKYLL_DEFAULTS = {
  source: ".",
  collections_dir: "",
  data_dir: "_data",
  includes_dir: "_includes",
  collections: {},
  include: [".htaccess"],
  exclude: [],
  encoding: "utf-8",
  markdown_ext: "markdown,mkdown,mkdn,mkd,md",
  show_drafts: null,
  limit_posts: 0,
  future: false,
  unpublished: false,
  markdown: "kramdown",
  highlighter: "rouge",
  excerpt_separator: "\n\n",
  baseurl: null,
  permalink: "date",
  timezone: null,
  defaults: [],
  liquid: { error_mode: "warn", strict_filters: false, strict_variables: false },
  kramdown: {
    auto_ids: true,
    toc_levels: [1, 2, 3, 4, 5, 6],
    entity_output: "as_char",
    smart_quotes: "lsquo,rsquo,ldquo,rdquo",
    input: "GFM",
    hard_wrap: false,
    guess_lang: true,
    footnote_nr: 1,
    show_warnings: false,
  },
} as const;

// Configuration::DEFAULT_EXCLUDES, added to `exclude` by add_default_excludes.
const DEFAULT_EXCLUDES = [".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules", "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/"];

/** Larger than any real _config.yml; a bigger file is refused before it is read. */
const CONFIG_MAX_BYTES = 4 * 1024 * 1024;

/** The config file Jekyll reads by default, in its order of preference (Configuration#config_files). */
const CONFIG_FILE_NAMES = ["_config.yml", "_config.yaml"];

/**
 * Reads the site's `_config.yml` (or `_config.yaml`). A site without one has Jekyll's defaults.
 * Throws SiteConfigError for a file that is not YAML, not a mapping, or has a key Feedwright
 * uses with a value it cannot use.
 */
export function readJekyllSiteConfig(siteDir: string): JekyllSiteConfig {
  for (const name of CONFIG_FILE_NAMES) {
    let read: Buffer | number;
    try {
      // A link is followed only to a regular file inside the site (it is resolved first, and the
      // file opened is checked to be what was resolved), never to /etc/passwd.
      read = readFileInside(realpathSync(path.join(siteDir, name)), realpathSync(siteDir), CONFIG_MAX_BYTES);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") continue;
      if (error instanceof FileRefusedError) throw new SiteConfigError(name, undefined, error.message, { cause: error });
      throw new SiteConfigError(name, undefined, `cannot read it (${code ?? String(error)}); check its permissions`, { cause: error });
    }
    if (typeof read === "number") throw new SiteConfigError(name, undefined, `the file is ${read} bytes, over the limit of ${CONFIG_MAX_BYTES}; a site's configuration is never that large`);
    return parseJekyllSiteConfig(read.toString("utf8"), name);
  }
  return parseJekyllSiteConfig("", undefined);
}

/** `text` is the content of `file` ("_config.yml"), or "" for a site without a config file. */
export function parseJekyllSiteConfig(text: string, file: string | undefined): JekyllSiteConfig {
  const shown = file ?? "_config.yml";
  let source: YamlSource;
  try {
    source = parseYamlSource(text.startsWith("\uFEFF") ? text.slice(1) : text);
  } catch (error) {
    if (error instanceof YamlSyntaxError) throw new SiteConfigError(shown, error.line, `${error.message}; fix the YAML (Jekyll cannot read it either)`, { cause: error });
    throw error;
  }
  const value = source.value ?? {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new SiteConfigError(shown, 1, "must be a YAML mapping of settings (title:, url:, permalink:, …)");
  }
  const fromFile = value as Record<string, unknown>;
  const lineOf = (keyPath: readonly (string | number)[]): number | undefined => source.lineOfPath(keyPath);
  const fail = (keyPath: readonly (string | number)[], message: string): never => {
    throw new SiteConfigError(shown, lineOf(keyPath), `${keyPath.join(".")}: ${message}`);
  };

  const site = deepMerge(JEKYLL_DEFAULTS, fromFile);
  const text_ = (key: string): string | undefined => optionalText(site[key], [key], fail);

  const url = text_("url");
  const baseurl = text_("baseurl") ?? "";
  let siteUrl: string | undefined;
  if (url !== undefined && url.trim() !== "") {
    siteUrl = absoluteSiteUrl(url.trim(), baseurl.trim()) ?? fail(["url"], `"${url}" is not an absolute http:// or https:// URL; write it as https://blog.example.com`);
  }

  const timezone = text_("timezone");
  if (timezone !== undefined && !IANAZone.isValidZone(timezone)) fail(["timezone"], `"${timezone}" is not an IANA time zone such as UTC or Asia/Tokyo`);

  const language = text_("lang");
  if (language !== undefined && !isLanguageTag(language)) fail(["lang"], `"${language}" is not a BCP 47 language tag such as en or ja`);

  const collections = site.collections;
  const postsCollection = isRecord(collections) && isRecord(collections.posts) ? collections.posts : undefined;
  const permalinkStyle = text_("permalink") ?? "date";
  const collectionPermalink = postsCollection ? optionalText(postsCollection.permalink, ["collections", "posts", "permalink"], fail) : undefined;
  const permalink = collectionPermalink ?? JEKYLL_PERMALINK_STYLES[permalinkStyle] ?? permalinkStyle;

  const kramdown = isRecord(site.kramdown) ? site.kramdown : fail(["kramdown"], "must be a mapping of kramdown options");
  return {
    file,
    site,
    title: text_("title") ?? text_("name"),
    description: text_("description"),
    url: siteUrl,
    baseurl,
    language,
    timezone,
    author: siteAuthor(site.author, fail),
    permalink,
    defaults: defaultSets(site.defaults, fail),
    future: site.future === true,
    unpublished: site.unpublished === true,
    showDrafts: site.show_drafts === true,
    excerptSeparator: text_("excerpt_separator") ?? "",
    exclude: [...new Set([...textList(site.exclude, ["exclude"], fail), ...DEFAULT_EXCLUDES])],
    include: textList(site.include, ["include"], fail),
    markdownExtensions: (text_("markdown_ext") ?? "")
      .split(",")
      .map((extension) => extension.trim().toLowerCase())
      .filter((extension) => extension !== "")
      .map((extension) => `.${extension}`),
    kramdown,
    // Jekyll picks its converter by `markdown:`, compared without case (Converters::Markdown).
    kramdownOptions: (text_("markdown") ?? "kramdown").toLowerCase() === "kramdown" ? kramdownOptions(kramdown, (keyPath, message) => fail(["kramdown", ...keyPath], message)) : undefined,
    feed: feedSettings(site.feed, fail),
    lineOf,
  };
}

type Fail = (keyPath: readonly (string | number)[], message: string) => never;

function optionalText(value: unknown, keyPath: readonly (string | number)[], fail: Fail): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return fail(keyPath, `must be text, not ${Array.isArray(value) ? "a list" : "a mapping"}`);
}

function textList(value: unknown, keyPath: readonly (string | number)[], fail: Fail): string[] {
  if (value === undefined || value === null) return [];
  // Jekyll's check_include_exclude refuses anything but an array.
  if (!Array.isArray(value)) return fail(keyPath, "must be a list, e.g. [node_modules, drafts/]");
  return value.map((entry, index) => optionalText(entry, [...keyPath, index], fail) ?? "").filter((entry) => entry !== "");
}

/** `site.author`: a name, or a mapping with name, email and uri (jekyll-feed) or url. */
function siteAuthor(value: unknown, fail: Fail): JekyllSiteConfig["author"] {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string" || typeof value === "number") return { name: String(value) };
  if (!isRecord(value)) return fail(["author"], "must be a name or a mapping with name:, email:, uri:");
  const name = optionalText(value.name, ["author", "name"], fail);
  if (name === undefined || name.trim() === "") return undefined;
  const writtenEmail = optionalText(value.email, ["author", "email"], fail);
  const email = writtenEmail === undefined || writtenEmail.trim() === "" ? undefined : (validEmail(writtenEmail) ?? fail(["author", "email"], `${JSON.stringify(writtenEmail)} is not an e-mail address every feed format can carry; write it as name@example.com`));
  const link = optionalText(value.uri ?? value.url, ["author", value.uri !== undefined ? "uri" : "url"], fail);
  return { name, email, url: link !== undefined && /^https?:\/\//iu.test(link) ? link : undefined };
}

/** `defaults:`, keeping Jekyll's rule that a set without a `values` mapping is ignored (FrontmatterDefaults#valid?). */
function defaultSets(value: unknown, fail: Fail): FrontMatterDefaultSet[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return fail(["defaults"], "must be a list of { scope: { path:, type: }, values: { … } }");
  const sets: FrontMatterDefaultSet[] = [];
  value.forEach((entry: unknown, index) => {
    if (!isRecord(entry) || !isRecord(entry.values)) return;
    const scope = isRecord(entry.scope) ? entry.scope : {};
    const scopePath = optionalText(scope.path, ["defaults", index, "scope", "path"], fail) ?? "";
    const rawType = optionalText(scope.type, ["defaults", index, "scope", "type"], fail);
    // FrontmatterDefaults#update_deprecated_types: the singular names still work.
    const type = rawType === "post" ? "posts" : rawType === "page" ? "pages" : rawType === "draft" ? "drafts" : rawType;
    sets.push({ path: scopePath, type, values: entry.values });
  });
  return sets;
}

function feedSettings(value: unknown, fail: Fail): JekyllFeedSettings {
  const feed = isRecord(value) ? value : {};
  const collections = isRecord(feed.collections) ? feed.collections : {};
  const posts = isRecord(collections.posts) ? collections.posts : {};
  // jekyll-feed's normalize_posts_meta: `feed.path` and `feed.categories`, or the same keys under
  // `feed.collections.posts`.
  const feedPath = optionalText(feed.path ?? posts.path, ["feed", "path"], fail) ?? "/feed.xml";
  const categories = textList(feed.categories ?? posts.categories, ["feed", "categories"], fail);
  let tags: JekyllFeedSettings["tags"];
  if (feed.tags !== undefined && feed.tags !== null && feed.tags !== false) {
    const tagConfig = isRecord(feed.tags) ? feed.tags : {};
    tags = {
      only: tagConfig.only === undefined || tagConfig.only === null ? undefined : textList(tagConfig.only, ["feed", "tags", "only"], fail),
      except: textList(tagConfig.except, ["feed", "tags", "except"], fail),
      path: optionalText(tagConfig.path, ["feed", "tags", "path"], fail) ?? "/feed/by_tag/",
    };
  }
  const limit = feed.posts_limit;
  if (limit !== undefined && limit !== null && (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1)) fail(["feed", "posts_limit"], "must be a whole number of posts, at least 1");
  return {
    path: feedPath.startsWith("/") ? feedPath : `/${feedPath}`,
    categories,
    tags,
    postsLimit: typeof limit === "number" ? limit : undefined,
    excerptOnly: feed.excerpt_only === true,
  };
}

/** `url` + `baseurl` as jekyll-feed's absolute_url joins them, without a trailing slash. */
function absoluteSiteUrl(url: string, baseurl: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if ((parsed.protocol !== "http:" && parsed.protocol !== "https:") || parsed.hostname === "") return undefined;
  const base = baseurl.replace(/^\/*/, "/").replace(/\/+$/, "");
  return `${parsed.href.replace(/\/+$/, "")}${base === "/" ? "" : base}`;
}

function isLanguageTag(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Jekyll's Utils.deep_merge_hashes: mappings merge key by key, anything else is replaced. */
export function deepMerge(base: Readonly<Record<string, unknown>>, over: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = merged[key];
    merged[key] = isRecord(current) && isRecord(value) ? deepMerge(current, value) : value;
  }
  return merged;
}
