// The key of one feed page: a hash of everything its three documents' bytes depend on — the
// settings that appear in feeds, which feed and page it is, and the exact revision and id of
// each item (Post.revision says which rendering of which file bytes a post is). Equal keys mean
// byte-identical documents, so a rebuild can take a page over instead of rendering it again.
import { createHash } from "node:crypto";
import type { Config } from "../config.js";
import { RENDERER_VERSION } from "../content/render-key.js";
import type { PostHead } from "../content/post.js";
import type { FeedSpec } from "./feed-spec.js";

/**
 * Bump with any change to how feeds are written (renderers, the feed package's version,
 * escaping), so documents cached on disk by an older Feedwright are never served.
 */
export const FEED_RENDERER_VERSION = "feedwright-feeds-7";

/** The configuration as far as feed documents see it. */
export function feedsFingerprint(config: Config): string {
  return JSON.stringify([FEED_RENDERER_VERSION, RENDERER_VERSION, config.site, config.feed, config.http.maxAge, config.websub.hubs]);
}

/** `spec`: a feed page, or as much of it as says which one it is and its items. */
export function feedKey(fingerprint: string, spec: Pick<FeedSpec<PostHead>, "kind" | "term" | "archive" | "archiveCount" | "items">): string {
  const hash = createHash("sha256");
  hash.update(fingerprint);
  // Of the feed's size, only what the links show (feed-spec.ts archiveLinks): the subscription
  // document's prev-archive names the newest archive, and an archive has a next-archive while a
  // newer one exists. So a new post changes no archive's key but the newest one's, once.
  const links = spec.archive === 0 ? `newest ${spec.archiveCount}` : spec.archive < spec.archiveCount ? "has newer" : "newest";
  let text = `\0${spec.kind}\0${spec.term?.slug ?? ""}\0${spec.term?.name ?? ""}\0${spec.archive}\0${links}`;
  // `updated` too: a post's `updated` counts only from its time on (build-site.ts).
  for (const post of spec.items) text += `\0${post.revision}\0${post.id}\0${post.updated?.getTime() ?? ""}`;
  // One update per key: an export of 10,000 posts hashes 4,000 keys of 20 items each.
  return hash.update(text).digest("base64url");
}
