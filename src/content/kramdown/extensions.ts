// The one list of kramdown's syntax as marked extensions: Markdown of a Jekyll site whose
// `markdown:` is kramdown (Jekyll's default) is rendered by marked with these, so that it comes
// out as Jekyll writes it. Each feature is a small module of this folder; the order here is the
// order marked tries their tokenizers and runs their hooks.
//
// An extension renders through custom tokens (an extension's `renderer`, which marked calls with
// whichever renderer the post is written by) rather than by overriding marked's renderer methods,
// which only the unsanitized renderer would see (content/markdown.ts renders safe HTML with its
// own renderer). What only the sanitizer may write throws NeedsSanitizer (safe-output.ts).
//
// Attributes of an element (an attribute list's, a heading's automatic id) are set on its token
// with element-attributes.ts setAttributes and written by the renderers it registers. Attribute
// lists are applied in the processAllTokens hook. Hooks of the extensions run in the reverse order
// of this list (marked's use()), so heading ids, listed first, are given after every attribute
// list is applied: an automatic id yields to an id an attribute list gave, and the table of
// contents ({:toc}, rendered last) lists the ids of both.
import type { MarkedExtension } from "marked";
import { abbreviationExtension } from "./abbreviations.js";
import { attributeListExtension } from "./attribute-lists.js";
import { definitionListExtension } from "./definition-lists.js";
import { htmlBlockExtension } from "./html-blocks.js";
import { htmlMarkdownExtension } from "./html-markdown.js";
import { headerlessTableExtension } from "./headerless-tables.js";
import { kramdownFootnotes } from "./footnotes.js";
import { kramdownHeadingIds } from "./heading-ids.js";
import { kramdownLineBreaks } from "./line-breaks.js";
import type { KramdownOptions } from "./options.js";
import { kramdownTypography } from "./typography.js";
import { syntaxExtension } from "./syntax-extensions.js";

/** The marked extensions that read kramdown's syntax with `options`. */
export function kramdownExtensions(options: KramdownOptions): MarkedExtension[] {
  return [
    // First, so that its processAllTokens runs last, after the attribute lists' (see heading-ids.ts).
    kramdownHeadingIds(options),
    attributeListExtension(options),
    headerlessTableExtension(),
    definitionListExtension(),
    abbreviationExtension(),
    syntaxExtension(),
    htmlMarkdownExtension(),
    htmlBlockExtension(),
    kramdownFootnotes(options),
    kramdownTypography(options),
    kramdownLineBreaks(options),
  ];
}
