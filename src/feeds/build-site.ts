// The feeds stage's entry point: every post -> every document Feedwright serves. Pure: the same
// posts, configuration and `now` always give the same bytes; `now` only decides which posts are
// due (a future-dated post is published once its date has come), it is never written out.
import type { Config } from "../config.js";
import type { ContentSnapshot } from "../content/load-posts.js";
import type { Post } from "../content/post.js";
import { renderIndexPage } from "../discovery/index-page.js";
import { renderFeedStylesheet } from "../discovery/feed-stylesheet.js";
import { renderOpml } from "../discovery/opml.js";
import { renderAtom1 } from "./atom1.js";
import { CONTENT_TYPES, makeDocument, type FeedwrightDocument } from "./document.js";
import { siteFeedSpec, termFeedSpec, type FeedFormat, type FeedSpec } from "./feed-spec.js";
import { renderJsonFeed } from "./json-feed.js";
import { renderRss2 } from "./rss2.js";
import { collectTerms, type Term, type TermKind } from "./taxonomy.js";

/** One page of one feed in its three formats. */
export interface FeedDocuments {
  readonly spec: FeedSpec;
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
  readonly published: readonly Post[];
  /** Future-dated posts, soonest first. */
  readonly scheduled: readonly Post[];
}

export function buildSite(config: Config, content: Pick<ContentSnapshot, "posts">, now: Date): SiteBuild {
  const published = content.posts.filter((post) => post.date.getTime() <= now.getTime());
  const scheduled = content.posts.filter((post) => post.date.getTime() > now.getTime()).reverse();

  const site = renderFeed(siteFeedSpec(config, published));
  const terms = {
    category: renderTerms(config, collectTerms(published, "category")),
    tag: renderTerms(config, collectTerms(published, "tag")),
  };
  const allFeeds = [site, ...terms.category.values(), ...terms.tag.values()];
  const newest = site.spec.updated;
  return {
    site,
    terms,
    index: makeDocument(renderIndexPage(config, allFeeds), CONTENT_TYPES.html, newest),
    opml: makeDocument(renderOpml(config, allFeeds), CONTENT_TYPES.opml, newest),
    // The stylesheet depends on the configuration only; the epoch keeps its Last-Modified stable.
    stylesheet: makeDocument(
      renderFeedStylesheet({ language: config.site.language, indexUrl: `${config.feed.url}/`, siteTitle: config.site.title }),
      CONTENT_TYPES.xsl,
      new Date(0),
    ),
    published,
    scheduled,
  };
}

/**
 * Page `page` (2 or more) of a feed whose first page is `first`, or undefined past the end.
 * Archive pages are rendered when first asked for: a feed of 10,000 posts has 500 of them and
 * most are never read. `published` is the build's published posts (the site feed's).
 */
export function renderFeedPage(config: Config, first: FeedDocuments, published: readonly Post[], page: number): FeedDocuments | undefined {
  if (!Number.isInteger(page) || page < 2 || page > first.spec.pageCount) return undefined;
  const term = first.spec.term;
  return renderFeed(term ? termFeedSpec(config, term, page) : siteFeedSpec(config, published, page));
}

function renderTerms(config: Config, terms: readonly Term[]): Map<string, FeedDocuments> {
  return new Map(terms.map((term) => [term.slug, renderFeed(termFeedSpec(config, term))]));
}

function renderFeed(spec: FeedSpec): FeedDocuments {
  return {
    spec,
    documents: {
      rss: makeDocument(renderRss2(spec), CONTENT_TYPES.rss, spec.updated),
      atom: makeDocument(renderAtom1(spec), CONTENT_TYPES.atom, spec.updated),
      json: makeDocument(renderJsonFeed(spec), CONTENT_TYPES.json, spec.updated),
    },
  };
}
