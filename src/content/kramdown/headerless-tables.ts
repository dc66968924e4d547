// kramdown's tables without a header row: lines that start with "|", with no separator line
// under the first, are a table of body rows only (`<table><tbody>`). marked reads a table only
// when it has a header row and a separator line, and leaves these as a paragraph of text; a
// table with a header stays marked's. kramdown pads a short row with empty cells, and starts a
// new <tbody> at a separator line inside the table.
import type { MarkedExtension, Token, Tokens, TokenizerAndRendererExtension } from "marked";
import { withTokenAttributes } from "./element-attributes.js";

// Consecutive lines that start with "|" (after at most three spaces).
const PIPE_LINES = /^(?: {0,3}\|[^\n]*(?:\n|$))+/u;
// A separator line: cells of dashes with optional alignment colons.
const SEPARATOR = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/u;

interface Cell {
  readonly text: string;
  readonly tokens: Token[];
}

export interface HeaderlessTable extends Tokens.Generic {
  type: "kramdownHeaderlessTable";
  /** Groups of rows, one <tbody> each. */
  bodies: Cell[][][];
}

/** kramdown's tables without a header row. */
export function headerlessTableExtension(): MarkedExtension {
  const table: TokenizerAndRendererExtension = {
    name: "kramdownHeaderlessTable",
    level: "block",
    childTokens: ["bodies"],
    tokenizer(src) {
      if (!src.startsWith("|") && !/^ {1,3}\|/u.test(src)) return undefined;
      const match = PIPE_LINES.exec(src);
      if (!match) return undefined;
      const lines = match[0].replace(/\n$/u, "").split("\n");
      // A separator under the first line makes it a header: marked's table.
      if (lines.length > 1 && SEPARATOR.test(lines[1] ?? "")) return undefined;
      const bodies: Cell[][][] = [[]];
      for (const line of lines) {
        if (SEPARATOR.test(line)) {
          if ((bodies.at(-1) ?? []).length > 0) bodies.push([]);
          continue;
        }
        (bodies.at(-1) as Cell[][]).push(splitRow(line).map((text) => ({ text, tokens: this.lexer.inline(text) })));
      }
      const nonEmpty = bodies.filter((rows) => rows.length > 0);
      if (nonEmpty.length === 0) return undefined;
      const columns = Math.max(...nonEmpty.flat().map((row) => row.length));
      for (const row of nonEmpty.flat()) while (row.length < columns) row.push({ text: "", tokens: [] });
      const token: HeaderlessTable = { type: "kramdownHeaderlessTable", raw: match[0], bodies: nonEmpty };
      return token;
    },
    renderer(token) {
      const { bodies } = token as HeaderlessTable;
      let html = "<table>\n";
      for (const rows of bodies) {
        html += "<tbody>\n";
        for (const row of rows) html += `<tr>\n${row.map((cell) => `<td>${this.parser.parseInline(cell.tokens)}</td>\n`).join("")}</tr>\n`;
        html += "</tbody>\n";
      }
      return withTokenAttributes(`${html}</table>\n`, token, this.parser.renderer);
    },
  };
  return { extensions: [table] };
}

/**
 * The cells of one table line: split at each "|" that is neither escaped ("\|") nor inside a
 * code span, the outer ones dropped, each cell trimmed (kramdown's table row rule).
 */
export function splitRow(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let codeFence = 0;
  const text = line.trim();
  for (let index = text.startsWith("|") ? 1 : 0; index < text.length; index++) {
    const character = text[index] as string;
    if (character === "\\" && index + 1 < text.length) {
      cell += character + (text[index + 1] as string);
      index++;
    } else if (character === "`") {
      let run = 1;
      while (text[index + run] === "`") run++;
      if (codeFence === 0) codeFence = run;
      else if (codeFence === run) codeFence = 0;
      cell += "`".repeat(run);
      index += run - 1;
    } else if (character === "|" && codeFence === 0) {
      cells.push(cell.trim());
      cell = "";
    } else {
      cell += character;
    }
  }
  if (cell.trim() !== "" || !text.endsWith("|") || cells.length === 0) cells.push(cell.trim());
  return cells;
}
