// Values prepared for the `feed` package (6.0.0), whose XML writer (xml-js) has quirks that would
// otherwise corrupt text or produce XML that is not well-formed. Measured on feed 6.0.0:
//  - text nodes: xml-js first turns every "&amp;" back into "&" and then escapes & < >, so a
//    literal "&amp;" in a title would come out as "&". Pre-escaping every "&" undoes that exactly.
//  - CDATA sections: only the first "]]>" is split, a second one ends the section early
//    (forCdata splits the others the same way, so the text reads back exactly).
//  - attributes: only '"' is escaped (feed adds "&" for some), so "<" must never reach one.
// Control characters cannot reach either writer: text/clean-text.ts removed them when the post was read.

import { LRUCache } from "lru-cache";

/** The package writes the stylesheet instruction on the XML declaration's line; give it its own. */
export function withStylesheetOnItsOwnLine(xml: string): string {
  return xml.replace("?><?xml-stylesheet ", "?>\n<?xml-stylesheet ");
}

// Each escaper first looks for a character it changes: most titles, names and summaries have
// none, and one search is cheaper than a replace per character (a feed page escapes about 200).

/** For a value the package writes as an XML text node. */
export function forXmlText(text: string): string {
  return text.includes("&") ? text.replaceAll("&", "&amp;") : text;
}

/** For an attribute the package writes without escaping "&" (RSS category domain). */
export function forXmlAttribute(text: string): string {
  if (!XML_ATTRIBUTE_SPECIAL.test(text)) return text;
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;");
}

const XML_ATTRIBUTE_SPECIAL = /[&<]/;

/**
 * For a value the package writes as CDATA. xml-js splits the first "]]>" into
 * "]]]]><![CDATA[>"; this does the same to every later one, which xml-js leaves alone.
 */
export function forCdata(text: string): string {
  const first = text.indexOf("]]>");
  if (first === -1) return text;
  const head = text.slice(0, first + 3);
  return head + text.slice(first + 3).replaceAll("]]>", "]]]]><![CDATA[>");
}

/**
 * What to give the package for a text it writes as a CDATA section (`element` names the element
 * that holds it): the text prepared by forCdata, or a stand-in that DeferredCdata replaces in
 * the package's output.
 */
export type CdataValue = (element: string, text: string) => string;

/** The package gets every text itself. */
export const cdataAsIs: CdataValue = (_element, text) => forCdata(text);

/**
 * Values the package writes as CDATA, given to it as short placeholders and put into its output
 * afterwards. The renderers defer item content, nearly all of a feed's bytes.
 *
 * Why: xml-js builds each element by joining its children into a new string, so a value is
 * copied once per level of nesting, about ten times for an item's content; with 20 items of
 * 10–15 KB, most of a render went to those copies. The package still writes the whole document,
 * around the placeholders; each is then replaced, in one pass, by exactly what xml-js writes for
 * that value. Measured on 10,000 posts, RSS and Atom of the site feed and 21 category feeds (44
 * documents of 20 items): 81 ms with the placeholders and 222 ms without (medians of 15 runs of
 * 6 renders each, alternating; 55–110 ms and 160–286 ms), and about a third of the CPU time.
 */
export class DeferredCdata {
  readonly #values: { readonly element: string; readonly text: string }[] = [];

  readonly value: CdataValue = (element, text) => {
    // The package leaves an empty value out, so no placeholder is expected for one.
    if (text === "") return "";
    this.#values.push({ element, text });
    return `${MARK}${this.#values.length - 1}${MARK}`;
  };

  /**
   * The package's document with each placeholder replaced by its text, followed by `tail`, as
   * UTF-8 bytes. Undefined unless the NULs in it are exactly the placeholders, each once and
   * inside the CDATA section of the element it was given for; the caller then renders again with
   * the texts themselves. Another NUL can only come from the configuration's texts
   * (text/clean-text.ts removes them from posts') and makes the count wrong; a placeholder found
   * elsewhere would mean a feed package that writes content differently, where this text would
   * not fit. Each text is encoded once for every document that shows it (a post is on the first
   * page of its site, category and tag feeds): encoding 220 KB of mostly Japanese text per
   * document was a fifth of the time spent rendering feeds.
   */
  fillBytes(xml: string, tail: string): Buffer | undefined {
    const split = this.#split(xml);
    if (!split) return undefined;
    const pieces: Buffer[] = [];
    split.texts.forEach((text, index) => pieces.push(Buffer.from(split.around[index] ?? "", "utf8"), cdataBytes(text)));
    pieces.push(Buffer.from(`${split.around.at(-1) ?? ""}${tail}`, "utf8"));
    return Buffer.concat(pieces);
  }

  /**
   * The package's output cut at the placeholders: `around[i]` comes before `texts[i]`, and the
   * last of `around` after the last text. Undefined unless they are exactly as fillBytes() says.
   */
  #split(xml: string): { around: string[]; texts: string[] } | undefined {
    // Text, index, text, index, ..., text.
    const parts = xml.split(MARK);
    const count = this.#values.length;
    if (parts.length !== 2 * count + 1) return undefined;
    const seen = new Uint8Array(count);
    const around: string[] = [];
    const texts: string[] = [];
    for (let at = 1; at < parts.length; at += 2) {
      const before = parts[at - 1] ?? "";
      const label = parts[at] ?? "";
      const index = Number(label);
      const entry = this.#values[index];
      if (!entry || String(index) !== label || seen[index] === 1) return undefined;
      seen[index] = 1;
      if (!before.endsWith(CDATA_START) || !(parts[at + 1] ?? "").startsWith(`${CDATA_END}</${entry.element}>`)) return undefined;
      around.push(before);
      texts.push(entry.text);
    }
    around.push(parts[parts.length - 1] ?? "");
    return { around, texts };
  }
}

/**
 * Plain-text values of an RSS document (titles, category names, author names), written as the
 * RSS Best Practices Profile asks: "&", "<" and ">" as the hexadecimal references "&#x26;",
 * "&#x3C;" and "&#x3E;", never CDATA or "&amp;" — RSS never said whether these elements hold
 * HTML, readers disagree, and the W3C validator warns on anything else. The `feed` package can
 * write neither, so it gets a placeholder for each value, replaced in its output.
 */
export class PlainTextValues {
  readonly #texts: string[] = [];

  /** What to give the package for `text`. */
  readonly value = (text: string): string => {
    if (!PLAIN_SPECIAL.test(text)) return text;
    this.#texts.push(text);
    return `${PLAIN_MARK}${this.#texts.length - 1}${PLAIN_MARK}`;
  };

  /**
   * The package's output with each placeholder (as a text node, or in the CDATA section the
   * package puts item titles in) replaced by its text, escaped as above. Throws when a
   * placeholder is missing or repeated: the package writes values otherwise than this expects.
   */
  fill(xml: string): string {
    if (this.#texts.length === 0) return xml;
    const seen = new Uint8Array(this.#texts.length);
    const filled = xml.replace(PLAIN_PLACEHOLDER, (_match, cdataOpen: string | undefined, label: string, cdataClose: string | undefined) => {
      const index = Number(label);
      if (seen[index] === 1 || (cdataOpen === undefined) !== (cdataClose === undefined)) throw new Error("feeds: the feed package wrote a plain-text value otherwise than expected");
      seen[index] = 1;
      return escapePlainText(this.#texts[index] ?? "");
    });
    if (seen.includes(0)) throw new Error("feeds: the feed package left out a plain-text value");
    return filled;
  }
}

const PLAIN_SPECIAL = /[&<>]/;
/** Placeholders are U+0001, the value's index, U+0001: a character no text holds (text/clean-text.ts). */
const PLAIN_MARK = "\u0001";
// eslint-disable-next-line no-control-regex -- the placeholder's mark
const PLAIN_PLACEHOLDER = /(<!\[CDATA\[)?\u0001(\d+)\u0001(\]\]>)?/g;

/** Plain text with "&", "<" and ">" as hexadecimal character references (RSS Best Practices Profile). */
export function escapePlainText(text: string): string {
  return text.replaceAll("&", "&#x26;").replaceAll("<", "&#x3C;").replaceAll(">", "&#x3E;");
}

/**
 * UTF-8 of asXmlJsWritesCdata(text), by text: the posts on the first pages being rendered. 4 MB
 * holds the contents of the 9 feeds an edit renders again (100–200 posts of 10–15 KB).
 */
const encodedCdata = new LRUCache<string, Buffer>({ maxSize: 4 * 1024 * 1024, sizeCalculation: (bytes, text) => bytes.length + 2 * text.length });

function cdataBytes(text: string): Buffer {
  let bytes = encodedCdata.get(text);
  if (!bytes) {
    bytes = Buffer.from(asXmlJsWritesCdata(text), "utf8");
    encodedCdata.set(text, bytes);
  }
  return bytes;
}

/** Placeholders are NUL, the value's index, NUL: a character no post's text holds. */
const MARK = "\u0000";
const CDATA_START = "<![CDATA[";
const CDATA_END = "]]>";

/**
 * The inside of the CDATA section xml-js writes for forCdata(text): forCdata splits every "]]>"
 * but the first and xml-js splits the first, so every one is split. (One scan of the text, where
 * the two steps took two.)
 */
function asXmlJsWritesCdata(text: string): string {
  return text.replaceAll("]]>", "]]]]><![CDATA[>");
}
