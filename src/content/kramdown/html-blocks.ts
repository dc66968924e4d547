// kramdown reads an HTML block element to its matching end tag, blank lines included, and leaves
// its content as it is. marked follows CommonMark, where a block that starts with `<figure>` or
// `<div>` ends at the first blank line and what follows is Markdown again. That split the output of
// Liquid's `{% highlight %}` (`<figure class="highlight"><pre><code>…`) at every blank line of the
// code: the rest of the code became paragraphs, with typographic quotes and dashes in it. Such a
// block is taken here whole, as kramdown takes it. Only `figure` and `div` elements are taken:
// CommonMark already reads `<pre>` to its end tag, and `markdown="…"` blocks are
// html-markdown.ts's.
import type { MarkedExtension, Tokens, TokenizerAndRendererExtension } from "marked";
import { matchingEndTag } from "./html-markdown.js";
import { NeedsSanitizer, writesSafeHtml } from "./safe-output.js";

const START_TAG = /^ {0,3}<(figure|div)(?=[\s>])[^>]*>/iu;
const MARKDOWN_ATTRIBUTE = /\smarkdown\s*=/iu;

/** How many end tags one document may search for without finding one before searches stop. */
const MAX_FAILED_SEARCHES = 32;

interface WholeHtmlBlock extends Tokens.Generic {
  type: "kramdownHtmlBlock";
  text: string;
}

/** HTML `figure` and `div` blocks read to their end tag, as kramdown reads them. */
export function htmlBlockExtension(): MarkedExtension {
  let failedSearches = 0;
  const extension: TokenizerAndRendererExtension = {
    name: "kramdownHtmlBlock",
    level: "block",
    tokenizer(src) {
      if (failedSearches >= MAX_FAILED_SEARCHES) return undefined;
      const start = START_TAG.exec(src);
      if (!start || MARKDOWN_ATTRIBUTE.test(start[0])) return undefined;
      const end = matchingEndTag(src, start[0].length, (start[1] ?? "").toLowerCase());
      if (end === undefined) {
        failedSearches++;
        return undefined;
      }
      const raw = src.slice(0, end.after);
      // A block without a blank line is one CommonMark HTML block already: leave it to marked.
      if (!/\n[ \t]*\n/u.test(raw.trimEnd())) return undefined;
      const token: WholeHtmlBlock = { type: "kramdownHtmlBlock", raw, text: raw.trimEnd() };
      return token;
    },
    renderer(token) {
      // Raw HTML: only the sanitizer may pass it on.
      if (writesSafeHtml(this.parser.renderer)) throw new NeedsSanitizer();
      return `${(token as WholeHtmlBlock).text}\n`;
    },
  };
  return {
    extensions: [extension],
    hooks: {
      preprocess(markdown) {
        failedSearches = 0;
        return markdown;
      },
    },
  };
}
