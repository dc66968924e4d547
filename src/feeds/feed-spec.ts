// What one feed says, independent of its format: the normalized input of the three renderers
// (rss2.ts, atom1.ts, json-feed.ts). Building it is the only place that decides which posts a
// feed holds, what it is called and where it lives.
import type { Config } from "../config.js";
import type { Author, Post } from "../content/post.js";
import { feedLabels } from "./labels.js";
import { slugPathSegment } from "./slug.js";
import type { Term, TermKind } from "./taxonomy.js";

export type FeedFormat = "rss" | "atom" | "json";

export const FEED_FILE_NAMES: Readonly<Record<FeedFormat, string>> = {
  rss: "feed.xml",
  atom: "atom.xml",
  json: "feed.json",
};

export interface FeedSpec {
  readonly kind: "site" | TermKind;
  /** The category or tag, for term feeds. */
  readonly term: Term | undefined;
  readonly title: string;
  readonly description: string;
  readonly language: string;
  /** The blog's home page. */
  readonly homePageUrl: string;
  /** Path prefix of this feed's documents: "" for the site, "/tags/<segment>" for a tag. */
  readonly basePath: string;
  /** Absolute URL of each format of this feed (rel="self", feed_url, rel="alternate" links). */
  readonly urls: Readonly<Record<FeedFormat, string>>;
  readonly author: Author;
  /** How many published posts the feed covers (items shows the newest feed.limit of them). */
  readonly postCount: number;
  /** Newest first, at most feed.limit. */
  readonly items: readonly Post[];
  /**
   * The newest item's last change (its update, else its date) — never the build time, so the
   * same posts always give the same bytes. The Unix epoch for a feed without items.
   */
  readonly updated: Date;
  /** URL scheme identifying category and tag terms in RSS `domain` / Atom `scheme`. */
  readonly categoryScheme: string;
  readonly tagScheme: string;
}

export function termBasePath(kind: TermKind, slug: string): string {
  return `/${kind === "category" ? "categories" : "tags"}/${slugPathSegment(slug)}`;
}

/** Posts must be published ones, newest first. */
export function siteFeedSpec(config: Config, posts: readonly Post[]): FeedSpec {
  return feedSpec(config, "site", undefined, posts, config.site.title, config.site.description);
}

export function termFeedSpec(config: Config, term: Term): FeedSpec {
  const labels = feedLabels(config.site.language);
  const title = `${config.site.title} — ${term.kind === "category" ? labels.category : labels.tag}: ${term.name}`;
  const description = (term.kind === "category" ? labels.categoryDescription : labels.tagDescription)(term.name, config.site.title);
  return feedSpec(config, term.kind, term, term.posts, title, description);
}

function feedSpec(config: Config, kind: "site" | TermKind, term: Term | undefined, posts: readonly Post[], title: string, description: string): FeedSpec {
  const basePath = term ? termBasePath(term.kind, term.slug) : "";
  const items = posts.slice(0, config.feed.limit);
  const base = config.feed.url;
  return {
    kind,
    term,
    title,
    description,
    language: config.site.language,
    homePageUrl: `${config.site.url}/`,
    basePath,
    urls: {
      rss: `${base}${basePath}/${FEED_FILE_NAMES.rss}`,
      atom: `${base}${basePath}/${FEED_FILE_NAMES.atom}`,
      json: `${base}${basePath}/${FEED_FILE_NAMES.json}`,
    },
    author: config.site.author,
    postCount: posts.length,
    items,
    updated: newestChange(items),
    categoryScheme: `${base}/categories/`,
    tagScheme: `${base}/tags/`,
  };
}

export function lastChange(post: Post): Date {
  return post.updated ?? post.date;
}

function newestChange(items: readonly Post[]): Date {
  if (items.length === 0) return new Date(0);
  // Starts below every date, not at 0: a feed whose posts all predate 1970 would otherwise say it
  // last changed on 1970-01-01, after every one of its items.
  let newest = -Infinity;
  for (const item of items) newest = Math.max(newest, lastChange(item).getTime());
  return new Date(newest);
}
