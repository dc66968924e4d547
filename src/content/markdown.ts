// Markdown to HTML with marked (GitHub-flavoured Markdown, as most Jekyll themes expect).
// marked passes raw HTML through untouched and leaves relative URLs alone: its output is only
// ever used after content/html.ts has sanitized it and made its URLs absolute.
import { Marked } from "marked";

const markdown = new Marked({ gfm: true, breaks: false, async: false });

/** Renders Markdown to (unsanitized) HTML. */
export function renderMarkdown(source: string): string {
  return markdown.parse(source, { async: false });
}

/** Jekyll's conventional excerpt separator, as most themes configure it. */
export const MORE_SEPARATOR = "<!--more-->";

/** The Markdown before the first <!--more--> marker, or undefined when there is none. */
export function markdownBeforeMore(source: string): string | undefined {
  const index = source.indexOf(MORE_SEPARATOR);
  return index === -1 ? undefined : source.slice(0, index);
}
