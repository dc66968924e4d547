// Jekyll's `smartify` filter. Jekyll runs kramdown with its SmartyPants parser
// (jekyll/converters/smartypants.rb): no Markdown, only smart quotes, entities, typographic
// symbols and span HTML, which passes through as it is. So: tags are kept, every other run of
// text gets kramdown's typography (kramdown/typography.ts), and the text is written as kramdown
// writes it, entities as characters and "&", "<", ">" escaped.
import { decodeHTMLStrict } from "entities";
import { CURLY_QUOTES, typographicText, type QuoteCharacters } from "../kramdown/typography.js";

/**
 * A tag or comment as kramdown's span HTML parser takes it; text between them is typeset. A "<"
 * right after another is the end of a "<<" guillemet, which kramdown finds first.
 */
const SPAN_HTML = /(?<!<)<\/?[A-Za-z][A-Za-z0-9:_.-]*(?:[\t\n\f\r ][^<>]*)?>|<!--[\s\S]*?-->/gu;
const ENTITY = /&(?:\w+|#\d+|#x[0-9a-fA-F]+);/gu;

/** `text` as Jekyll's smartify filter writes it, with the site's `smart_quotes`. */
export function smartifyText(text: string, quotes: QuoteCharacters = CURLY_QUOTES): string {
  let html = "";
  let position = 0;
  for (const tag of text.matchAll(SPAN_HTML)) {
    html += typesetRun(text.slice(position, tag.index), quotes) + tag[0];
    position = tag.index + tag[0].length;
  }
  // kramdown ends its output with a newline, which Jekyll cuts (String#chomp).
  return (html + typesetRun(text.slice(position), quotes)).replace(/\r?\n$/u, "");
}

function typesetRun(text: string, quotes: QuoteCharacters): string {
  if (text === "") return "";
  const typeset = typographicText(text, quotes);
  let written = "";
  let position = 0;
  for (const entity of typeset.matchAll(ENTITY)) {
    written += escapeText(typeset.slice(position, entity.index)) + escapeText(decodeHTMLStrict(entity[0]));
    position = entity.index + entity[0].length;
  }
  return written + escapeText(typeset.slice(position));
}

function escapeText(text: string): string {
  return text.replace(/[&<>]/gu, (character) => (character === "&" ? "&amp;" : character === "<" ? "&lt;" : "&gt;"));
}
