// Automatic heading ids as kramdown-parser-gfm makes them (auto_ids, Jekyll's default): the
// heading's text as kramdown reads it (typographic quotes and dashes applied, entities as
// characters, code spans as written, images and raw HTML tags left out), lower-cased, with every
// character that is not a word character, "-", a space or a tab removed, spaces and tabs made
// "-"; a repeated id gets "-1", "-2", … (GFM parser's generate_gfm_header_id and
// update_raw_text). `auto_id_prefix` goes before each id.
import { decodeHTMLStrict } from "entities";
import type { MarkedExtension, Token, Tokens } from "marked";
import { htmlAttribute } from "../html.js";
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

interface HeadingWithId extends Tokens.Heading {
  /** The automatic id (kramdown writes none when it is empty). */
  kramdownId?: string;
}

/** Tokens whose children are inline: no heading can be among them. */
const INLINE_PARENTS = new Set(["paragraph", "heading", "text", "table", "code", "html", "space", "hr", "def"]);

/** marked's extension giving headings kramdown's automatic ids (with `auto_ids`). */
export function kramdownHeadingIds(options: Pick<KramdownOptions, "autoIds" | "autoIdPrefix" | "smartQuotes">): MarkedExtension {
  if (!options.autoIds) return {};
  const quotes = quoteCharacters(options.smartQuotes);
  return {
    hooks: {
      // Ids are counted over the whole document, in order, so they are made once it is lexed.
      processAllTokens(tokens) {
        const ids = new HeadingIds(options.autoIdPrefix);
        const visit = (list: readonly Token[]): void => {
          for (const token of list) {
            if (token.type === "heading") {
              const heading = token as HeadingWithId;
              heading.kramdownId = ids.next(headingText(heading.tokens, quotes));
            } else if (!INLINE_PARENTS.has(token.type)) {
              const { tokens: children, items } = token as { tokens?: unknown; items?: unknown };
              if (Array.isArray(children)) visit(children as Token[]);
              if (Array.isArray(items)) for (const item of items as Tokens.ListItem[]) visit(item.tokens);
            }
          }
        };
        visit(tokens);
        return tokens;
      },
    },
    extensions: [
      {
        name: "heading",
        renderer(token) {
          const { depth, tokens, kramdownId } = token as HeadingWithId;
          if (!kramdownId) return false;
          return `<h${depth}${htmlAttribute("id", kramdownId)}>${this.parser.parseInline(tokens)}</h${depth}>\n`;
        },
      },
    ],
  };
}
