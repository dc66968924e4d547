// The identity of one rendering of one post: the same bytes at the same path, rendered by the same
// code with the same site settings, always give the same Post. That key names the post in the
// in-memory and on-disk caches and becomes Post.revision, which feeds use to know their items
// did not change.
import { createHash } from "node:crypto";
import type { ContentSettings } from "./settings.js";

/**
 * Names the code that turns bytes into a Post. Change it whenever rendering changes what a Post
 * holds (a new field, other sanitizing, another summary rule): every cached rendering then
 * misses and is made again, never served stale.
 */
export const RENDERER_VERSION = "feedwright-render-7";

/**
 * The settings a Post depends on, in a fixed order: the site's address, zone, permalink and
 * author, a Jekyll site's reading rules, and the limit on terms per post. (Its title, say, is not: changing it renders no post.)
 */
export function siteFingerprint(settings: ContentSettings): string {
  const { site, jekyll } = settings;
  return JSON.stringify([site.url, site.timezone, site.permalink, site.author.name, site.author.email ?? null, site.author.url ?? null, jekyll ?? null, settings.maxTermsPerPost]);
}

export function renderKey(fingerprint: string, sourcePath: string, bytes: Uint8Array): string {
  return createHash("sha256").update(RENDERER_VERSION).update("\0").update(fingerprint).update("\0").update(sourcePath).update("\0").update(bytes).digest("base64url");
}
