// Values prepared for the `feed` package (6.0.0), whose XML writer (xml-js) has quirks that would
// otherwise corrupt text or produce XML that is not well-formed. Measured on feed 6.0.0:
//  - text nodes: xml-js first turns every "&amp;" back into "&" and then escapes & < >, so a
//    literal "&amp;" in a title would come out as "&". Pre-escaping every "&" undoes that exactly.
//  - CDATA sections: only the first "]]>" is split, a second one ends the section early
//    (forCdata splits the others the same way, so the text reads back exactly).
//  - attributes: only '"' is escaped (feed adds "&" for some), so "<" must never reach one.
// Control characters cannot reach either writer: content/text.ts removed them when the post was read.

/** The package writes the stylesheet instruction on the XML declaration's line; give it its own. */
export function withStylesheetOnItsOwnLine(xml: string): string {
  return xml.replace("?><?xml-stylesheet ", "?>\n<?xml-stylesheet ");
}

/** For a value the package writes as an XML text node. */
export function forXmlText(text: string): string {
  return text.replace(/&/g, "&amp;");
}

/** Plain text as HTML: for fields the formats define as HTML (Atom type="html", RSS description). */
export function asHtmlText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** For an attribute the package writes without escaping "&" (RSS category domain). */
export function forXmlAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}

/**
 * For a value the package writes as CDATA. xml-js splits the first "]]>" into
 * "]]]]><![CDATA[>"; this does the same to every later one, which xml-js leaves alone.
 */
export function forCdata(text: string): string {
  const first = text.indexOf("]]>");
  if (first === -1) return text;
  const head = text.slice(0, first + 3);
  return head + text.slice(first + 3).replaceAll("]]>", "]]]]><![CDATA[>");
}
