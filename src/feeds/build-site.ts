// The feeds stage's entry point: every post -> every document Feedwright serves. Pure: the same
// posts, configuration and `now` always give the same bytes; `now` only decides which posts are
// due (a future-dated post is published once its date has come, an expired one leaves), it is
// never written out.
//
// Each feed page has a key (feeds/feed-key.ts) naming everything its bytes depend on. A rebuild
// renders only the feeds whose key is new and takes the others from the previous build or the
// disk cache, so an unchanged scan renders nothing and one edited post re-renders only the feeds
// it appears in.
import type { Config } from "../config.js";
import type { Post, PostBody, PostHead } from "../content/post.js";
import { renderIndexPage } from "./index-page.js";
import { renderFeedStylesheet } from "./feed-stylesheet.js";
import { renderOpml } from "./opml.js";
import { CONTENT_TYPES, makeDocument, type FeedwrightDocument } from "./document.js";
import { feedKey, feedsFingerprint } from "./feed-key.js";
import { archiveHolding, siteFeedSpec, termFeedSpec, type FeedSpec } from "./feed-spec.js";
import type { FeedFormat, FeedRoute, FeedScope, OldPageRoute } from "./routes.js";
import { renderFeedDocuments, withBodies } from "./render-feed.js";
import { collectTermsAfter, type Grouping, type Term, type TermKind } from "./taxonomy.js";
import { jekyllFeedPaths } from "./jekyll-feed-paths.js";
import type { SourceState } from "../content/site-source.js";
import { TimeSlices } from "../time-slices.js";

/**
 * What the feeds are built from: the posts, and what a Jekyll site's settings say about
 * publishing them (absent: a folder of posts).
 */
export interface BuildInput<P extends PostHead = PostHead> {
  readonly posts: readonly P[];
  readonly source?: Pick<SourceState, "publishFuture" | "jekyll"> | undefined;
}

/** One page of one feed in its three formats. */
export interface FeedDocuments {
  /** Everything the bytes depend on, hashed: equal keys, equal documents. */
  readonly key: string;
  readonly spec: FeedSpec<PostHead>;
  readonly documents: Readonly<Record<FeedFormat, FeedwrightDocument>>;
}

export interface SiteBuild {
  readonly site: FeedDocuments;
  /** Category and tag feeds by slug. */
  readonly terms: Readonly<Record<TermKind, ReadonlyMap<string, FeedDocuments>>>;
  readonly index: FeedwrightDocument;
  readonly opml: FeedwrightDocument;
  /** The XSLT stylesheet RSS and Atom documents point browsers to (/feed.xsl). */
  readonly stylesheet: FeedwrightDocument;
  /** Posts in the feeds now, newest first. */
  readonly published: readonly PostHead[];
  /** Future-dated posts, soonest first. */
  readonly scheduled: readonly PostHead[];
  /** The next instant the feeds change by themselves: a scheduled post's date or an expiry. */
  readonly nextChangeAt: Date | undefined;
  /** Paths a Jekyll site's jekyll-feed served its feeds at, with the path of the same feed here. */
  readonly moved: ReadonlyMap<string, string>;
}

/** The rendered body of a post whose page is being written (content/ renders them). */
export type BodyOf = (head: PostHead) => PostBody;

/** Where rendered feed documents may be found again, by feed key (the disk cache). */
export interface RenderedFeedStore {
  /** The documents of each key, in order (undefined where the store has none). */
  getMany(keys: readonly string[]): Promise<(Record<FeedFormat, FeedwrightDocument> | undefined)[]>;
  put(key: string, documents: Record<FeedFormat, FeedwrightDocument>): void;
}

/**
 * A build decided but not rendered yet: every feed's first page with its key, the documents
 * already known for some of them, and the posts whose bodies the others need.
 */
export interface PlannedSite {
  readonly plan: SitePlan;
  readonly specs: readonly FeedSpec<PostHead>[];
  readonly keys: readonly string[];
  readonly known: ReadonlyMap<string, FeedDocuments["documents"]>;
  /** Items of the pages that must be rendered: their bodies are needed. */
  readonly needed: readonly PostHead[];
  /** Items of every first page: the bodies an edit may need soon. */
  readonly firstPageItems: readonly PostHead[];
}

export interface IncrementalBuild {
  readonly build: SiteBuild;
  /** Feed pages rendered by this build, and taken over from the previous build or the cache. */
  readonly rendered: number;
  readonly reused: number;
}

/**
 * Everything rendered here and now, synchronously, from whole posts: the pure form of what
 * planSiteBuild and renderSiteBuild do in steps, which the tests compare the server and the export
 * with.
 */
export function buildSite(config: Config, content: BuildInput<Post>, now: Date): SiteBuild {
  const plan = planFeeds(config, content, now);
  const render = (spec: FeedSpec<PostHead>): FeedDocuments => renderFeed(plan.fingerprint, spec, bodyOfWholePost);
  return finish(config, plan, render(plan.site), mapTerms(config, plan.terms, render));
}

/**
 * Plans a build from the posts' heads: which feeds there are, the key of each first page, and
 * which of them `previous` (the build being served) or `store` (the disk cache) already has.
 */
export async function planSiteBuild(
  config: Config,
  content: BuildInput,
  now: Date,
  previous: SiteBuild | undefined,
  store?: RenderedFeedStore,
): Promise<PlannedSite> {
  const plan = planFeeds(config, content, now, previous);
  const known = new Map<string, FeedDocuments["documents"]>();
  if (previous) for (const feed of allFeeds(previous)) known.set(feed.key, feed.documents);
  const specs: FeedSpec<PostHead>[] = [plan.site];
  const keys = [feedKey(plan.fingerprint, plan.site)];
  for (const term of [...plan.terms.category, ...plan.terms.tag]) {
    const { spec, key } = subscriptionOf(config, plan.fingerprint, term);
    specs.push(spec);
    keys.push(key);
  }

  // Taken over: from the previous build, else (a warm restart) from the store, in one batch.
  const missing = keys.filter((key) => !known.has(key));
  const stored = store && missing.length > 0 ? await store.getMany(missing) : [];
  missing.forEach((key, index) => {
    const documents = stored[index];
    if (documents) known.set(key, documents);
  });
  const needed: PostHead[] = [];
  const firstPageItems: PostHead[] = [];
  specs.forEach((spec, index) => {
    firstPageItems.push(...spec.items);
    if (!known.has(keys[index] ?? "")) needed.push(...spec.items);
  });
  return { plan, specs, keys, known, needed, firstPageItems };
}

/**
 * The subscription document's spec and key of each term planned, while the term object and the
 * configuration are the same. A scan that publishes an edit keeps every term object the edited
 * post is not in (taxonomy.ts collectTermsAfter): planning the 222 feeds of 10,000 posts again
 * cost about 9 ms of each such scan in CPU profiles, mostly hashing their keys, and 1.2 ms with
 * the specs kept.
 */
const subscriptions = new WeakMap<Term, { readonly config: Config; readonly fingerprint: string; readonly spec: FeedSpec<PostHead>; readonly key: string }>();

function subscriptionOf(config: Config, fingerprint: string, term: Term): { spec: FeedSpec<PostHead>; key: string } {
  const known = subscriptions.get(term);
  if (known && known.config === config && known.fingerprint === fingerprint) return known;
  const spec = termFeedSpec(config, term);
  const planned = { config, fingerprint, spec, key: feedKey(fingerprint, spec) };
  subscriptions.set(term, planned);
  return planned;
}

/**
 * Renders the pages of a plan that are not known yet, with the bodies of its `needed` posts,
 * yielding to the event loop between feeds so requests keep being answered. The same documents
 * as buildSite gives for the same posts.
 */
export async function renderSiteBuild(
  config: Config,
  planned: PlannedSite,
  bodyOf: BodyOf,
  /** Called with each newly rendered document, so the next stage can start on it at once. */
  onRendered?: (document: FeedwrightDocument) => void,
  store?: RenderedFeedStore,
  /**
   * A build whose documents are kept where a new one has the same bytes (a cold rebuild renders
   * every page again, and must not hold two copies of every document meanwhile).
   */
  sameBytesFrom?: SiteBuild,
): Promise<IncrementalBuild> {
  const { plan, specs, keys } = planned;
  const known = new Map(planned.known);
  const byEtag = new Map<string, FeedwrightDocument>();
  if (sameBytesFrom) for (const feed of allFeeds(sameBytesFrom)) for (const document of Object.values(feed.documents)) byEtag.set(document.etag, document);
  const deduplicated = (documents: FeedDocuments["documents"]): FeedDocuments["documents"] => ({
    rss: byEtag.get(documents.rss.etag) ?? documents.rss,
    atom: byEtag.get(documents.atom.etag) ?? documents.atom,
    json: byEtag.get(documents.json.etag) ?? documents.json,
  });
  let rendered = 0;
  const slices = new TimeSlices(SLICE_MS);
  const feeds: FeedDocuments[] = [];
  for (const [index, spec] of specs.entries()) {
    const key = keys[index] ?? feedKey(plan.fingerprint, spec);
    const documents = known.get(key);
    if (documents) {
      // Same key, same bytes; the spec is this build's (same values, this build's posts).
      feeds.push({ key, spec, documents });
      continue;
    }
    const fresh = renderFeed(plan.fingerprint, spec, bodyOf, key);
    const feed = byEtag.size > 0 ? { ...fresh, documents: deduplicated(fresh.documents) } : fresh;
    rendered++;
    if (onRendered) for (const document of Object.values(feed.documents)) onRendered(document);
    known.set(key, feed.documents);
    store?.put(key, { ...feed.documents });
    feeds.push(feed);
    // Rendering a feed takes milliseconds; a cold build renders hundreds of them.
    await slices.yieldIfDue();
  }
  const [site, ...termFeeds] = feeds;
  if (!site) throw new Error("feeds: no site feed");
  const terms = { category: new Map<string, FeedDocuments>(), tag: new Map<string, FeedDocuments>() };
  for (const feed of termFeeds) {
    const term = feed.spec.term;
    if (term) terms[term.kind].set(term.slug, feed);
  }
  return { build: finish(config, plan, site, terms), rendered, reused: feeds.length - rendered };
}

/** Longest run of rendering between two yields to the event loop. */
const SLICE_MS = 8;

/**
 * Archive `archive` (1 or more) of a feed whose subscription document is `current`, or
 * undefined when there is no such archive. Archives are rendered when first asked for: a feed of
 * 10,000 posts has 500 of them and most are never read. `published` is the build's published
 * posts (the site feed's).
 */
export function feedArchiveSpec(config: Config, current: FeedDocuments, published: readonly PostHead[], archive: number): FeedSpec<PostHead> | undefined {
  if (!Number.isInteger(archive) || archive < 1 || archive > current.spec.archiveCount) return undefined;
  const term = current.spec.term;
  return term ? termFeedSpec(config, term, archive) : siteFeedSpec(config, published, archive);
}

/** The subscription document's feed a route's scope names in `build`, or undefined. */
export function feedOfScope(build: SiteBuild, scope: FeedScope): FeedDocuments | undefined {
  return scope.kind === "site" ? build.site : build.terms[scope.kind].get(scope.slug);
}

/** The archive a route names (archive 1 or more of a feed `build` has), or undefined. */
export function archivePageSpec(config: Config, build: SiteBuild, route: FeedRoute): FeedSpec<PostHead> | undefined {
  const current = feedOfScope(build, route.scope);
  return current ? feedArchiveSpec(config, current, build.published, route.archive) : undefined;
}

/**
 * Where an RFC 5005 §3 page of the paged feeds that came before archives (page 1 the newest
 * feed.limit posts, page n the next older ones) is redirected: the document that holds that
 * page's newest post now, or undefined when the page would be past the oldest post.
 */
export function oldPageTarget(build: SiteBuild, route: OldPageRoute): FeedRoute | undefined {
  const current = feedOfScope(build, route.scope);
  if (!current) return undefined;
  const { postCount, limit } = current.spec;
  const archive = archiveHolding(postCount, limit, (route.page - 1) * limit + 1);
  return archive === undefined ? undefined : { kind: "feed", scope: route.scope, format: route.format, archive };
}

/** The documents of an archive planned by feedArchiveSpec, with its items' bodies. */
export function renderFeedPage(config: Config, spec: FeedSpec<PostHead>, bodyOf: BodyOf): FeedDocuments {
  return renderFeed(feedsFingerprint(config), spec, bodyOf);
}

export function allFeeds(build: SiteBuild): FeedDocuments[] {
  return [build.site, ...build.terms.category.values(), ...build.terms.tag.values()];
}

/** Internal to this module: what planFeeds decided, carried from planSiteBuild to renderSiteBuild. */
interface SitePlan {
  readonly fingerprint: string;
  readonly published: PostHead[];
  readonly scheduled: PostHead[];
  readonly nextChangeAt: Date | undefined;
  readonly site: FeedSpec<PostHead>;
  readonly terms: Readonly<Record<TermKind, Term[]>>;
  readonly moved: ReadonlyMap<string, string>;
}

/**
 * How far ahead of this machine's clock a post's `updated` may be and still count: other
 * replicas' clocks may be that far ahead (keep them synchronised with NTP).
 */
const FUTURE_ALLOWANCE_MS = 5 * 60 * 1000;

/** `previous`: the build being served, whose grouping by category and tag a scan can patch. */
function planFeeds(config: Config, content: BuildInput, now: Date, previous?: SiteBuild): SitePlan {
  const time = now.getTime();
  // A Jekyll site with `future: true` publishes future-dated posts at once; otherwise each one
  // goes live at its date (where Jekyll would need another build).
  const due = content.source?.publishFuture === true ? (): boolean => true : (post: PostHead): boolean => post.date.getTime() <= time;
  let next = Infinity;
  // One pass over every post (10,000 in a large blog, each start of `build`).
  const published: PostHead[] = [];
  const scheduled: PostHead[] = [];
  for (const post of content.posts) {
    if (!due(post)) {
      scheduled.push(post);
      next = Math.min(next, post.date.getTime());
      continue;
    }
    if (post.expires !== undefined) {
      if (post.expires.getTime() <= time) continue;
      next = Math.min(next, post.expires.getTime());
    }
    // An `updated` still to come (year 9999, say) would date the documents in the future and
    // pin their Last-Modified there: it counts from its time on, like a scheduled post.
    if (post.updated === undefined || post.updated.getTime() <= time + FUTURE_ALLOWANCE_MS) published.push(post);
    else {
      next = Math.min(next, post.updated.getTime() - FUTURE_ALLOWANCE_MS);
      published.push({ ...post, updated: undefined });
    }
  }
  scheduled.reverse();
  const terms = { category: collectTermsAfter(groupingOf(previous, "category"), published, "category"), tag: collectTermsAfter(groupingOf(previous, "tag"), published, "tag") };
  return {
    fingerprint: feedsFingerprint(config),
    published,
    scheduled,
    nextChangeAt: Number.isFinite(next) ? new Date(next) : undefined,
    site: siteFeedSpec(config, published),
    terms,
    moved: content.source?.jekyll ? jekyllFeedPaths(content.source.jekyll.feed, terms) : NOTHING_MOVED,
  };
}

const NOTHING_MOVED: ReadonlyMap<string, string> = new Map();

/** The posts of `build` grouped by `kind`, as planFeeds grouped them. */
function groupingOf(build: SiteBuild | undefined, kind: TermKind): Grouping | undefined {
  if (!build) return undefined;
  const terms: Term[] = [];
  for (const feed of build.terms[kind].values()) {
    if (!feed.spec.term) return undefined;
    terms.push(feed.spec.term);
  }
  return { posts: build.published, terms };
}

function finish(config: Config, plan: SitePlan, site: FeedDocuments, terms: Record<TermKind, Map<string, FeedDocuments>>): SiteBuild {
  return {
    site,
    terms,
    ...listingDocuments(config, [site, ...terms.category.values(), ...terms.tag.values()].map((feed) => feed.spec)),
    published: plan.published,
    scheduled: plan.scheduled,
    nextChangeAt: plan.nextChangeAt,
    moved: plan.moved,
  };
}

/**
 * The documents that list the feeds rather than posts: the index page, the OPML file and the
 * stylesheet. `specs`: the subscription documents, the site feed's first.
 */
export function listingDocuments(config: Config, specs: readonly FeedSpec<PostHead>[]): Pick<SiteBuild, "index" | "opml" | "stylesheet"> {
  const newest = specs[0]?.updated ?? new Date(0);
  return {
    index: makeDocument(renderIndexPage(config, specs), CONTENT_TYPES.html, newest),
    opml: makeDocument(renderOpml(config, specs), CONTENT_TYPES.opml, newest),
    stylesheet: stylesheetOf(config),
  };
}

const stylesheets = new WeakMap<Config, FeedwrightDocument>();

/** The stylesheet depends on the configuration only; the epoch keeps its Last-Modified stable. */
function stylesheetOf(config: Config): FeedwrightDocument {
  let document = stylesheets.get(config);
  if (!document) {
    document = makeDocument(renderFeedStylesheet({ language: config.site.language, indexUrl: `${config.feed.url}/`, siteTitle: config.site.title }), CONTENT_TYPES.xsl, new Date(0));
    stylesheets.set(config, document);
  }
  return document;
}

function mapTerms(config: Config, terms: Readonly<Record<TermKind, Term[]>>, render: (spec: FeedSpec<PostHead>) => FeedDocuments): Record<TermKind, Map<string, FeedDocuments>> {
  return {
    category: new Map(terms.category.map((term) => [term.slug, render(termFeedSpec(config, term))])),
    tag: new Map(terms.tag.map((term) => [term.slug, render(termFeedSpec(config, term))])),
  };
}

/** The body of a post that is whole (buildSite's posts, from loadPosts): its own fields. */
export function bodyOfWholePost(head: PostHead): PostBody {
  const post = head as Partial<Post>;
  if (typeof post.contentHtml !== "string" || typeof post.summary !== "string") throw new Error(`feeds: ${head.sourcePath} has no rendered body here`);
  return { summary: post.summary, contentHtml: post.contentHtml };
}

function renderFeed(fingerprint: string, spec: FeedSpec<PostHead>, bodyOf: BodyOf, key = feedKey(fingerprint, spec)): FeedDocuments {
  return { key, spec, documents: renderFeedDocuments(withBodies(spec, bodyOf)) };
}
