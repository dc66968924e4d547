// Post by post, what Jekyll (with jekyll-feed) publishes for a site against what Feedwright
// publishes for it: pairs the posts by URL and compares each field. Pure: the two sides are
// read elsewhere (test/jekyll/jekyll-side.ts, test/jekyll/feedwright-side.ts).
import { countMarkupMarkers, firstDifference, hasFootnotes, htmlToText, type MarkupMarkers, type TextDifference } from "./html-text.js";
import { sequenceMatcherRatio } from "./sequence-matcher.js";

/** One post as Jekyll publishes it: its report page's answers joined with its jekyll-feed entry. */
export interface JekyllPublishedPost {
  /** Document#relative_path: "ja/news/_posts/2024-12-25-x.md" */
  readonly relativePath: string;
  /** `post.url | absolute_url`, the link jekyll-feed writes */
  readonly url: string;
  /** jekyll-feed's <id>: `post.id | absolute_url` */
  readonly id: string;
  /** `post.title`, which jekyll-feed treats as HTML */
  readonly titleHtml: string;
  /** jekyll-feed's <title>: the title through smartify and strip_html */
  readonly feedTitleHtml: string | undefined;
  /** `post.date` as Unix seconds */
  readonly epochSeconds: number;
  /** `post.date | date_to_xmlschema` */
  readonly xmlschema: string;
  readonly categories: readonly string[];
  readonly tags: readonly string[];
  /** `post.content`: the rendered post without its layout, what jekyll-feed puts in <content> */
  readonly contentHtml: string;
  /** jekyll-feed's <summary>: `post.description | default: post.excerpt`, HTML stripped */
  readonly summaryHtml: string | undefined;
}

/** One item as Feedwright publishes it, read from its Atom documents. */
export interface FeedwrightItem {
  /** the Atom document the item was read from, relative to the export */
  readonly document: string;
  readonly url: string;
  readonly id: string;
  readonly titleHtml: string;
  /** Atom <published>, RFC 3339 */
  readonly published: string;
  readonly categories: readonly string[];
  readonly tags: readonly string[];
  readonly contentHtml: string;
  readonly summaryHtml: string;
}

/** Which fields of a post Feedwright publishes as Jekyll does. */
export interface SameFields {
  /** the same resource: equal once both are normalized as RFC 3986, 6.2.2 says */
  readonly url: boolean;
  /** the same text, the title being HTML on both sides */
  readonly title: boolean;
  /** the same instant, to the second */
  readonly date: boolean;
  /** the same names in the same order */
  readonly categories: boolean;
  readonly tags: boolean;
  /** character for character, as RFC 4287, 4.2.6 compares ids */
  readonly id: boolean;
}

export interface PostComparison {
  readonly relativePath: string;
  /** "url": the same URL; "title and date": paired although their URLs differ */
  readonly pairedBy: "url" | "title and date";
  readonly same: SameFields;
  /** Feedwright's title reads as jekyll-feed's (smart quotes included) */
  readonly sameAsJekyllFeedTitle: boolean;
  readonly jekyll: FieldValues;
  readonly feedwright: FieldValues & { readonly document: string };
  /** SequenceMatcher(None, Jekyll's text, Feedwright's text).ratio() of the content */
  readonly textRatio: number;
  readonly textDifference: TextDifference | undefined;
  /** the same ratio for jekyll-feed's summary and Feedwright's */
  readonly summaryRatio: number;
  /** markers Feedwright's content or summary has beyond those in Jekyll's */
  readonly leftovers: MarkupMarkers;
  /** Jekyll's content has footnotes, Feedwright's has none */
  readonly footnotesMissing: boolean;
  readonly jekyllHasFootnotes: boolean;
}

export interface FieldValues {
  readonly url: string;
  readonly id: string;
  readonly title: string;
  /** RFC 3339 */
  readonly date: string;
  readonly categories: readonly string[];
  readonly tags: readonly string[];
}

export interface UnpairedItem {
  /** Jekyll's relative path, or Feedwright's document */
  readonly source: string;
  readonly url: string;
  readonly title: string;
  readonly date: string;
  /** for a Feedwright item: markers left in its content or summary (Jekyll has no such post) */
  readonly leftovers?: MarkupMarkers;
}

export interface SiteComparisonResult {
  readonly jekyllPosts: number;
  readonly feedwrightItems: number;
  readonly posts: readonly PostComparison[];
  readonly onlyJekyll: readonly UnpairedItem[];
  readonly onlyFeedwright: readonly UnpairedItem[];
}

/**
 * Pairs the posts by URL first; among those left, a Jekyll post and a Feedwright item with the
 * same title and the same date are paired too (their URLs compare as different), so that a
 * wrong URL does not hide what else differs. Each post is paired at most once.
 */
export function comparePosts(jekyllPosts: readonly JekyllPublishedPost[], feedwrightItems: readonly FeedwrightItem[]): SiteComparisonResult {
  const unpairedItems = new Set(feedwrightItems);
  const byUrl = groupBy(feedwrightItems, (item) => normalizeUrl(item.url));
  const pairs: [JekyllPublishedPost, FeedwrightItem, PostComparison["pairedBy"]][] = [];
  const unpairedPosts: JekyllPublishedPost[] = [];
  for (const post of jekyllPosts) {
    // Two posts can share a URL (Jekyll writes one over the other); the one with the same title is the pair.
    const title = htmlToText(post.titleHtml);
    const item = takeFirst(byUrl.get(normalizeUrl(post.url)), unpairedItems, (candidate) => htmlToText(candidate.titleHtml) === title);
    if (item) pairs.push([post, item, "url"]);
    else unpairedPosts.push(post);
  }
  const byTitleAndDate = groupBy([...unpairedItems], (item) => `${htmlToText(item.titleHtml)}\u0000${epochSeconds(item.published)}`);
  const onlyJekyll: UnpairedItem[] = [];
  for (const post of unpairedPosts) {
    const item = takeFirst(byTitleAndDate.get(`${htmlToText(post.titleHtml)}\u0000${post.epochSeconds}`), unpairedItems);
    if (item) pairs.push([post, item, "title and date"]);
    else onlyJekyll.push({ source: post.relativePath, url: post.url, title: htmlToText(post.titleHtml), date: post.xmlschema });
  }
  const onlyFeedwright = [...unpairedItems].map((item) => ({
    source: item.document,
    url: item.url,
    title: htmlToText(item.titleHtml),
    date: item.published,
    leftovers: sumMarkers(countMarkupMarkers(item.contentHtml), countMarkupMarkers(item.summaryHtml)),
  }));
  return {
    jekyllPosts: jekyllPosts.length,
    feedwrightItems: feedwrightItems.length,
    posts: pairs.map(([post, item, pairedBy]) => comparePost(post, item, pairedBy)),
    onlyJekyll,
    onlyFeedwright,
  };
}

function comparePost(post: JekyllPublishedPost, item: FeedwrightItem, pairedBy: PostComparison["pairedBy"]): PostComparison {
  const jekyllText = htmlToText(post.contentHtml);
  const feedwrightText = htmlToText(item.contentHtml);
  const jekyll: FieldValues = {
    url: post.url,
    id: post.id,
    title: htmlToText(post.titleHtml),
    date: post.xmlschema,
    categories: post.categories,
    tags: post.tags,
  };
  const feedwright: FieldValues & { document: string } = {
    document: item.document,
    url: item.url,
    id: item.id,
    title: htmlToText(item.titleHtml),
    date: item.published,
    categories: item.categories,
    tags: item.tags,
  };
  const jekyllHasFootnotes = hasFootnotes(post.contentHtml);
  return {
    relativePath: post.relativePath,
    pairedBy,
    same: {
      url: normalizeUrl(post.url) === normalizeUrl(item.url),
      title: jekyll.title === feedwright.title,
      date: post.epochSeconds === epochSeconds(item.published),
      categories: sameList(post.categories, item.categories),
      tags: sameList(post.tags, item.tags),
      id: post.id === item.id,
    },
    sameAsJekyllFeedTitle: post.feedTitleHtml !== undefined && htmlToText(post.feedTitleHtml) === feedwright.title,
    jekyll,
    feedwright,
    textRatio: sequenceMatcherRatio(jekyllText, feedwrightText),
    textDifference: firstDifference(jekyllText, feedwrightText),
    summaryRatio: sequenceMatcherRatio(htmlToText(post.summaryHtml ?? ""), htmlToText(item.summaryHtml)),
    leftovers: sumMarkers(
      markersBeyond(countMarkupMarkers(item.contentHtml), countMarkupMarkers(post.contentHtml)),
      markersBeyond(countMarkupMarkers(item.summaryHtml), countMarkupMarkers(post.summaryHtml ?? "")),
    ),
    footnotesMissing: jekyllHasFootnotes && !hasFootnotes(item.contentHtml),
    jekyllHasFootnotes,
  };
}

/**
 * A URL normalized as RFC 3986, 6.2.2 allows (and the WHATWG URL parser does part of): scheme
 * and host lower-cased, non-ASCII characters percent-encoded, percent-encodings upper-cased and
 * unreserved characters decoded. So "%e3%82%a4", "%E3%82%A4" and "イ" are one path. A value
 * that is not a URL is returned as it is.
 */
export function normalizeUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  return url.href.replace(/%[0-9a-fA-F]{2}/g, (escape) => {
    const character = String.fromCharCode(Number.parseInt(escape.slice(1), 16));
    return /[A-Za-z0-9\-._~]/.test(character) ? character : escape.toUpperCase();
  });
}

/** Seconds since the epoch of an RFC 3339 date, or NaN. */
export function epochSeconds(rfc3339: string): number {
  return Math.floor(Date.parse(rfc3339) / 1000);
}

function sameList(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

function markersBeyond(feedwright: MarkupMarkers, jekyll: MarkupMarkers): MarkupMarkers {
  return {
    liquid: Math.max(0, feedwright.liquid - jekyll.liquid),
    attributeList: Math.max(0, feedwright.attributeList - jekyll.attributeList),
  };
}

function sumMarkers(left: MarkupMarkers, right: MarkupMarkers): MarkupMarkers {
  return { liquid: left.liquid + right.liquid, attributeList: left.attributeList + right.attributeList };
}

function groupBy<T>(values: readonly T[], keyOf: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const key = keyOf(value);
    const group = groups.get(key);
    if (group) group.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}

/** The first of `candidates` still in `unpaired` (the first that is `preferred`, if any is), removed from it. */
function takeFirst<T>(candidates: readonly T[] | undefined, unpaired: Set<T>, preferred: (candidate: T) => boolean = () => true): T | undefined {
  const found =
    candidates?.find((candidate) => unpaired.has(candidate) && preferred(candidate)) ?? candidates?.find((candidate) => unpaired.has(candidate));
  if (found !== undefined) unpaired.delete(found);
  return found;
}
