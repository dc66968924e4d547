// What one feed says, independent of its format: the normalized input of the three renderers
// (rss2.ts, atom1.ts, json-feed.ts). Building it is the only place that decides which posts a
// feed holds, what it is called and where it lives.
import type { Author, Config } from "../config.js";
import type { Post, PostHead } from "../content/post.js";
import { feedLabels } from "./labels.js";
import { feedFolderPath, formatRoute, SITE_SCOPE, termFolderPath, type FeedFormat, type FeedScope } from "./routes.js";
import type { Term, TermKind } from "./taxonomy.js";

/**
 * `P` is what the items are: heads while planning which documents to render (feed keys, counts
 * and dates need nothing more), whole posts when a renderer writes them.
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
  /** Absolute URL of each format of this document of the feed (rel="self"). */
  readonly urls: Readonly<Record<FeedFormat, string>>;
  /** Absolute URL of each format of the subscription document: the feed's identity (Atom id, JSON feed_url). */
  readonly feedUrls: Readonly<Record<FeedFormat, string>>;
  /**
   * RFC 5005 §4 archived feeds: 0 for the subscription document, else the number of this
   * archive (1 holds the oldest posts); and how many archives the feed has now.
   */
  readonly archive: number;
  readonly archiveCount: number;
  /** feed.limit: how many posts the subscription document and each archive hold. */
  readonly limit: number;
  /** Where every document of the site is served from: config.feed.url (see archiveUrl). */
  readonly baseUrl: string;
  /** WebSub hubs advertised by the subscription document (rel="hub", JSON Feed `hubs`). */
  readonly hubs: readonly string[];
  /** RSS <ttl> in minutes, matching the documents' Cache-Control max-age. */
  readonly ttlMinutes: number;
  /** XSLT stylesheet that makes RSS and Atom readable in a browser. */
  readonly stylesheetUrl: string;
  readonly author: Author;
  /** How many published posts the feed covers, in all its documents. */
  readonly postCount: number;
  /** This document's posts, newest first, at most feed.limit. */
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

/**
 * Which posts each document of a feed holds. The subscription document holds the newest
 * feed.limit posts. Archives have feed.limit posts each, always full, counted from the oldest
 * post: archive n holds the posts numbered (n - 1) * limit + 1 to n * limit from the oldest.
 * An archive is made once a post newer than all of its posts exists, so there are
 * floor((postCount - 1) / limit) of them; the posts after the newest archive are fewer than
 * feed.limit + 1 and all in the subscription document, which may overlap the newest archive
 * (RFC 5005 §4 allows that). A new post therefore never moves a post from one archive to
 * another: archive n only changes when one of its own posts is edited, or removed, or a post
 * dated among its posts is added.
 */
export function archiveCountOf(postCount: number, limit: number): number {
  return postCount === 0 ? 0 : Math.floor((postCount - 1) / limit);
}

/** The posts of archive `archive` (0: the subscription document) of posts newest first, newest first. */
export function archiveItems<P>(posts: readonly P[], limit: number, archive: number): readonly P[] {
  if (archive === 0) return posts.slice(0, limit);
  return posts.slice(posts.length - archive * limit, posts.length - (archive - 1) * limit);
}

/**
 * The document that holds the post at `position` (1 the newest) of a feed of `postCount` posts
 * now: the archive that has it, else the subscription document (0); undefined past the oldest.
 */
export function archiveHolding(postCount: number, limit: number, position: number): number | undefined {
  if (!Number.isInteger(position) || position < 1 || position > postCount) return undefined;
  const fromOldest = postCount - position + 1;
  const archive = Math.ceil(fromOldest / limit);
  return archive <= archiveCountOf(postCount, limit) ? archive : 0;
}

/** Posts must be published ones, newest first. */
export function siteFeedSpec<P extends PostHead>(config: Config, posts: readonly P[], archive = 0): FeedSpec<P> {
  return feedSpec(config, "site", undefined, posts, config.site.title, config.site.description, archive);
}

export function termFeedSpec<P extends PostHead>(config: Config, term: Term<P>, archive = 0): FeedSpec<P> {
  const labels = feedLabels(config.site.language);
  const title = `${config.site.title} — ${term.kind === "category" ? labels.category : labels.tag}: ${term.name}`;
  const description = (term.kind === "category" ? labels.categoryDescription : labels.tagDescription)(term.name, config.site.title);
  return feedSpec(config, term.kind, term, term.posts, title, description, archive);
}

function feedSpec<P extends PostHead>(
  config: Config,
  kind: "site" | TermKind,
  term: Term<P> | undefined,
  posts: readonly P[],
  title: string,
  description: string,
  archive: number,
): FeedSpec<P> {
  const scope: FeedScope = term ? { kind: term.kind, slug: term.slug } : SITE_SCOPE;
  const limit = config.feed.limit;
  const archiveCount = archiveCountOf(posts.length, limit);
  if (!Number.isInteger(archive) || archive < 0 || archive > archiveCount) throw new RangeError(`feeds: archive ${archive} of ${archiveCount}`);
  const items = archiveItems(posts, limit, archive);
  const base = config.feed.url;
  const urlsOf = (n: number): Record<FeedFormat, string> => ({ rss: urlOf(base, scope, "rss", n), atom: urlOf(base, scope, "atom", n), json: urlOf(base, scope, "json", n) });
  return {
    kind,
    term,
    title,
    description,
    language: config.site.language,
    homePageUrl: `${config.site.url}/`,
    scope,
    basePath: feedFolderPath(scope),
    urls: urlsOf(archive),
    feedUrls: urlsOf(0),
    archive,
    archiveCount,
    limit,
    baseUrl: base,
    // WebSub topics are the feeds readers subscribe to: the subscription documents.
    hubs: archive === 0 ? config.websub.hubs : [],
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

/** The URL of archive `archive` of a feed in a format (0: the subscription document). */
export function archiveUrl(spec: Pick<FeedSpec<PostHead>, "baseUrl" | "scope">, format: FeedFormat, archive: number): string {
  return urlOf(spec.baseUrl, spec.scope, format, archive);
}

function urlOf(base: string, scope: FeedScope, format: FeedFormat, archive: number): string {
  return `${base}${formatRoute({ kind: "feed", scope, format, archive })}`;
}

export interface ArchiveLinks {
  /** The subscription document, from an archive. */
  readonly current: string | undefined;
  /** The next older archive. */
  readonly prevArchive: string | undefined;
  /** The next newer archive, from an archive older than the newest. */
  readonly nextArchive: string | undefined;
}

/**
 * RFC 5005 §4 links of this document in a format. The newest archive has no next-archive (the
 * RFC names only archive documents by it; `current` leads to the subscription document), so
 * it gains one when a newer archive is made: the one change a new post makes to an archive.
 */
export function archiveLinks(spec: FeedSpec<PostHead>, format: FeedFormat): ArchiveLinks {
  const older = spec.archive === 0 ? spec.archiveCount : spec.archive - 1;
  return {
    current: spec.archive === 0 ? undefined : archiveUrl(spec, format, 0),
    prevArchive: older >= 1 ? archiveUrl(spec, format, older) : undefined,
    nextArchive: spec.archive !== 0 && spec.archive < spec.archiveCount ? archiveUrl(spec, format, spec.archive + 1) : undefined,
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
