// Escaping for markup Feedwright writes itself: the index page, OPML, the stylesheet, the links
// added to the feed package's XML, and plain text that a feed carries as HTML (Atom type="html",
// RSS description). Every value is placed in element content or a double-quoted attribute, where
// & < > and " are the characters that can change the markup. The feed package's own writer needs
// other escaping (feed-package-input.ts).

const MARKUP_SPECIAL = /[&<>"]/;

/** For text and double-quoted attribute values in XML or HTML. */
export function escapeMarkup(text: string): string {
  // Most titles, names and summaries have none of them: one search is cheaper than four replaces.
  if (!MARKUP_SPECIAL.test(text)) return text;
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}
