// Escaping for the HTML page and the OPML file, which are written as text: every value from a
// post or the config passes through one of these before it is placed in markup.

/** For XML or HTML text and double-quoted attribute values. */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
