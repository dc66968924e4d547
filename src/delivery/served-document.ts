// A document ready to be sent: its identity, gzip and Brotli bytes, compressed once when the
// document is built (never per request), each with its strong ETag and the exact header lines
// of a 200 and of a 304, so that answering a request is a lookup and a write.
import { promisify } from "node:util";
import { brotliCompress, brotliCompressSync, constants, gzip as gzipCallback, gzipSync } from "node:zlib";
import type { PostHead } from "../content/post.js";
import { documentLength, type FeedwrightDocument } from "../feeds/document.js";
import type { FeedSpec } from "../feeds/feed-spec.js";
import type { Encoding } from "./accept-encoding.js";

export interface Variant {
  /** The bytes sent (for the uncompressed form, read from the document when sent: see HeldDocument). */
  readonly body: Buffer;
  /** Its Content-Encoding; undefined for the uncompressed bytes. */
  readonly encoding: "gzip" | "br" | undefined;
  readonly etag: string;
  /** Flat [name, value, name, value, …] header list of a 200 (and of a HEAD). */
  readonly headers: readonly string[];
  /** The header list of a 304: the validators and caching headers, no body headers. */
  readonly notModifiedHeaders: readonly string[];
}

export interface ServedDocument {
  readonly source: FeedwrightDocument;
  readonly variants: Readonly<Record<Encoding, Variant>>;
  /**
   * For RSS and Atom: the same bytes labelled application/xml, for browsers (requests whose
   * Accept names text/html). Chromium applies the XSLT stylesheet (/feed.xsl) only to documents
   * served as application/xml or text/xml; served as application/rss+xml it shows raw text.
   */
  readonly browserVariants: Readonly<Record<Encoding, Variant>> | undefined;
  /** Opaque ETags of every variant, for If-None-Match. */
  readonly etags: ReadonlySet<string>;
  readonly lastModifiedSeconds: number;
  /** Bytes held, for cache accounting. */
  readonly size: number;
  /** What the document is, for request logs and metrics. */
  readonly kind: DocumentKind;
  /** Served uncompressed (and not to be stored) until its compressed forms are ready. */
  readonly interim: boolean;
  readonly format: DocumentFormat;
}

export type DocumentKind = "site-feed" | "category-feed" | "tag-feed" | "archive-page" | "index" | "opml" | "stylesheet";

/** The kind of a feed's document: an archive, or the subscription document of its feed. */
export function feedDocumentKind(spec: Pick<FeedSpec<PostHead>, "kind" | "archive">): DocumentKind {
  if (spec.archive > 0) return "archive-page";
  return spec.kind === "site" ? "site-feed" : spec.kind === "category" ? "category-feed" : "tag-feed";
}
export type DocumentFormat = "rss" | "atom" | "json" | "html" | "opml" | "xsl";

const FORMAT_BY_CONTENT_TYPE: Readonly<Record<string, DocumentFormat>> = {
  "application/rss+xml; charset=utf-8": "rss",
  "application/atom+xml; charset=utf-8": "atom",
  "application/feed+json; charset=utf-8": "json",
  "text/html; charset=utf-8": "html",
  "text/x-opml; charset=utf-8": "opml",
  "text/xsl; charset=utf-8": "xsl",
};

export interface DeliveryHeaders {
  /** Cache-Control value of every document. */
  readonly cacheControl: string;
  /** Value of a Link header (WebSub hub and self), if any. */
  readonly link?: string | undefined;
  readonly kind?: DocumentKind;
}

const HTML_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const BROWSER_VIEWABLE = new Set(["application/rss+xml; charset=utf-8", "application/atom+xml; charset=utf-8"]);
const BROWSER_CONTENT_TYPE = "application/xml; charset=utf-8";

const gzipAsync = promisify(gzipCallback);
const brotliAsync = promisify(brotliCompress);

/** Below this size compression saves less than the headers it costs. */
const MIN_COMPRESS_BYTES = 256;

export function cacheControlValue(maxAge: number): string {
  // stale-while-revalidate / stale-if-error (RFC 5861): a cache may serve the feed a while longer
  // while it fetches a new copy, or while Feedwright cannot be reached.
  return `public, max-age=${maxAge}, stale-while-revalidate=${maxAge}, stale-if-error=86400`;
}

/** The gzip and Brotli forms of a document (none for a tiny one). */
export interface CompressedForms {
  readonly gzip: Buffer | undefined;
  readonly br: Buffer | undefined;
}

/**
 * Compression settings are chosen per kind of document:
 * - subscription: the first pages of the site, category and tag feeds (and the index page, OPML
 *   and stylesheet), compressed again on every scan that changes them and fetched most often;
 * - archive: archive pages, rarely changed and cached long.
 */
export type CompressionKind = "subscription" | "archive";

export interface CompressionLevels {
  /** zlib level, 1–9. */
  readonly gzip: number;
  /** Brotli quality, 0–11. */
  readonly brotli: number;
}

/**
 * Chosen with bench/compression-levels.ts on generated blogs of 1,000 and 10,000 posts (figures
 * in bench/README.md). On feed documents gzip 9 is 0.2% smaller than gzip 6 for about a fifth
 * more time, and gzip 4 8% larger: gzip 6 for both kinds. Brotli saves about as many bytes per
 * millisecond from quality 4 to 5 as from 5 to 6 (4% smaller for 10% more time); from 6 to 7 a
 * third as many, and 9 and 11 take 6 and 110 times as long as 5 for 8% and 13% less.
 * - subscription: Brotli 6, the last step that pays as well as the one before it. These are the
 *   bytes sent most often; the cost is about 1 ms more per MB, 0.13 s of CPU at the cold start
 *   of 10,000 posts (140 MB of first pages).
 * - archive: Brotli 5. Archive pages are fetched rarely and cached long, so their bytes count
 *   for little, while there are 16 times as many of them (2.2 GB at 10,000 posts, compressed
 *   on a cold export): quality 6 would add 2.4 s of CPU to it, quality 4 would save 8 s but
 *   make them 16% larger.
 */
export const COMPRESSION_LEVELS: Readonly<Record<CompressionKind, CompressionLevels>> = {
  subscription: { gzip: 6, brotli: 6 },
  archive: { gzip: 6, brotli: 5 },
};

export function compressionKindOf(kind: DocumentKind | undefined): CompressionKind {
  return kind === "archive-page" ? "archive" : "subscription";
}

export function gzipOptions(level: number): { level: number } {
  return { level };
}

export function brotliOptions(quality: number, size: number): { params: Record<number, number> } {
  return {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: quality,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: size,
    },
  };
}

/** Compresses on this thread (the static export). */
export function compressNow(body: Buffer, kind: CompressionKind): CompressedForms {
  if (body.length < MIN_COMPRESS_BYTES) return { gzip: undefined, br: undefined };
  const levels = COMPRESSION_LEVELS[kind];
  return { gzip: gzipSync(body, gzipOptions(levels.gzip)), br: brotliCompressSync(body, brotliOptions(levels.brotli, body.length)) };
}

/**
 * Compresses on libuv's thread pool (delivery/compressor.ts schedules these): gzip and Brotli at
 * once, or one after the other (`oneThread`).
 */
export async function compressInBackground(body: Buffer, kind: CompressionKind, options: { readonly oneThread?: boolean } = {}): Promise<CompressedForms> {
  if (body.length < MIN_COMPRESS_BYTES) return { gzip: undefined, br: undefined };
  const levels = COMPRESSION_LEVELS[kind];
  const gzip = (): Promise<Buffer> => gzipAsync(body, gzipOptions(levels.gzip));
  const brotli = (): Promise<Buffer> => brotliAsync(body, brotliOptions(levels.brotli, body.length));
  if (options.oneThread) {
    const gzipped = await gzip();
    return { gzip: gzipped, br: await brotli() };
  }
  const [gzipped, compressed] = await Promise.all([gzip(), brotli()]);
  return { gzip: gzipped, br: compressed };
}

/**
 * The compressed forms worth sending: each only where it is smaller than the identity, which is
 * sent in its place otherwise (and the static export writes no sibling for it).
 */
export function formsWorthSending(compressed: CompressedForms, identityLength: number): CompressedForms {
  return {
    gzip: compressed.gzip && compressed.gzip.length < identityLength ? compressed.gzip : undefined,
    br: compressed.br && compressed.br.length < identityLength ? compressed.br : undefined,
  };
}

export function prepareDocument(document: FeedwrightDocument, delivery: DeliveryHeaders): ServedDocument {
  return assembleDocument(document, delivery, compressNow(document.body, compressionKindOf(delivery.kind)));
}

/** The variants and header lines of a document whose compressed forms are at hand. */
export function assembleDocument(document: FeedwrightDocument, delivery: DeliveryHeaders, compressed: CompressedForms, interim = false): ServedDocument {
  // Its length only: a closure below that named the buffer would keep it alive for the life of
  // the variants, after the document gave it up.
  const identityLength = documentLength(document);
  const opaque = document.etag.slice(1, -1);
  const { gzip, br } = compressed;
  const lastModified = document.lastModified.toUTCString();
  const forBrowsers = BROWSER_VIEWABLE.has(document.contentType);
  // The Content-Type of RSS and Atom depends on Accept (see browserVariants), so caches must know.
  const vary = forBrowsers ? "Accept, Accept-Encoding" : "Accept-Encoding";
  const common = (etag: string): string[] => {
    const headers = [
      "ETag", etag,
      "Last-Modified", lastModified,
      "Cache-Control", delivery.cacheControl,
      "Vary", vary,
      "X-Content-Type-Options", "nosniff",
      // Feeds are public: browser-based readers fetch them from other origins.
      "Access-Control-Allow-Origin", "*",
      // Documents are small and precompressed; Range requests get the whole document (RFC 9110 §14.3).
      "Accept-Ranges", "none",
    ];
    if (delivery.link) headers.push("Link", delivery.link);
    // The page at "/" is the only HTML: it needs nothing but itself (no script, style, frame).
    if (document.contentType === "text/html; charset=utf-8") headers.push("Content-Security-Policy", HTML_POLICY, "Referrer-Policy", "no-referrer");
    return headers;
  };
  /** `compressed`: the bytes of a compressed form; undefined for the document's own bytes. */
  const variant = (compressed: { bytes: Buffer; encoding: "gzip" | "br" } | undefined, etag: string, contentType = document.contentType): Variant => {
    const headers = [
      "Content-Type", contentType,
      "Content-Length", String(compressed ? compressed.bytes.length : identityLength),
      ...(compressed ? ["Content-Encoding", compressed.encoding] : []),
      ...common(etag),
    ];
    const notModifiedHeaders = common(etag);
    if (compressed) return { body: compressed.bytes, encoding: compressed.encoding, etag, headers, notModifiedHeaders };
    // Not captured here: the document may give up its uncompressed bytes once compressed.
    return {
      get body() {
        return document.body;
      },
      encoding: undefined,
      etag,
      headers,
      notModifiedHeaders,
    };
  };
  const identityVariant = variant(undefined, document.etag);
  // A compressed form that is not smaller is not worth sending: the identity stands in for it.
  const sent = formsWorthSending(compressed, identityLength);
  const gzipForm = sent.gzip ? { bytes: sent.gzip, encoding: "gzip" as const } : undefined;
  const brForm = sent.br ? { bytes: sent.br, encoding: "br" as const } : undefined;
  const gzipVariant = gzipForm ? variant(gzipForm, `"${opaque}-gz"`) : identityVariant;
  const brVariant = brForm ? variant(brForm, `"${opaque}-br"`) : identityVariant;
  const variants = { identity: identityVariant, gzip: gzipVariant, br: brVariant };
  // Other metadata, other strong ETag (RFC 9110 §8.8.3): the same tag with "-xml" appended.
  const browserVariants = forBrowsers
    ? {
        identity: variant(undefined, `"${identityVariant.etag.slice(1, -1)}-xml"`, BROWSER_CONTENT_TYPE),
        gzip: variant(gzipForm, `"${gzipVariant.etag.slice(1, -1)}-xml"`, BROWSER_CONTENT_TYPE),
        br: variant(brForm, `"${brVariant.etag.slice(1, -1)}-xml"`, BROWSER_CONTENT_TYPE),
      }
    : undefined;
  const allVariants = [...Object.values(variants), ...Object.values(browserVariants ?? {})];
  return {
    source: document,
    variants,
    browserVariants,
    etags: new Set(allVariants.map((entry) => entry.etag.slice(1, -1))),
    lastModifiedSeconds: Math.floor(document.lastModified.getTime() / 1000),
    kind: delivery.kind ?? "site-feed",
    interim,
    format: FORMAT_BY_CONTENT_TYPE[document.contentType] ?? "html",
    size: identityLength + (gzip?.length ?? 0) + (br?.length ?? 0),
  };
}
