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
// (ſ matches s, K matches k). Two differences remain, both far from any date: Onigmo also folds
// a ligature to two letters (ﬆ matches /st/i), and Ruby 3.1 knows Unicode 13 while Node's
// Unicode is newer, so letters added since are letters here and not in Ruby.

const WORD_CHARACTER = "[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\u00B2\\u00B3\\u00B9\\u00BC-\\u00BE]";
const WORD_BOUNDARY = `(?:(?<=${WORD_CHARACTER})(?!${WORD_CHARACTER})|(?<!${WORD_CHARACTER})(?=${WORD_CHARACTER}))`;
const SPACE_CHARACTERS = "\\t\\n\\v\\f\\r ";

const ESCAPES_OUTSIDE_CLASS: Readonly<Record<string, string>> = {
  d: "[0-9]",
  D: "[^0-9]",
  s: `[${SPACE_CHARACTERS}]`,
  S: `[^${SPACE_CHARACTERS}]`,
  b: WORD_BOUNDARY,
  A: "^",
  z: "$",
};

const ESCAPES_INSIDE_CLASS: Readonly<Record<string, string>> = {
  d: "0-9",
  s: SPACE_CHARACTERS,
};

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  "[:alpha:]": "\\p{Alphabetic}",
  "[:alnum:]": "\\p{Alphabetic}\\p{Nd}",
};

/** The JavaScript source for a Ruby pattern source (see the notes at the top of this file). */
export function rubyPatternSource(ruby: string): string {
  let out = "";
  let inClass = false;
  for (let index = 0; index < ruby.length; index += 1) {
    const char = ruby[index] ?? "";
    if (char === "\\") {
      const next = ruby[index + 1] ?? "";
      const table = inClass ? ESCAPES_INSIDE_CLASS : ESCAPES_OUTSIDE_CLASS;
      out += table[next] ?? `\\${next}`;
      index += 1;
      continue;
    }
    if (inClass) {
      const posix = Object.keys(POSIX_CLASSES).find((name) => ruby.startsWith(name, index));
      if (posix !== undefined) {
        out += POSIX_CLASSES[posix] ?? "";
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

/** A JavaScript RegExp matching what the Ruby pattern matches; `ignoreCase` is Ruby's /i. */
export function rubyRegExp(ruby: string, options: { ignoreCase?: boolean; global?: boolean } = {}): RegExp {
  const flags = `u${options.ignoreCase ? "i" : ""}${options.global ? "g" : ""}`;
  return new RegExp(rubyPatternSource(ruby), flags);
}

/** Ruby's `\s` and C's isspace(): ASCII white space only. */
export function isAsciiSpace(char: string | undefined): boolean {
  return char === " " || char === "\t" || char === "\n" || char === "\v" || char === "\f" || char === "\r";
}

/** C's isdigit(): ASCII digits only. */
export function isAsciiDigit(char: string | undefined): boolean {
  return char !== undefined && char.length === 1 && char >= "0" && char <= "9";
}
