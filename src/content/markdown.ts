// Markdown to HTML with marked (GitHub-flavoured Markdown, as most Jekyll themes expect).
// marked passes raw HTML through untouched and leaves relative URLs alone, so renderMarkdown's
// output is only ever used after content/html.ts has sanitized it and made its URLs absolute.
// renderPostMarkdown does both for a post: where the post has no raw HTML that needs the
// sanitizer, marked's own output is made safe as it is written (SafeRenderer), and the
// sanitizer, which cost more than the Markdown, is not run.
import { decodeHTML, decodeHTMLAttribute } from "entities";
import { Lexer, Marked, Parser, Renderer, Tokenizer, type MarkedOptions, type Token, type Tokens } from "marked";
import { escapeHtmlText, htmlAttribute, isSelfContainedHtml, safeUrl, sanitizePostHtml, type AttributeAllowance } from "./html.js";
import { kramdownExtensions } from "./kramdown/extensions.js";
import type { KramdownOptions } from "./kramdown/options.js";
import { NeedsSanitizer, type SafeHtmlWriter } from "./kramdown/safe-output.js";

const markdown = new Marked({ gfm: true, breaks: false, async: false });

// marked's GFM e-mail autolinks — the `url` rule, and the
// look-ahead in the `text` rule that ends plain text where an address may begin — match
// `[local-part characters]+@` from every position of a run of such characters. A run broken into
// one token per character by `_`, `*` or `!` ("_a_a_a…", "**a**a…") is scanned again from each
// token: quadratic, so a 200 KB post took 37 s and a 1 MB one (under max_post_bytes) about a
// quarter of an hour, blocking the main thread (marked issue #4099 is the same family). RFC 5321
// §4.5.3.1.1 caps the local part at 64 octets, so the same rules with `{1,64}` instead of `+`
// still link every real address and look at most 64 characters ahead from any position.
const GFM_INLINE = Lexer.rules.inline.gfm;
const EMAIL_LOCAL_PART_RUN = /\]\+(\(?@)/g;

function withBoundedLocalPart(rule: RegExp): RegExp {
  return new RegExp(rule.source.replace(EMAIL_LOCAL_PART_RUN, "]{1,64}$1"), rule.flags);
}

const BOUNDED_GFM_INLINE = { text: withBoundedLocalPart(GFM_INLINE.text), url: withBoundedLocalPart(GFM_INLINE.url) };

// The `text` rule is tried at every run of plain text, and its e-mail look-aheads, tried at every
// character, are a quarter of its cost. In a post without an "@" they can never match, so such a
// post is lexed with them removed: the same tokens, sooner. (Should marked spell the rule
// differently one day, nothing is removed and every post gets the bounded rules.)
const EMAIL_LOOKAHEAD_ALTERNATIVE = /\|(?:\[\^[^\]]*\])?\(\?=\[[^\]]*\]\+@\)/g;
const textWithoutEmail = GFM_INLINE.text.source.replace(EMAIL_LOOKAHEAD_ALTERNATIVE, "");
const GFM_INLINE_WITHOUT_AT =
  GFM_INLINE.text.source.length - textWithoutEmail.length > 0 ? { ...BOUNDED_GFM_INLINE, text: new RegExp(textWithoutEmail, GFM_INLINE.text.flags) } : BOUNDED_GFM_INLINE;

/** marked's tokenizer, noting raw HTML that SafeRenderer cannot take (see isSelfContainedHtml). */
class NotingTokenizer extends Tokenizer {
  /** Whether the tokens made since it was last cleared hold raw HTML that must be sanitized. */
  rawHtml = false;

  override html(src: string): Tokens.HTML | undefined {
    const token = super.html(src);
    if (token && !isSelfContainedHtml(token.text)) this.rawHtml = true;
    return token;
  }

  override tag(src: string): Tokens.Tag | undefined {
    const token = super.tag(src);
    if (token && !isSelfContainedHtml(token.text)) this.rawHtml = true;
    return token;
  }
}

/**
 * How Markdown is read: marked with GFM, as for a folder of posts, or marked with kramdown's
 * syntax added (a Jekyll site). Lexing is synchronous, so one tokenizer per flavour serves every
 * post in this thread.
 */
interface Flavour {
  readonly tokenizer: NotingTokenizer;
  readonly options: MarkedOptions;
  /** The Marked instance the options come from, which runs their walkTokens. */
  readonly marked: Marked | undefined;
  /** The attributes the sanitizer keeps in a post rendered with this flavour. */
  readonly allowance: AttributeAllowance;
}

const tokenizer = new NotingTokenizer();
const GFM_FLAVOUR: Flavour = { tokenizer, options: { ...markdown.defaults, async: false, tokenizer }, marked: undefined, allowance: "posts" };

/** One flavour per distinct set of kramdown options: a process serves one site, or a few. */
const kramdownFlavours = new Map<string, Flavour>();
/**
 * The same, by the options object: every post of a site (and of a batch sent to a worker) holds
 * the same one, so the options are compared by value only when a new object comes.
 */
const flavoursByObject = new WeakMap<KramdownOptions, Flavour>();

function flavourOf(kramdown: KramdownOptions | undefined): Flavour {
  if (kramdown === undefined) return GFM_FLAVOUR;
  const known = flavoursByObject.get(kramdown);
  if (known) return known;
  const key = JSON.stringify(kramdown);
  let flavour = kramdownFlavours.get(key);
  if (!flavour) {
    const flavourTokenizer = new NotingTokenizer();
    // The tokenizer is set before the extensions, so that any tokenizer method they override is
    // overridden on this one, which notes raw HTML.
    const instance = new Marked({ gfm: true, breaks: false, async: false }).setOptions({ tokenizer: flavourTokenizer }).use(...kramdownExtensions(kramdown));
    flavour = { tokenizer: flavourTokenizer, options: { ...instance.defaults, async: false }, marked: instance, allowance: "kramdown" };
    kramdownFlavours.set(key, flavour);
  }
  flavoursByObject.set(kramdown, flavour);
  return flavour;
}

/** marked's tokens for `source`, lexed with the bounded GFM rules, after the flavour's hooks and walkTokens. */
function lex(source: string, flavour: Flavour): Token[] {
  const { tokenizer, options, marked } = flavour;
  tokenizer.rawHtml = false;
  const hooks = options.hooks;
  if (hooks) {
    hooks.options = options;
    hooks.block = true;
  }
  const input = hooks ? hooks.preprocess(source) : source;
  // The hooks are run here, around the lexer, not by it: a lexer given hooks masks every text
  // for its emStrongMask hook, which none of the extensions has, at a cost of half its time.
  const lexer = new Lexer({ ...options, hooks: null });
  // The Lexer has just handed the tokenizer marked's rules (a plain field it reads on every
  // match); swap in the bounded ones.
  const rules = tokenizer.rules;
  if (rules.inline === GFM_INLINE) tokenizer.rules = { ...rules, inline: { ...rules.inline, ...(input.includes("@") ? BOUNDED_GFM_INLINE : GFM_INLINE_WITHOUT_AT) } };
  const lexed = lexer.lex(input);
  const tokens = hooks ? hooks.processAllTokens(lexed) : lexed;
  // The extensions are synchronous (async: false), so walkTokens returns no promise to wait for.
  if (marked && options.walkTokens) void marked.walkTokens(tokens, options.walkTokens);
  return tokens;
}

/** The HTML of `tokens`, written by `renderer` (marked's own when undefined), after the flavour's postprocess hook. */
function parse(tokens: Token[], flavour: Flavour, renderer?: Renderer): string {
  const html = Parser.parse(tokens, renderer ? { ...flavour.options, renderer } : { ...flavour.options });
  return flavour.options.hooks ? flavour.options.hooks.postprocess(html) : html;
}

/**
 * Renders Markdown to (unsanitized) HTML: as kramdown would with `kramdown` (a Jekyll site's
 * options), else as GitHub-flavoured Markdown.
 */
export function renderMarkdown(source: string, kramdown?: KramdownOptions): string {
  const flavour = flavourOf(kramdown);
  return parse(lex(source, flavour), flavour);
}

/** A post's Markdown as HTML. */
export interface PostHtml {
  /**
   * The HTML to read the summary and the nesting depth from: marked's output, or the safe HTML
   * when that was made directly (it has the same elements, text and alt texts).
   */
  readonly html: string;
  /** The HTML as it may travel: sanitized, every URL absolute against the post's URL. */
  safeHtml(): string;
  /** "renderer" when marked's output was made safe as it was written; "sanitizer" otherwise. */
  readonly madeSafeBy: "renderer" | "sanitizer";
}

/**
 * Renders a post's Markdown (as kramdown would, with `kramdown`) and makes it safe for feeds,
 * resolving URLs against `postUrl`. The result is the same as sanitizing
 * renderMarkdown(source, kramdown) against postUrl byte for byte; the
 * sanitizer runs only when the post holds raw HTML other than comments and <img>/<br>/<wbr>
 * tags, and only when safeHtml() is called, after the caller has looked at `html`.
 */
export function renderPostMarkdown(source: string, postUrl: string, kramdown?: KramdownOptions): PostHtml {
  const flavour = flavourOf(kramdown);
  const tokens = lex(source, flavour);
  if (!flavour.tokenizer.rawHtml) {
    safeRenderer.start(postUrl, flavour.allowance);
    try {
      const html = parse(tokens, flavour, safeRenderer);
      return { html, safeHtml: () => html, madeSafeBy: "renderer" };
    } catch (error) {
      if (!(error instanceof NeedsSanitizer)) throw error;
    }
  }
  const html = parse(tokens, flavour);
  return { html, safeHtml: () => sanitizePostHtml(html, postUrl, flavour.allowance), madeSafeBy: "sanitizer" };
}

/**
 * marked's renderer, writing what sanitizePostHtml would make of marked's HTML: the same
 * elements in the same order, text and attribute values escaped as sanitize-html escapes them
 * (after decoding the character references marked leaves in them, as its HTML parser would),
 * <br />, <img … />, URLs resolved or dropped by the same rule (html.ts safeUrl), classes of
 * code blocks filtered the same way. Everything else marked writes (headings, lists, tables,
 * emphasis, …) is already what the sanitizer writes, so those methods are marked's own.
 */
class SafeRenderer extends Renderer implements SafeHtmlWriter {
  readonly writesSafeHtml = true;
  private postUrl = "";
  private linkDepth = 0;
  /** The attributes the sanitizer would keep: what extensions may write (see kramdown/safe-output.ts). */
  allowance: AttributeAllowance = "posts";

  start(postUrl: string, allowance: AttributeAllowance): void {
    this.postUrl = postUrl;
    this.linkDepth = 0;
    this.allowance = allowance;
  }

  override code({ text, lang, escaped }: Tokens.Code): string {
    if (escaped) throw new NeedsSanitizer();
    const content = escapeHtmlText(text ? `${text.replace(/\n$/, "")}\n` : "");
    const language = /^\S*/.exec(lang ?? "")?.[0];
    if (!language) return `<pre><code>${content}</code></pre>\n`;
    // sanitize-html keeps the classes that match allowedClasses (code: language-*), after
    // splitting the value at whitespace, which a decoded character reference may bring in.
    const classes = `language-${attributeAsParsed(language)}`
      .split(/\s+/)
      .filter((name) => /^language-.*$/.test(name))
      .join(" ");
    return `<pre><code${classes === "" ? "" : htmlAttribute("class", classes)}>${content}</code></pre>\n`;
  }

  override html({ text }: Tokens.HTML | Tokens.Tag): string {
    // The tokenizer noted any other raw HTML, and then this renderer is not used at all.
    if (!isSelfContainedHtml(text)) throw new NeedsSanitizer();
    // Of comments and whitespace (<!--more-->), the sanitizer keeps the whitespace.
    const withoutComments = text.replace(/<!--[\s\S]*?-->/g, "");
    return withoutComments.includes("<") ? sanitizePostHtml(text, this.postUrl, this.allowance) : withoutComments;
  }

  override hr(): string {
    return "<hr />\n";
  }

  override checkbox({ checked }: Tokens.Checkbox): string {
    return `<input${checked ? " checked" : ""} disabled type="checkbox" /> `;
  }

  override codespan({ text }: Tokens.Codespan): string {
    return `<code>${escapeHtmlText(text)}</code>`;
  }

  override br(): string {
    return "<br />";
  }

  override link({ href, title, text, tokens, autolink }: Tokens.Link): string {
    // htmlparser2 closes an open <a> when another one starts inside it (marked writes that for
    // an autolink inside a link's text), which changes the sanitizer's output; rare enough to
    // leave to it.
    if (this.linkDepth > 0) throw new NeedsSanitizer();
    this.linkDepth++;
    const content = autolink ? escapeHtmlText(text) : this.parser.parseInline(tokens);
    this.linkDepth--;
    const cleaned = cleanUrl(href);
    if (cleaned === null) return content;
    // marked writes an autolink's URL with every "&" escaped, and other URLs as written.
    const url = safeUrl("a", autolink ? cleaned : attributeAsParsed(cleaned), this.postUrl);
    const titleAttribute = title ? htmlAttribute("title", attributeAsParsed(title)) : "";
    return `<a${url === undefined ? "" : htmlAttribute("href", url)}${titleAttribute}>${content}</a>`;
  }

  override image({ href, title, text, tokens }: Tokens.Image): string {
    const alt = tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : text;
    const cleaned = cleanUrl(href);
    // marked writes the alt text alone, as text, for a URL it cannot encode.
    if (cleaned === null) return escapeHtmlText(textAsParsed(alt));
    const url = safeUrl("img", attributeAsParsed(cleaned), this.postUrl);
    const titleAttribute = title ? htmlAttribute("title", attributeAsParsed(title)) : "";
    return `<img${url === undefined ? "" : htmlAttribute("src", url)}${htmlAttribute("alt", attributeAsParsed(alt))}${titleAttribute} />`;
  }

  override text(token: Tokens.Text | Tokens.Escape): string {
    if ("tokens" in token && token.tokens) return this.parser.parseInline(token.tokens);
    // Text marked passes through unescaped exists only inside raw HTML, which this renderer never sees.
    if ("escaped" in token && token.escaped) throw new NeedsSanitizer();
    return escapeHtmlText(textAsParsed(token.text));
  }
}

/** Rendering is synchronous, so one renderer serves every post in this thread. */
const safeRenderer = new SafeRenderer();

// marked's own escaping (its `escape(text, false)`): "<", ">", '"', "'" and every "&" that does
// not start a character reference. Needed to know what its HTML parser would read back.
const MARKED_ESCAPE = /[<>"']|&(?!(#\d{1,7}|#[Xx][a-fA-F0-9]{1,6}|\w+);)/g;
const MARKED_REPLACEMENTS: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeAsMarked(text: string): string {
  return text.replace(MARKED_ESCAPE, (character) => MARKED_REPLACEMENTS[character] ?? character);
}

// marked escapes text and attribute values but keeps character references ("&copy;", "&#106;")
// in them; the sanitizer's parser decodes those, and the sanitizer writes what it decoded. These
// give what that parser reads back from marked's escaping of a value. Without "&" there is
// nothing to decode, and the value is read back as it is.

/** A text as htmlparser2 reads marked's escaping of it back. */
function textAsParsed(text: string): string {
  return text.includes("&") ? decodeHTML(escapeAsMarked(text)) : text;
}

/** An attribute value as htmlparser2 reads marked's escaping of it back. */
function attributeAsParsed(value: string): string {
  return value.includes("&") ? decodeHTMLAttribute(escapeAsMarked(value)) : value;
}

/** marked's cleanUrl: the URL percent-encoded with encodeURI, or null when that fails (a lone surrogate). */
function cleanUrl(href: string): string | null {
  try {
    return encodeURI(href).replace(/%25/g, "%");
  } catch {
    return null;
  }
}

/** Jekyll's conventional excerpt separator, as most themes configure it. */
export const MORE_SEPARATOR = "<!--more-->";

/** The Markdown before the first <!--more--> marker, or undefined when there is none. */
export function markdownBeforeMore(source: string): string | undefined {
  const index = source.indexOf(MORE_SEPARATOR);
  return index === -1 ? undefined : source.slice(0, index);
}
