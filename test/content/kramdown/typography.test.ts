// kramdown's smart quotes and typographic symbols on plain text. Every expected line is what real
// kramdown 2.4 (GFM input, smart_quotes lsquo,rsquo,ldquo,rdquo) wrote for the same paragraph.
import { describe, expect, test } from "vitest";
import { CURLY_QUOTES, quoteCharacters, typographicText } from "../../../src/content/kramdown/typography.js";

const FROM_KRAMDOWN: readonly (readonly [string, string])[] = [
  ["\"Hello,\" she said. \"It's the '80s.\"", "“Hello,” she said. “It’s the ’80s.”"],
  ["He said, \"'Quoted' words in a larger quote.\"", "He said, “‘Quoted’ words in a larger quote.”"],
  ["'Single' and \"double\" quotes", "‘Single’ and “double” quotes"],
  ["Custer's Last Stand", "Custer’s Last Stand"],
  ["rock 'n' roll, y'all", "rock ‘n’ roll, y’all"],
  ["\"quoted\".", "“quoted”."],
  ["(\"parens\")", "(“parens”)"],
  ["She said \"hi\"—then left", "She said “hi”—then left"],
  ["a \"b\" c 'd' e", "a “b” c ‘d’ e"],
  ["'tis the season", "‘tis the season"],
  ["\"Hello\"s and 'world's", "“Hello”s and ‘world’s"],
  ["\"'Twas\" he said", "“‘Twas” he said"],
  ["x --- y -- z ... w", "x — y – z … w"],
  ["<< guillemets >> and <<tight>>", "«\u00a0guillemets\u00a0» and «tight»"],
  ["1 << 2 >> 3", "1 «\u00a02\u00a0» 3"],
  ["\"日本語\" と '引用' です", "“日本語” と ‘引用’ です"],
  ["「日本語」の\"引用\"です", "「日本語」の”引用”です"],
  ["end quote at line end \"", "end quote at line end “"],
  ["\"_\" a", "“_” a"],
  ["it's 5'10\" tall", "it’s 5’10” tall"],
  ["--\"dash quote\"", "–“dash quote”"],
  ["\"foo\"...", "“foo”…"],
  ["l'été \"déjà\"", "l’été “déjà”"],
  ["\"Ω\" and 'π'", "“Ω” and ‘π’"],
  ["Prices: $5 -- $10... really?", "Prices: $5 – $10… really?"],
  ["\"\"double\"\" and ''single''", "\"”double”” and ‘‘single’’"],
  // kramdown's entity parser takes the reference whole: the quote after it opens.
  ["a&amp;\"b\"", "a&amp;“b”"],
  ["\"a\" &copy; \"b\"", "“a” &copy; “b”"],
];

describe("typographicText", () => {
  test.each(FROM_KRAMDOWN)("%s", (text, expected) => {
    expect(typographicText(text, CURLY_QUOTES)).toBe(expected);
  });

  test("returns text without quotes, dashes, dots or guillemets as it is", () => {
    const text = "plain words, a - hyphen, one. dot, a < b";
    expect(typographicText(text, CURLY_QUOTES)).toBe(text);
  });

  test("writes the quotes the smart_quotes option names, by entity name or code point", () => {
    const quotes = quoteCharacters(["sbquo", "lsquo", "171", "187"]);
    // kramdown with smart_quotes: sbquo,lsquo,171,187
    expect(typographicText("\"Hallo\", 'du'", quotes)).toBe("«Hallo», ‚du‘");
  });

  test("keeps the default character for a name that is no entity", () => {
    expect(quoteCharacters(["nosuchentity", "rsquo", "ldquo", "rdquo"])).toEqual(CURLY_QUOTES);
  });

  test("turns each of 50,000 quotes into one character", () => {
    const text = "\"'".repeat(25_000);
    const result = typographicText(text, CURLY_QUOTES);
    expect([...result]).toHaveLength(50_000);
  });
});
