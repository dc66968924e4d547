// A finished document, ready to be sent or written: its bytes and what HTTP says about them.
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { LRUCache } from "lru-cache";

export interface FeedwrightDocument {
  readonly contentType: string;
  readonly body: Buffer;
  /** Strong validator computed from the bytes, so every replica gives the same one. */
  readonly etag: string;
  /** The newest change among the items shown (never the build time). */
  readonly lastModified: Date;
}

export const CONTENT_TYPES = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
  html: "text/html; charset=utf-8",
  opml: "text/x-opml; charset=utf-8",
  xsl: "text/xsl; charset=utf-8",
} as const;

/** `text`: the document, as a string or as its UTF-8 bytes. */
export function makeDocument(text: string | Buffer, contentType: string, lastModified: Date): FeedwrightDocument {
  const body = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
  return new HeldDocument(contentType, body, etag, lastModified);
}

/**
 * A document that can give up its uncompressed bytes once its gzip form exists, and make them
 * again from it when they are asked for. A build of 10,000 posts serves 666 first pages of about
 * 220 KB each: 146 MB uncompressed against 36 MB of gzip and Brotli, while nearly every client
 * asks for a compressed form. `body` still gives the exact bytes, so nothing else changes; the
 * ones made again are kept in a small cache shared by every document (IDENTITY_CACHE_BYTES).
 */
class HeldDocument implements FeedwrightDocument {
  readonly contentType: string;
  readonly etag: string;
  readonly lastModified: Date;
  /** The length of its bytes, known without making them again. */
  readonly byteLength: number;
  #body: Buffer | undefined;
  #gzip: Buffer | undefined;

  constructor(contentType: string, body: Buffer, etag: string, lastModified: Date, byteLength = body.length) {
    this.contentType = contentType;
    this.#body = body;
    this.etag = etag;
    this.lastModified = lastModified;
    this.byteLength = byteLength;
  }

  get body(): Buffer {
    if (this.#body) return this.#body;
    let body = inflated.get(this.etag);
    if (!body) {
      body = gunzipSync(this.#gzip ?? Buffer.alloc(0));
      inflated.set(this.etag, body);
    }
    return body;
  }

  /** The gzip form it keeps instead of its bytes, once it has given them up. */
  get gzip(): Buffer | undefined {
    return this.#body ? undefined : this.#gzip;
  }

  /** Drops the uncompressed bytes: `gzip` is their gzip form. */
  release(gzip: Buffer): void {
    this.#gzip = gzip;
    this.#body = undefined;
  }
}

/**
 * Uncompressed bytes made again from gzip, kept for the next request of the same document: a
 * few (about 20 first pages of 220 KB); clients that want them are rare, and making them again
 * takes a fraction of a millisecond.
 */
const IDENTITY_CACHE_BYTES = 4 * 1024 * 1024;
const inflated = new LRUCache<string, Buffer>({ maxSize: IDENTITY_CACHE_BYTES, sizeCalculation: (body) => Math.max(1, body.length) });

/**
 * Lets `document` drop its uncompressed bytes (see HeldDocument) now that `gzip` holds them; a
 * document not made by makeDocument keeps them.
 */
export function releaseIdentity(document: FeedwrightDocument, gzip: Buffer): void {
  if (document instanceof HeldDocument) document.release(gzip);
}

/**
 * A document as the disk cache keeps it (plain values only): its gzip form once it has one, a
 * seventh of the bytes to read back on a restart; else its bytes.
 */
export type StoredDocument = Omit<FeedwrightDocument, "body"> &
  ({ readonly body: Buffer; readonly gzip?: undefined } | { readonly body?: undefined; readonly gzip: Buffer; readonly byteLength: number });

export function storedDocument(document: FeedwrightDocument): StoredDocument {
  const { contentType, etag, lastModified } = document;
  const gzip = document instanceof HeldDocument ? document.gzip : undefined;
  return gzip ? { contentType, etag, lastModified, gzip, byteLength: documentLength(document) } : { contentType, etag, lastModified, body: document.body };
}

/** A document read back from the disk cache, as makeDocument would have made it (given up its bytes if it was stored without them). */
export function heldDocument(stored: StoredDocument): FeedwrightDocument {
  if (stored.body) return new HeldDocument(stored.contentType, stored.body, stored.etag, stored.lastModified);
  const document = new HeldDocument(stored.contentType, Buffer.alloc(0), stored.etag, stored.lastModified, stored.byteLength);
  document.release(stored.gzip);
  return document;
}

/** The length of a document's bytes, without making them again when it has given them up. */
export function documentLength(document: FeedwrightDocument): number {
  return document instanceof HeldDocument ? document.byteLength : document.body.length;
}
