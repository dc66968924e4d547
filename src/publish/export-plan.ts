// What a static export holds, decided from the posts' heads alone: every feed document (each
// subscription document and each of its archives) with its key and file names, and the three
// listing documents, which are small and rendered here. A feed document's key names everything
// its bytes depend on (feeds/feed-key.ts), so the export renders only documents whose key the
// previous export does not have.
import type { Config } from "../config.js";
import type { PostHead } from "../content/post.js";
import { feedDocumentKind, type DocumentKind } from "../delivery/served-document.js";
import { listingDocuments, planSiteBuild, type BuildInput } from "../feeds/build-site.js";
import type { FeedwrightDocument } from "../feeds/document.js";
import { feedKey, feedsFingerprint } from "../feeds/feed-key.js";
import { archiveItems, siteFeedSpec, termFeedSpec, type FeedSpec } from "../feeds/feed-spec.js";
import { FEED_FORMATS, routeFile, type FeedFormat, type FeedScope } from "../feeds/routes.js";

/** One document of a feed, in its three formats. */
export interface FeedDocumentPlan {
  /** Items are heads; the export adds their bodies to the ones it renders. */
  readonly spec: FeedSpec<PostHead>;
  readonly key: string;
  readonly kind: DocumentKind;
  /** The file of each format, relative to DIR with "/". */
  readonly files: Readonly<Record<FeedFormat, string>>;
}

export interface ListingDocumentPlan {
  readonly file: string;
  readonly document: FeedwrightDocument;
  readonly kind: DocumentKind;
}

export interface ExportPlan {
  /** Subscription documents first (the site feed's, then categories', then tags'), then archives. */
  readonly feeds: readonly FeedDocumentPlan[];
  readonly listings: readonly ListingDocumentPlan[];
  readonly published: number;
}

export async function planExport(config: Config, content: BuildInput, now: Date): Promise<ExportPlan> {
  const planned = await planSiteBuild(config, content, now, undefined);
  const fingerprint = feedsFingerprint(config);
  const filesOf = (scope: FeedScope, archive: number): Record<FeedFormat, string> =>
    Object.fromEntries(FEED_FORMATS.map((format) => [format, routeFile({ kind: "feed", scope, format, archive })])) as Record<FeedFormat, string>;
  const documentOf = (spec: FeedSpec<PostHead>, key: string): FeedDocumentPlan => ({ spec, key, kind: feedDocumentKind(spec), files: filesOf(spec.scope, spec.archive) });
  const feeds = planned.specs.map((spec, index) => documentOf(spec, planned.keys[index] ?? feedKey(fingerprint, spec)));
  for (const current of planned.specs) {
    const posts = current.term ? current.term.posts : planned.plan.published;
    for (let archive = 1; archive <= current.archiveCount; archive++) {
      // The key needs only which archive it is and its items; the whole spec (titles, URLs…) is
      // made when the export renders it, which an unchanged export does for none of its 3,630.
      const identity = { kind: current.kind, term: current.term, archive, archiveCount: current.archiveCount, items: archiveItems(posts, current.limit, archive) };
      let spec: FeedSpec<PostHead> | undefined;
      feeds.push({
        get spec() {
          spec ??= current.term ? termFeedSpec(config, current.term, archive) : siteFeedSpec(config, planned.plan.published, archive);
          return spec;
        },
        key: feedKey(fingerprint, identity),
        kind: feedDocumentKind(identity),
        files: filesOf(current.scope, archive),
      });
    }
  }
  const { index, opml, stylesheet } = listingDocuments(config, planned.specs);
  return {
    feeds,
    listings: [
      { file: routeFile({ kind: "index" }), document: index, kind: "index" },
      { file: routeFile({ kind: "opml" }), document: opml, kind: "opml" },
      { file: routeFile({ kind: "stylesheet" }), document: stylesheet, kind: "stylesheet" },
    ],
    published: planned.plan.published.length,
  };
}
