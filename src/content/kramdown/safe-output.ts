// What a kramdown extension's renderer needs to know about the renderer it writes through.
// content/markdown.ts renders a post with raw HTML through marked's renderer and then the
// sanitizer, and any other post through SafeRenderer, which writes what the sanitizer would
// write. An extension's renderer that writes markup the sanitizer might change (attributes it
// filters, say) throws NeedsSanitizer under SafeRenderer: the post is then rendered again the
// other way, and both ways give the same bytes.
import type { AttributeAllowance } from "../html.js";

/** Thrown while rendering for what only the sanitizer may write; the post is then sanitized. */
export class NeedsSanitizer extends Error {}

/** A renderer that writes sanitized HTML directly (content/markdown.ts SafeRenderer). */
export interface SafeHtmlWriter {
  readonly writesSafeHtml: true;
  /** The attributes the sanitizer would keep, had it run. */
  readonly allowance: AttributeAllowance;
}

/** Whether `renderer` writes sanitized HTML directly, so that an extension must not write markup only the sanitizer may check. */
export function writesSafeHtml(renderer: unknown): renderer is SafeHtmlWriter {
  return typeof renderer === "object" && renderer !== null && (renderer as Partial<SafeHtmlWriter>).writesSafeHtml === true;
}
