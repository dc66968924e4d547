// kramdown-parser-gfm's automatic heading ids. The expected ids are what real kramdown 2.4 (GFM
// input, auto_ids) wrote for the same document.
import { Marked, type Token, type Tokens } from "marked";
import { describe, expect, test } from "vitest";
import { HeadingIds, headingText } from "../../../src/content/kramdown/heading-ids.js";
import { CURLY_QUOTES } from "../../../src/content/kramdown/typography.js";

const DOCUMENT = `# Hello World

# Hello World

## Hello World

### "Quoted" -- dash... \`code\` & << x >>

# 日本語の見出し：テスト！

# Ⅻ ① ½ x_y a-b  two  spaces\ttab

# **Bold** [link](http://x) ![img](i.png) <span>html</span> &copy; &amp;

# !!!

# !!!

# Émile Zola's İstanbul ß

Setext heading
==============

> # In quote

- # In list

# Trailing hashes ##

# 123 numbers first

# emoji 🎉 party
`;

const FROM_KRAMDOWN = [
  "hello-world",
  "hello-world-1",
  "hello-world-2",
  "quoted--dash-code--x",
  "日本語の見出しテスト",
  "ⅻ---x_y-a-b--two--spaces-tab",
  "bold-link--html--",
  // kramdown leaves an empty id out of the HTML.
  "",
  "-1",
  "émile-zolas-i̇stanbul-ß",
  "setext-heading",
  "in-quote",
  "in-list",
  "trailing-hashes",
  "123-numbers-first",
  "emoji--party",
];

function headings(tokens: readonly Token[]): Token[] {
  return tokens.flatMap((token) => {
    if (token.type === "heading") return [token];
    if (token.type === "list") return (token as Tokens.List).items.flatMap((item) => headings(item.tokens));
    return "tokens" in token && Array.isArray(token.tokens) ? headings(token.tokens) : [];
  });
}

describe("heading ids", () => {
  test("are kramdown's for every heading of a document, in order", () => {
    const ids = new HeadingIds("");
    const made = headings(new Marked({ gfm: true }).lexer(DOCUMENT)).map((heading) => ids.next(headingText("tokens" in heading && heading.tokens ? heading.tokens : [], CURLY_QUOTES)));
    expect(made).toEqual(FROM_KRAMDOWN);
  });

  test("get auto_id_prefix before them, counted without it", () => {
    const ids = new HeadingIds("sec-");
    // kramdown with auto_id_prefix: "sec-" on "# A", "# B", "# A"
    expect([ids.next("A"), ids.next("B"), ids.next("A")]).toEqual(["sec-a", "sec-b", "sec-a-1"]);
  });
});
