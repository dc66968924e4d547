// What the comparison of Feedwright with Jekyll reads in a post's HTML: its text, the Liquid and
// kramdown markers left in it, and whether it has footnotes. The same functions read both sides,
// so a difference in the figures is a difference in the HTML, never in how it was read.
import { decodeHTML } from "entities";
import { Parser } from "htmlparser2";

// Elements whose edges separate words: "<p>a</p><p>b</p>" reads "a b", while "<em>a</em>b"
// reads "ab". Without this, the same text laid out with or without newlines between blocks
// (kramdown writes them, a sanitizer may not) would compare as different.
const BLOCK_ELEMENTS = new Set([
  "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
  "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
  "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
]);

// Their content is not text a reader sees.
const NON_TEXT_ELEMENTS = new Set(["script", "style", "template"]);

/**
 * The text of an HTML fragment as a reader sees it: tags removed (with the content of script,
 * style and template), entities decoded, every run of whitespace (Unicode's, as JavaScript's \s
 * has it) one space, trimmed.
 */
export function htmlToText(html: string): string {
  const parts: string[] = [];
  let hiddenDepth = 0;
  const parser = new Parser(
    {
      onopentagname(name) {
        if (NON_TEXT_ELEMENTS.has(name)) hiddenDepth++;
        if (BLOCK_ELEMENTS.has(name)) parts.push(" ");
      },
      onclosetag(name) {
        if (NON_TEXT_ELEMENTS.has(name)) hiddenDepth = Math.max(0, hiddenDepth - 1);
        if (BLOCK_ELEMENTS.has(name)) parts.push(" ");
      },
      ontext(text) {
        if (hiddenDepth === 0) parts.push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return parts.join("").replace(/\s+/g, " ").trim();
}

/** Occurrences of the markers a Liquid or kramdown pass should have consumed. */
export interface MarkupMarkers {
  /** `{%` and `{{` */
  readonly liquid: number;
  /** `{:`, the start of a kramdown attribute list or extension */
  readonly attributeList: number;
}

/** Code, whose text Markdown leaves as written: `{:site => url}` in Ruby is code, not an attribute list. */
const CODE_ELEMENTS = /<(pre|code)\b[^>]*>[^]*?<\/\1>/gi;

/**
 * Counts the markers in the HTML with its entities decoded, tags and attribute values included
 * (an attribute list left in an image's alt text is still a leftover). Attribute-list markers
 * are not counted inside code: kramdown reads none there, and Jekyll's highlighter splits code
 * into spans (`<span>{</span><span>:site</span>`), so counting them would blame the side whose
 * code is not coloured. Liquid runs before Markdown, inside code too, so its markers count
 * everywhere.
 */
export function countMarkupMarkers(html: string): MarkupMarkers {
  const decoded = decodeHTML(html);
  const outsideCode = decodeHTML(html.replace(CODE_ELEMENTS, ""));
  return { liquid: occurrences(decoded, "{%") + occurrences(decoded, "{{"), attributeList: occurrences(outsideCode, "{:") };
}

function occurrences(text: string, marker: string): number {
  let count = 0;
  for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + marker.length)) count++;
  return count;
}

// kramdown writes footnotes as <div class="footnotes">, with references to "#fn:1" and back
// references to "#fnref:1" (kramdown's converter/html.rb, footnote_content); marked-footnote
// writes <section class="footnotes"> with "#footnote-1" and "#footnote-ref-1". A sanitizer that
// drops class attributes still leaves the links, made absolute: "https://…/post/#fn:1".
const FOOTNOTES_CLASS = /\bclass\s*=\s*["']?[^"'>]*\bfootnotes\b/i;
const FOOTNOTE_REFERENCE = /\bhref\s*=\s*["']?[^"'\s>]*#(?:fn|footnote-)[^"'\s>]*/i;
const FOOTNOTE_BACK_REFERENCE = /\bhref\s*=\s*["']?[^"'\s>]*#(?:fnref|footnote-ref)[^"'\s>]*/i;

/** Whether the HTML has footnotes: a footnotes block, or links both to notes and back from them. */
export function hasFootnotes(html: string): boolean {
  return FOOTNOTES_CLASS.test(html) || (FOOTNOTE_REFERENCE.test(html) && FOOTNOTE_BACK_REFERENCE.test(html));
}

/** Where two texts first differ, with a little of each from just before that point. */
export interface TextDifference {
  /** code points in common at the start */
  readonly at: number;
  readonly jekyll: string;
  readonly feedwright: string;
}

const CONTEXT_BEFORE = 20;
const SNIPPET_LENGTH = 100;

/** The first difference between Jekyll's text and Feedwright's, or undefined if they are equal. */
export function firstDifference(jekyll: string, feedwright: string): TextDifference | undefined {
  if (jekyll === feedwright) return undefined;
  const left = Array.from(jekyll);
  const right = Array.from(feedwright);
  let at = 0;
  while (at < left.length && at < right.length && left[at] === right[at]) at++;
  const start = Math.max(0, at - CONTEXT_BEFORE);
  const snippet = (codePoints: readonly string[]): string => codePoints.slice(start, start + SNIPPET_LENGTH).join("");
  return { at, jekyll: snippet(left), feedwright: snippet(right) };
}
