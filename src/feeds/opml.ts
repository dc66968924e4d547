// OPML 2.0 (http://opml.org/spec2.opml) listing every feed, so a reader can subscribe to all of
// them at once. One outline per feed (its RSS document, the format every reader imports), grouped
// into folders for the site, its categories and its tags; each outline's text is the category or
// tag name. (OPML's `category` attribute is not used: it is a list of "/"-separated paths, which
// names such as "CI/CD" or "Hello, World" would break.)
import type { Config } from "../config.js";
import type { PostHead } from "../content/post.js";
import type { FeedSpec } from "./feed-spec.js";
import { feedLabels } from "./labels.js";
import { escapeMarkup } from "./escape-markup.js";

export function renderOpml(config: Config, feeds: readonly FeedSpec<PostHead>[]): string {
  const labels = feedLabels(config.site.language);
  const outline = (feed: FeedSpec<PostHead>, text: string): string =>
    `      <outline type="rss" text="${escapeMarkup(text)}" title="${escapeMarkup(feed.title)}" xmlUrl="${escapeMarkup(feed.urls.rss)}" htmlUrl="${escapeMarkup(feed.homePageUrl)}"/>`;
  const group = (title: string, lines: string[]): string =>
    lines.length === 0 ? "" : `    <outline text="${escapeMarkup(title)}">\n${lines.join("\n")}\n    </outline>\n`;

  const site = feeds.filter((feed) => feed.kind === "site");
  const categories = feeds.filter((feed) => feed.kind === "category");
  const tags = feeds.filter((feed) => feed.kind === "tag");
  // From -Infinity, not 0, so that a site whose posts all predate 1970 does not claim 1970.
  const newestOfFeeds = feeds.reduce((max, feed) => Math.max(max, feed.updated.getTime()), -Infinity);
  const newest = Number.isFinite(newestOfFeeds) ? newestOfFeeds : 0;
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n` +
    `<opml version="2.0">\n` +
    `  <head>\n` +
    `    <title>${escapeMarkup(config.site.title)}</title>\n` +
    `    <dateModified>${new Date(newest).toUTCString()}</dateModified>\n` +
    `    <ownerName>${escapeMarkup(config.site.author.name)}</ownerName>\n` +
    `  </head>\n` +
    `  <body>\n` +
    group(labels.siteFeeds, site.map((feed) => outline(feed, feed.title))) +
    group(labels.categories, categories.map((feed) => outline(feed, feed.term?.name ?? ""))) +
    group(labels.tags, tags.map((feed) => outline(feed, feed.term?.name ?? ""))) +
    `  </body>\n` +
    `</opml>\n`
  );
}
