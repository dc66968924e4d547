// Post HTML as it may travel: feed content is shown by readers and mailed by newsletter tools,
// far from the blog's page, so relative URLs must become absolute and nothing may run.
//
// Both jobs are done in one pass of sanitize-html (an htmlparser2-based allowlist sanitizer):
// transformTags resolves every URL-bearing attribute (href, src, srcset, poster, cite) against
// the post's URL, as a browser would on the post's page; the allowlist then drops <script>,
// <style>, event-handler attributes, inline styles and every URL whose scheme is not allowed
// (javascript:, vbscript:, data: outside images ...).
//
// HTML that marked wrote itself, from Markdown without raw HTML, needs no sanitizer: marked
// escapes every text and attribute, so only its URLs need the same treatment, which
// content/markdown.ts gives them with the functions below (safeUrl, the escaping, the attribute
// rule) while it renders. Those mirror what sanitize-html does here, so that a post comes out the
// same byte for byte whichever way it is made (test/content/safe-render.test.ts checks that).
import sanitizeHtml from "sanitize-html";
import parseSrcset from "parse-srcset";
import { Parser, Tokenizer } from "htmlparser2";

const ALLOWED_TAGS = [
  ...sanitizeHtml.defaults.allowedTags,
  "img", "picture", "source", "video", "audio", "track", "figure", "figcaption",
  "details", "summary", "del", "ins", "input", "sup", "sub",
];

const GLOBAL_ATTRIBUTES = ["lang", "dir", "title"];

const ALLOWED_ATTRIBUTES: sanitizeHtml.IOptions["allowedAttributes"] = {
  "*": GLOBAL_ATTRIBUTES,
  a: ["href", "name", "rel", "hreflang", "type"],
  img: ["src", "srcset", "sizes", "alt", "width", "height", "loading"],
  source: ["src", "srcset", "sizes", "type", "media"],
  video: ["src", "poster", "controls", "width", "height", "loop", "muted", "playsinline", "preload"],
  audio: ["src", "controls", "loop", "muted", "preload"],
  track: ["src", "kind", "srclang", "label", "default"],
  blockquote: ["cite"],
  q: ["cite"],
  del: ["cite", "datetime"],
  ins: ["cite", "datetime"],
  time: ["datetime"],
  data: ["value"],
  abbr: ["title"],
  ol: ["start", "reversed", "type"],
  li: ["value"],
  th: ["align", "colspan", "rowspan", "scope"],
  td: ["align", "colspan", "rowspan"],
  col: ["span"],
  colgroup: ["span"],
  // GitHub-flavoured Markdown task lists render as disabled checkboxes.
  input: ["type", "checked", "disabled"],
  // marked marks fenced code with its language (class="language-js").
  code: ["class"],
  details: ["open"],
};

/**
 * What a Jekyll site's kramdown posts may keep besides: the attributes its attribute lists
 * (`{: .note #intro width="70"}`) and raw HTML put on elements, where harmless — never an event
 * handler, never `style`.
 */
const KRAMDOWN_ATTRIBUTES: sanitizeHtml.IOptions["allowedAttributes"] = {
  ...ALLOWED_ATTRIBUTES,
  "*": [...GLOBAL_ATTRIBUTES, "id", "class", "width", "height", "align", "role", "aria-label", "aria-hidden", "translate"],
  a: [...(ALLOWED_ATTRIBUTES.a ?? []), "target"],
};

/** Which attributes a post keeps: those of any post, or also kramdown's (a Jekyll site's Markdown). */
export type AttributeAllowance = "posts" | "kramdown";

const ATTRIBUTES_BY_ALLOWANCE: Readonly<Record<AttributeAllowance, sanitizeHtml.IOptions["allowedAttributes"]>> = { posts: ALLOWED_ATTRIBUTES, kramdown: KRAMDOWN_ATTRIBUTES };

/** Whether sanitizePostHtml keeps attribute `name` (lower case) on `tag` with `allowance`. */
export function keepsAttribute(tag: string, name: string, allowance: AttributeAllowance): boolean {
  const allowed = ATTRIBUTES_BY_ALLOWANCE[allowance];
  if (!allowed) return false;
  const onTag = allowed[tag];
  const anywhere = allowed["*"];
  const names = (list: typeof onTag): boolean => Array.isArray(list) && list.some((entry) => entry === name);
  return names(onTag) || names(anywhere);
}

/** Attributes holding one URL, resolved against the post's URL. */
const URL_ATTRIBUTES = ["href", "src", "poster", "cite"];

/** Schemes a URL may have: sanitize-html's allowedSchemes, and allowedSchemesByTag for media. */
const ALLOWED_SCHEMES = ["http", "https", "mailto", "tel"];
const MEDIA_SCHEMES = ["http", "https", "data"];
const SCHEMES_BY_TAG: Readonly<Record<string, readonly string[]>> = { img: MEDIA_SCHEMES, source: MEDIA_SCHEMES };

/**
 * Sanitizes post HTML and makes every URL in it absolute, relative to `baseUrl` (the post's URL),
 * keeping the attributes `allowance` allows. Pure: the same input always gives the same output.
 */
export function sanitizePostHtml(html: string, baseUrl: string, allowance: AttributeAllowance = "posts"): string {
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ATTRIBUTES_BY_ALLOWANCE[allowance],
    allowedClasses: { code: ["language-*"] },
    allowedSchemes: ALLOWED_SCHEMES,
    allowedSchemesByTag: { img: MEDIA_SCHEMES, source: MEDIA_SCHEMES },
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    transformTags: {
      "*": (tagName, attribs) => ({ tagName, attribs: absolutizeAttributes(attribs, baseUrl) }),
      // Readers and mail clients do not run embedded frames; keep a link to what was embedded.
      iframe: (_tagName, attribs): sanitizeHtml.Tag => {
        const href = attribs.src ? resolveUrl(attribs.src, baseUrl) : undefined;
        if (!href) return { tagName: "span", attribs: {} };
        return { tagName: "a", attribs: { href }, text: attribs.title || href };
      },
    },
  });
}

function absolutizeAttributes(attribs: Record<string, string>, baseUrl: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(attribs)) {
    if (URL_ATTRIBUTES.includes(name)) {
      const resolved = resolveUrl(value, baseUrl);
      // A URL that cannot be parsed is dropped rather than passed on relative.
      if (resolved !== undefined) result[name] = resolved;
    } else if (name === "srcset") {
      const resolved = resolveSrcset(value, baseUrl);
      if (resolved) result[name] = resolved;
    } else {
      result[name] = value;
    }
  }
  return result;
}

/**
 * The value sanitizePostHtml leaves in a URL attribute (href, src, poster, cite) of `tag`: the
 * URL resolved against baseUrl, or undefined where it drops the attribute (a URL that cannot be
 * parsed, or whose scheme the tag may not use: javascript:, data: outside images, ...).
 */
export function safeUrl(tag: string, value: string, baseUrl: string): string | undefined {
  const resolved = resolveUrl(value, baseUrl);
  return resolved !== undefined && !naughtyHref(tag, resolved) ? resolved : undefined;
}

/**
 * sanitize-html's scheme check (launder's naughtyHref with our options) of a URL it has resolved:
 * characters up to the space and HTML comments are ignored, as browsers ignore them; a URL
 * without a scheme is relative and passes, a protocol-relative one does not.
 */
function naughtyHref(tag: string, href: string): boolean {
  // eslint-disable-next-line no-control-regex -- the characters browsers skip inside a scheme
  let cleaned = href.replace(/[\x00-\x20]+/g, "");
  for (let start = cleaned.indexOf("<!--"); start !== -1; start = cleaned.indexOf("<!--")) {
    const end = cleaned.indexOf("-->", start + 4);
    if (end === -1) break;
    cleaned = cleaned.slice(0, start) + cleaned.slice(end + 3);
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9.\-+]*):/.exec(cleaned)?.[1];
  if (scheme === undefined) return /^[/\\]{2}/.test(cleaned);
  return !(SCHEMES_BY_TAG[tag] ?? ALLOWED_SCHEMES).includes(scheme.toLowerCase());
}

/** Text as sanitize-html writes it: only "&", "<" and ">" escaped. */
export function escapeHtmlText(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/[&<>]/g, escapeCharacter) : text;
}

/** An attribute value as sanitize-html writes it: "&", "<", ">" and '"' escaped. */
export function escapeHtmlAttribute(value: string): string {
  return /[&<>"]/.test(value) ? value.replace(/[&<>"]/g, escapeCharacter) : value;
}

function escapeCharacter(character: string): string {
  return character === "&" ? "&amp;" : character === "<" ? "&lt;" : character === ">" ? "&gt;" : "&quot;";
}

// sanitize-html drops an attribute left empty when the HTML standard says it is not a boolean
// one, except those in its allowedEmptyAttributes (by default only alt).
const NON_BOOLEAN_ATTRIBUTES = new Set(sanitizeHtml.defaults.nonBooleanAttributes);

/** ` name="value"` as sanitize-html writes an allowed attribute, or "" where it drops it. */
export function htmlAttribute(name: string, value: string): string {
  if (value !== "") return ` ${name}="${escapeHtmlAttribute(value)}"`;
  if (name === "alt") return ' alt=""';
  return NON_BOOLEAN_ATTRIBUTES.has(name) ? "" : ` ${name}`;
}

const HTML_SPACE = "[\\t\\n\\f\\r ]";
/**
 * One <img>, <br> or <wbr> start tag, in a spelling that htmlparser2 reads as exactly that tag
 * wherever it stands in text: attribute names without quotes, "/", "=", "<" or ">", values quoted
 * or without the characters that would end or confuse them.
 */
const VOID_START_TAG = new RegExp(
  `<(?:img|br|wbr)(?=[\\t\\n\\f\\r />])(?:${HTML_SPACE}+[^\\t\\n\\f\\r /<>"'=]+(?:${HTML_SPACE}*=${HTML_SPACE}*(?:"[^"]*"|'[^']*'|[^\\t\\n\\f\\r "'=<>\`]+))?)*${HTML_SPACE}*\\/?>`,
  "iy",
);

/**
 * Whether raw HTML in a post (one of marked's html tokens) is made only of comments, whitespace
 * and <img>, <br> or <wbr> tags. Such HTML opens nothing that stays open, closes nothing and
 * implies no end tag, so sanitizing it alone gives the bytes that sanitizing the whole post gives
 * for it: the post's other HTML, which marked wrote, can skip the sanitizer. Anything else (any
 * other tag, text, an unclosed comment, "<!-->") answers false, and the post is sanitized whole.
 */
export function isSelfContainedHtml(html: string): boolean {
  let index = 0;
  while (index < html.length) {
    const code = html.charCodeAt(index);
    if (code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0c || code === 0x0d) {
      index++;
    } else if (html.startsWith("<!--", index)) {
      // htmlparser2 ends a comment at the first "-->" after "<!--"; a browser ends "<!-->" and
      // "<!--->" at once, so those are left to the sanitizer.
      const end = html.indexOf("-->", index + 4);
      if (end === -1 || html.startsWith(">", index + 4) || html.startsWith("->", index + 4)) return false;
      index = end + 3;
    } else {
      VOID_START_TAG.lastIndex = index;
      if (!VOID_START_TAG.test(html)) return false;
      index = VOID_START_TAG.lastIndex;
    }
  }
  return true;
}

/** Resolves a URL as a browser would on the page at baseUrl; undefined when it cannot be parsed. */
export function resolveUrl(value: string, baseUrl: string): string | undefined {
  try {
    return strictUri(new URL(value.trim(), baseUrl).href);
  } catch {
    return undefined;
  }
}

// Characters the WHATWG URL serializer leaves as they are but RFC 3986 does not allow outside
// the host, and a "%" that does not start a %XX escape.
const NOT_IN_RFC3986 = /[[\]|^`{}\\"<> ]|%(?![0-9A-Fa-f]{2})/gu;

function percentEncode(character: string): string {
  return character === "%" ? "%25" : `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
}

/**
 * `href` (a serialized WHATWG URL) as a valid RFC 3986 URI (test/hostile/fuzz.test.ts checks
 * it): `new URL()` keeps "[", "]", "|", "^" and a bare "%" in a
 * path (and a second "#" in a fragment), so `permalink: /a[1]/`, `image: /100%.png` or an author
 * URL with "|" gave feed item URLs that JSON Feed's `"format": "uri"`, Atom ids (RFC 4287 §4.2.6)
 * and strict readers reject. The scheme and authority are kept as they are (an IPv6 host keeps
 * its brackets).
 */
export function strictUri(href: string): string {
  const start = /^[a-z][a-z0-9+.-]*:(?:\/\/[^/?#]*)?/iu.exec(href)?.[0].length ?? 0;
  const rest = href.slice(start).replace(NOT_IN_RFC3986, percentEncode);
  // A fragment may not hold another "#".
  const hash = rest.indexOf("#");
  return href.slice(0, start) + (hash === -1 ? rest : `${rest.slice(0, hash + 1)}${rest.slice(hash + 1).replaceAll("#", "%23")}`);
}

function resolveSrcset(value: string, baseUrl: string): string {
  const candidates = parseSrcset(value);
  const parts: string[] = [];
  for (const candidate of candidates) {
    const url = resolveUrl(candidate.url, baseUrl);
    if (!url) continue;
    const descriptor = candidate.w !== undefined ? ` ${candidate.w}w` : candidate.d !== undefined ? ` ${candidate.d}x` : candidate.h !== undefined ? ` ${candidate.h}h` : "";
    // A comma inside a URL would split the candidate list; percent-encode it.
    parts.push(`${url.replace(/,/g, "%2C")}${descriptor}`);
  }
  return parts.join(", ");
}

const BLOCK_ELEMENTS = new Set([
  "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption", "figure",
  "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
  "summary", "table", "td", "th", "tr", "ul",
]);
const SKIPPED_ELEMENTS = new Set(["script", "style", "template", "noscript"]);

/** The text of an HTML fragment, entities decoded, whitespace collapsed, blocks separated by a space. */
export function htmlToText(html: string): string {
  let text = "";
  let skipping = 0;
  const parser = new Parser(
    {
      onopentagname(name) {
        if (SKIPPED_ELEMENTS.has(name)) skipping++;
        else if (BLOCK_ELEMENTS.has(name)) text += " ";
      },
      // An image reads as its alt text, as a screen reader or text-only mail client would show it.
      onopentag(name, attributes) {
        if (name === "img" && attributes.alt && skipping === 0) text += ` ${attributes.alt} `;
      },
      onclosetag(name) {
        if (SKIPPED_ELEMENTS.has(name)) skipping = Math.max(0, skipping - 1);
        else if (BLOCK_ELEMENTS.has(name)) text += " ";
      },
      ontext(data) {
        if (skipping === 0) text += data;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return collapseWhitespace(text);
}

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}

/** The text of the first paragraph (<p>) that has any, or "" when there is none. */
export function firstParagraphText(html: string): string {
  let found = "";
  let current: string | undefined;
  let skipping = 0;
  const parser = new Parser(
    {
      onopentagname(name) {
        if (SKIPPED_ELEMENTS.has(name)) skipping++;
        else if (name === "p" && found === "") current = "";
        else if (current !== undefined && BLOCK_ELEMENTS.has(name)) current += " ";
      },
      onopentag(name, attributes) {
        if (name === "img" && attributes.alt && skipping === 0 && current !== undefined) current += ` ${attributes.alt} `;
      },
      onclosetag(name) {
        if (SKIPPED_ELEMENTS.has(name)) skipping = Math.max(0, skipping - 1);
        else if (name === "p" && current !== undefined) {
          found = collapseWhitespace(current);
          current = undefined;
          // Nothing after the first paragraph with text can change the answer, and it is usually
          // near the top: the rest of the post is left unread.
          if (found !== "") parser.pause();
        }
      },
      ontext(data) {
        if (skipping === 0 && current !== undefined) current += data;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  if (found === "") parser.end();
  return found;
}

// htmlparser2's Parser (under sanitize-html and the text extraction above) keeps its element stack
// with Array#unshift, so each element opened inside N others costs O(N): 1 MB of unclosed
// "<span>" (166,000 levels) took 25 to 60 s to sanitize, on the main thread. Elements that never
// push anything (void elements) are left out.
const VOID_ELEMENTS = new Set(["area", "base", "basefont", "br", "col", "command", "embed", "frame", "hr", "img", "input", "isindex", "keygen", "link", "meta", "param", "source", "track", "wbr"]);

/**
 * An upper bound of how deep htmlparser2 nests the elements of `html`, in linear time (its
 * Tokenizer, without the Parser's stack): every non-void start tag counts one level, and an end
 * tag gives one back only when an element of that name is still counted as open. The Parser can
 * close more than one element at an end tag or close some implicitly, never fewer, so this never
 * reports less than the real depth (hardening against hostile posts).
 *
 * Every element needs a "<" to open it, so HTML with no more "<" than `limit` cannot nest deeper
 * than `limit`; for such HTML the count of "<" is returned (an upper bound too) without
 * tokenizing, which costs a tenth as much. A caller that only compares the bound with a limit
 * passes it; the bound of deeper HTML is the tokenizer's, as without a limit.
 */
export function htmlNestingBound(html: string, limit = 0): number {
  const lessThans = countUpTo(html, "<", limit + 1);
  if (lessThans <= limit) return lessThans;
  const open = new Map<string, number>();
  let depth = 0;
  let deepest = 0;
  const nothing = (): void => undefined;
  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: false },
    {
      onopentagname(start, endIndex) {
        const name = html.slice(start, endIndex).toLowerCase();
        if (VOID_ELEMENTS.has(name)) return;
        open.set(name, (open.get(name) ?? 0) + 1);
        depth++;
        if (depth > deepest) deepest = depth;
      },
      onclosetag(start, endIndex) {
        const name = html.slice(start, endIndex).toLowerCase();
        const count = open.get(name) ?? 0;
        if (count === 0) return;
        open.set(name, count - 1);
        depth--;
      },
      onattribdata: nothing,
      onattribentity: nothing,
      onattribend: nothing,
      onattribname: nothing,
      oncdata: nothing,
      oncomment: nothing,
      ondeclaration: nothing,
      onend: nothing,
      onopentagend: nothing,
      onprocessinginstruction: nothing,
      onselfclosingtag: nothing,
      ontext: nothing,
      ontextentity: nothing,
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  return deepest;
}

/** How many times `character` occurs in `text`, counting no further than `stop`. */
function countUpTo(text: string, character: string, stop: number): number {
  let count = 0;
  for (let index = text.indexOf(character); index !== -1 && count < stop; index = text.indexOf(character, index + 1)) count++;
  return count;
}
