// Ruby (Onigmo) regular expressions, written as Ruby writes them, compiled to JavaScript ones
// that match the same text. The ports of Ruby's date parser (ruby-date-parse.ts) and of Psych's
// timestamp scanner (psych-timestamp.ts) keep their patterns character for character as in the
// Ruby and C sources, so that a reader can compare them; this module supplies the differences:
//
//  - `\d`, `\s` and their negations are ASCII in Ruby (`\s` is [ \t\n\v\f\r]); JavaScript's `\s`
//    also matches NBSP, U+3000 and the other Unicode spaces, so they are spelled out.
//  - `\b` in Ruby is a Unicode word boundary even though `\w` is ASCII: "café" =~ /caf\b/ is nil.
//    Onigmo's word characters for `\b` are Alphabetic, marks, decimal digits and connector
//    punctuation, plus ² ³ ¹ ¼ ½ ¾ (measured over every code point against Ruby 3.1).
//  - `[[:alpha:]]` is Unicode Alphabetic and `[[:alnum:]]` Alphabetic or a decimal digit.
//  - `\A` and `\z` are the ends of the string: `^` and `$` without the `m` flag.
//  - `(?-i:...)` turns case folding off; it only ever wraps `[[:alpha:]]` classes here, which
//    match the same letters either way, so it becomes a plain group.
//
// Every pattern gets the `u` flag, whose case folding is Unicode simple case folding as in Onigmo
// (ſ matches s, K matches k). Each pattern also has an ASCII form, used for ASCII text (nearly
// every date), where none of this matters and plain JavaScript classes are many times faster. Two differences remain, both far from any date: Onigmo also folds
// a ligature to two letters (ﬆ matches /st/i), and Ruby 3.1 knows Unicode 13 while Node's
// Unicode is newer, so letters added since are letters here and not in Ruby.

const WORD_CHARACTER = "[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\u00B2\\u00B3\\u00B9\\u00BC-\\u00BE]";
const WORD_BOUNDARY = `(?:(?<=${WORD_CHARACTER})(?!${WORD_CHARACTER})|(?<!${WORD_CHARACTER})(?=${WORD_CHARACTER}))`;
const SPACE_CHARACTERS = "\\t\\n\\v\\f\\r ";

/** How Ruby's escapes and POSIX classes read, over all of Unicode or over ASCII text only. */
interface Dialect {
  readonly outside: Readonly<Record<string, string>>;
  readonly inside: Readonly<Record<string, string>>;
  readonly posix: Readonly<Record<string, string>>;
}

const COMMON_OUTSIDE = { d: "[0-9]", D: "[^0-9]", s: `[${SPACE_CHARACTERS}]`, S: `[^${SPACE_CHARACTERS}]`, A: "^", z: "$" };
const COMMON_INSIDE = { d: "0-9", s: SPACE_CHARACTERS };

const UNICODE: Dialect = {
  outside: { ...COMMON_OUTSIDE, b: WORD_BOUNDARY },
  inside: COMMON_INSIDE,
  posix: { "[:alpha:]": "\\p{Alphabetic}", "[:alnum:]": "\\p{Alphabetic}\\p{Nd}" },
};

// Over ASCII text, Onigmo's word characters are JavaScript's \w, and its letters are A-Z and a-z.
const ASCII: Dialect = {
  outside: { ...COMMON_OUTSIDE, b: "\\b" },
  inside: COMMON_INSIDE,
  posix: { "[:alpha:]": "A-Za-z", "[:alnum:]": "A-Za-z0-9" },
};

/** The JavaScript source for a Ruby pattern source (see the notes at the top of this file). */
export function rubyPatternSource(ruby: string, dialect: Dialect = UNICODE): string {
  let out = "";
  let inClass = false;
  for (let index = 0; index < ruby.length; index += 1) {
    const char = ruby[index] ?? "";
    if (char === "\\") {
      const next = ruby[index + 1] ?? "";
      const table = inClass ? dialect.inside : dialect.outside;
      out += table[next] ?? `\\${next}`;
      index += 1;
      continue;
    }
    if (inClass) {
      const posix = Object.keys(dialect.posix).find((name) => ruby.startsWith(name, index));
      if (posix !== undefined) {
        out += dialect.posix[posix] ?? "";
        index += posix.length - 1;
        continue;
      }
      if (char === "]") inClass = false;
      out += char;
      continue;
    }
    if (char === "[") {
      inClass = true;
      out += char;
      if (ruby[index + 1] === "^") {
        out += "^";
        index += 1;
      }
      continue;
    }
    if (ruby.startsWith("(?-i:", index)) {
      out += "(?:";
      index += "(?-i:".length - 1;
      continue;
    }
    out += char;
  }
  return out;
}

/** Whether every character is ASCII, so that a pattern's ASCII form applies. */
export function isAscii(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) if (text.charCodeAt(index) > 0x7f) return false;
  return true;
}

/**
 * A Ruby pattern compiled twice: for any text, and, faster, for ASCII text, where Unicode word
 * boundaries and letter classes need no lookarounds or property escapes. Callers that run many
 * patterns over one text can say once whether it is ASCII.
 */
export class RubyRegExp {
  private readonly unicode: RegExp;
  private readonly ascii: RegExp;
  constructor(ruby: string, options: { ignoreCase?: boolean; global?: boolean } = {}) {
    const flags = `${options.ignoreCase ? "i" : ""}${options.global ? "g" : ""}`;
    this.unicode = new RegExp(rubyPatternSource(ruby, UNICODE), `u${flags}`);
    this.ascii = new RegExp(rubyPatternSource(ruby, ASCII), flags);
  }

  /** The JavaScript RegExp that matches as Ruby does on any text. */
  get regExp(): RegExp {
    return this.unicode;
  }

  /** The JavaScript RegExp for this text (for String#replace with a global pattern). */
  for(text: string, asciiOnly = isAscii(text)): RegExp {
    return asciiOnly ? this.ascii : this.unicode;
  }

  exec(text: string, asciiOnly = isAscii(text)): RegExpExecArray | null {
    return this.for(text, asciiOnly).exec(text);
  }

  test(text: string, asciiOnly = isAscii(text)): boolean {
    return this.for(text, asciiOnly).test(text);
  }
}

/** A Ruby pattern as a RubyRegExp; `ignoreCase` is Ruby's /i. */
export function rubyRegExp(ruby: string, options: { ignoreCase?: boolean; global?: boolean } = {}): RubyRegExp {
  return new RubyRegExp(ruby, options);
}

/** C's isdigit(): ASCII digits only. */
export function isAsciiDigit(char: string | undefined): boolean {
  if (char === undefined || char.length !== 1) return false;
  const code = char.charCodeAt(0);
  return code >= 0x30 && code <= 0x39;
}
