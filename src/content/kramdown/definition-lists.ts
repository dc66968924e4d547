// kramdown's definition lists: one or more lines of terms, then definitions, each starting with
// ":" and a space on its line (its further lines indented), as in
//
//   Permalink
//   : The URL a post keeps forever.
//
// Consecutive terms and definitions make one <dl>. A definition right under its term is written
// without a paragraph (kramdown's "transparent" paragraph); one after a blank line gets <p>.
import type { MarkedExtension, Token, Tokens, TokenizerAndRendererExtension } from "marked";
import { withTokenAttributes } from "./element-attributes.js";

/** One <dt> or <dd> of a definition list. */
export interface DefinitionItem {
  readonly kind: "dt" | "dd";
  readonly tokens: Token[];
  /** A definition under its term with no blank line between: its first paragraph is written without <p>. */
  readonly tight: boolean;
}

export interface DefinitionList extends Tokens.Generic {
  type: "kramdownDefinitionList";
  items: DefinitionItem[];
}

/** More lines of terms than this before a definition are not read as one. */
const MAX_TERM_LINES = 8;
const DEFINITION_START = /^ {0,3}:[ \t]+(?=\S)/u;
const BLANK = /^[ \t]*$/u;

// A line that starts a definition, anywhere in a document.
const ANY_DEFINITION_START = /^ {0,3}:[ \t]+\S/mu;

/** kramdown's definition lists. */
export function definitionListExtension(): MarkedExtension {
  // Whether the document has a definition at all; else the tokenizer, tried at every block, does nothing.
  let active = false;
  const definitionList: TokenizerAndRendererExtension = {
    name: "kramdownDefinitionList",
    level: "block",
    childTokens: ["items"],
    tokenizer(src) {
      if (!active) return undefined;
      const read = readDefinitionList(src);
      if (read === undefined) return undefined;
      const items = read.items.map((item): DefinitionItem => ({ kind: item.kind, tight: item.tight, tokens: item.kind === "dt" ? this.lexer.inline(item.text) : this.lexer.blockTokens(item.text, []) }));
      const token: DefinitionList = { type: "kramdownDefinitionList", raw: read.raw, items };
      return token;
    },
    renderer(token) {
      let html = "<dl>\n";
      for (const item of (token as DefinitionList).items) {
        if (item.kind === "dt") {
          html += `<dt>${this.parser.parseInline(item.tokens)}</dt>\n`;
          continue;
        }
        const [first, ...rest] = item.tokens;
        const opening = item.tight && first?.type === "paragraph" ? this.parser.parseInline((first as Tokens.Paragraph).tokens) + (rest.length > 0 ? "\n" : "") : "";
        const body = opening === "" ? this.parser.parse(item.tokens) : opening + this.parser.parse(rest);
        html += `<dd>${body.replace(/\n$/u, "")}</dd>\n`;
      }
      return withTokenAttributes(`${html}</dl>\n`, token, this.parser.renderer);
    },
  };
  return {
    extensions: [definitionList],
    hooks: {
      preprocess(markdown) {
        active = ANY_DEFINITION_START.test(markdown);
        return markdown;
      },
    },
  };
}

interface ReadItem {
  readonly kind: "dt" | "dd";
  readonly text: string;
  readonly tight: boolean;
}

/**
 * The definition list at the start of `src`, or undefined when it does not start with one. Lines
 * are read as needed: where no definition follows, at most MAX_TERM_LINES + 2 lines are looked at.
 */
function readDefinitionList(src: string): { raw: string; items: ReadItem[] } | undefined {
  const lines = new Lines(src);
  const items: ReadItem[] = [];
  let at = 0;
  let consumed = 0;
  for (;;) {
    const group = groupAt(lines, at);
    if (group === undefined) break;
    for (let line = at; line < group.termEnd; line++) items.push({ kind: "dt", text: lines.at(line).trim(), tight: false });
    at = group.definitionAt;
    let blankBefore = group.blankBefore;
    // Definitions: ":" lines, each with the indented (or blank-separated indented) lines after it.
    while (lines.has(at) && DEFINITION_START.test(lines.at(at))) {
      const first = lines.at(at);
      const indent = (DEFINITION_START.exec(first)?.[0] ?? "").length;
      const body = [first.slice(indent)];
      const indentation = new RegExp(`^[ \\t]{1,${indent}}`, "u");
      at++;
      let blankRun = 0;
      while (lines.has(at)) {
        const line = lines.at(at);
        if (BLANK.test(line)) {
          blankRun++;
          at++;
          continue;
        }
        if (!/^[ \t]/u.test(line)) break;
        for (; blankRun > 0; blankRun--) body.push("");
        body.push(line.replace(indentation, ""));
        at++;
      }
      items.push({ kind: "dd", text: body.join("\n"), tight: !blankBefore });
      consumed = at - blankRun;
      blankBefore = blankRun > 0;
      // Blank lines after a definition belong to the list only if another term or definition follows.
      if (blankRun > 0 && !(lines.has(at) && DEFINITION_START.test(lines.at(at))) && groupAt(lines, at) === undefined) break;
    }
  }
  if (items.length === 0) return undefined;
  return { raw: src.slice(0, lines.offset(consumed)), items };
}

/** The group of terms starting at line `at`, when a definition follows them: where its terms end and its first definition is. */
function groupAt(lines: Lines, at: number): { termEnd: number; definitionAt: number; blankBefore: boolean } | undefined {
  let termEnd = at;
  while (lines.has(termEnd) && termEnd - at < MAX_TERM_LINES && !BLANK.test(lines.at(termEnd)) && !DEFINITION_START.test(lines.at(termEnd))) termEnd++;
  if (termEnd === at) return undefined;
  const blankBefore = lines.has(termEnd) && BLANK.test(lines.at(termEnd));
  const definitionAt = blankBefore ? termEnd + 1 : termEnd;
  return lines.has(definitionAt) && DEFINITION_START.test(lines.at(definitionAt)) ? { termEnd, definitionAt, blankBefore } : undefined;
}

/** The lines of a text, found as they are asked for (a tokenizer is tried at every block). */
class Lines {
  /** Where each line found so far starts; the last entry is where the next one would. */
  private readonly starts = [0];

  constructor(private readonly text: string) {}

  has(index: number): boolean {
    this.find(index);
    return index < this.starts.length - 1;
  }

  /** Line `index` without its line break ("" past the end). */
  at(index: number): string {
    if (!this.has(index)) return "";
    const start = this.starts[index] ?? 0;
    const next = this.starts[index + 1] ?? this.text.length;
    return this.text.slice(start, this.text[next - 1] === "\n" ? next - 1 : next);
  }

  /** Where line `index` starts (the text's length past the end). */
  offset(index: number): number {
    this.find(index);
    return Math.min(this.starts[index] ?? this.text.length, this.text.length);
  }

  private find(index: number): void {
    while (this.starts.length <= index + 1) {
      const start = this.starts.at(-1) ?? 0;
      if (start >= this.text.length) return;
      const end = this.text.indexOf("\n", start);
      this.starts.push(end === -1 ? this.text.length : end + 1);
    }
  }
}
