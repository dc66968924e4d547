// The one list of kramdown's syntax as marked extensions: Markdown of a Jekyll site whose
// `markdown:` is kramdown (Jekyll's default) is rendered by marked with these, so that it comes
// out as Jekyll writes it. Each feature is a small module of this folder; the order here is the
// order marked tries their tokenizers and runs their hooks.
//
// An extension renders through custom tokens (an extension's `renderer`, which marked calls with
// whichever renderer the post is written by) rather than by overriding marked's renderer methods,
// which only the unsanitized renderer would see (content/markdown.ts renders safe HTML with its
// own renderer). What only the sanitizer may write throws NeedsSanitizer (safe-output.ts).
import type { MarkedExtension } from "marked";
import { abbreviationExtension } from "./abbreviations.js";
import { attributeListExtension } from "./attribute-lists.js";
import { definitionListExtension } from "./definition-lists.js";
import { htmlMarkdownExtension } from "./html-markdown.js";
import { headerlessTableExtension } from "./headerless-tables.js";
import type { KramdownOptions } from "./options.js";
import { syntaxExtension } from "./syntax-extensions.js";

/** The marked extensions that read kramdown's syntax with `options`. */
export function kramdownExtensions(options: KramdownOptions): MarkedExtension[] {
  return [attributeListExtension(options), headerlessTableExtension(), definitionListExtension(), abbreviationExtension(), syntaxExtension(), htmlMarkdownExtension()];
}
