// Where jekyll-feed 0.17 published a site's feeds (lib/jekyll-feed/generator.rb), and the
// Feedwright feed each became: a reader subscribed to the old URL is sent on with a 301. The
// site feed keeps its path when it is Feedwright's own (/feed.xml: the same items and ids, in
// RSS instead of Atom); categories and tags go to their Atom feeds, the format jekyll-feed wrote.
import type { JekyllFeedSettings } from "../content/jekyll/site-config.js";
import { FEED_FORMATS, formatRoute, SITE_SCOPE, type FeedScope } from "./routes.js";
import type { Term, TermKind } from "./taxonomy.js";
import { termSlug } from "./slug.js";

/** Old path (decoded, as jekyll-feed named the file) -> the path of the same feed here. */
export function jekyllFeedPaths(feed: JekyllFeedSettings, terms: Readonly<Record<TermKind, readonly Term[]>>): Map<string, string> {
  const moved = new Map<string, string>();
  const atomFeed = (scope: FeedScope): string => formatRoute({ kind: "feed", scope, format: "atom", archive: 0 });
  const ownPaths = new Set(FEED_FORMATS.map((format) => formatRoute({ kind: "feed", scope: SITE_SCOPE, format, archive: 0 })));
  if (!ownPaths.has(feed.path)) moved.set(feed.path.normalize("NFC"), atomFeed(SITE_SCOPE));
  const bySlug = (kind: TermKind): Map<string, Term> => new Map(terms[kind].map((term) => [term.slug, term]));
  const categories = bySlug("category");
  // Generator#feed_path: "/feed/<category>.xml", the name as written in feed.categories.
  for (const name of feed.categories) {
    const term = categories.get(termSlug(name));
    if (term) moved.set(`/feed/${name}.xml`.normalize("NFC"), atomFeed({ kind: "category", slug: term.slug }));
  }
  if (feed.tags) {
    const tags = bySlug("tag");
    // Generator#generate_feed_by_tag: `only` (else every tag of the site) minus `except`, and
    // only names of letters, digits and "_" ("to keep the feed path simple").
    const pool = feed.tags.only ?? terms.tag.flatMap((term) => term.spellings);
    for (const name of pool) {
      if (feed.tags.except.includes(name) || /[^a-zA-Z0-9_]/u.test(name)) continue;
      const term = tags.get(termSlug(name));
      if (term) moved.set(`${feed.tags.path.startsWith("/") ? "" : "/"}${feed.tags.path}${name}.xml`, atomFeed({ kind: "tag", slug: term.slug }));
    }
  }
  return moved;
}
