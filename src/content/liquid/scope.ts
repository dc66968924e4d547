// The variables a post's Liquid sees, built as Jekyll's payload builds them (drops/site_drop.rb,
// drops/document_drop.rb, drops/unified_payload_drop.rb, site.rb post_attr_hash,
// related_posts.rb): `site` (config keys, data, posts, categories, tags, time, related_posts…),
// `page` and `jekyll`. Dates become Ruby Times in the site's zone. What every post shares is built
// once per LiquidSite and frozen, so that no template can change what the next post sees.
import { RubyTime } from "./ruby-time.js";
import { isHash } from "./ruby-value.js";
import type { LiquidPost, LiquidSite } from "./types.js";

/** Jekyll 4.3.1: the version Feedwright's Liquid follows (`jekyll.version`). */
export const JEKYLL_VERSION = "4.3.1";

// Marks the objects that are documents (posts and the page) in Jekyll, where filters such as
// relative_url accept them for their `url`.
const DOCUMENT = Symbol("jekyll document");

/** The `url` of a document (a post or the page), or undefined for any other value. */
export function documentUrl(value: unknown): unknown {
  if (typeof value !== "object" || value === null || !(DOCUMENT in value)) return undefined;
  return (value as Record<string, unknown>).url;
}

type Plain = Record<string, unknown>;

interface SharedSite {
  /** `site` without the per-post keys */
  readonly site: Readonly<Plain>;
  /** site.posts, newest first */
  readonly posts: readonly Readonly<Plain>[];
  readonly timezone: string;
}

const sharedSites = new WeakMap<LiquidSite, SharedSite>();

/** The variables for rendering `post`: a fresh top-level object, so {% increment %} writes only there. */
export function liquidScope(post: LiquidPost, site: LiquidSite, timezone: string): Plain {
  const shared = sharedSite(site, timezone);
  const current = shared.posts.find((candidate) => candidate.path === post.path || candidate.relative_path === post.path);
  const page = toLiquid(post.page, timezone, new Map()) as Plain;
  if (!Object.hasOwn(page, "content")) page.content = post.source;
  // Jekyll's page.next and page.previous: the neighbours in date order (next is newer).
  if (current && !Object.hasOwn(page, "next")) page.next = current.next;
  if (current && !Object.hasOwn(page, "previous")) page.previous = current.previous;
  markDocument(page);
  return {
    site: { ...shared.site, related_posts: relatedPosts(shared.posts, current) },
    page,
    jekyll: { version: JEKYLL_VERSION, environment: site.environment ?? "development" },
    // Jekyll's payload is a Drop, and Drops are Enumerable: a variable named `count` that no
    // template assigned is Enumerable#count of the payload's nine keys (site, page, layout,
    // content, paginator, jekyll, theme, highlighter_prefix, highlighter_suffix). So the common
    // `{% assign count = count | plus: 1 %}` without a first `assign count = 0` starts from 9.
    count: 9,
  };
}

/** site.posts as templates see them (dates as Times in the site's zone), newest first. */
export function sitePosts(site: LiquidSite, timezone: string): readonly Readonly<Plain>[] {
  return sharedSite(site, timezone).posts;
}

// RelatedPosts#most_recent_posts without LSI: the ten newest posts other than this one.
function relatedPosts(posts: readonly Readonly<Plain>[], current: Readonly<Plain> | undefined): readonly Readonly<Plain>[] {
  if (posts.length <= 1) return [];
  return posts.slice(0, 11).filter((post) => post !== current).slice(0, 10);
}

function sharedSite(site: LiquidSite, timezone: string): SharedSite {
  const cached = sharedSites.get(site);
  if (cached && cached.timezone === timezone) return cached;
  const memo = new Map<unknown, unknown>();
  const posts = site.posts.map((post) => markDocument(toLiquid(post, timezone, memo) as Plain));
  posts.forEach((post, index) => {
    // Getters, not values: a chain of neighbours is walked only as far as a template asks, and
    // non-enumerable, so that jsonify and inspect do not walk the whole list.
    Object.defineProperty(post, "next", { get: () => posts[index - 1], enumerable: false });
    Object.defineProperty(post, "previous", { get: () => posts[index + 1], enumerable: false });
  });
  const ascending = [...posts].reverse();
  const config = toLiquid(site.config, timezone, memo) as Plain;
  delete config.config; // SiteDrop#config answers nil
  const value: Plain = {
    ...config,
    data: toLiquid(site.data, timezone, memo),
    posts,
    categories: postsBy("categories", ascending),
    tags: postsBy("tags", ascending),
    time: RubyTime.local(site.time.getTime(), timezone),
    documents: ascending,
    collections: [{ label: "posts", docs: ascending, files: [], relative_directory: "_posts", output: true }],
    pages: [],
    html_pages: [],
    static_files: [],
  };
  const shared: SharedSite = { site: deepFreeze(value), posts, timezone };
  sharedSites.set(site, shared);
  return shared;
}

// Site#post_attr_hash: name -> the posts that list it, names in the order the oldest posts
// first give them, each list newest first (a post listing a name twice appears twice).
function postsBy(key: "categories" | "tags", ascending: readonly Plain[]): Plain {
  const groups = new Map<string, Plain[]>();
  for (const post of ascending) {
    const names = post[key];
    if (!Array.isArray(names)) continue;
    for (const name of names) {
      const list = groups.get(String(name)) ?? [];
      list.push(post);
      groups.set(String(name), list);
    }
  }
  const order = new Map(ascending.map((post, index) => [post, index]));
  const hash: Plain = {};
  for (const [name, list] of groups) hash[name] = [...list].sort((a, b) => (order.get(b) ?? 0) - (order.get(a) ?? 0));
  return hash;
}

function markDocument<T extends Plain>(value: T): T {
  Object.defineProperty(value, DOCUMENT, { value: true, enumerable: false });
  return value;
}

/** Plain data as Liquid sees it: Dates become Ruby Times in the site's zone; arrays and hashes are copied. */
export function toLiquid(value: unknown, timezone: string, memo: Map<unknown, unknown>): unknown {
  if (value instanceof Date) return RubyTime.local(value.getTime(), timezone);
  if (!Array.isArray(value) && !isHash(value)) return value;
  const known = memo.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    memo.set(value, copy);
    for (const item of value) copy.push(toLiquid(item, timezone, memo));
    return copy;
  }
  const copy: Plain = {};
  memo.set(value, copy);
  // defineProperty, so that a key named "__proto__" (YAML allows one) is a key, not a prototype
  for (const [key, item] of Object.entries(value)) Object.defineProperty(copy, key, { value: toLiquid(item, timezone, memo), enumerable: true, writable: true, configurable: true });
  return copy;
}

function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
  if (typeof value !== "object" || value === null || seen.has(value) || value instanceof RubyTime) return value;
  seen.add(value);
  for (const key of Object.keys(value)) deepFreeze((value as Plain)[key], seen);
  return Object.freeze(value);
}
