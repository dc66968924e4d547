// kramdown's typography on a run of plain text: smart quotes (its `smart_quotes` option names the
// four characters) and typographic symbols (`---` em dash, `--` en dash, `...` ellipsis, `<<` and
// `>>` guillemets). The rules are kramdown 2's (parser/kramdown/smart_quotes.rb, itself from
// SmartyPants, and typographic_symbol.rb), ported as they are, so that quotes open and close where
// kramdown opens and closes them.
//
// kramdown scans a span for the next place where any of its span parsers may start. The smart
// quote parser starts one character *before* a quote (`[^\\]?["']`), so a quote's rule sees the
// character before it only when that character is plain text of the same run; after an element
// (emphasis, a code span, an entity, a dash) the run starts again with no character before. Text
// given here is one such run: the caller splits text where kramdown's other parsers would.
import { decodeHTML } from "entities";
import type { MarkedExtension, Token, Tokens } from "marked";
import type { KramdownOptions } from "./options.js";
import { visitTokens, type Visit } from "./token-tree.js";

/** The characters that replace kramdown's four smart quotes, in its order: ‘ ’ “ ”. */
export interface QuoteCharacters {
  readonly lsquo: string;
  readonly rsquo: string;
  readonly ldquo: string;
  readonly rdquo: string;
}

/** What each typographic symbol becomes. */
interface SymbolCharacters {
  readonly mdash: string;
  readonly ndash: string;
  readonly hellip: string;
  readonly laquo: string;
  readonly raquo: string;
  /** `<< ` (kramdown writes &laquo;&nbsp;). */
  readonly laquoSpace: string;
  /** ` >>` (kramdown writes &nbsp;&raquo;). */
  readonly raquoSpace: string;
}

/**
 * kramdown's HTML converter's symbols (converter/html.rb TYPOGRAPHIC_SYMS), as characters; the
 * GFM parser spells them the same in the text it makes heading ids from.
 */
const SYMBOLS: SymbolCharacters = {
  mdash: "\u2014",
  ndash: "\u2013",
  hellip: "\u2026",
  laquo: "\u00ab",
  raquo: "\u00bb",
  laquoSpace: "\u00ab\u00a0",
  raquoSpace: "\u00a0\u00bb",
};

/** kramdown's default `smart_quotes`, lsquo,rsquo,ldquo,rdquo. */
export const CURLY_QUOTES: QuoteCharacters = { lsquo: "\u2018", rsquo: "\u2019", ldquo: "\u201c", rdquo: "\u201d" };

/**
 * The characters a `smart_quotes` option names: four entity names ("lsquo") or code points
 * ("8216"). A name that is not an HTML entity keeps the default character of its place.
 */
export function quoteCharacters(names: readonly [string, string, string, string]): QuoteCharacters {
  const [lsquo, rsquo, ldquo, rdquo] = names;
  return {
    lsquo: entityCharacter(lsquo) ?? CURLY_QUOTES.lsquo,
    rsquo: entityCharacter(rsquo) ?? CURLY_QUOTES.rsquo,
    ldquo: entityCharacter(ldquo) ?? CURLY_QUOTES.ldquo,
    rdquo: entityCharacter(rdquo) ?? CURLY_QUOTES.rdquo,
  };
}

function entityCharacter(name: string): string | undefined {
  if (/^\d{1,7}$/u.test(name)) {
    const codePoint = Number(name);
    return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : undefined;
  }
  if (!/^[a-zA-Z][a-zA-Z0-9]*$/u.test(name)) return undefined;
  const decoded = decodeHTML(`&${name};`);
  return decoded === `&${name};` ? undefined : decoded;
}

// Ruby's \s, \S, \w and \d are ASCII-only; its \b and \B are Unicode-aware (a letter of any
// script is a word character there), which the look-arounds on WORD give.
const SPACE = "[ \\t\\r\\n\\f\\v]";
const NOT_SPACE = "[^ \\t\\r\\n\\f\\v]";
const WORD = "[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}]";
// SQ_PUNCT without "_", which is a word character to Ruby's \B.
const PUNCT_NOT_WORD = "[!\"#$%'()*+,\\-./:;<=>?@\\[\\\\\\]^`{|}~]";
const CLOSE = "[^ \\\\\\t\\r\\n\\[{(\\-]";

type QuoteName = keyof QuoteCharacters;
/** What one group of a rule becomes: the group's text, or a quote (`"1"`: which one depends on the quote the group holds). */
type Substitution = number | QuoteName | "open" | "close";

// smart_quotes.rb SQ_RULES, in order: the first that matches where the parser starts wins.
const QUOTE_RULES: readonly (readonly [RegExp, readonly Substitution[]])[] = [
  [new RegExp(`(["'])(?=[_*]{1,2}${NOT_SPACE})`, "uy"), ["open"]],
  // A punctuation character, then no word boundary (Ruby's \\B).
  [new RegExp(`(["'])(?=_(?!\\.\\.)(?=${WORD})|${PUNCT_NOT_WORD}(?!\\.\\.)(?!${WORD}))`, "uy"), ["close"]],
  // Double sets of quotes: He said, "'Quoted' words in a larger quote."
  [new RegExp(`(${SPACE}?)"'(?=\\w)`, "uy"), [1, "ldquo", "lsquo"]],
  [new RegExp(`(${SPACE}?)'"(?=\\w)`, "uy"), [1, "lsquo", "ldquo"]],
  // Decade abbreviations: the '80s.
  [new RegExp(`(${SPACE}?)'(?=\\d\\ds)`, "uy"), [1, "rsquo"]],
  [new RegExp(`(${SPACE})(["'])(?=\\w)`, "uy"), [1, "open"]],
  [new RegExp(`(${CLOSE})(["'])`, "uy"), [1, "close"]],
  // "<i>Custer</i>'s Last Stand."; Ruby's $ is the end of a line.
  [new RegExp(`(["'])(?=${SPACE}|s(?!${WORD})|\\n|$)`, "uy"), ["close"]],
  [/([\s\S]?)'/uy, [1, "lsquo"]],
  [/([\s\S]?)"/uy, [1, "ldquo"]],
];

/**
 * Where kramdown's smart quote, entity or typographic symbol parsers may start (their start
 * patterns). An entity is copied as it is; the text after it starts a new run.
 */
const SPAN_START = /[^\\]?["']|&(?:\w+|#\d+|#x[0-9a-fA-F]+);|--|\.\.\.|[\\ ]?(?:<<|>>)/gu;
const ENTITY = /&(?:\w+|#\d+|#x[0-9a-fA-F]+);/uy;
/**
 * Characters that kramdown's emphasis, code span and link parsers, tried before the smart quote
 * parser, take for themselves (and give back as text when no element follows), so that a quote
 * right after one has no character before it.
 */
const TAKEN_BEFORE_QUOTES = new Set(["*", "_", "`", "["]);
const QUOTE_START = /[^\\]?["']/uy;
const SYMBOL = /---|--|\.\.\.|\\<<|\\>>|<< | >>|<<|>>/uy;

/** Cheap test: text without any of these has nothing to change. */
const MAY_CHANGE = /["']|--|\.\.\.|<<|>>/u;

/**
 * `text` (one run of plain text, character references left as marked leaves them) with kramdown's
 * smart quotes and typographic symbols. `after` is the source that follows the run (the start of
 * the next element): kramdown's rules look ahead into it ("*emphasis*" after a quote opens it).
 */
export function typographicText(text: string, quotes: QuoteCharacters, after = ""): string {
  if (!MAY_CHANGE.test(text)) return text;
  const full = after === "" ? text : text + after;
  let result = "";
  let position = 0;
  const write = (piece: string): void => {
    result += piece;
  };
  SPAN_START.lastIndex = 0;
  for (let start = SPAN_START.exec(full); start !== null && start.index < text.length; start = SPAN_START.exec(full)) {
    const at = start.index;
    result += text.slice(position, at);
    QUOTE_START.lastIndex = at;
    ENTITY.lastIndex = at;
    if (QUOTE_START.test(full)) {
      const before = full.charAt(at);
      if (TAKEN_BEFORE_QUOTES.has(before)) {
        write(before);
        position = at + 1;
      } else {
        position = smartQuote(full, at, quotes, write);
      }
    } else if (ENTITY.test(full)) {
      write(full.slice(at, ENTITY.lastIndex));
      position = ENTITY.lastIndex;
    } else {
      position = symbol(full, at, write);
    }
    SPAN_START.lastIndex = position;
  }
  // Only look-aheads reach into `after`: every element starts with a character that neither
  // a quote rule nor a symbol takes.
  return result + text.slice(position);
}

/** Applies the first quote rule that matches at `at`; returns where the text goes on. */
function smartQuote(text: string, at: number, quotes: QuoteCharacters, write: (piece: string) => void): number {
  for (const [rule, substitutions] of QUOTE_RULES) {
    rule.lastIndex = at;
    const match = rule.exec(text);
    if (!match) continue;
    for (const substitution of substitutions) {
      if (typeof substitution === "number") {
        write(match[substitution] ?? "");
      } else if (substitution === "open" || substitution === "close") {
        // The quote is the last group: a double quote becomes “ or ”, a single one ‘ or ’.
        const double = match[match.length - 1] === '"';
        write(quotes[substitution === "open" ? (double ? "ldquo" : "lsquo") : double ? "rdquo" : "rsquo"]);
      } else {
        write(quotes[substitution]);
      }
    }
    return rule.lastIndex;
  }
  // The last two rules match any quote, and the parser starts only where a quote is.
  write(text.charAt(at));
  return at + 1;
}

function symbol(text: string, at: number, write: (piece: string) => void): number {
  SYMBOL.lastIndex = at;
  const match = SYMBOL.exec(text)?.[0];
  if (match === undefined) {
    // SPAN_START also stops at a space before "<<"; kramdown takes only " >>" there.
    write(text.charAt(at));
    return at + 1;
  }
  const replacements: Readonly<Record<string, string>> = {
    "---": SYMBOLS.mdash,
    "--": SYMBOLS.ndash,
    "...": SYMBOLS.hellip,
    "\\<<": "<<",
    "\\>>": ">>",
    "<< ": SYMBOLS.laquoSpace,
    " >>": SYMBOLS.raquoSpace,
    "<<": SYMBOLS.laquo,
    ">>": SYMBOLS.raquo,
  };
  write(replacements[match] ?? match);
  return at + match.length;
}

/** How much of the source after a run kramdown's rules look at: a quote, "**", a character. */
const LOOK_AHEAD = 8;

/**
 * marked's extension giving every run of text kramdown's typography, where kramdown gives it:
 * not in code, raw HTML, an image's alt text or an autolink's text. A run is typeset with the
 * source of the siblings after it, which kramdown's rules look ahead into.
 */
export function kramdownTypography(options: Pick<KramdownOptions, "smartQuotes">): MarkedExtension {
  const quotes = quoteCharacters(options.smartQuotes);
  const typeset: Visit = (token, siblings, index) => {
    if (token.type === "image" || token.type === "codespan" || token.type === "code" || token.type === "html") return "skip";
    if (token.type === "link" && (token as Tokens.Link & { autolink?: boolean }).autolink === true) return "skip";
    if (token.type !== "text") return undefined;
    const text = token as Tokens.Text;
    // Most runs have nothing to change: they are left before their siblings are looked at.
    if (text.tokens === undefined && text.escaped !== true && MAY_CHANGE.test(text.text)) text.text = typographicText(text.text, quotes, followingSource(siblings, index));
    return undefined;
  };
  return {
    extensions: [
      {
        // "<<" is a guillemet to kramdown, found before any tag: "<<E>>" is «E», where marked
        // would read a tag <E>. Taken as text here; the text after it joins it.
        name: "kramdownGuillemet",
        level: "inline",
        tokenizer(src) {
          if (!src.startsWith("<<")) return undefined;
          const raw = src.startsWith("<< ") ? "<< " : "<<";
          const token: Tokens.Text = { type: "text", raw, text: raw };
          return token;
        },
      },
    ],
    hooks: {
      processAllTokens(tokens) {
        visitTokens(tokens, typeset, this.options);
        return tokens;
      },
    },
  };
}

/** The start of the source after `tokens[index]`. */
export function followingSource(tokens: readonly Token[], index: number): string {
  let source = "";
  for (let next = index + 1; next < tokens.length && source.length < LOOK_AHEAD; next++) source += tokens[next]?.raw ?? "";
  return source.slice(0, LOOK_AHEAD);
}
