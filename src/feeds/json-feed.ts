// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
//
// The `feed` package's json1() writes JSON Feed 1.0 (`author` instead of `authors`, no
// `language`, items without an id for some inputs), so this format is serialized here from the
// same FeedSpec with JSON.stringify, which escapes every string correctly. Keys are written in
// a fixed order so the same posts always give the same bytes.
import { archiveLinks, lastChange, type FeedSpec } from "./feed-spec.js";
import type { Author } from "../config.js";

export interface JsonFeedAuthor {
  name: string;
  url?: string;
}

export interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  content_html: string;
  summary?: string;
  image?: string;
  date_published: string;
  date_modified: string;
  authors: JsonFeedAuthor[];
  tags?: string[];
  language?: string;
}

export interface JsonFeed {
  version: "https://jsonfeed.org/version/1.1";
  title: string;
  home_page_url: string;
  feed_url: string;
  description?: string;
  next_url?: string;
  language: string;
  authors: JsonFeedAuthor[];
  hubs?: { type: string; url: string }[];
  items: JsonFeedItem[];
}

export function renderJsonFeed(spec: FeedSpec): string {
  const older = archiveLinks(spec, "json").prevArchive;
  const document: JsonFeed = {
    version: "https://jsonfeed.org/version/1.1",
    title: spec.title,
    home_page_url: spec.homePageUrl,
    // feed_url identifies the feed, so every document gives the subscription document's URL;
    // next_url leads to older posts: the subscription document to the newest archive, each
    // archive to the next older one (the RFC 5005 prev-archive of the XML formats).
    feed_url: spec.feedUrls.json,
    ...(spec.description ? { description: spec.description } : {}),
    ...(older ? { next_url: older } : {}),
    language: spec.language,
    authors: [jsonAuthor(spec.author)],
    ...(spec.hubs.length > 0 ? { hubs: spec.hubs.map((url) => ({ type: "WebSub", url })) } : {}),
    items: spec.items.map((post) => {
      const tags = [...new Set([...post.categories, ...post.tags])];
      const item: JsonFeedItem = {
        id: post.id,
        url: post.url,
        title: post.title,
        content_html: post.contentHtml,
        ...(post.summary ? { summary: post.summary } : {}),
        ...(post.image ? { image: post.image } : {}),
        date_published: post.date.toISOString(),
        date_modified: lastChange(post).toISOString(),
        authors: post.authors.map(jsonAuthor),
        ...(tags.length > 0 ? { tags } : {}),
        ...(post.language ? { language: post.language } : {}),
      };
      return item;
    }),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function jsonAuthor(author: Author): JsonFeedAuthor {
  return author.url ? { name: author.name, url: author.url } : { name: author.name };
}
