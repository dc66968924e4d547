// What makes feed content unsafe to show far from the blog, found with an HTML parser
// (htmlparser2, as browsers tokenize) rather than by searching the text.
import { Parser } from "htmlparser2";

/** Attributes whose value is one URL (srcset, a list of them, is handled apart). */
const URL_ATTRIBUTES = new Set(["href", "src", "poster", "cite", "action", "formaction", "background", "longdesc", "data", "xlink:href"]);

/** Elements that run code or load another document. */
const ACTIVE_ELEMENTS = new Set(["script", "style", "iframe", "frame", "object", "embed", "applet", "base", "meta", "link"]);

export interface SafetyOptions {
  /** Also report every URL that is not an absolute http(s) URL (relative links break in readers). */
  readonly requireAbsoluteHttpUrls: boolean;
}

/**
 * Problems in an HTML fragment: active elements, on* event attributes, javascript:/vbscript:
 * URLs and, when asked, URLs that are not absolute http(s). Empty when the fragment is safe.
 */
export function htmlSafetyProblems(html: string, options: SafetyOptions): string[] {
  const problems: string[] = [];
  if (/<script/iu.test(html)) problems.push("the text <script");
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (ACTIVE_ELEMENTS.has(name)) problems.push(`<${name}>`);
        for (const [attribute, value] of Object.entries(attributes)) {
          if (/^on/iu.test(attribute)) problems.push(`<${name} ${attribute}>`);
          // Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
          // eslint-disable-next-line no-control-regex -- those are the characters to ignore
          const compact = value.replace(/[\u0000-\u0020]/gu, "").toLowerCase();
          if (compact.includes("javascript:") || compact.includes("vbscript:")) problems.push(`<${name} ${attribute}="${value}">`);
          if (!options.requireAbsoluteHttpUrls) continue;
          const urls = attribute === "srcset" ? value.split(",").map((candidate) => candidate.trim().split(/\s+/u)[0] ?? "") : URL_ATTRIBUTES.has(attribute) ? [value] : [];
          for (const url of urls) if (!/^https?:\/\/[^/]/iu.test(url)) problems.push(`<${name} ${attribute}="${url}"> is not an absolute http(s) URL`);
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return problems;
}
