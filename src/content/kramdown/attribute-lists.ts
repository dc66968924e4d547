// kramdown's block and span inline attribute lists (IALs) and attribute list definitions (ALDs):
//
//   A paragraph.            {:note: .callout title="Careful"}     Some *text*{: .highlight}
//   {: .lead #intro}        {: note}                              ![logo](/logo.png){: width="70"}
//
// A block IAL on the line after a block applies to that block; one after a blank line, to the
// block that follows it. A span IAL right after an emphasis, link, image, code span or
// strikethrough applies to it. An IAL with nothing to apply to disappears, as in kramdown; "{:"
// in the middle of text stays text, as in kramdown. `{:toc}` on a list makes it kramdown's table
// of contents (`<ul id="markdown-toc">`) of the headings that have an id.
//
// marked lets a paragraph, a list item or a table run on over the IAL line, so a hook first gives
// each block IAL a line of its own; a block IAL that belongs to the block above is marked then.
import type { MarkedExtension, Token, Tokens, TokenizerAndRendererExtension } from "marked";
import { escapeHtmlAttribute } from "../html.js";
import { parseAttributeList, resolveAttributeList, type AttributeList } from "./attribute-list.js";
import { attributeRenderers, attributesOf, setAttributes, withAttributes } from "./element-attributes.js";
import type { DefinitionList } from "./definition-lists.js";
import type { HeaderlessTable } from "./headerless-tables.js";
import type { KramdownOptions } from "./options.js";
import { NeedsSanitizer, writesSafeHtml } from "./safe-output.js";

/** Put before a block IAL's "{:" by the preprocess hook: the IAL applies to the block above. */
const APPLIES_TO_BLOCK_ABOVE = "\uE000";

// One line holding only an IAL or ALD, behind any blockquote markers. The list's text may hold
// "\}" but no line break (kramdown's IAL_BLOCK_START and ALD_START, on one line), and is read up
// to 1,000 characters: a span list is looked for after every emphasis or link, and an unclosed
// one must not make each look read the rest of the line.
const BLOCK_LIST_LINE = /^((?: {0,3}>[ \t]?)*)( {0,3})\{:(?![:/])((?:\\[^\n]|[^\\}\n]){1,1000})\}[ \t]*$/u;
const BLOCK_LIST = /^ {0,3}(\uE000?)\{:(?![:/])((?:\\[^\n]|[^\\}\n]){1,1000})\}[ \t]*(?:\n+|$)/u;
const SPAN_LIST = /^\{:(?![:/])((?:\\[^\n]|[^\\}\n]){1,1000})\}/u;
// kramdown's ALD_START: "{:name:" then the list.
const DEFINITION = /^([A-Za-z0-9_][\w-]*):([^]*)$/u;
const FENCE = /^ {0,3}(`{3,}|~{3,})/u;
const QUOTE_MARKERS = /^(?: {0,3}>[ \t]?)*/u;
const LIST_ITEM = /^ {0,3}(?:[*+-]|\d{1,9}[.)])[ \t]/u;

interface BlockAttributeList extends Tokens.Generic {
  type: "kramdownBlockAttributeList";
  /** The list, or undefined for a definition (which applies to nothing itself). */
  list: AttributeList | undefined;
  appliesTo: "above" | "below";
}

interface SpanAttributeList extends Tokens.Generic {
  type: "kramdownSpanAttributeList";
  list: AttributeList;
}

interface TableOfContents extends Tokens.Generic {
  type: "kramdownTableOfContents";
  ordered: boolean;
}

/** The span elements a span IAL applies to. */
const SPAN_TARGETS = new Set(["em", "strong", "link", "image", "codespan", "del"]);

/** The attribute lists of one document, which the hooks and tokenizers share while it is read. */
class DocumentLists {
  /** Whether the document has "{:" at all; else every step here is skipped. */
  active = false;
  /** Whether the preprocess hook put APPLIES_TO_BLOCK_ABOVE marks in the document. */
  marked = false;
  readonly definitions = new Map<string, AttributeList>();
  /** The document's top-level headings, for a table of contents. */
  headings: Tokens.Heading[] = [];

  reset(active: boolean): void {
    this.active = active;
    this.marked = false;
    this.definitions.clear();
    this.headings = [];
  }
}

/** kramdown's attribute lists and definitions, and `{:toc}`. */
export function attributeListExtension(options: KramdownOptions): MarkedExtension {
  const lists = new DocumentLists();
  const blockLists: TokenizerAndRendererExtension = {
    name: "kramdownBlockAttributeList",
    level: "block",
    tokenizer(src) {
      if (!lists.active) return undefined;
      const match = BLOCK_LIST.exec(src);
      if (!match) return undefined;
      const text = match[2] ?? "";
      const definition = DEFINITION.exec(text);
      if (definition) lists.definitions.set(definition[1] ?? "", parseAttributeList(definition[2] ?? ""));
      const token: BlockAttributeList = { type: "kramdownBlockAttributeList", raw: match[0], list: definition ? undefined : parseAttributeList(text), appliesTo: match[1] ? "above" : "below" };
      return token;
    },
    renderer: () => "",
  };
  const spanLists: TokenizerAndRendererExtension = {
    name: "kramdownSpanAttributeList",
    level: "inline",
    tokenizer(src) {
      if (!lists.active || src.charCodeAt(0) !== 0x7b) return undefined;
      const match = SPAN_LIST.exec(src);
      if (!match) return undefined;
      const token: SpanAttributeList = { type: "kramdownSpanAttributeList", raw: match[0], list: parseAttributeList(match[1] ?? "") };
      return token;
    },
    renderer: () => "",
  };
  const tableOfContents: TokenizerAndRendererExtension = {
    name: "kramdownTableOfContents",
    level: "block",
    renderer(token) {
      // Its links point into the page (href="#…"), which the sanitizer resolves.
      if (writesSafeHtml(this.parser.renderer)) throw new NeedsSanitizer();
      const toc = token as TableOfContents;
      const entries = lists.headings
        .filter((heading) => options.tocLevels.includes(heading.depth) && !(attributesOf(heading)?.get("class") ?? "").split(" ").includes("no_toc"))
        .flatMap((heading) => {
          const id = attributesOf(heading)?.get("id");
          return id === undefined || id === "" ? [] : [{ level: heading.depth, id, html: this.parser.parseInline(withoutLinks(heading.tokens)) }];
        });
      const attributes = new Map(attributesOf(toc) ?? []);
      if (!attributes.has("id")) attributes.set("id", "markdown-toc");
      return withAttributes(tocHtml(entries, toc.ordered ? "ol" : "ul", attributes.get("id") ?? ""), attributes, undefined);
    },
  };
  return {
    extensions: [blockLists, spanLists, tableOfContents, ...attributeRenderers()],
    hooks: {
      preprocess(markdown) {
        lists.reset(markdown.includes("{:"));
        if (!lists.active) return markdown;
        const lined = ownLines(markdown);
        lists.marked = lined.includes(APPLIES_TO_BLOCK_ABOVE);
        return lined;
      },
      processAllTokens(tokens) {
        if (lists.active) applyLists(tokens, lists, true);
        return tokens;
      },
      // A mark in text no tokenizer reads as a block (the body of a {::nomarkdown}, say) is not
      // the post's; the same HTML goes to SafeRenderer's output and to the sanitizer.
      postprocess(html) {
        return lists.marked && html.includes(APPLIES_TO_BLOCK_ABOVE) ? html.replaceAll(APPLIES_TO_BLOCK_ABOVE, "") : html;
      },
    },
  };
}

/**
 * The Markdown with each block IAL and ALD on a line of its own, after a blank line, so that no
 * paragraph, list item or table runs on over it; an IAL that was on the line after a block gets
 * the APPLIES_TO_BLOCK_ABOVE mark. Lines in fenced code are left alone.
 */
function ownLines(markdown: string): string {
  const lines = markdown.split("\n");
  const out: string[] = [];
  let fence: string | undefined;
  let previousBlank = true;
  // Whether a list item started since the last blank line: an indented IAL there is in the
  // item's text, where a blank line would make the list loose; it is read there as it is.
  let inTightItem = false;
  for (const line of lines) {
    const fenceMatch = FENCE.exec(line.replace(QUOTE_MARKERS, ""));
    if (fence !== undefined) {
      if (fenceMatch?.[1]?.startsWith(fence)) fence = undefined;
    } else if (fenceMatch) {
      fence = fenceMatch[1];
    } else {
      const list = line.includes("{:") ? BLOCK_LIST_LINE.exec(line) : null;
      if (list && !previousBlank && !(inTightItem && (list[2] ?? "") !== "")) {
        const [, markers = "", indent = "", text = ""] = list;
        out.push(markers.trimEnd());
        out.push(DEFINITION.test(text) ? line : `${markers}${indent}${APPLIES_TO_BLOCK_ABOVE}${line.slice(markers.length + indent.length)}`);
        previousBlank = false;
        continue;
      }
    }
    out.push(line);
    const content = line.replace(QUOTE_MARKERS, "");
    previousBlank = content.trim() === "";
    if (previousBlank) inTightItem = false;
    else if (LIST_ITEM.test(content)) inTightItem = true;
  }
  return out.join("\n");
}

/** Applies every IAL in `tokens` (and the tokens inside them) to its element. */
function applyLists(tokens: Token[], lists: DocumentLists, topLevel: boolean): void {
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    if (topLevel && token.type === "heading") lists.headings.push(token as Tokens.Heading);
    if (token.type === "kramdownBlockAttributeList") {
      const { list, appliesTo } = token as BlockAttributeList;
      const target = list && blockTarget(tokens, index, appliesTo === "above" ? -1 : 1);
      if (list && target !== undefined) {
        const element = tokens[target] as Token;
        if (element.type === "list" && list.refs.includes("toc")) {
          const toc: TableOfContents = { type: "kramdownTableOfContents", raw: element.raw, ordered: (element as Tokens.List).ordered };
          tokens[target] = toc;
          setAttributes(toc, resolveAttributeList({ refs: list.refs.filter((ref) => ref !== "toc"), attributes: list.attributes }, lists.definitions));
        } else {
          setAttributes(element, resolveAttributeList(list, lists.definitions));
        }
      }
    } else if (token.type === "kramdownSpanAttributeList") {
      const before = index > 0 ? (tokens[index - 1] as Token) : undefined;
      if (before && SPAN_TARGETS.has(before.type)) setAttributes(before, resolveAttributeList((token as SpanAttributeList).list, lists.definitions));
    }
    for (const children of childTokens(token)) applyLists(children, lists, false);
  }
}

/** The element a block IAL at `index` applies to: the nearest block above or below it that is not space or another list. */
function blockTarget(tokens: readonly Token[], index: number, step: -1 | 1): number | undefined {
  for (let at = index + step; at >= 0 && at < tokens.length; at += step) {
    const type = (tokens[at] as Token).type;
    if (type === "space" || type === "def") continue;
    if (type === "kramdownBlockAttributeList") {
      if (step === -1) return undefined;
      continue;
    }
    return at;
  }
  return undefined;
}

function childTokens(token: Token): Token[][] {
  switch (token.type) {
    case "list":
      return (token as Tokens.List).items.map((item) => item.tokens);
    case "table": {
      const table = token as Tokens.Table;
      return [...table.header.map((cell) => cell.tokens), ...table.rows.flatMap((row) => row.map((cell) => cell.tokens))];
    }
    case "kramdownDefinitionList":
      return (token as DefinitionList).items.map((item) => item.tokens);
    case "kramdownHeaderlessTable":
      return (token as HeaderlessTable).bodies.flat(2).map((cell) => cell.tokens);
    default:
      return "tokens" in token && Array.isArray(token.tokens) ? [token.tokens] : [];
  }
}

/** A heading's tokens for its table of contents entry: links replaced by their text, as kramdown's fix_for_toc_entry does. */
function withoutLinks(tokens: readonly Token[]): Token[] {
  return tokens.flatMap((token) => (token.type === "link" ? withoutLinks((token as Tokens.Link).tokens) : [token]));
}

interface TocEntry {
  readonly level: number;
  readonly id: string;
  readonly html: string;
  readonly children: TocEntry[];
}

/** kramdown's generate_toc_tree: each heading under the nearest one above it of a lower level. */
function tocHtml(headings: readonly { level: number; id: string; html: string }[], listTag: "ul" | "ol", tocId: string): string {
  const roots: TocEntry[] = [];
  const stack: TocEntry[] = [];
  for (const heading of headings) {
    const entry: TocEntry = { ...heading, children: [] };
    while (stack.length > 0 && (stack.at(-1) as TocEntry).level >= entry.level) stack.pop();
    (stack.length === 0 ? roots : (stack.at(-1) as TocEntry).children).push(entry);
    stack.push(entry);
  }
  const list = (entries: readonly TocEntry[], indent: string, attributes: string): string =>
    `<${listTag}${attributes}>\n${entries.map((entry) => item(entry, `${indent}  `)).join("")}${indent}</${listTag}>\n`;
  const item = (entry: TocEntry, indent: string): string => {
    const link = `<a href="#${escapeHtmlAttribute(entry.id)}" id="${escapeHtmlAttribute(`${tocId}-${entry.id}`)}">${entry.html}</a>`;
    if (entry.children.length === 0) return `${indent}<li>${link}</li>\n`;
    return `${indent}<li>${link}${indent}  ${list(entry.children, `${indent}  `, "")}${indent}</li>\n`;
  };
  return list(roots, "", "");
}
