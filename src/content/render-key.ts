// The identity of one rendering of one post: the same bytes at the same path, rendered by the same
// code with the same site settings, always give the same Post. That key names the post in the
// in-memory and on-disk caches and becomes Post.revision, which feeds use to know their items
// did not change.
import { createHash } from "node:crypto";
import type { SiteConfig } from "../config.js";

/**
 * Bump whenever rendering changes what a Post holds (a new field, other sanitizing, another
 * summary rule): every cached rendering then misses and is made again, never served stale.
 * (4, hardening against hostile posts: e-mail autolinks bounded to RFC 5321's 64-character local
 * part, URLs made strict RFC 3986, HTML nesting limited, clearer errors for deep nesting.)
 */
export const RENDERER_VERSION = "feedwright-render-4";

/** The site settings a Post depends on, in a fixed order. */
export function siteFingerprint(site: SiteConfig): string {
  return JSON.stringify([site.url, site.timezone, site.permalink, site.author.name, site.author.email ?? null, site.author.url ?? null]);
}

export function renderKey(fingerprint: string, sourcePath: string, bytes: Uint8Array): string {
  return createHash("sha256").update(RENDERER_VERSION).update("\0").update(fingerprint).update("\0").update(sourcePath).update("\0").update(bytes).digest("base64url");
}
