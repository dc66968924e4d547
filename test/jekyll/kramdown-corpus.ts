// Markdown snippets for test/jekyll/kramdown.jekyll.test.ts: every piece of kramdown syntax
// Feedwright reads in a Jekyll site, alone and mixed, in English and Japanese. `options` are a
// site's `kramdown:` keys over Jekyll's defaults.

export interface KramdownCase {
  readonly name: string;
  readonly markdown: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

/**
 * Where Feedwright writes something else on purpose: kramdown aligns table cells with
 * style="text-align: …", which feeds do not keep (the sanitizer keeps no style attribute);
 * Feedwright keeps marked's align="…", which readers show the same way.
 */
export const TABLE_ALIGNMENT_CASE: KramdownCase = { name: "table alignment", markdown: "| Left | Right |\n|:-----|------:|\n| 1 | 2 |\n" };

export const KRAMDOWN_CASES: readonly KramdownCase[] = [
  // Attribute lists: block and span IALs, ALDs, ids on headings.
  { name: "block attribute list on a paragraph", markdown: "A paragraph with a class.\n{: .note #intro data-level=\"2\"}\n" },
  { name: "span attribute list", markdown: "Some *emphasis*{: .highlight} in text.\n" },
  { name: "attribute list definitions", markdown: "{:callout: .callout title=\"Note\"}\n\nA called-out paragraph.\n{: callout}\n" },
  { name: "attribute list on an image", markdown: "![Logo](/img/logo.png){: .icon width=\"70\"}\n" },
  { name: "heading with its own id", markdown: "# Custom {#my-id}\n\n# Custom\n" },
  { name: "heading id from an attribute list", markdown: "# Intro\n{: #mine}\n\n# Intro\n\n# Intro {#own}\n{: #ial}\n" },
  { name: "attribute list on a list", markdown: "- one\n- two\n{: .checklist}\n" },
  // Tables.
  { name: "table without a header row", markdown: "| a | b |\n| c | d |\n" },
  { name: "table with a header row", markdown: "| Left | Right |\n|------|-------|\n| 1 | \"2\" |\n" },
  // Definition lists.
  { name: "definition list", markdown: "kramdown\n: A Markdown parser\n\nmarked\n: Another one\n: with two definitions\n" },
  // Abbreviations.
  { name: "abbreviations", markdown: "The HTML and CSS specs.\n\n*[HTML]: Hyper Text Markup Language\n*[CSS]: Cascading Style Sheets\n" },
  // Markdown inside HTML blocks.
  { name: "markdown=\"1\" in a div", markdown: "<div markdown=\"1\">\n*Emphasis* inside a div.\n</div>\n" },
  // Extensions.
  { name: "comment extension", markdown: "Before.\n\n{::comment}\nThis is hidden.\n{:/comment}\n\nAfter.\n" },
  { name: "nomarkdown extension", markdown: "{::nomarkdown}\n<span>kept *as is*</span>\n{:/nomarkdown}\n" },
  // Footnotes.
  { name: "footnotes in reference order", markdown: "First[^b], then[^a], again[^b].\n\n[^a]: Note A.\n[^b]: Note B.\n" },
  { name: "footnote with paragraphs and code", markdown: "See[^n].\n\n[^n]: One.\n\n    Two,\nlazy.\n\n        code\n" },
  { name: "footnote numbers from footnote_nr", markdown: "X[^x].\n\n[^x]: Ex.\n", options: { footnote_nr: 3 } },
  { name: "footnote reference without a definition", markdown: "Missing[^gone] note.\n" },
  // Heading ids.
  { name: "heading ids with repeats", markdown: "# Intro\n\n## Intro\n\n### Intro\n" },
  { name: "heading ids from typographic text", markdown: "# \"Quotes\" -- and `code` & <<more>>\n" },
  { name: "heading ids with a prefix", markdown: "# One\n\n# Two\n", options: { auto_id_prefix: "sec-" } },
  { name: "Japanese heading ids", markdown: "# はじめに\n\n## 東京 Jekyll 勉強会：第1回！\n\n## はじめに\n" },
  { name: "no heading ids without auto_ids", markdown: "# Plain\n", options: { auto_ids: false } },
  // Typography.
  { name: "smart quotes", markdown: "\"Double\" and 'single' quotes, it's the '80s, \"'nested'\".\n" },
  { name: "dashes, ellipsis and guillemets", markdown: "A -- B --- C... << D >> <<E>>\n" },
  { name: "no typography in code", markdown: "`\"code\" -- x` and\n\n```\n\"block\" -- y...\n```\n" },
  { name: "smart quotes option", markdown: "\"Hallo\" 'du'\n", options: { smart_quotes: "sbquo,lsquo,bdquo,ldquo" } },
  { name: "quotes around emphasis and links", markdown: "\"*emphasis*\" and \"[a link](https://example.com/)\"\n" },
  // Line breaks.
  { name: "soft line breaks (hard_wrap false)", markdown: "Line one\nline two\n" },
  { name: "hard wraps", markdown: "Line one\nline two\nline three\n", options: { hard_wrap: true } },
  { name: "two-space line break", markdown: "Line one  \nline two\n" },
  // Mixed Japanese text.
  {
    name: "mixed Japanese text",
    markdown: "東京で\"Jekyll\"の勉強会を開きます[^jp]。\n\n## 日程 -- 2024年\n\n「参加」は無料です...\n\n[^jp]: 詳しくは'公式サイト'を見てください。\n",
  },
  {
    name: "everything together",
    markdown:
      "# Tour {#tour}\n\nThe \"kramdown\" tour -- with HTML[^1].\n{: .lead}\n\n| x | y |\n| 1 | 2 |\n\nterm\n: definition\n\n*[HTML]: Hyper Text Markup Language\n\n[^1]: A note.\n",
  },
];
