// kramdown's markdown attribute on an HTML block: `<div class="box" markdown="1">` (or "block")
// has its content read as Markdown blocks, `markdown="span"` as Markdown text; the attribute is
// removed. The element runs to its matching end tag (same name, nesting counted). Its start tag is
// raw HTML, so such a post is always sanitized.
import type { MarkedExtension, Token, Tokens, TokenizerAndRendererExtension } from "marked";
import { NeedsSanitizer, writesSafeHtml } from "./safe-output.js";

// A start tag at the start of a line (after at most three spaces), to look for a markdown attribute in.
const START_TAG = /^ {0,3}<([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*>[ \t]*\n?/u;
const MARKDOWN_ATTRIBUTE = /\s+markdown\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/u;

export interface HtmlWithMarkdown extends Tokens.Generic {
  type: "kramdownHtmlMarkdown";
  /** The start tag without its markdown attribute. */
  startTag: string;
  tag: string;
  tokens: Token[];
  block: boolean;
}

/** How many end tags one document may search for without finding one before searches stop. */
const MAX_FAILED_SEARCHES = 32;

/** kramdown's markdown="1" / "block" / "span" on HTML blocks. */
export function htmlMarkdownExtension(): MarkedExtension {
  let failedSearches = 0;
  // Whether the document has a markdown attribute at all; else the tokenizer, tried at every block, does nothing.
  let active = false;
  const extension: TokenizerAndRendererExtension = {
    name: "kramdownHtmlMarkdown",
    level: "block",
    tokenizer(src) {
      if (!active || failedSearches >= MAX_FAILED_SEARCHES || !/^ {0,3}</u.test(src)) return undefined;
      const start = START_TAG.exec(src);
      if (!start) return undefined;
      const attributes = start[2] ?? "";
      const markdown = MARKDOWN_ATTRIBUTE.exec(attributes);
      if (!markdown) return undefined;
      const mode = (markdown[1] ?? markdown[2] ?? markdown[3] ?? "").toLowerCase();
      if (mode !== "1" && mode !== "block" && mode !== "span") return undefined;
      const tag = (start[1] ?? "").toLowerCase();
      const end = matchingEndTag(src, start[0].length, tag);
      if (end === undefined) {
        failedSearches++;
        return undefined;
      }
      const content = src.slice(start[0].length, end.index);
      const block = mode !== "span";
      const token: HtmlWithMarkdown = {
        type: "kramdownHtmlMarkdown",
        raw: src.slice(0, end.after),
        startTag: `<${start[1] ?? tag}${attributes.replace(MARKDOWN_ATTRIBUTE, "")}>`,
        tag: start[1] ?? tag,
        tokens: block ? this.lexer.blockTokens(content, []) : this.lexer.inline(content.trim()),
        block,
      };
      return token;
    },
    renderer(token) {
      // The start tag is raw HTML: only the sanitizer may pass it on.
      if (writesSafeHtml(this.parser.renderer)) throw new NeedsSanitizer();
      const element = token as HtmlWithMarkdown;
      const content = element.block ? `\n${this.parser.parse(element.tokens)}` : this.parser.parseInline(element.tokens);
      return `${element.startTag}${content}</${element.tag}>\n`;
    },
  };
  return {
    extensions: [extension],
    hooks: {
      preprocess(markdown) {
        failedSearches = 0;
        active = /\bmarkdown\s*=/u.test(markdown);
        return markdown;
      },
    },
  };
}

/** The end tag matching a start tag of `tag` whose content starts at `from`: where it starts, and where the line after it starts. */
export function matchingEndTag(src: string, from: number, tag: string): { index: number; after: number } | undefined {
  const tags = new RegExp(`<(/?)${tag}(?=[\\s>/])[^>]*>`, "giu");
  tags.lastIndex = from;
  let depth = 1;
  for (let found = tags.exec(src); found; found = tags.exec(src)) {
    if (found[1] === "/") depth--;
    else if (!found[0].endsWith("/>")) depth++;
    if (depth === 0) {
      const lineEnd = /[ \t]*(?:\n+|$)/uy;
      lineEnd.lastIndex = tags.lastIndex;
      const rest = lineEnd.exec(src);
      return { index: found.index, after: tags.lastIndex + (rest?.[0].length ?? 0) };
    }
  }
  return undefined;
}
