// One feed document in its three formats, from a spec whose items carry their bodies. The same
// function runs on the main thread (a scan's changed feeds) and on the export's worker threads,
// so both give the same bytes.
import type { PostBody, PostHead } from "../content/post.js";
import { renderAtom1Bytes } from "./atom1.js";
import { CONTENT_TYPES, makeDocument, type FeedwrightDocument } from "./document.js";
import type { FeedSpec } from "./feed-spec.js";
import { renderJsonFeed } from "./json-feed.js";
import type { FeedFormat } from "./routes.js";
import { renderRss2Bytes } from "./rss2.js";

export function renderFeedDocuments(spec: FeedSpec): Record<FeedFormat, FeedwrightDocument> {
  return {
    rss: makeDocument(renderRss2Bytes(spec), CONTENT_TYPES.rss, spec.updated),
    atom: makeDocument(renderAtom1Bytes(spec), CONTENT_TYPES.atom, spec.updated),
    json: makeDocument(renderJsonFeed(spec), CONTENT_TYPES.json, spec.updated),
  };
}

/** A spec of heads made whole with each item's body (`bodyOf` gives it). */
export function withBodies(spec: FeedSpec<PostHead>, bodyOf: (head: PostHead) => PostBody): FeedSpec {
  return { ...spec, items: spec.items.map((head) => ({ ...head, ...onlyBody(bodyOf(head)) })) };
}

/** Only the body's own fields (a whole Post passed as its own body carries its head too). */
function onlyBody(body: PostBody): PostBody {
  return { summary: body.summary, contentHtml: body.contentHtml };
}
