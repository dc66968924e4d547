// Reads an Atom 1.0 document (RFC 4287) into plain values: its links and, for each entry, what
// the comparison of Feedwright with Jekyll looks at. Used for Feedwright's documents and for
// jekyll-feed's feed.xml alike.
//
// htmlparser2's forgiving XML mode is used on purpose: jekyll-feed writes post content into a
// CDATA section without splitting a "]]>" inside it, so its feed.xml is not always well-formed
// XML. A forgiving parser still reads every entry's id, title, link and summary around it.
import { DomUtils, parseDocument } from "htmlparser2";

/** domhandler's Element, named through htmlparser2 (which depends on domhandler; we do not). */
type Element = NonNullable<ReturnType<typeof DomUtils.findOne>>;

export interface AtomLink {
  /** "alternate" when the attribute is absent (RFC 4287, 4.2.7.2) */
  readonly rel: string;
  readonly href: string;
}

export interface AtomCategory {
  readonly term: string;
  readonly scheme: string | undefined;
}

export interface AtomEntry {
  readonly id: string | undefined;
  /** the title as HTML (a type="text" title is escaped into HTML) */
  readonly titleHtml: string | undefined;
  /** the alternate link's href */
  readonly link: string | undefined;
  /** RFC 3339, as written */
  readonly published: string | undefined;
  readonly updated: string | undefined;
  readonly categories: readonly AtomCategory[];
  /** the content as HTML, or undefined if the entry has none */
  readonly contentHtml: string | undefined;
  readonly summaryHtml: string | undefined;
}

export interface AtomDocument {
  readonly links: readonly AtomLink[];
  readonly entries: readonly AtomEntry[];
}

/** Parses an Atom document. Throws, naming `source`, if it has no <feed> element. */
export function readAtomDocument(xml: string, source: string): AtomDocument {
  const document = parseDocument(xml, { xmlMode: true });
  const feed = DomUtils.findOne((element) => withoutPrefix(element.name) === "feed", document.children, true);
  if (!feed) throw new Error(`compare: ${source}: not an Atom document (no <feed> element)`);
  const entries = childElements(feed, "entry").map(readEntry);
  return { links: childElements(feed, "link").map(readLink), entries };
}

function readEntry(entry: Element): AtomEntry {
  const links = childElements(entry, "link").map(readLink);
  return {
    id: childText(entry, "id")?.trim(),
    titleHtml: textConstructHtml(childElements(entry, "title")[0]),
    link: links.find((link) => link.rel === "alternate")?.href,
    published: childText(entry, "published")?.trim(),
    updated: childText(entry, "updated")?.trim(),
    categories: childElements(entry, "category").map((category) => ({
      term: category.attribs.term ?? "",
      scheme: category.attribs.scheme,
    })),
    contentHtml: textConstructHtml(childElements(entry, "content")[0]),
    summaryHtml: textConstructHtml(childElements(entry, "summary")[0]),
  };
}

function readLink(link: Element): AtomLink {
  return { rel: link.attribs.rel ?? "alternate", href: link.attribs.href ?? "" };
}

/**
 * An Atom text construct (RFC 4287, 3.1) as HTML: type="html" holds escaped HTML, type="text"
 * (the default) plain text, type="xhtml" an XHTML <div> whose content is the value.
 */
function textConstructHtml(element: Element | undefined): string | undefined {
  if (!element) return undefined;
  const type = element.attribs.type ?? "text";
  if (type === "html") return DomUtils.textContent(element);
  if (type === "xhtml") {
    const wrapper = DomUtils.getElementsByTagName(() => true, element.children, false, 1)[0];
    return wrapper ? DomUtils.getInnerHTML(wrapper, { xmlMode: true }) : "";
  }
  return escapeText(DomUtils.textContent(element));
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function childElements(parent: Element, name: string): Element[] {
  return DomUtils.getElementsByTagName((tagName) => withoutPrefix(tagName) === name, parent.children, false);
}

function childText(parent: Element, name: string): string | undefined {
  const element = childElements(parent, name)[0];
  return element ? DomUtils.textContent(element) : undefined;
}

/** An element name without its namespace prefix ("atom:entry" -> "entry"). */
function withoutPrefix(name: string): string {
  return name.slice(name.indexOf(":") + 1);
}
