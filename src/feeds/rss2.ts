// RSS 2.0 (https://www.rssboard.org/rss-specification), rendered by the `feed` package.
//
// Choices the spec leaves open, made for readers:
//  - <description> is the plain-text summary (as HTML) and <content:encoded> the full HTML, in
//    that order, as the RSS Best Practices Profile recommends;
//  - authors go in <dc:creator>: RSS's own <author> must be an e-mail address;
//  - <guid isPermaLink="true"> is the post URL unless front matter gives another id;
//  - dates are RFC 822 with a four-digit year in GMT (feed uses Date#toUTCString);
//  - <lastBuildDate> is the newest item's change, so the same posts give the same bytes;
//  - titles, category names and author names are plain text with "&", "<" and ">" written as
//    hexadecimal references, as the RSS Best Practices Profile asks (PlainTextValues).
import { Feed, type Item } from "feed";
import { cdataAsIs, DeferredCdata, forCdata, type CdataValue, forXmlAttribute, forXmlText, PlainTextValues, withStylesheetOnItsOwnLine } from "./feed-package-input.js";
import { lastChange, type FeedSpec } from "./feed-spec.js";
import { escapeMarkup } from "./escape-markup.js";
import { extraLines, insertLinesAfterSelf } from "./extra-links.js";
import { GENERATOR } from "./generator.js";

const MEDIA_RSS = "http://search.yahoo.com/mrss/";

/** The document as UTF-8 bytes, ending with a newline like every document Feedwright writes. */
export function renderRss2Bytes(spec: FeedSpec): Buffer {
  const deferred = new DeferredCdata();
  return deferred.fillBytes(rss2Xml(spec, deferred.value), "\n") ?? Buffer.from(`${rss2Xml(spec, cdataAsIs)}\n`, "utf8");
}

/** The document without its final newline; `cdata` gives the package each value it writes as CDATA. */
function rss2Xml(spec: FeedSpec, cdata: CdataValue): string {
  const plain = new PlainTextValues();
  const feed = new Feed({
    title: plain.value(spec.title),
    description: plain.value(spec.description || spec.title),
    id: spec.urls.rss,
    link: spec.homePageUrl,
    language: forXmlText(spec.language),
    updated: spec.updated,
    generator: forXmlText(GENERATOR),
    feedLinks: { rss: spec.urls.rss },
    ttl: spec.ttlMinutes,
    stylesheet: forXmlAttribute(spec.stylesheetUrl),
  });
  for (const post of spec.items) {
    const item: Item = {
      title: plain.value(post.title),
      link: post.url,
      date: lastChange(post),
      published: post.date,
      description: forCdata(escapeMarkup(post.summary || post.title)),
      // Only the content is deferred: it is nearly all of the bytes. Titles and summaries are
      // short, and withDublinCoreNamespace reads them in the package's output.
      content: cdata("content:encoded", post.contentHtml),
      category: [
        ...post.categories.map((name) => ({ name: plain.value(name), domain: forXmlAttribute(spec.categoryScheme) })),
        ...post.tags.map((name) => ({ name: plain.value(name), domain: forXmlAttribute(spec.tagScheme) })),
      ],
      extensions: [
        { name: "dc:creator", objects: { _text: plain.value(post.authors.map((author) => author.name).join(", ")) } },
        // Media RSS, which Feedly, Inoreader and others read for an item's picture. (RSS's own
        // <enclosure> needs the file's length in bytes, which a post does not know.)
        ...(post.image ? [{ name: "media:content", objects: { _attributes: { "xmlns:media": MEDIA_RSS, url: forXmlAttribute(post.image), medium: "image" } } }] : []),
      ],
    };
    // Without an id the package writes the link as <guid isPermaLink="true">.
    if (post.id !== post.url) item.id = forXmlText(post.id);
    feed.addItem(item);
  }
  return insertLinesAfterSelf(withStylesheetOnItsOwnLine(withDublinCoreNamespace(plain.fill(feed.rss2()))), RSS_SELF_LINK, extraLines(spec, "rss", (link) => `<atom:link href="${escapeMarkup(link.href)}" rel="${link.rel}"/>`));
}

const RSS_SELF_LINK = 'rel="self" type="application/rss+xml"/>';

const RSS_ROOT = '<rss version="2.0"';
const DUBLIN_CORE = 'xmlns:dc="http://purl.org/dc/elements/1.1/"';

/**
 * The package declares xmlns:dc only together with xmlns:content, that is only when some item has
 * content; but every item has a <dc:creator>, so a feed whose posts all have an empty body used an
 * undeclared prefix and was not namespace-well-formed XML. Declared on the root in that case.
 */
function withDublinCoreNamespace(xml: string): string {
  if (!xml.includes("<dc:creator")) return xml;
  const root = xml.indexOf(RSS_ROOT);
  if (root === -1) throw new Error(`feeds: the feed package no longer writes ${RSS_ROOT}; update rss2.ts`);
  // Only the root's own start tag says whether the prefix is declared: a title or summary can
  // hold the same text.
  if (xml.slice(root, xml.indexOf(">", root)).includes(DUBLIN_CORE)) return xml;
  return `${xml.slice(0, root + RSS_ROOT.length)} ${DUBLIN_CORE}${xml.slice(root + RSS_ROOT.length)}`;
}
