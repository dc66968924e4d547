// The HTML page at "/": every feed, grouped, with its item count and last update, and
// autodiscovery <link rel="alternate"> tags for the site feeds so a browser or reader given the
// page's address finds them.
import { DateTime } from "luxon";
import type { Config } from "../config.js";
import type { FeedDocuments } from "../feeds/build-site.js";
import { feedLabels } from "../feeds/labels.js";
import { GENERATOR } from "../feeds/generator.js";
import { formatRoute, routeFile } from "../feeds/routes.js";
import { escapeMarkup as e } from "./escape.js";

export function renderIndexPage(config: Config, feeds: readonly FeedDocuments[]): string {
  const labels = feedLabels(config.site.language);
  const opmlUrl = `${config.feed.url}${formatRoute({ kind: "opml" })}`;
  const site = feeds.find((feed) => feed.spec.kind === "site");
  const categories = feeds.filter((feed) => feed.spec.kind === "category");
  const tags = feeds.filter((feed) => feed.spec.kind === "tag");

  const day = (date: Date): string => (date.getTime() === 0 ? "—" : DateTime.fromJSDate(date, { zone: config.site.timezone }).toISODate() ?? "");
  const links = (feed: FeedDocuments): string =>
    `<a href="${e(feed.spec.urls.rss)}">RSS</a> · <a href="${e(feed.spec.urls.atom)}">Atom</a> · <a href="${e(feed.spec.urls.json)}">JSON Feed</a>`;
  const row = (feed: FeedDocuments, name: string): string => {
    const spellings = feed.spec.term && feed.spec.term.spellings.length > 1 ? ` <small>(${feed.spec.term.spellings.map(e).join(", ")})</small>` : "";
    const count = feed.spec.postCount;
    return `      <li><strong>${e(name)}</strong>${spellings} — ${e(labels.posts(count))}${e(labels.separator)}${e(labels.lastUpdated)} ${e(day(feed.spec.updated))}<br>${links(feed)}</li>`;
  };
  const section = (title: string, list: readonly FeedDocuments[]): string =>
    list.length === 0 ? "" : `    <h2>${e(title)}</h2>\n    <ul>\n${list.map((feed) => row(feed, feed.spec.term?.name ?? feed.spec.title)).join("\n")}\n    </ul>\n`;

  const discovery = site
    ? [
        `<link rel="alternate" type="application/rss+xml" title="${e(site.spec.title)} (RSS)" href="${e(site.spec.urls.rss)}">`,
        `<link rel="alternate" type="application/atom+xml" title="${e(site.spec.title)} (Atom)" href="${e(site.spec.urls.atom)}">`,
        `<link rel="alternate" type="application/feed+json" title="${e(site.spec.title)} (JSON Feed)" href="${e(site.spec.urls.json)}">`,
      ].map((line) => `  ${line}\n`).join("")
    : "";
  return (
    `<!DOCTYPE html>\n` +
    `<html lang="${e(config.site.language)}">\n` +
    `<head>\n` +
    `  <meta charset="utf-8">\n` +
    `  <meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `  <meta name="generator" content="${e(GENERATOR)}">\n` +
    `  <title>${e(config.site.title)}</title>\n` +
    discovery +
    `  <link rel="alternate" type="text/x-opml" title="OPML" href="${e(opmlUrl)}">\n` +
    `</head>\n` +
    `<body>\n` +
    `  <main>\n` +
    `    <h1>${e(config.site.title)}</h1>\n` +
    (config.site.description ? `    <p>${e(config.site.description)}</p>\n` : "") +
    `    <p>${e(labels.intro)} <a href="${e(opmlUrl)}">${e(routeFile({ kind: "opml" }))}</a></p>\n` +
    (site ? section(labels.siteFeeds, [site]) : "") +
    section(labels.categories, categories) +
    section(labels.tags, tags) +
    `  </main>\n` +
    `</body>\n` +
    `</html>\n`
  );
}
