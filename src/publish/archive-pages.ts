// Archive pages (RFC 5005 §4 archive documents) are made when first asked for: a feed of 10,000
// posts has 500 of them and most are never read. Making one is the pipeline's work, as for every
// other document (the page's spec from the build, its items' bodies from the content stage, the
// feeds stage's renderers); delivery/served-site.ts only decides when, then caches and compresses
// what this gives.
import type { Config } from "../config.js";
import { bodyFrom } from "../content/load-posts.js";
import type { PostBody, PostHead } from "../content/post.js";
import { PageUnavailableError, type ArchivePageMaker } from "../delivery/served-site.js";
import { archivePageSpec, renderFeedPage } from "../feeds/build-site.js";
import { formatRoute } from "../feeds/routes.js";

/** Bodies of an archive page's items, or undefined when they cannot be had now (try later). */
export type PageBodies = (heads: readonly PostHead[]) => Promise<ReadonlyMap<string, PostBody> | undefined>;

export function archivePageMaker(config: Config, pageBodies: PageBodies): ArchivePageMaker {
  return (build, route) => {
    const spec = archivePageSpec(config, build, route);
    if (!spec) return undefined;
    return async () => {
      const bodies = await pageBodies(spec.items);
      if (!bodies) throw new PageUnavailableError(`${formatRoute(route)}: its posts changed since the feeds were built`);
      return renderFeedPage(config, spec, (head) => bodyFrom(bodies, head)).documents[route.format];
    };
  };
}
