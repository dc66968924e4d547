// Automatic heading ids as kramdown-parser-gfm makes them (auto_ids, Jekyll's default): the
// heading's text as kramdown reads it (typographic quotes and dashes applied, entities as
// characters, code spans as written, images and raw HTML tags left out), lower-cased, with every
// character that is not a word character, "-", a space or a tab removed, spaces and tabs made
// "-"; a repeated id gets "-1", "-2", … (GFM parser's generate_gfm_header_id and
// update_raw_text). `auto_id_prefix` goes before each id.
import { decodeHTMLStrict } from "entities";
import type { MarkedExtension, Token, Tokens } from "marked";
import { attributesOf, setAttributes } from "./element-attributes.js";
import type { KramdownOptions } from "./options.js";
import { followingSource, quoteCharacters, typographicText, type QuoteCharacters } from "./typography.js";

// Ruby's \p{Word}: alphabetic characters (letters and letter numbers such as Ⅻ), marks, decimal
// digits and connector punctuation.
const NOT_IN_ID = /[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\- \t]/gu;
const ENTITY = /&(?:\w+|#\d+|#x[0-9a-fA-F]+);/gu;

/** The ids of one document's headings, in document order. */
export class HeadingIds {
  private readonly seen = new Map<string, number>();

  constructor(private readonly prefix: string) {}

  /** The id of the next heading, whose text (as kramdown reads it) is `text`. */
  next(text: string): string {
    const id = text.toLowerCase().replace(NOT_IN_ID, "").replace(/[ \t]/gu, "-");
    const count = this.seen.get(id);
    this.seen.set(id, (count ?? -1) + 1);
    return `${this.prefix}${id}${count === undefined ? "" : `-${count + 1}`}`;
  }
}

/** A heading's text as kramdown reads it for its id, from marked's inline tokens of the heading. */
export function headingText(tokens: readonly Token[], quotes: QuoteCharacters): string {
  let text = "";
  for (const [index, token] of tokens.entries()) {
    switch (token.type) {
      case "text": {
        const { tokens: children, text: value } = token as Tokens.Text;
        text += children ? headingText(children, quotes) : withCharacters(typographicText(value, quotes, followingSource(tokens, index)));
        break;
      }
      case "escape":
      case "codespan":
        text += token.text;
        break;
      // kramdown's image has no text of its own (its alt is an attribute), and raw HTML tags
      // are not text.
      case "image":
      case "html":
      case "tag":
        break;
      default:
        if ("tokens" in token && Array.isArray(token.tokens)) text += headingText(token.tokens, quotes);
    }
  }
  return text;
}

function withCharacters(text: string): string {
  return text.includes("&") ? text.replace(ENTITY, (entity) => decodeHTMLStrict(entity)) : text;
}

// kramdown's own id syntax for a heading: `# Title {#id}` (parser/kramdown/header.rb HEADER_ID).
const OWN_ID = /[\t ]\{#([A-Za-z][\w:-]*)\}$/u;

/**
 * Takes a heading's own `{#id}` off its text and makes it the heading's id, unless an attribute
 * list gave it one (kramdown applies attribute lists after it, so theirs wins).
 */
function takeOwnId(heading: Tokens.Heading): void {
  const last = heading.tokens.at(-1);
  if (last?.type !== "text") return;
  const text = last as Tokens.Text;
  const own = OWN_ID.exec(text.text);
  if (!own?.[1]) return;
  text.text = text.text.slice(0, own.index).trimEnd();
  text.raw = text.text;
  if (!attributesOf(heading)?.has("id")) setAttributes(heading, new Map([["id", own[1]]]));
}

/** Tokens whose children are inline: no heading can be among them. */
const INLINE_PARENTS = new Set(["paragraph", "heading", "text", "table", "code", "html", "space", "hr", "def"]);

function forEachHeading(tokens: readonly Token[], visit: (heading: Tokens.Heading) => void): void {
  for (const token of tokens) {
    if (token.type === "heading") {
      visit(token as Tokens.Heading);
    } else if (!INLINE_PARENTS.has(token.type)) {
      const { tokens: children, items } = token as { tokens?: unknown; items?: unknown };
      if (Array.isArray(children)) forEachHeading(children as Token[], visit);
      if (Array.isArray(items)) for (const item of items as Tokens.ListItem[]) forEachHeading(item.tokens, visit);
    }
  }
}

/**
 * marked's extension giving headings kramdown's automatic ids (with `auto_ids`) and reading a
 * heading's own `{#id}`. Its processAllTokens must run after the attribute lists' (marked runs
 * these hooks last-registered first; extensions.ts lists this one before them): a heading that
 * got an id from an attribute list gets no automatic id and is not counted, as in kramdown.
 */
export function kramdownHeadingIds(options: Pick<KramdownOptions, "autoIds" | "autoIdPrefix" | "smartQuotes">): MarkedExtension {
  const quotes = quoteCharacters(options.smartQuotes);
  return {
    hooks: {
      processAllTokens(tokens) {
        // Ids are counted over one document, in document order.
        const ids = new HeadingIds(options.autoIdPrefix);
        forEachHeading(tokens, (heading) => {
          takeOwnId(heading);
          if (!options.autoIds || attributesOf(heading)?.has("id")) return;
          const id = ids.next(headingText(heading.tokens, quotes));
          // kramdown writes no empty id.
          if (id !== "") setAttributes(heading, new Map([["id", id]]));
        });
        return tokens;
      },
    },
  };
}
