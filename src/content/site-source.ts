// Where posts come from, and the settings they are read with, as of this scan: a folder of posts
// (settings fixed by Feedwright's config), or a Jekyll site, whose _config.yml is read again at
// the scan after it changes — Feedwright's own explicit settings winning over it.
import { statSync } from "node:fs";
import path from "node:path";
import type { Config, SiteConfig } from "../config.js";
import { siteFingerprint } from "./render-key.js";
import { POSTS_FOLDER_RULES, type ScanRules } from "./scan.js";
import { postsFolderSettings, type ContentSettings } from "./settings.js";
import { readJekyllSiteConfig, type JekyllSiteConfig } from "./jekyll/site-config.js";
import { siteScanRules } from "./jekyll/site-scan-rules.js";
import { SiteFilesReader, type SiteFiles } from "./jekyll/site-files.js";
import { cleanText } from "../text/clean-text.js";

/** What a scan reads posts with. */
export interface SourceState {
  /**
   * The folder posts are read from, which every post's path is relative to: the posts folder, or
   * a Jekyll site's source (its root, or the folder its `source:` names).
   */
  readonly root: string;
  readonly settings: ContentSettings;
  /** The settings hashed: part of every post's render key. */
  readonly fingerprint: string;
  readonly rules: ScanRules;
  /** `feed.limit` as it applies: Feedwright's explicit value; else, for a Jekyll site, its `feed.posts_limit` (jekyll-feed's 10 when it has none); for a folder of posts, Feedwright's default. */
  readonly feedLimit: number;
  /** A Jekyll site's configuration (for Liquid's `site`, jekyll-feed's URLs); undefined for a folder of posts. */
  readonly jekyll: JekyllSiteConfig | undefined;
  /** A Jekyll site's `future: true`: future-dated posts are published at once. */
  readonly publishFuture: boolean;
  /** A Jekyll site's _data/ and _includes/, for posts' Liquid. */
  readonly files: SiteFiles | undefined;
}

export interface ContentSource {
  /** The state for the next scan. Throws SiteConfigError when a site's _config.yml cannot be used. */
  refresh(): SourceState;
}

export function contentSource(config: Pick<Config, "postsDir" | "siteDir" | "site" | "siteExplicit" | "feed" | "maxPostBytes">): ContentSource {
  return config.siteDir === undefined ? new PostsFolderSource(config) : new JekyllSiteSource(config, config.siteDir);
}

class PostsFolderSource implements ContentSource {
  readonly #state: SourceState;

  constructor(config: Pick<Config, "postsDir" | "site" | "feed">) {
    const settings = postsFolderSettings(config.site, config.feed.maxTermsPerPost);
    this.#state = { root: config.postsDir, settings, fingerprint: siteFingerprint(settings), rules: POSTS_FOLDER_RULES, feedLimit: config.feed.limit, jekyll: undefined, publishFuture: false, files: undefined };
  }

  refresh(): SourceState {
    return this.#state;
  }
}

/**
 * Items per feed of a Jekyll site that sets neither Feedwright's `feed.limit` nor `feed.posts_limit`:
 * jekyll-feed's own default, so that its subscribers get the same items (more would bring back
 * older posts a reader may have dropped, as new).
 */
const JEKYLL_FEED_POSTS_LIMIT = 10;

/** The files a Jekyll site's settings are read from; a change to any of them is read at the next scan. */
const SETTINGS_FILES = ["_config.yml", "_config.yaml"];

class JekyllSiteSource implements ContentSource {
  readonly #siteDir: string;
  readonly #config: Pick<Config, "site" | "siteExplicit" | "feed" | "maxPostBytes">;
  #jekyll: { identity: string; config: JekyllSiteConfig; files: SiteFilesReader } | undefined;
  #identity = "";
  #state: SourceState | undefined;

  constructor(config: Pick<Config, "site" | "siteExplicit" | "feed" | "maxPostBytes">, siteDir: string) {
    this.#config = config;
    this.#siteDir = siteDir;
  }

  /** The same object while neither the settings nor _data/ and _includes/ changed. */
  refresh(): SourceState {
    const configIdentity = SETTINGS_FILES.map((name) => fileIdentity(path.join(this.#siteDir, name))).join("|");
    if (this.#jekyll?.identity !== configIdentity) {
      const config = readJekyllSiteConfig(this.#siteDir);
      // _config.yml's `source:` names the folder posts, _data/ and _includes/ are in.
      this.#jekyll = { identity: configIdentity, config, files: new SiteFilesReader(sourceFolder(this.#siteDir, config), this.#config.maxPostBytes) };
    }
    const jekyll = this.#jekyll.config;
    const files = this.#jekyll.files.read();
    // jekyll-feed looks authors up in _data/authors.*: part of how heads are read.
    const identity = `${configIdentity}|${files.dataDigests.get("authors") ?? "-"}`;
    if (this.#state && identity === this.#identity) {
      if (this.#state.files !== files) this.#state = { ...this.#state, files };
      return this.#state;
    }
    const authors = files.data.authors;
    const state = jekyllSiteState(this.#config, jekyll, sourceFolder(this.#siteDir, jekyll), authors !== null && typeof authors === "object" && !Array.isArray(authors) ? (authors as Record<string, unknown>) : undefined);
    this.#state = { ...state, files };
    this.#identity = identity;
    return this.#state;
  }
}

/** The site's source folder: its root, or the folder `source:` names (relative to the root). */
function sourceFolder(siteDir: string, jekyll: JekyllSiteConfig): string {
  const source = jekyll.site.source;
  return typeof source === "string" && source !== "" ? path.resolve(siteDir, source) : siteDir;
}

/** The settings of a Jekyll site: its _config.yml under Feedwright's explicit settings. */
export function jekyllSiteState(config: Pick<Config, "site" | "siteExplicit" | "feed">, jekyll: JekyllSiteConfig, root: string, authors?: Readonly<Record<string, unknown>>): SourceState {
  const explicit = config.siteExplicit;
  const site: SiteConfig = {
    title: explicit.title ?? (jekyll.title === undefined ? config.site.title : cleanText(jekyll.title)),
    description: explicit.description ?? (jekyll.description === undefined ? config.site.description : cleanText(jekyll.description)),
    url: explicit.url ?? jekyll.url ?? config.site.url,
    language: explicit.language ?? jekyll.language ?? config.site.language,
    timezone: explicit.timezone ?? jekyll.timezone ?? config.site.timezone,
    author: explicit.author ?? (jekyll.author ? { ...jekyll.author, name: cleanText(jekyll.author.name) } : config.site.author),
    permalink: explicit.permalink ?? jekyll.permalink,
  };
  const rawUrl = typeof jekyll.site.url === "string" && jekyll.site.url !== "" ? jekyll.site.url : undefined;
  const settings: ContentSettings = {
    site,
    maxTermsPerPost: config.feed.maxTermsPerPost,
    jekyll: {
      excerptSeparator: jekyll.excerptSeparator,
      defaults: jekyll.defaults,
      markdownExtensions: jekyll.markdownExtensions,
      unpublished: jekyll.unpublished,
      showDrafts: jekyll.showDrafts,
      kramdown: jekyll.kramdownOptions,
      // jekyll-feed makes ids absolute with the site's own url and baseurl; an explicit
      // Feedwright URL (with its path) replaces both.
      idBase: explicit.url !== undefined || rawUrl === undefined ? { url: site.url, baseurl: "" } : { url: rawUrl, baseurl: jekyll.baseurl },
      authors,
    },
  };
  return {
    root,
    settings,
    fingerprint: siteFingerprint(settings),
    rules: siteScanRules(jekyll),
    feedLimit: config.feed.limitExplicit ? config.feed.limit : (jekyll.feed.postsLimit ?? JEKYLL_FEED_POSTS_LIMIT),
    jekyll,
    publishFuture: jekyll.future,
    files: undefined,
  };
}

function fileIdentity(file: string): string {
  try {
    const info = statSync(file);
    return `${info.ino}:${info.size}:${info.mtimeMs}`;
  } catch {
    return "-";
  }
}
