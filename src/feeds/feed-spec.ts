// What one feed says, independent of its format: the normalized input of the three renderers
// (rss2.ts, atom1.ts, json-feed.ts). Building it is the only place that decides which posts a
// feed holds, what it is called and where it lives.
import type { Author, Config } from "../config.js";
import type { Post, PostHead } from "../content/post.js";
import { feedLabels } from "./labels.js";
import { feedFolderPath, formatRoute, SITE_SCOPE, termFolderPath, type FeedFormat, type FeedScope } from "./routes.js";
import type { Term, TermKind } from "./taxonomy.js";

/**
 * `P` is what the items are: heads while planning which pages to render (feed keys, counts and
 * dates need nothing more), whole posts when a renderer writes them.
 */
export interface FeedSpec<P extends PostHead = Post> {
  readonly kind: "site" | TermKind;
  /** The category or tag, for term feeds. */
  readonly term: Term | undefined;
  readonly title: string;
  readonly description: string;
  readonly language: string;
  /** The blog's home page. */
  readonly homePageUrl: string;
  /** Which feed this is, as the route table (feeds/routes.ts) names it. */
  readonly scope: FeedScope;
  /** The folder of this feed's documents: "" for the site, "/tags/<segment>" for a tag. */
  readonly basePath: string;
  /** Absolute URL of each format of this page of the feed (rel="self"). */
  readonly urls: Readonly<Record<FeedFormat, string>>;
  /** Absolute URL of each format of the feed's first page: its identity (Atom id, JSON feed_url). */
  readonly feedUrls: Readonly<Record<FeedFormat, string>>;
  /** RFC 5005 paging: 1-based page number and the number of pages (at least 1). */
  readonly page: number;
  readonly pageCount: number;
  /** The URL of page `n` of this feed in a format. */
  readonly pageUrl: (format: FeedFormat, page: number) => string;
  /** WebSub hubs advertised by the first page (rel="hub", JSON Feed `hubs`). */
  readonly hubs: readonly string[];
  /** RSS <ttl> in minutes, matching the documents' Cache-Control max-age. */
  readonly ttlMinutes: number;
  /** XSLT stylesheet that makes RSS and Atom readable in a browser. */
  readonly stylesheetUrl: string;
  readonly author: Author;
  /** How many published posts the feed covers, on all its pages. */
  readonly postCount: number;
  /** This page's posts, newest first, at most feed.limit. */
  readonly items: readonly P[];
  /**
   * The newest item's last change (its update, else its date) — never the build time, so the
   * same posts always give the same bytes. The Unix epoch for a feed without items.
   */
  readonly updated: Date;
  /** URL scheme identifying category and tag terms in RSS `domain` / Atom `scheme`. */
  readonly categoryScheme: string;
  readonly tagScheme: string;
}

export function pageCountOf(postCount: number, limit: number): number {
  return Math.max(1, Math.ceil(postCount / limit));
}

/** Posts must be published ones, newest first. */
export function siteFeedSpec<P extends PostHead>(config: Config, posts: readonly P[], page = 1): FeedSpec<P> {
  return feedSpec(config, "site", undefined, posts, config.site.title, config.site.description, page);
}

export function termFeedSpec<P extends PostHead>(config: Config, term: Term<P>, page = 1): FeedSpec<P> {
  const labels = feedLabels(config.site.language);
  const title = `${config.site.title} — ${term.kind === "category" ? labels.category : labels.tag}: ${term.name}`;
  const description = (term.kind === "category" ? labels.categoryDescription : labels.tagDescription)(term.name, config.site.title);
  return feedSpec(config, term.kind, term, term.posts, title, description, page);
}

function feedSpec<P extends PostHead>(
  config: Config,
  kind: "site" | TermKind,
  term: Term<P> | undefined,
  posts: readonly P[],
  title: string,
  description: string,
  page: number,
): FeedSpec<P> {
  const scope: FeedScope = term ? { kind: term.kind, slug: term.slug } : SITE_SCOPE;
  const limit = config.feed.limit;
  const pageCount = pageCountOf(posts.length, limit);
  if (!Number.isInteger(page) || page < 1 || page > pageCount) throw new RangeError(`feeds: page ${page} of ${pageCount}`);
  const items = posts.slice((page - 1) * limit, page * limit);
  const base = config.feed.url;
  const pageUrl = (format: FeedFormat, n: number): string => `${base}${formatRoute({ kind: "feed", scope, format, page: n })}`;
  const urlsOf = (n: number): Record<FeedFormat, string> => ({ rss: pageUrl("rss", n), atom: pageUrl("atom", n), json: pageUrl("json", n) });
  return {
    kind,
    term,
    title,
    description,
    language: config.site.language,
    homePageUrl: `${config.site.url}/`,
    scope,
    basePath: feedFolderPath(scope),
    urls: urlsOf(page),
    feedUrls: urlsOf(1),
    page,
    pageCount,
    pageUrl,
    // WebSub topics are the feeds readers subscribe to, which are the first pages.
    hubs: page === 1 ? config.websub.hubs : [],
    ttlMinutes: Math.max(1, Math.ceil(config.http.maxAge / 60)),
    stylesheetUrl: `${base}${formatRoute({ kind: "stylesheet" })}`,
    author: config.site.author,
    postCount: posts.length,
    items,
    updated: newestChange(items),
    categoryScheme: `${base}${termFolderPath("category")}`,
    tagScheme: `${base}${termFolderPath("tag")}`,
  };
}

export interface PageLinks {
  readonly first: string;
  readonly last: string;
  readonly previous: string | undefined;
  readonly next: string | undefined;
}

/** RFC 5005 §3 paged-feed links of this page in a format ("next" leads to older posts). */
export function pageLinks(spec: FeedSpec<PostHead>, format: FeedFormat): PageLinks {
  return {
    first: spec.pageUrl(format, 1),
    last: spec.pageUrl(format, spec.pageCount),
    previous: spec.page > 1 ? spec.pageUrl(format, spec.page - 1) : undefined,
    next: spec.page < spec.pageCount ? spec.pageUrl(format, spec.page + 1) : undefined,
  };
}

export function lastChange(post: PostHead): Date {
  return post.updated ?? post.date;
}

function newestChange(items: readonly PostHead[]): Date {
  if (items.length === 0) return new Date(0);
  // Starts below every date, not at 0: a feed whose posts all predate 1970 would otherwise say it
  // last changed on 1970-01-01, after every one of its items.
  let newest = -Infinity;
  for (const item of items) newest = Math.max(newest, lastChange(item).getTime());
  return new Date(newest);
}
