// Attributes kramdown puts on an element (from attribute lists; a heading's automatic id) are
// kept on the element's marked token and written into the first tag of the token's HTML, so
// that marked's own renderers, and Feedwright's SafeRenderer, keep writing the element itself.
//
// Under SafeRenderer the attributes are written as the sanitizer would leave them (those it keeps
// for a kramdown post, escaped as it escapes them); what it would change (a URL to resolve, an
// attribute the element already has, classes of <code>, which it filters) hands the post to the
// sanitizer instead, so that both ways give the same bytes.
import type { RendererExtension, Token, Tokens } from "marked";
import { escapeHtmlAttribute, htmlAttribute, keepsAttribute, type AttributeAllowance } from "../html.js";
import { joinClasses } from "./attribute-list.js";
import { NeedsSanitizer, writesSafeHtml } from "./safe-output.js";

/** The key under which a token carries its kramdown attributes. */
const ATTRIBUTES = "kramdownAttributes";

type Attributed = { [ATTRIBUTES]?: Map<string, string> };

/** The attributes set on `token` so far (none: undefined). */
export function attributesOf(token: Token): ReadonlyMap<string, string> | undefined {
  return (token as Attributed)[ATTRIBUTES];
}

/** Sets attributes on `token`, as kramdown merges an attribute list into an element's: classes added, the rest replaced. */
export function setAttributes(token: Token, attributes: ReadonlyMap<string, string>): void {
  if (attributes.size === 0) return;
  const target = token as Attributed;
  const into = (target[ATTRIBUTES] ??= new Map<string, string>());
  for (const [name, value] of attributes) into.set(name, name === "class" ? joinClasses(into.get("class"), value) : value);
}

/** The token types whose HTML begins with the tag their attributes go on. */
const ATTRIBUTABLE = ["paragraph", "heading", "list", "blockquote", "table", "hr", "code", "image", "link", "em", "strong", "codespan", "del"] as const;

type RenderMethod = (token: Tokens.Generic) => string;

/**
 * marked renderers for each attributable token type: a token with attributes is rendered by the
 * parser's renderer (marked's or SafeRenderer) and its first tag given the attributes; any other
 * is left to the renderer (`false`).
 */
export function attributeRenderers(): RendererExtension[] {
  return ATTRIBUTABLE.map((name) => ({
    name,
    renderer(token) {
      const attributes = attributesOf(token);
      if (attributes === undefined) return false;
      const renderer = this.parser.renderer as unknown as Record<string, RenderMethod>;
      const method = renderer[name];
      if (method === undefined) return false;
      return withAttributes(method.call(renderer, token), attributes, allowanceOf(this.parser.renderer));
    },
  }));
}

/** What an extension's renderer passes to withAttributes: the allowance when `renderer` writes sanitized HTML. */
export function allowanceOf(renderer: unknown): AttributeAllowance | undefined {
  return writesSafeHtml(renderer) ? renderer.allowance : undefined;
}

/** `html`, an extension token's rendering, with the attributes set on `token` (if any). */
export function withTokenAttributes(html: string, token: Token, renderer: unknown): string {
  const attributes = attributesOf(token);
  return attributes === undefined ? html : withAttributes(html, attributes, allowanceOf(renderer));
}

// The first start tag of an element's HTML, as marked and SafeRenderer write it: name, then
// attributes with double-quoted values (or none), then ">" or " />".
const FIRST_TAG = /^(\s*)<([a-z][a-z0-9]*)((?:\s+[^\s="'<>/]+(?:="[^"]*")?)*)(\s*\/?>)/u;
const TAG_ATTRIBUTE = /\s+([^\s="'<>/]+)(?:="([^"]*)")?/gu;
const URL_ATTRIBUTES = new Set(["href", "src", "srcset", "poster", "cite"]);

/**
 * `html` with `attributes` merged into its first tag. `safe` is the allowance when the HTML is
 * written already sanitized, undefined when the sanitizer will run over it.
 */
export function withAttributes(html: string, attributes: ReadonlyMap<string, string>, safe: AttributeAllowance | undefined): string {
  const tag = FIRST_TAG.exec(html);
  if (!tag) return html;
  const [whole, space = "", name = "", writtenAttributes = "", end = ">"] = tag;
  // Each attribute as written (escaped), and as it will be written.
  const values = new Map<string, string | undefined>();
  const written = new Map<string, string>();
  for (const [, attribute = "", value] of writtenAttributes.matchAll(TAG_ATTRIBUTE)) {
    values.set(attribute, value);
    written.set(attribute, value === undefined ? ` ${attribute}` : ` ${attribute}="${value}"`);
  }
  for (const [attribute, value] of attributes) {
    if (safe === undefined) {
      const before = values.get(attribute);
      const escaped = escapeHtmlAttribute(value);
      written.set(attribute, ` ${attribute}="${attribute === "class" && before !== undefined ? joinClasses(before, escaped) : escaped}"`);
    } else if (keepsAttribute(name, attribute, safe)) {
      if (values.has(attribute) || URL_ATTRIBUTES.has(attribute) || (name === "code" && attribute === "class")) throw new NeedsSanitizer();
      written.set(attribute, htmlAttribute(attribute, value));
    }
  }
  return `${space}<${name}${[...written.values()].join("")}${end}${html.slice(whole.length)}`;
}
