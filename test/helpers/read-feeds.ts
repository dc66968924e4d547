// Reads RSS, Atom and JSON Feed documents back into one plain shape, with an independent XML
// parser (xml.ts) and JSON.parse, so tests can check that the three formats say the same thing
// and that nothing was corrupted on the way. Knows the formats, not Feedwright's code.
import { child, childText, children, parseXml, type XmlElement } from "./xml.js";

export interface ReadItem {
  /** RSS guid, Atom id, JSON id. */
  readonly id: string;
  /** RSS link, Atom link (rel="alternate"), JSON url. */
  readonly link: string;
  /** The title as plain text (Atom's type="html" title is decoded). */
  readonly title: string;
  /** Publication instant in milliseconds (RSS pubDate, Atom published, JSON date_published). */
  readonly published: number;
  /** Category and tag names, with the URL scheme (RSS domain, Atom scheme) that says which. */
  readonly categories: readonly { readonly scheme: string | undefined; readonly name: string }[];
  /** The full content as HTML. */
  readonly contentHtml: string | undefined;
  /** The summary as HTML (RSS description, Atom summary) or plain text (JSON summary). */
  readonly summary: string | undefined;
}

export interface ReadFeed<Root> {
  readonly root: Root;
  readonly items: readonly ReadItem[];
}

/**
 * Decodes the HTML that a plain-text value becomes (&amp; &lt; &gt; &quot; &#39;) in one pass, so
 * "&amp;lt;" stays "&lt;". Throws on a bare "&" or "<": plain text must arrive fully escaped.
 */
export function decodeHtmlText(html: string): string {
  const entities: Readonly<Record<string, string>> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };
  return html.replace(/&(?:amp|lt|gt|quot|#39);|[&<]/gu, (match) => {
    const decoded = entities[match];
    if (decoded === undefined) throw new Error(`unescaped ${JSON.stringify(match)} in HTML text ${JSON.stringify(html)}`);
    return decoded;
  });
}

function required(value: string | undefined, what: string): string {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

/** The <rss> element and its items. Throws when the document is not well-formed XML. */
export function readRss(xml: string): ReadFeed<XmlElement> {
  const root = parseXml(xml);
  const channel = child(root, "channel");
  if (!channel) throw new Error("rss: no <channel>");
  const items = children(channel, "item").map((item): ReadItem => ({
    id: required(childText(item, "guid"), "rss <guid>"),
    link: required(childText(item, "link"), "rss <link>"),
    title: required(childText(item, "title"), "rss <title>"),
    published: Date.parse(required(childText(item, "pubDate"), "rss <pubDate>")),
    categories: children(item, "category").map((category) => ({ scheme: category.attributes.domain, name: category.text })),
    contentHtml: childText(item, "content:encoded"),
    summary: childText(item, "description"),
  }));
  return { root, items };
}

/** The <feed> element and its entries. Throws when the document is not well-formed XML. */
export function readAtom(xml: string): ReadFeed<XmlElement> {
  const root = parseXml(xml);
  const items = children(root, "entry").map((entry): ReadItem => {
    const title = child(entry, "title");
    if (!title) throw new Error("atom: <entry> without <title>");
    const alternate = children(entry, "link").find((link) => (link.attributes.rel ?? "alternate") === "alternate");
    return {
      id: required(childText(entry, "id"), "atom <id>"),
      link: required(alternate?.attributes.href, 'atom <link rel="alternate">'),
      title: htmlOrText(title),
      published: Date.parse(required(childText(entry, "published"), "atom <published>")),
      categories: children(entry, "category").map((category) => ({ scheme: category.attributes.scheme, name: required(category.attributes.term, "atom category term") })),
      contentHtml: child(entry, "content")?.text,
      summary: child(entry, "summary")?.text,
    };
  });
  return { root, items };
}

/** RFC 4287 §3.1: a text construct is plain text unless type="html" (or "xhtml", unused here). */
function htmlOrText(element: XmlElement): string {
  const type = element.attributes.type ?? "text";
  if (type === "html") return decodeHtmlText(element.text);
  if (type === "text") return element.text;
  throw new Error(`atom: unexpected text construct type ${type}`);
}

export interface JsonFeedItemShape {
  readonly id: string;
  readonly url: string;
  readonly title: string;
  readonly content_html?: string;
  readonly summary?: string;
  readonly date_published: string;
  readonly date_modified?: string;
  readonly tags?: readonly string[];
  readonly [key: string]: unknown;
}

export interface JsonFeedShape {
  readonly version: string;
  readonly items: readonly JsonFeedItemShape[];
  readonly [key: string]: unknown;
}

/** The parsed JSON Feed and its items. Throws when the document is not JSON. */
export function readJsonFeed(json: string): ReadFeed<JsonFeedShape> {
  const root = JSON.parse(json) as JsonFeedShape;
  const items = root.items.map((item): ReadItem => ({
    id: item.id,
    link: item.url,
    title: item.title,
    published: Date.parse(item.date_published),
    categories: (item.tags ?? []).map((name) => ({ scheme: undefined, name })),
    contentHtml: item.content_html,
    summary: item.summary,
  }));
  return { root, items };
}
