// Every document of one build, by the canonical path it is served at, ready to send. Built once
// per scan (documents whose bytes did not change are taken over from the previous scan with
// their compressed forms); archive pages are made (publish/archive-pages.ts) and compressed when
// first asked for, and kept for the life of this build.
import { LRUCache } from "lru-cache";
import type { Config } from "../config.js";
import type { PostHead } from "../content/post.js";
import { allFeeds, type SiteBuild } from "../feeds/build-site.js";
import { releaseIdentity, type FeedwrightDocument } from "../feeds/document.js";
import type { FeedSpec } from "../feeds/feed-spec.js";
import { FEED_FORMATS, formatRoute, parseCanonicalRoute, type FeedFormat, type FeedRoute } from "../feeds/routes.js";
import { nextTurn } from "../time-slices.js";
import type { Compressor } from "./compressor.js";
import { assembleDocument, cacheControlValue, compressInBackground, feedDocumentKind, type CompressedForms, type DocumentKind, type ServedDocument } from "./served-document.js";

/** Archive pages kept in memory per build, by their bytes (identity + gzip + Brotli). */
const ARCHIVE_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Shortest max-age of an archive document, in seconds (a day). An archive changes only when one
 * of its own posts is edited or removed, or when a newer archive is made and it gains a
 * next-archive link; a cache that keeps the older copy a day still leads readers to every post.
 */
const ARCHIVE_MAX_AGE = 24 * 60 * 60;

/**
 * How the archive pages of a build are made (publish/archive-pages.ts): for a route naming archive 1
 * or more of one of its feeds, a function that renders that page, rejecting with
 * PageUnavailableError when its posts changed since the build; undefined when there is no such
 * page. Deciding that is quick; rendering needs the items' bodies and waits its turn.
 */
export type ArchivePageMaker = (build: SiteBuild, route: FeedRoute) => (() => Promise<FeedwrightDocument>) | undefined;

export class ServedSite {
  readonly build: SiteBuild;
  readonly #byPath = new Map<string, ServedDocument>();
  readonly #archive: LRUCache<string, ServedDocument>;
  readonly #rendering = new Map<string, Promise<ServedDocument | undefined>>();
  readonly #cacheControl: string;
  readonly #archiveCacheControl: string;
  readonly #makeArchivePage: ArchivePageMaker;

  private constructor(config: Config, build: SiteBuild, makeArchivePage: ArchivePageMaker) {
    this.build = build;
    this.#makeArchivePage = makeArchivePage;
    this.#cacheControl = cacheControlValue(config.http.maxAge);
    this.#archiveCacheControl = cacheControlValue(Math.max(config.http.maxAge, ARCHIVE_MAX_AGE));
    this.#archive = new LRUCache({ maxSize: ARCHIVE_CACHE_BYTES, sizeCalculation: (document) => Math.max(1, document.size) });
  }

  /**
   * Prepares every first-page document of `build`. A document with the same bytes as in
   * `previous` keeps its prepared form, compressed forms included; the compressed forms of the
   * others come from `store` (the disk cache) when it has them. The rest are served at once as
   * they are, uncompressed and marked `no-store`, while `compressor` makes their gzip and Brotli
   * forms on the thread pool (sharing the jobs a caller already started), and each is swapped in
   * as soon as it is ready; `compressed` resolves when the last one is. Compressing the 27
   * documents one edited post changes takes about 300 ms of CPU, twice what publishing an edit
   * may take: so the new content is live first, and smaller a moment later. `no-store` keeps any
   * cache from holding the uncompressed bytes for those who asked for gzip or Brotli (a cache
   * that revalidated it would be told 304 and keep it); their next request gets the compressed
   * form. `makeArchivePage` makes an archive page when one is first asked for.
   */
  static async create(
    config: Config,
    build: SiteBuild,
    previous: ServedSite | undefined,
    store: CompressedStore | undefined,
    makeArchivePage: ArchivePageMaker,
    compressor: Pick<Compressor, "compress">,
  ): Promise<ServedSite> {
    const site = new ServedSite(config, build, makeArchivePage);
    const pending: { path: string; document: FeedwrightDocument; link: string | undefined; kind: DocumentKind }[] = [];
    const add = (path: string, document: FeedwrightDocument, kind: DocumentKind, link?: string): void => {
      const before = previous ? previous.#byPath.get(path) : undefined;
      // Same bytes as in the previous build: keep its compressed forms instead of redoing them.
      if (before && before.source.etag === document.etag && !before.interim) site.#byPath.set(path, before);
      else pending.push({ path, document, link, kind });
    };
    add(formatRoute({ kind: "index" }), build.index, "index");
    add(formatRoute({ kind: "opml" }), build.opml, "opml");
    add(formatRoute({ kind: "stylesheet" }), build.stylesheet, "stylesheet");
    for (const feed of allFeeds(build)) {
      const kind = feedDocumentKind(feed.spec);
      for (const format of FEED_FORMATS) add(firstPagePath(feed.spec, format), feed.documents[format], kind, webSubLink(config.websub.hubs, feed.spec.urls[format]));
    }
    const stored = store && pending.length > 0 ? await store.getMany(pending.map(({ document }) => document.etag)) : [];
    const finishing: Promise<void>[] = [];
    pending.forEach(({ path, document, link, kind }, index) => {
      const delivery = { cacheControl: site.#cacheControl, link, kind };
      const found = stored[index];
      if (found) {
        site.#byPath.set(path, assembleDocument(document, delivery, found));
        if (found.gzip) releaseIdentity(document, found.gzip);
        return;
      }
      const interim = assembleDocument(document, { ...delivery, cacheControl: INTERIM_CACHE_CONTROL }, NOT_COMPRESSED, true);
      site.#byPath.set(path, interim);
      finishing.push(
        compressor.compress(document.etag, document.body).then((compressed) => {
          // Dropped: a later build replaced this one before its turn came.
          if (!compressed) return;
          store?.put(document.etag, compressed);
          if (site.#byPath.get(path) !== interim) return;
          site.#byPath.set(path, assembleDocument(document, delivery, compressed));
          if (compressed.gzip) releaseIdentity(document, compressed.gzip);
        }),
      );
    });
    site.#prepared = pending.length;
    site.compressed = Promise.all(finishing).then(() => undefined);
    return site;
  }

  /** Resolves when every document of this build is served in its compressed forms too. */
  compressed: Promise<void> = Promise.resolve();

  /** How many documents this build had to prepare (the others were taken over unchanged). */
  get prepared(): number {
    return this.#prepared;
  }

  #prepared = 0;

  /**
   * The document at a canonical path as it arrives on the wire (percent-encoded, query removed),
   * or undefined: then the path is unknown, past the newest archive, an archive page not rendered
   * yet (see archivePage), or a non-canonical spelling that the router redirects.
   */
  lookup(path: string): ServedDocument | undefined {
    return this.#byPath.get(path) ?? this.#archive.get(path);
  }

  /** ETags of the documents still served uncompressed: those whose compression is still wanted. */
  interimEtags(): Set<string> {
    const etags = new Set<string>();
    for (const document of this.#byPath.values()) if (document.interim) etags.add(document.source.etag);
    return etags;
  }

  /** Whether a first-page document of this build has these bytes (by its ETag). */
  hasEtag(etag: string): boolean {
    this.#etags ??= new Set([...this.#byPath.values()].map((document) => document.source.etag));
    return this.#etags.has(etag);
  }

  #etags: Set<string> | undefined;

  /** Absolute URLs of the first pages whose bytes differ from `previous` (all of them when there is none). */
  changedFeedUrls(previous: ServedSite | undefined): string[] {
    const changed: string[] = [];
    for (const feed of allFeeds(this.build)) {
      for (const format of FEED_FORMATS) {
        const path = firstPagePath(feed.spec, format);
        if ((previous ? previous.#byPath.get(path) : undefined)?.source.etag !== feed.documents[format].etag) changed.push(feed.spec.urls[format]);
      }
    }
    return changed;
  }

  /**
   * An archive page at its canonical path, made when first asked for and kept for the life of
   * this build; undefined when there is no such page. Rejects with PageUnavailableError when its
   * posts changed since the build (the next scan rebuilds it).
   */
  archivePage(path: string): Promise<ServedDocument | undefined> {
    const cached = this.#archive.get(path);
    if (cached) return Promise.resolve(cached);
    // Only the canonical spelling is served here; others are redirected by the router.
    const route = parseCanonicalRoute(path);
    const make = route?.kind === "feed" && route.archive >= 1 ? this.#makeArchivePage(this.build, route) : undefined;
    if (!make) return Promise.resolve(undefined);
    let rendering = this.#rendering.get(path);
    if (!rendering) {
      rendering = this.#renderArchivePage(path, make).finally(() => this.#rendering.delete(path));
      this.#rendering.set(path, rendering);
    }
    return rendering;
  }

  /**
   * Archive pages are the least urgent documents: a crawler asking for thousands of them must
   * not hold up subscribers' first pages. They are rendered one at a time, each only once the
   * event loop has answered what was waiting, and compressed on the thread pool, not here.
   */
  async #renderArchivePage(path: string, make: () => Promise<FeedwrightDocument>): Promise<ServedDocument> {
    return archiveTurns.run(async () => {
      await nextTurn();
      const rendered = await make();
      const compressed = await compressInBackground(rendered.body, "archive", { oneThread: true });
      const document = assembleDocument(rendered, { cacheControl: this.#archiveCacheControl, kind: "archive-page" }, compressed);
      this.#archive.set(path, document);
      return document;
    });
  }
}

/** One task at a time, in the order asked for. */
class Turns {
  #last: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const turn = this.#last.then(task, task);
    this.#last = turn.catch(() => undefined);
    return turn;
  }
}

/** Archive pages being rendered, across builds: one at a time in the whole process. */
const archiveTurns = new Turns();

/** An archive page that cannot be rendered right now (its posts changed): answer 503, retry soon. */
export class PageUnavailableError extends Error {}

/** Compressed forms found again by ETag (the disk cache). */
export interface CompressedStore {
  /** The forms of each ETag, in order (undefined where the store has none). */
  getMany(etags: readonly string[]): Promise<(CompressedForms | undefined)[]>;
  put(etag: string, forms: CompressedForms): void;
}

/** A document served before its compressed forms are ready: no cache may keep this answer. */
const INTERIM_CACHE_CONTROL = "no-store";
const NOT_COMPRESSED: CompressedForms = { gzip: undefined, br: undefined };

function webSubLink(hubs: readonly string[], self: string): string | undefined {
  if (hubs.length === 0) return undefined;
  // WebSub §4: the topic URL as rel="self" and each hub as rel="hub", in a Link header.
  return [...hubs.map((hub) => `<${hub}>; rel="hub"`), `<${self}>; rel="self"`].join(", ");
}

function firstPagePath(spec: FeedSpec<PostHead>, format: FeedFormat): string {
  return formatRoute({ kind: "feed", scope: spec.scope, format, archive: 0 });
}
