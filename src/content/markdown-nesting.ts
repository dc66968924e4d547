// How deeply a post's Markdown nests blockquotes and lists, found from the text alone before it
// is rendered. The renderer recurses once per level, so a post nested thousands deep either
// overflows the stack or takes minutes (1,000 nested lists: 13 s), and where the stack ends
// depends on the thread: a worker's is four times the main thread's, so `build` with workers
// published a post that `serve`, `check` and `workers: 0` skipped. A limit far below both makes
// every path agree, and no real post comes near it.
import { PostError } from "./post-error.js";

export const MAX_MARKDOWN_NESTING = 100;

const FENCE = /^ {0,3}(`{3,}|~{3,})/u;
const LIST_MARKER = /^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/u;

/**
 * Throws PostError (with the line, counted from `firstLine`) when a line of `markdown` nests more
 * than MAX_MARKDOWN_NESTING blockquotes and lists. Counts generously: each ">" is a level, and a
 * list item indented by n columns is n / 2 + 1 levels (the least indentation that nests that deep).
 */
export function checkMarkdownNesting(markdown: string, firstLine = 1): void {
  let fence: string | undefined;
  let line = firstLine - 1;
  for (let start = 0; start <= markdown.length; ) {
    const newline = markdown.indexOf("\n", start);
    const end = newline === -1 ? markdown.length : newline;
    line++;
    // A line that starts with none of these is no fence and nests at most one list level: most
    // lines of a post, which are then neither copied nor matched.
    if (MAY_NEST_OR_FENCE.has(markdown.charCodeAt(start))) {
      const text = markdown.slice(start, end);
      const opening = FENCE.exec(text)?.[1];
      if (fence !== undefined) {
        if (opening !== undefined && opening[0] === fence[0] && opening.length >= fence.length) fence = undefined;
      } else if (opening !== undefined) {
        fence = opening;
      } else {
        const depth = nestingOf(text);
        if (depth > MAX_MARKDOWN_NESTING) {
          throw new PostError(`the Markdown nests blockquotes and lists ${depth} levels deep, over the ${MAX_MARKDOWN_NESTING} Feedwright renders; flatten it`, line);
        }
      }
    }
    if (newline === -1) break;
    start = newline + 1;
  }
}

/** Space, tab, ">", "`" and "~": what a nested line or a fence starts with. */
const MAY_NEST_OR_FENCE = new Set([0x20, 0x09, 0x3e, 0x60, 0x7e]);

function nestingOf(text: string): number {
  let at = 0;
  let quotes = 0;
  for (;;) {
    let spaces = 0;
    while (spaces < 3 && text[at + spaces] === " ") spaces++;
    if (text[at + spaces] !== ">") break;
    quotes++;
    at += spaces + 1;
    if (text[at] === " ") at++;
  }
  let columns = 0;
  for (; at < text.length; at++) {
    if (text[at] === " ") columns++;
    else if (text[at] === "\t") columns += 4 - (columns % 4);
    else break;
  }
  const list = LIST_MARKER.test(text.slice(at, at + 12)) ? Math.floor(columns / 2) + 1 : 0;
  return quotes + list;
}
