// `feedwright build --out DIR`: every document as a file, at the path it is served from, so any
// static file server or object store can serve the feeds. A category or tag folder is named by
// its slug itself (feeds/slug.ts makes it a safe file name); a URL reaches it percent-encoded.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { SiteBuild } from "../feeds/build-site.js";
import { FEED_FILE_NAMES, type FeedFormat } from "../feeds/feed-spec.js";

/** Writes the files and returns how many were written. */
export async function writeStaticSite(site: SiteBuild, outDir: string): Promise<number> {
  const files = new Map<string, Buffer>();
  files.set("index.html", site.index.body);
  files.set("feeds.opml", site.opml.body);
  for (const format of Object.keys(FEED_FILE_NAMES) as FeedFormat[]) {
    files.set(FEED_FILE_NAMES[format], site.site.documents[format].body);
    for (const [folder, terms] of [["categories", site.terms.category], ["tags", site.terms.tag]] as const) {
      for (const [slug, feed] of terms) files.set(path.join(folder, slug, FEED_FILE_NAMES[format]), feed.documents[format].body);
    }
  }
  for (const [relative, body] of files) {
    const target = path.join(outDir, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, body);
  }
  return files.size;
}
