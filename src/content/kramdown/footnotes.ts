// kramdown's footnotes (parser/kramdown/footnote.rb, converter/html.rb): `[^name]` marks a
// reference to the note defined by a `[^name]: text` block anywhere in the document. Notes are
// numbered in the order their first reference is written, from `footnote_nr`; a note nobody
// refers to is left out, and a reference to no note stays text. The notes follow the document
// in kramdown's markup:
//
//   <sup id="fnref:name" role="doc-noteref"><a href="#fn:name" class="footnote" rel="footnote">1</a></sup>
//   <div class="footnotes" role="doc-endnotes"><ol><li id="fn:name" role="doc-endnote"><p>text
//   <a href="#fnref:name" class="reversefootnote" role="doc-backlink">↩</a></p></li></ol></div>
//
// marked-footnote writes GitHub's markup, numbers notes as it lexes them and reads a definition
// as marked-footnote's own syntax rather than kramdown's, so this is kramdown's own, in marked's
// extension API.
import { decodeHTML } from "entities";
import type { Lexer, MarkedExtension, Parser, Token, Tokens } from "marked";
import { escapeHtmlText, htmlAttribute } from "../html.js";
import type { KramdownOptions } from "./options.js";

/** A note's name: kramdown's ALD_ID_NAME, ASCII word characters and "-". */
const NAME = "\\w[\\w-]*";
const DEFINITION_START = new RegExp(`^ {0,3}\\[\\^(${NAME})\\]:`, "u");
const REFERENCE = new RegExp(`^\\[\\^(${NAME})\\]`, "u");

/** The notes of one document, and how they have been numbered in the rendering under way. */
class DocumentNotes {
  readonly definitions = new Map<string, Token[]>();
  /** The parser whose rendering the numbers below belong to. */
  private parser: unknown;
  /** Notes in the order of their first reference, with how often they have been referred to. */
  private used: { name: string; references: number; number: number }[] = [];
  private byName = new Map<string, { name: string; references: number; number: number }>();

  constructor(private readonly firstNumber: number) {}

  /**
   * The number of the note `name` and which reference to it this is (0 for the first), for
   * the rendering by `parser`. A post may be rendered twice (see safe-output.ts); each
   * rendering numbers from the start.
   */
  refer(name: string, parser: unknown): { number: number; repeat: number } {
    this.startRendering(parser);
    let note = this.byName.get(name);
    if (note === undefined) {
      note = { name, references: 0, number: this.firstNumber + this.used.length };
      this.used.push(note);
      this.byName.set(name, note);
    } else {
      note.references++;
    }
    return { number: note.number, repeat: note.references };
  }

  /** The note at `index` of the notes referred to so far in the rendering by `parser`. */
  usedAt(index: number, parser: unknown): { name: string; references: number } | undefined {
    this.startRendering(parser);
    return this.used[index];
  }

  private startRendering(parser: unknown): void {
    if (this.parser === parser) return;
    this.parser = parser;
    this.used = [];
    this.byName = new Map();
  }
}

/** The notes of each document being lexed, by the token list its lexer fills. */
const notesOfDocument = new WeakMap<Token[], DocumentNotes>();

interface DefinitionToken extends Tokens.Generic {
  type: "kramdownFootnoteDefinition";
  content: Token[];
}

interface ReferenceToken extends Tokens.Generic {
  type: "kramdownFootnoteReference";
  name: string;
  notes: DocumentNotes;
}

interface NotesToken extends Tokens.Generic {
  type: "kramdownFootnotes";
  notes: DocumentNotes;
}

/** marked's extension for kramdown's footnotes, written with `options`. */
export function kramdownFootnotes(options: KramdownOptions): MarkedExtension {
  const prefix = options.footnotePrefix;
  const backlink = decodeHTML(options.footnoteBacklink);
  return {
    extensions: [
      {
        name: "kramdownFootnoteDefinition",
        level: "block",
        // No `start`: like kramdown, a definition does not interrupt a paragraph.
        tokenizer(src) {
          const definition = footnoteDefinition(src);
          if (definition === undefined) return undefined;
          const notes = documentNotes(this.lexer, options.footnoteNr);
          const content = this.lexer.blockTokens(definition.content, []);
          // A second definition of a name replaces the first, as in kramdown.
          notes.definitions.set(definition.name, content);
          const token: DefinitionToken = { type: "kramdownFootnoteDefinition", raw: definition.raw, content };
          return token;
        },
        childTokens: ["content"],
        renderer: () => "",
      },
      {
        name: "kramdownFootnoteReference",
        level: "inline",
        tokenizer(src) {
          if (!src.startsWith("[^")) return undefined;
          const match = REFERENCE.exec(src);
          const notes = notesOfDocument.get(this.lexer.tokens);
          if (!match?.[1] || !notes?.definitions.has(match[1])) return undefined;
          const token: ReferenceToken = { type: "kramdownFootnoteReference", raw: match[0], name: match[1], notes };
          return token;
        },
        renderer(token) {
          const { name, notes } = token as ReferenceToken;
          const { number, repeat } = notes.refer(name, this.parser);
          const id = `fnref:${prefix}${name}${repeat === 0 ? "" : `:${repeat}`}`;
          const link = linkWithAttributes(this.parser, `#fn:${prefix}${name}`, String(number), `${htmlAttribute("class", "footnote")}${htmlAttribute("rel", "footnote")}`);
          return `<sup${htmlAttribute("id", id)}${htmlAttribute("role", "doc-noteref")}>${link}</sup>`;
        },
      },
      {
        name: "kramdownFootnotes",
        renderer(token) {
          const { notes } = token as NotesToken;
          let items = "";
          // Notes referred to from inside notes join the list as it is written.
          for (let index = 0, note = notes.usedAt(0, this.parser); note !== undefined; note = notes.usedAt(++index, this.parser)) {
            items += noteItem(this.parser, notes.definitions.get(note.name) ?? [], `${prefix}${note.name}`, note.references, backlink);
          }
          if (items === "") return "";
          const start = options.footnoteNr === 1 ? "" : htmlAttribute("start", String(options.footnoteNr));
          return `<div${htmlAttribute("class", "footnotes")}${htmlAttribute("role", "doc-endnotes")}>\n<ol${start}>\n${items}</ol>\n</div>\n`;
        },
      },
    ],
    hooks: {
      // The notes follow everything else.
      processAllTokens(tokens) {
        const notes = notesOfDocument.get(tokens);
        if (notes === undefined) return tokens;
        const token: NotesToken = { type: "kramdownFootnotes", raw: "", notes };
        tokens.push(token);
        return tokens;
      },
    },
  };
}

function documentNotes(lexer: Lexer, firstNumber: number): DocumentNotes {
  let notes = notesOfDocument.get(lexer.tokens);
  if (notes === undefined) {
    notes = new DocumentNotes(firstNumber);
    notesOfDocument.set(lexer.tokens, notes);
  }
  return notes;
}

/**
 * One note of the list: its blocks, with the links back to its references at the end of its
 * last paragraph (after a no-break space), or in a paragraph of their own when it ends otherwise.
 */
function noteItem(parser: Parser, content: readonly Token[], id: string, repeats: number, backlink: string): string {
  const last = content.at(-1);
  const endsWithParagraph = last?.type === "paragraph";
  let links = "";
  if (backlink !== "") {
    const linkAttributes = `${htmlAttribute("class", "reversefootnote")}${htmlAttribute("role", "doc-backlink")}`;
    const text = escapeHtmlText(backlink);
    links = `${endsWithParagraph ? "\u00a0" : ""}${linkWithAttributes(parser, `#fnref:${id}`, text, linkAttributes)}`;
    for (let repeat = 1; repeat <= repeats; repeat++) {
      links += `\u00a0${linkWithAttributes(parser, `#fnref:${id}:${repeat}`, `${text}<sup>${repeat + 1}</sup>`, linkAttributes)}`;
    }
  }
  const body =
    endsWithParagraph && last !== undefined
      ? `${parser.parse(content.slice(0, -1))}<p>${parser.parseInline((last as Tokens.Paragraph).tokens)}${links}</p>\n`
      : `${parser.parse([...content])}<p>${links}</p>\n`;
  return `<li${htmlAttribute("id", `fn:${id}`)}${htmlAttribute("role", "doc-endnote")}>\n${body}</li>\n`;
}

/**
 * An <a> to `href` around `html`, with `attributes` after its href, written by the post's
 * renderer, so that the URL is what that renderer makes of it (the safe renderer resolves it
 * against the post's URL, as the sanitizer would).
 */
function linkWithAttributes(parser: Parser, href: string, html: string, attributes: string): string {
  const empty = parser.renderer.link({ type: "link", raw: href, href, title: null, text: "", tokens: [] });
  // The start tag ends at its first ">": both renderers escape ">" in the URL.
  const end = empty.indexOf(">");
  return empty.startsWith("<a") && end !== -1 ? `${empty.slice(0, end)}${attributes}>${html}</a>` : html;
}

/** A footnote definition at the start of `src`, as kramdown's FOOTNOTE_DEFINITION_START takes it. */
export function footnoteDefinition(src: string): { raw: string; name: string; content: string } | undefined {
  const start = DEFINITION_START.exec(src);
  if (!start?.[1]) return undefined;
  // The rest of the first line, then kramdown's CODEBLOCK_MATCH: runs of indented lines (after
  // at most one run of blank lines), each followed by lazy lines that are neither blank nor the
  // start of an attribute list, an end-of-block marker or an HTML block. Lines are read one at a
  // time, so that a definition costs the length of its own lines, not of the rest of the post.
  const lines = new Lines(src, start[0].length);
  let end = lines.next(lines.start);
  for (;;) {
    let next = end;
    while (lines.isAt(next) && isBlank(lines.line(next))) next = lines.next(next);
    if (!lines.isAt(next) || !isIndented(lines.line(next))) break;
    while (lines.isAt(next) && isIndented(lines.line(next))) next = lines.next(next);
    while (lines.isAt(next) && isLazy(lines.line(next))) next = lines.next(next);
    end = next;
  }
  const raw = src.slice(0, end);
  const content = src
    .slice(start[0].length, end)
    .replace(/\n$/u, "")
    .split("\n")
    // A paragraph does not keep the spaces after the colon; other lines lose one indentation.
    .map((line, index) => (index === 0 ? line.replace(/^[ \t]+/u, "") : line.replace(/^(?:\t| {4})/u, "")))
    .join("\n");
  return { raw, name: start[1], content };
}

/** The lines of `text` from `start`, each named by the offset it starts at. */
class Lines {
  constructor(
    private readonly text: string,
    readonly start: number,
  ) {}

  isAt(offset: number): boolean {
    return offset < this.text.length;
  }

  /** The line at `offset`, without its newline. */
  line(offset: number): string {
    const end = this.text.indexOf("\n", offset);
    return this.text.slice(offset, end === -1 ? this.text.length : end);
  }

  /** Where the line after the one at `offset` starts (the end of the text after the last). */
  next(offset: number): number {
    const end = this.text.indexOf("\n", offset);
    return end === -1 ? this.text.length : end + 1;
  }
}

function isBlank(line: string): boolean {
  return /^[ \t]*$/u.test(line);
}

function isIndented(line: string | undefined): boolean {
  return line !== undefined && /^(?:\t| {4})[ \t]*\S/u.test(line);
}

// kramdown's lazy-line stops: `{:` attribute lists, the `^` end-of-block marker, and tags that
// start or end an HTML block (anything but span elements).
const SPAN_ELEMENTS =
  "a|abbr|acronym|b|big|bdo|br|button|cite|code|del|dfn|em|i|img|input|ins|kbd|label|mark|option|q|rb|rbc|rp|rt|rtc|ruby|samp|select|small|span|strong|sub|sup|textarea|tt|var|script";
const NOT_LAZY = new RegExp(`^ {0,3}(?:\\{:|\\^[ \\t]*$|</?(?!(?:${SPAN_ELEMENTS})\\b)[A-Za-z_:][\\w.:-]*)`, "u");

function isLazy(line: string): boolean {
  return !isBlank(line) && !NOT_LAZY.test(line);
}
