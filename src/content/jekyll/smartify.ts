// Jekyll's `smartify` filter: typographic quotes, dashes and ellipses on a piece of text.
import { Marked } from "marked";
import { markedSmartypants } from "marked-smartypants";

const smartypants = new Marked(markedSmartypants());

export function smartifyText(text: string): string {
  return smartypants.parseInline(text, { async: false });
}
