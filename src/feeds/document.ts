// A finished document, ready to be sent or written: its bytes and what HTTP says about them.
import { createHash } from "node:crypto";

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

export function makeDocument(text: string, contentType: string, lastModified: Date): FeedwrightDocument {
  const body = Buffer.from(text, "utf8");
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
  return { contentType, body, etag, lastModified };
}
