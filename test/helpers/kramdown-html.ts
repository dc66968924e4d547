// HTML compared with real kramdown's: both are parsed and written again the one same way, so that
// what differs is elements, attributes and text, not their spelling. The only other change is
// that whitespace between two tags is dropped: kramdown indents its block elements, marked does not.
import { Parser } from "htmlparser2";

const VOID_ELEMENTS = new Set(["area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);

/** `html` with character references decoded, one spelling of tags and attributes, no whitespace between tags. */
export function comparableHtml(html: string): string {
  const pieces: string[] = [];
  let text = "";
  const flushText = (beforeTag: boolean): void => {
    // Whitespace alone between two tags is indentation.
    if (!(beforeTag && /^[ \t\r\n]*$/u.test(text) && (pieces.length === 0 || pieces.at(-1)?.endsWith(">")))) pieces.push(escape(text, /[&<>]/gu));
    text = "";
  };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        flushText(true);
        const written = Object.entries(attributes).map(([key, value]) => ` ${key}="${escape(value, /[&"]/gu)}"`);
        pieces.push(`<${name}${written.join("")}${VOID_ELEMENTS.has(name) ? " /" : ""}>`);
      },
      ontext(data) {
        text += data;
      },
      onclosetag(name) {
        flushText(true);
        if (!VOID_ELEMENTS.has(name)) pieces.push(`</${name}>`);
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  flushText(true);
  return pieces.join("");
}

function escape(text: string, characters: RegExp): string {
  return text.replace(characters, (character) => (character === "&" ? "&amp;" : character === "<" ? "&lt;" : character === ">" ? "&gt;" : "&quot;"));
}
