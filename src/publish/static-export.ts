// `feedwright build --out DIR`: every document as a file, at the path it is served from, so any
// static file server or object store can serve the feeds — archive pages and the browser
// stylesheet included. A category or tag folder is named by its slug itself (feeds/slug.ts makes
// it a safe file name); a URL reaches it percent-encoded.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config.js";
import { renderFeedPage, type FeedDocuments, type SiteBuild } from "../feeds/build-site.js";
import { FEED_FILE_NAMES, type FeedFormat } from "../feeds/feed-spec.js";

const FORMATS = Object.keys(FEED_FILE_NAMES) as FeedFormat[];

/** Writes the files and returns how many were written. */
export async function writeStaticSite(config: Config, site: SiteBuild, outDir: string): Promise<number> {
  const files = new Map<string, Buffer>();
  files.set("index.html", site.index.body);
  files.set("feeds.opml", site.opml.body);
  files.set("feed.xsl", site.stylesheet.body);
  const addFeed = (folder: string, first: FeedDocuments): void => {
    for (let page = 1; page <= first.spec.pageCount; page++) {
      const feed = page === 1 ? first : renderFeedPage(config, first, site.published, page);
      if (!feed) continue;
      for (const format of FORMATS) {
        files.set(path.join(folder, page === 1 ? "" : `page/${page}`, FEED_FILE_NAMES[format]), feed.documents[format].body);
      }
    }
  };
  addFeed("", site.site);
  for (const [folder, terms] of [["categories", site.terms.category], ["tags", site.terms.tag]] as const) {
    for (const [slug, feed] of terms) addFeed(path.join(folder, slug), feed);
  }
  for (const [relative, body] of files) {
    const target = path.join(outDir, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, body);
  }
  return files.size;
}
