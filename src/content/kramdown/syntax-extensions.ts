// kramdown's extensions, as a block on lines of their own or inside a paragraph:
//
//   {::comment}…{:/comment}      an HTML comment in kramdown's output; nothing once sanitized
//   {::nomarkdown}…{:/}          the text as raw HTML, which is then sanitized like any raw HTML
//   {::options key="value" /}    kramdown's options for the rest of the document: removed
//
// The end tag may name the extension or be "{:/}". One without an end tag is left as text, as
// kramdown leaves it.
import type { MarkedExtension, RendererThis, TokenizerAndRendererExtension, Tokens } from "marked";
import { NeedsSanitizer, writesSafeHtml } from "./safe-output.js";

// "{::name attributes}" with the body up to the first end tag, or "{::name attributes /}"; the
// attributes are read up to 1,000 characters, so that an unclosed start tag is not read to the
// end of its line at every try.
const START = /^\{::(comment|nomarkdown|options)\b((?:\\[^\n]|[^\\}\n]){0,1000})\}/u;
const BLOCK_START = /^ {0,3}(?=\{::)/u;

interface SyntaxExtension extends Tokens.Generic {
  type: "kramdownExtension";
  name: "comment" | "nomarkdown" | "options";
  body: string;
  block: boolean;
}

/** What finding end tags learned in one document: a search that found none from a text this long finds none in a shorter one. */
class DocumentSearches {
  /** Whether the document has "{::" at all; else every step here is skipped. */
  active = false;
  noEndTagWithin = 0;

  reset(active: boolean): void {
    this.active = active;
    this.noEndTagWithin = 0;
  }
}

/** How far ahead the inline search for "{::" looks at once. */
const SEARCH_WINDOW = 1024;

/** kramdown's comment, nomarkdown and options extensions. */
export function syntaxExtension(): MarkedExtension {
  const searches = new DocumentSearches();
  const read = (src: string, block: boolean): SyntaxExtension | undefined => {
    const indent = block ? (BLOCK_START.exec(src)?.[0] ?? undefined) : "";
    if (indent === undefined) return undefined;
    const start = START.exec(src.slice(indent.length));
    if (!start) return undefined;
    const name = start[1] as SyntaxExtension["name"];
    const attributes = start[2] ?? "";
    let length = indent.length + start[0].length;
    let body = "";
    if (!attributes.trimEnd().endsWith("/")) {
      // An end tag after the body; the first "{:/name}" or "{:/}".
      if (src.length <= searches.noEndTagWithin) return undefined;
      const end = new RegExp(`\\{:/(?:${name})?\\}`, "gu");
      end.lastIndex = length;
      const found = end.exec(src);
      if (!found) {
        searches.noEndTagWithin = Math.max(searches.noEndTagWithin, src.length);
        return undefined;
      }
      body = src.slice(length, found.index);
      length = found.index + found[0].length;
    }
    // A block extension ends its line.
    if (block) {
      const rest = /^[ \t]*(?:\n+|$)/u.exec(src.slice(length));
      if (!rest) return undefined;
      length += rest[0].length;
    }
    return { type: "kramdownExtension", raw: src.slice(0, length), name, body: block ? body.replace(/^\n/u, "").replace(/\n$/u, "") : body, block };
  };
  const render = function (this: RendererThis, token: Tokens.Generic): string {
    const { name, body, block } = token as SyntaxExtension;
    if (name !== "nomarkdown" || body.trim() === "") return "";
    // Raw HTML: only the sanitizer may pass it on.
    if (writesSafeHtml(this.parser.renderer)) throw new NeedsSanitizer();
    return block ? `${body}\n` : body;
  };
  const blockExtension: TokenizerAndRendererExtension = {
    name: "kramdownExtension",
    level: "block",
    tokenizer: (src) => (searches.active ? read(src, true) : undefined),
    renderer: render,
  };
  const inlineExtension: TokenizerAndRendererExtension = {
    name: "kramdownSpanExtension",
    level: "inline",
    // Where text may hold an extension, marked cuts it there so that the tokenizer is tried. The
    // search looks SEARCH_WINDOW characters ahead and, finding none, cuts the text at the end
    // of the window: the text is searched once in all, however many tokens it is read in.
    start: (src) => {
      if (!searches.active) return undefined;
      const index = src.length > SEARCH_WINDOW ? src.substring(0, SEARCH_WINDOW).indexOf("{::") : src.indexOf("{::");
      return index !== -1 ? index : src.length > SEARCH_WINDOW ? SEARCH_WINDOW - 3 : undefined;
    },
    tokenizer(src) {
      if (!searches.active || src.charCodeAt(0) !== 0x7b) return undefined;
      const token = read(src, false);
      return token && { ...token, type: "kramdownSpanExtension" };
    },
    renderer: render,
  };
  return {
    extensions: [blockExtension, inlineExtension],
    hooks: {
      preprocess(markdown) {
        searches.reset(markdown.includes("{::"));
        return markdown;
      },
    },
  };
}
