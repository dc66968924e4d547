// kramdown's abbreviations: a definition line `*[XML]: Extensible Markup Language`, anywhere in
// the document, is removed, and every "XML" in the document's text (not in code or raw HTML)
// becomes <abbr title="Extensible Markup Language">XML</abbr>. As kramdown matches them
// (replace_abbreviations), an abbreviation starts where a non-word character or the text starts
// and must not be followed by a word character, word characters being ASCII letters, digits and
// "_" (Ruby's \w); the longest abbreviation wins.
//
// Matching goes through a trie of the abbreviations, so a document with thousands of them costs
// at most MAX_ABBREVIATION characters of look-ahead at each place one may start.
import type { MarkedExtension, RendererExtension, Token, Tokens, TokenizerAndRendererExtension } from "marked";
import { escapeHtmlAttribute, escapeHtmlText } from "../html.js";
import { NeedsSanitizer, writesSafeHtml } from "./safe-output.js";

const DEFINITION = /^ {0,3}\*\[([^\]\n]+)\]:[ \t]*([^\n]*?)[ \t]*(?:\n+|$)/u;

/** Longer abbreviations are not looked for (no real one comes near). */
const MAX_ABBREVIATION = 64;

interface AbbreviationDefinition extends Tokens.Generic {
  type: "kramdownAbbreviationDefinition";
}

export interface Abbreviation extends Tokens.Generic {
  type: "kramdownAbbreviation";
  text: string;
  title: string;
}

interface TrieNode {
  readonly next: Map<string, TrieNode>;
  /** The title when an abbreviation ends here. */
  title?: string;
}

/** The abbreviations of one document, which the hooks and the tokenizer share while it is read. */
class DocumentAbbreviations {
  active = false;
  root: TrieNode = { next: new Map() };
  count = 0;

  reset(active: boolean): void {
    this.active = active;
    this.root = { next: new Map() };
    this.count = 0;
  }

  /** A later definition of the same abbreviation replaces an earlier one, as in kramdown. */
  define(abbreviation: string, title: string): void {
    if (abbreviation.length > MAX_ABBREVIATION) return;
    let node = this.root;
    for (const character of abbreviation) {
      let child = node.next.get(character);
      if (!child) {
        child = { next: new Map() };
        node.next.set(character, child);
      }
      node = child;
    }
    node.title = title;
    this.count++;
  }

  /** The longest abbreviation at `start` of `text` not followed by a word character: its length and title. */
  longestAt(text: string, start: number): { length: number; title: string } | undefined {
    let node: TrieNode | undefined = this.root;
    let found: { length: number; title: string } | undefined;
    for (let index = start; index < text.length && node; ) {
      const character = String.fromCodePoint(text.codePointAt(index) ?? 0);
      node = node.next.get(character);
      index += character.length;
      if (node?.title !== undefined && !isWordCharacter(text.charCodeAt(index))) found = { length: index - start, title: node.title };
    }
    return found;
  }
}

/** Ruby's \w on kramdown's strings: ASCII letters, digits and "_". */
function isWordCharacter(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

/** kramdown's abbreviations. */
export function abbreviationExtension(): MarkedExtension {
  const abbreviations = new DocumentAbbreviations();
  const definitions: TokenizerAndRendererExtension = {
    name: "kramdownAbbreviationDefinition",
    level: "block",
    tokenizer(src) {
      if (!abbreviations.active) return undefined;
      const match = DEFINITION.exec(src);
      if (!match) return undefined;
      abbreviations.define(match[1] ?? "", match[2] ?? "");
      const token: AbbreviationDefinition = { type: "kramdownAbbreviationDefinition", raw: match[0] };
      return token;
    },
    renderer: () => "",
  };
  const abbreviation: RendererExtension = {
    name: "kramdownAbbreviation",
    renderer(token) {
      const { text, title } = token as Abbreviation;
      // The sanitizer would decode a character reference in either; rare enough to leave to it.
      if (writesSafeHtml(this.parser.renderer) && (text.includes("&") || title.includes("&"))) throw new NeedsSanitizer();
      return `<abbr${title === "" ? "" : ` title="${escapeHtmlAttribute(title)}"`}>${escapeHtmlText(text)}</abbr>`;
    },
  };
  return {
    extensions: [definitions, abbreviation],
    hooks: {
      preprocess(markdown) {
        abbreviations.reset(markdown.includes("*["));
        return markdown;
      },
      processAllTokens(tokens) {
        if (abbreviations.active && abbreviations.count > 0) replaceIn(tokens, abbreviations);
        return tokens;
      },
    },
  };
}

/** The token types whose text is kept as written (code) or is not the document's text. */
const NOT_TEXT = new Set(["code", "codespan", "html", "kramdownAbbreviationDefinition"]);

/** Replaces abbreviations in the plain text tokens among `tokens` and inside them. */
function replaceIn(tokens: Token[], abbreviations: DocumentAbbreviations): void {
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    if (NOT_TEXT.has(token.type)) continue;
    if (token.type === "text" && !("tokens" in token && token.tokens)) {
      const pieces = withAbbreviations(token as Tokens.Text, abbreviations);
      if (pieces) {
        tokens.splice(index, 1, ...pieces);
        index += pieces.length - 1;
      }
      continue;
    }
    for (const children of childTokens(token)) replaceIn(children, abbreviations);
  }
}

function childTokens(token: Token): Token[][] {
  if (token.type === "list") return (token as Tokens.List).items.map((item) => item.tokens);
  if (token.type === "table") {
    const table = token as Tokens.Table;
    return [...table.header.map((cell) => cell.tokens), ...table.rows.flatMap((row) => row.map((cell) => cell.tokens))];
  }
  const nested: Token[][] = [];
  if ("tokens" in token && Array.isArray(token.tokens)) nested.push(token.tokens);
  // Extensions' tokens hold their children in lists of items, rows or cells with tokens.
  for (const value of Object.values(token)) {
    if (!Array.isArray(value) || value === (token as { tokens?: unknown }).tokens) continue;
    for (const item of value.flat(2) as unknown[]) {
      if (typeof item === "object" && item !== null && "tokens" in item && Array.isArray(item.tokens)) nested.push(item.tokens as Token[]);
    }
  }
  return nested;
}

/** The text token split into text and abbreviations, or undefined when it holds none. */
function withAbbreviations(token: Tokens.Text, abbreviations: DocumentAbbreviations): Token[] | undefined {
  const text = token.text;
  const pieces: Token[] = [];
  let written = 0;
  for (let index = 0; index < text.length; index++) {
    // An abbreviation starts at the text's start or after a non-word character.
    if (index > 0 && isWordCharacter(text.charCodeAt(index - 1))) continue;
    const found = abbreviations.longestAt(text, index);
    if (!found) continue;
    if (index > written) pieces.push(plainText(text.slice(written, index)));
    const abbreviation: Abbreviation = { type: "kramdownAbbreviation", raw: text.slice(index, index + found.length), text: text.slice(index, index + found.length), title: found.title };
    pieces.push(abbreviation);
    written = index + found.length;
    index = written - 1;
  }
  if (pieces.length === 0) return undefined;
  if (written < text.length) pieces.push(plainText(text.slice(written)));
  return pieces;
}

function plainText(text: string): Tokens.Text {
  return { type: "text", raw: text, text, escaped: false };
}
