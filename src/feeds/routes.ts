// The URL scheme of everything Feedwright serves, in one table. parseRoute reads a request path
// (as it arrives: percent-encoded, query removed) into a Route; formatRoute writes a Route as its
// one canonical path; routeFile and parseRouteFile do the same for the files of a static export,
// which are named by the slug itself rather than its percent-encoded form. Every other module asks
// these functions (the HTTP layer, the export, the feeds' own URLs, the redirects from a Jekyll
// site's old feed paths, and the test that checks deploy/nginx.conf), so a change of the scheme is
// an edit here.
//
// Lives in feeds/ rather than http/ because the feeds stage writes these URLs into the documents
// themselves (rel="self", RFC 5005 paging links, OPML); the stages after it import it from here.
import { slugPathSegment } from "./slug.js";
import type { TermKind } from "./taxonomy.js";

export type FeedFormat = "rss" | "atom" | "json";

/** The formats every feed is served in, in the order documents are listed. */
export const FEED_FORMATS: readonly FeedFormat[] = ["rss", "atom", "json"];

/** The file name of each format: a feed is its folder plus this name. */
export const FEED_FILE_NAMES: Readonly<Record<FeedFormat, string>> = {
  rss: "feed.xml",
  atom: "atom.xml",
  json: "feed.json",
};

/** The folder that holds a category's or tag's feeds, one subfolder per slug. */
export const TERM_FOLDERS: Readonly<Record<TermKind, string>> = {
  category: "categories",
  tag: "tags",
};

/**
 * The folder of a feed's archive pages (RFC 5005 §3 paged feeds): page n > 1 of a feed lives at
 * <feed folder>/page/<n>/<file name>; page 1 is the feed itself.
 */
export const PAGE_FOLDER = "page";

/** The file a static export writes the index page to (a web server serves it for "/"). */
export const INDEX_FILE = "index.html";

/** Which feed: the whole site's, or one category's or tag's, by slug. */
export type FeedScope = { readonly kind: "site" } | { readonly kind: TermKind; readonly slug: string };

export const SITE_SCOPE: FeedScope = { kind: "site" };

/** A document: something built from the posts, the same for every request. */
export type DocumentRoute =
  | { readonly kind: "index" }
  | { readonly kind: "opml" }
  | { readonly kind: "stylesheet" }
  | { readonly kind: "feed"; readonly scope: FeedScope; readonly format: FeedFormat; readonly page: number };

export type FeedRoute = Extract<DocumentRoute, { kind: "feed" }>;

/** An endpoint of the service itself: probes, metrics and the rebuild hook. */
export type ServiceRoute = { readonly kind: "health" } | { readonly kind: "ready" } | { readonly kind: "metrics" } | { readonly kind: "rebuild" };

export type Route = DocumentRoute | ServiceRoute;

export function isDocumentRoute(route: Route): route is DocumentRoute {
  return route.kind === "index" || route.kind === "opml" || route.kind === "stylesheet" || route.kind === "feed";
}

type FixedRoute = Exclude<Route, { kind: "feed" }>;

const FIXED_PATHS: Readonly<Record<FixedRoute["kind"], string>> = {
  index: "/",
  opml: "/feeds.opml",
  stylesheet: "/feed.xsl",
  health: "/healthz",
  ready: "/readyz",
  metrics: "/metrics",
  rebuild: "/-/rebuild",
};

const FIXED_BY_PATH = new Map<string, FixedRoute>(Object.entries(FIXED_PATHS).map(([kind, path]) => [path, { kind } as FixedRoute]));
const FORMAT_BY_FILE_NAME = new Map<string, FeedFormat>(FEED_FORMATS.map((format) => [FEED_FILE_NAMES[format], format]));
const KIND_BY_TERM_FOLDER = new Map<string, TermKind>(Object.entries(TERM_FOLDERS).map(([kind, folder]) => [folder, kind as TermKind]));

/** Largest page number a path may carry: nine digits, so it is always a safe integer. */
const PAGE_NUMBER = /^[0-9]{1,9}$/;

/** The canonical path of a route, percent-encoded as it goes on the wire. */
export function formatRoute(route: Route): string {
  if (route.kind !== "feed") return FIXED_PATHS[route.kind];
  return feedPath(route.scope, route.format, route.page, slugPathSegment);
}

/** The folder of a feed's documents: "" for the site, "/tags/<segment>" for a tag. */
export function feedFolderPath(scope: FeedScope): string {
  return scope.kind === "site" ? "" : `/${TERM_FOLDERS[scope.kind]}/${slugPathSegment(scope.slug)}`;
}

/** The path under which a category's or tag's feeds are found: what names a term in RSS `domain` / Atom `scheme`. */
export function termFolderPath(kind: TermKind): string {
  return `/${TERM_FOLDERS[kind]}/`;
}

/**
 * The route a request path names, or undefined when it names nothing Feedwright serves. Segments
 * are percent-decoded, so a route may come from another spelling of its path: a category or tag
 * as written ("Machine%20Learning", not yet a slug), a page number with leading zeros, page 1
 * written out. Whoever finds the feed compares formatRoute of what it found with the path and
 * redirects to the canonical one. Refused: paths not starting with "/", empty and dot-segments
 * ("." and "..", also percent-encoded), malformed percent-encoding, page numbers below 1 or
 * longer than nine digits.
 */
export function parseRoute(path: string): Route | undefined {
  const fixed = FIXED_BY_PATH.get(path);
  if (fixed) return fixed;
  if (!path.startsWith("/")) return undefined;
  return parseFeedSegments(path.slice(1).split("/"), decodeSegment);
}

/** parseRoute, but only for the canonical spelling of a route: what formatRoute gives back. */
export function parseCanonicalRoute(path: string): Route | undefined {
  const route = parseRoute(path);
  return route && formatRoute(route) === path ? route : undefined;
}

/**
 * The file a static export writes a document to, relative to the export's folder with "/". A
 * category or tag folder is the slug itself (feeds/slug.ts makes every slug a safe file name);
 * a slug that is not one (empty, a dot-segment, holding a separator) is refused, never written.
 */
export function routeFile(route: DocumentRoute): string {
  if (route.kind === "index") return INDEX_FILE;
  if (route.kind !== "feed") return FIXED_PATHS[route.kind].slice(1);
  return feedPath(route.scope, route.format, route.page, (slug) => {
    if (fileSegment(slug) === undefined) throw new RangeError(`routes: the slug ${JSON.stringify(slug)} is not a file name`);
    return slug;
  }).slice(1);
}

/** The document a static export's file is, when `relative` is a file routeFile writes (canonical only). */
export function parseRouteFile(relative: string): DocumentRoute | undefined {
  if (relative === INDEX_FILE) return { kind: "index" };
  const fixed = FIXED_BY_PATH.get(`/${relative}`);
  if (fixed) return fixed.kind === "opml" || fixed.kind === "stylesheet" ? fixed : undefined;
  const route = parseFeedSegments(relative.split("/"), fileSegment);
  if (!route) return undefined;
  try {
    return routeFile(route) === relative ? route : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `relative` (with "/") is a folder that files routeFile writes lie in. */
export function isRouteFolder(relative: string): boolean {
  const segments = relative.split("/");
  const isFeedFolder = (folders: readonly string[]): boolean =>
    folders.length === 0 || (folders.length === 2 && KIND_BY_TERM_FOLDER.has(folders[0] ?? "") && fileSegment(folders[1] ?? "") !== undefined);
  const last = segments.length - 1;
  return (
    (segments.length === 1 && KIND_BY_TERM_FOLDER.has(segments[0] ?? "")) ||
    isFeedFolder(segments) ||
    // <feed folder>/page and <feed folder>/page/<n>
    (segments[last] === PAGE_FOLDER && isFeedFolder(segments.slice(0, -1))) ||
    (segments[last - 1] === PAGE_FOLDER && /^[1-9][0-9]{0,8}$/.test(segments[last] ?? "") && isFeedFolder(segments.slice(0, -2)))
  );
}

function feedPath(scope: FeedScope, format: FeedFormat, page: number, segmentOf: (slug: string) => string): string {
  const folder = scope.kind === "site" ? "" : `/${TERM_FOLDERS[scope.kind]}/${segmentOf(scope.slug)}`;
  const pageFolder = page === 1 ? "" : `/${PAGE_FOLDER}/${page}`;
  return `${folder}${pageFolder}/${FEED_FILE_NAMES[format]}`;
}

/** [<term folder>, <segment>]? ["page", <n>]? <file name>, each segment read by `read`. */
function parseFeedSegments(raw: readonly string[], read: (segment: string) => string | undefined): DocumentRoute | undefined {
  const segments: string[] = [];
  for (const segment of raw) {
    const text = read(segment);
    if (text === undefined) return undefined;
    segments.push(text);
  }
  const format = FORMAT_BY_FILE_NAME.get(segments[segments.length - 1] ?? "");
  if (!format) return undefined;
  let folders = segments.slice(0, -1);
  let page = 1;
  if (folders.length >= 2 && folders[folders.length - 2] === PAGE_FOLDER) {
    const text = folders[folders.length - 1] ?? "";
    if (!PAGE_NUMBER.test(text)) return undefined;
    page = Number(text);
    if (page < 1) return undefined;
    folders = folders.slice(0, -2);
  }
  if (folders.length === 0) return { kind: "feed", scope: SITE_SCOPE, format, page };
  const kind = KIND_BY_TERM_FOLDER.get(folders[0] ?? "");
  const slug = folders[1];
  if (folders.length !== 2 || !kind || slug === undefined) return undefined;
  return { kind: "feed", scope: { kind, slug }, format, page };
}

function isDotSegment(segment: string): boolean {
  return segment === "." || segment === "..";
}

/**
 * A request path's segment, percent-decoded (RFC 3986 §2.1: "%66eed.xml" is "feed.xml"); a
 * category's or tag's name may hold "/", written %2F. Empty and dot-segments (§3.3), encoded or
 * not, never name anything.
 */
function decodeSegment(segment: string): string | undefined {
  if (segment === "" || isDotSegment(segment)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return undefined;
  }
  return decoded === "" || isDotSegment(decoded) ? undefined : decoded;
}

/** A folder name in a static export: the segment itself, if it is one safe name. */
function fileSegment(segment: string): string | undefined {
  return segment === "" || isDotSegment(segment) || /[/\\\0]/.test(segment) ? undefined : segment;
}
