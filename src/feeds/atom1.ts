// Atom 1.0 (RFC 4287), rendered by the `feed` package.
//
//  - <title>, <summary> and <content> are type="html" (the package's choice), so plain-text
//    titles and summaries are HTML-escaped first;
//  - <id> is the post's id (its URL unless front matter gives one) and never changes on edits
//    (RFC 4287 §4.2.6: "permanent, universally unique");
//  - <updated> is the last edit, <published> the post date; the feed's <updated> is the newest
//    entry's, never the build time;
//  - categories carry the name as term and say whether they are a category or a tag through
//    scheme (a "<" cannot be written into an attribute by the package, so such a name is given
//    by its slug instead).
import { Feed, type Item } from "feed";
import { cdataAsIs, DeferredCdata, forCdata, type CdataValue, forXmlText, withStylesheetOnItsOwnLine } from "./feed-package-input.js";
import { lastChange, type FeedSpec } from "./feed-spec.js";
import { escapeMarkup } from "./escape-markup.js";
import { extraLines, insertLinesAfterSelf } from "./extra-links.js";
import { GENERATOR } from "./generator.js";
import { termSlug } from "./slug.js";
import { validEmail } from "../text/email.js";

const IMAGE_EXTENSIONS_THAT_ARE_TYPES = /\.(?:png|gif|jpeg|webp|avif|bmp)$/i;

/** The document as UTF-8 bytes, ending with a newline like every document Feedwright writes. */
export function renderAtom1Bytes(spec: FeedSpec): Buffer {
  const deferred = new DeferredCdata();
  return deferred.fillBytes(atom1Xml(spec, deferred.value), "\n") ?? Buffer.from(`${atom1Xml(spec, cdataAsIs)}\n`, "utf8");
}

/** The document without its final newline; `cdata` gives the package each value it writes as CDATA. */
function atom1Xml(spec: FeedSpec, cdata: CdataValue): string {
  const feed = new Feed({
    title: forXmlText(spec.title),
    description: spec.description ? forXmlText(spec.description) : undefined,
    // The same id in every document: RFC 5005 archives are parts of one feed.
    id: forXmlText(spec.feedUrls.atom),
    link: spec.homePageUrl,
    language: spec.language,
    updated: spec.updated,
    generator: GENERATOR,
    feedLinks: { atom: spec.urls.atom },
    stylesheet: escapeMarkup(spec.stylesheetUrl),
    author: {
      name: forXmlText(spec.author.name),
      email: atomEmail(spec.author.email),
      link: spec.author.url,
    },
  });
  for (const post of spec.items) {
    const item: Item = {
      title: forCdata(escapeMarkup(post.title)),
      id: post.id,
      link: post.url,
      date: lastChange(post),
      published: post.date,
      description: post.summary ? forCdata(escapeMarkup(post.summary)) : undefined,
      // Only the content is deferred: it is nearly all of the bytes (titles and summaries are short).
      content: cdata("content", post.contentHtml),
      author: post.authors.map((author) => ({
        name: forXmlText(author.name),
        email: atomEmail(author.email),
        link: author.url,
      })),
      category: [
        ...post.categories.map((name) => atomCategory(name, spec.categoryScheme)),
        ...post.tags.map((name) => atomCategory(name, spec.tagScheme)),
      ],
    };
    // The package writes an image as <link rel="enclosure" type="image/<extension>">, so only
    // pass it when the extension is also the registered media type's name.
    if (post.image && IMAGE_EXTENSIONS_THAT_ARE_TYPES.test(new URL(post.image).pathname)) item.image = post.image;
    feed.addItem(item);
  }
  const xml = insertLinesAfterSelf(withStylesheetOnItsOwnLine(feed.atom1()), ATOM_SELF_LINK, extraLines(spec, "atom", (link) => `<link rel="${link.rel}" href="${escapeMarkup(link.href)}"/>`));
  return withEntryLanguages(withLanguage(xml, spec.language), spec);
}

const ATOM_SELF_LINK = '<link rel="self" href="';
const ATOM_ROOT = '<feed xmlns="http://www.w3.org/2005/Atom">';

/**
 * The package ignores `language` for Atom; RFC 4287 §2 takes it from xml:lang, which every
 * text construct inherits from the root. Added to the root element the package always writes.
 */
function withLanguage(xml: string, language: string): string {
  if (!xml.includes(ATOM_ROOT)) throw new Error(`feeds: the feed package no longer writes ${ATOM_ROOT}; update atom1.ts`);
  return xml.replace(ATOM_ROOT, `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeMarkup(language)}">`);
}

/**
 * A post in another language than the site's (front-matter `lang`) gets xml:lang on its <entry>,
 * so readers and the JSON Feed's item `language` agree. The package writes every entry as a bare
 * "<entry>", and that text cannot occur anywhere else in its output: titles, summaries and names
 * are escaped, and content is put in afterwards (DeferredCdata; when it cannot be, it is sanitized
 * HTML, which has no <entry> element), so each "<entry>" is the next item's.
 */
function withEntryLanguages(xml: string, spec: FeedSpec): string {
  const parts = xml.split("<entry>");
  if (parts.length - 1 !== spec.items.length) throw new Error("feeds: the feed package's <entry> elements no longer match the items; update atom1.ts");
  let result = parts[0] ?? "";
  spec.items.forEach((post, index) => {
    const language = post.language && post.language !== spec.language ? post.language : undefined;
    result += `${language ? `<entry xml:lang="${escapeMarkup(language)}">` : "<entry>"}${parts[index + 1] ?? ""}`;
  });
  return result;
}

function atomCategory(name: string, scheme: string): { term: string; scheme: string } {
  return { term: name.includes("<") ? termSlug(name) : name, scheme };
}

/**
 * RFC 4287 §3.2.2: an addr-spec. The content stage and the configuration accept only such
 * addresses; this keeps a document well-formed whatever reaches it.
 */
function atomEmail(email: string | undefined): string | undefined {
  const valid = email === undefined ? undefined : validEmail(email);
  return valid === undefined ? undefined : forXmlText(valid);
}
