// The URL scheme of everything Feedwright serves, in one table. parseRoute reads a request path
// (as it arrives: percent-encoded, query removed) into a Route; formatRoute writes a Route as its
// one canonical path; routeFile and parseRouteFile do the same for the files of a static export,
// which are named by the slug itself rather than its percent-encoded form. Every other module asks
// these functions (the HTTP layer, the export, the feeds' own URLs, the redirects from a Jekyll
// site's old feed paths, and the test that checks deploy/nginx.conf), so a change of the scheme is
// an edit here.
//
// Lives in feeds/ rather than http/ because the feeds stage writes these URLs into the documents
// themselves (rel="self", RFC 5005 archive links, OPML); the stages after it import it from here.
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
 * The folder of a feed's archive documents (RFC 5005 §4 archived feeds): archive n (1 the oldest)
 * lives at <feed folder>/archive/<n>/<file name>; the subscription document is the feed itself.
 */
export const ARCHIVE_FOLDER = "archive";

/**
 * The folder of the RFC 5005 §3 pages Feedwright once served, counted from the newest post
 * (<feed folder>/page/<n>/<file name>). Their paths still parse, as OldPageRoute, so that they
 * can be redirected to the document that holds their posts now.
 */
export const OLD_PAGE_FOLDER = "page";

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
  | {
      readonly kind: "feed";
      readonly scope: FeedScope;
      readonly format: FeedFormat;
      /** 0 for the subscription document, n for archive n (1 holds the oldest posts). */
      readonly archive: number;
    };

export type FeedRoute = Extract<DocumentRoute, { kind: "feed" }>;

/** A page of the paged feeds once served (page 1 the newest): redirected, never served. */
export interface OldPageRoute {
  readonly kind: "old-page";
  readonly scope: FeedScope;
  readonly format: FeedFormat;
  readonly page: number;
}

/** An endpoint of the service itself: probes, metrics and the rebuild hook. */
export type ServiceRoute = { readonly kind: "health" } | { readonly kind: "ready" } | { readonly kind: "metrics" } | { readonly kind: "rebuild" };

export type Route = DocumentRoute | OldPageRoute | ServiceRoute;

export function isDocumentRoute(route: Route): route is DocumentRoute {
  return route.kind === "index" || route.kind === "opml" || route.kind === "stylesheet" || route.kind === "feed";
}

type FixedRoute = Exclude<Route, { kind: "feed" } | OldPageRoute>;

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

/** Largest archive or page number a path may carry: nine digits, so it is always a safe integer. */
const NUMBER = /^[0-9]{1,9}$/;

/** The canonical path of a route, percent-encoded as it goes on the wire. */
export function formatRoute(route: Route): string {
  if (route.kind === "old-page") return `${feedFolderPath(route.scope)}/${OLD_PAGE_FOLDER}/${route.page}/${FEED_FILE_NAMES[route.format]}`;
  if (route.kind !== "feed") return FIXED_PATHS[route.kind];
  return feedPath(route.scope, route.format, route.archive, slugPathSegment);
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
 * as written ("Machine%20Learning", not yet a slug), an archive number with leading zeros.
 * Whoever finds the feed compares formatRoute of what it found with the path and redirects to
 * the canonical one. Refused: paths not starting with "/", empty and dot-segments ("." and "..",
 * also percent-encoded), malformed percent-encoding, archive and page numbers below 1 or longer
 * than nine digits.
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
  return feedPath(route.scope, route.format, route.archive, (slug) => {
    if (fileSegment(slug) === undefined) throw new RangeError(`routes: the slug ${JSON.stringify(slug)} is not a file name`);
    return slug;
  }).slice(1);
}

/** The document a static export's file is, when `relative` is a file routeFile writes (canonical only). */
export function parseRouteFile(relative: string): DocumentRoute | undefined {
  if (relative === INDEX_FILE) return { kind: "index" };
  const fixed = FIXED_BY_PATH.get(`/${relative}`);
  if (fixed) return fixed.kind === "opml" || fixed.kind === "stylesheet" ? fixed : undefined;
  const slash = relative.lastIndexOf("/");
  const format = FORMAT_BY_FILE_NAME.get(relative.slice(slash + 1));
  if (!format) return undefined;
  // The folder with its "/" ("" for the site feed's own files).
  const folder = relative.slice(0, slash + 1);
  let place = feedFolders.get(folder);
  if (place === undefined) {
    place = parseFeedFolder(folder);
    if (feedFolders.size >= FEED_FOLDERS_LIMIT) feedFolders.clear();
    feedFolders.set(folder, place);
  }
  return place ? { kind: "feed", scope: place.scope, format, archive: place.archive } : undefined;
}

/**
 * What each folder parseRouteFile met holds, `null` for none: an export lists every file of its
 * previous tree (35,000 at 10,000 posts, nine in each folder: three formats with their .gz and
 * .br), and each folder is read once. Measured: classifying the 38,752 files and folders of such
 * an export (fresh process) took 127–143 ms of CPU with every path parsed and formatted back, and
 * 78–87 ms this way.
 */
const feedFolders = new Map<string, { readonly scope: FeedScope; readonly archive: number } | null>();
const FEED_FOLDERS_LIMIT = 50_000;

/**
 * The feed and archive whose documents routeFile writes into `folder` (with its "/"), or null:
 * the same for each format, so it is found from the RSS file's path.
 */
function parseFeedFolder(folder: string): { readonly scope: FeedScope; readonly archive: number } | null {
  const probe = `${folder}${FEED_FILE_NAMES.rss}`;
  const route = parseFeedSegments(probe.split("/"), fileSegment);
  if (!route || route.kind !== "feed") return null;
  try {
    return routeFile(route) === probe ? { scope: route.scope, archive: route.archive } : null;
  } catch {
    return null;
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
    // <feed folder>/archive and <feed folder>/archive/<n>
    (segments[last] === ARCHIVE_FOLDER && isFeedFolder(segments.slice(0, -1))) ||
    (segments[last - 1] === ARCHIVE_FOLDER && /^[1-9][0-9]{0,8}$/.test(segments[last] ?? "") && isFeedFolder(segments.slice(0, -2)))
  );
}

function feedPath(scope: FeedScope, format: FeedFormat, archive: number, segmentOf: (slug: string) => string): string {
  const folder = scope.kind === "site" ? "" : `/${TERM_FOLDERS[scope.kind]}/${segmentOf(scope.slug)}`;
  const archiveFolder = archive === 0 ? "" : `/${ARCHIVE_FOLDER}/${archive}`;
  return `${folder}${archiveFolder}/${FEED_FILE_NAMES[format]}`;
}

/** [<term folder>, <segment>]? ["archive" | "page", <n>]? <file name>, each segment read by `read`. */
function parseFeedSegments(raw: readonly string[], read: (segment: string) => string | undefined): FeedRoute | OldPageRoute | undefined {
  const segments: string[] = [];
  for (const segment of raw) {
    const text = read(segment);
    if (text === undefined) return undefined;
    segments.push(text);
  }
  const format = FORMAT_BY_FILE_NAME.get(segments[segments.length - 1] ?? "");
  if (!format) return undefined;
  let folders = segments.slice(0, -1);
  let numbered: { folder: string; number: number } | undefined;
  const numberFolder = folders[folders.length - 2];
  if (folders.length >= 2 && (numberFolder === ARCHIVE_FOLDER || numberFolder === OLD_PAGE_FOLDER)) {
    const text = folders[folders.length - 1] ?? "";
    if (!NUMBER.test(text) || Number(text) < 1) return undefined;
    numbered = { folder: numberFolder, number: Number(text) };
    folders = folders.slice(0, -2);
  }
  let scope: FeedScope = SITE_SCOPE;
  if (folders.length > 0) {
    const kind = KIND_BY_TERM_FOLDER.get(folders[0] ?? "");
    const slug = folders[1];
    if (folders.length !== 2 || !kind || slug === undefined) return undefined;
    scope = { kind, slug };
  }
  if (numbered?.folder === OLD_PAGE_FOLDER) return { kind: "old-page", scope, format, page: numbered.number };
  return { kind: "feed", scope, format, archive: numbered?.number ?? 0 };
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
