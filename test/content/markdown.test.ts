import fc from "fast-check";
import { Marked } from "marked";
import { describe, expect, test } from "vitest";
import { markdownBeforeMore, renderMarkdown } from "../../src/content/markdown.js";

/** marked as it comes, GitHub-flavoured: what renderMarkdown must agree with. */
const plain = new Marked({ gfm: true, breaks: false, async: false });

// Pieces that exercise the inline `text` rule where it stops: e-mail-like runs, scheme names,
// `www.`, emphasis and code delimiters, line breaks, Japanese text.
const PIECES = [
  "plain words", "東京の天気", "a.b+c_d-e", "user.name", "mailto:x", "xmpp:y", "mailto:", "http://example.com/a", "https://x.example", "ftp://f.example",
  "www.example.com", "Www.", "_under_", "*star*", "**strong**", "~~del~~", "`code`", "\\*", "<", "!", "[", "]", "(x)", "  \n", "\n\n", "\n", " ",
  "[link](http://a.example/b)", "<https://auto.example>", "~", "a~b", "h", "ht", "http", "https:", "1. ", "- ", "# ", "> ",
  // Where plain text may end: before two spaces and a line break, "mailto:", "xmpp:", "www.".
  "x  \ny", "末尾  \n次", "a m", "a x", "(mailto:b", "-xmpp:c", "*www.x", "(www.y", "awww.z", "www", "Http", "HTTP://", "FTP://x", "ftp:/", "w", "m", "x",
  "\\", "!", "  ", "\t", "m x", "日本語www.", "語m語", "語x", "語 ", "語\n",
];
const markdownWithoutAt = fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }), { maxLength: 20 }).map((pieces) => pieces.join("").replaceAll("@", ""));

describe("renderMarkdown", () => {
  test("renders a post without an @ exactly as marked does (the e-mail rules it skips cannot match)", () => {
    fc.assert(
      fc.property(markdownWithoutAt, (source) => {
        expect(renderMarkdown(source)).toBe(plain.parse(source, { async: false }));
      }),
      { seed: 20260303, numRuns: 1500 },
    );
  });

  test("still links e-mail addresses in a post that has them, next to text that has no @", () => {
    // The same tokenizer serves every parse: a post without "@" must not leave its rules behind.
    expect(renderMarkdown("no address here")).toBe(plain.parse("no address here", { async: false }));
    expect(renderMarkdown("write to me.name@example.com today")).toBe('<p>write to <a href="mailto:me.name@example.com">me.name@example.com</a> today</p>\n');
    expect(renderMarkdown("and no address again")).toBe(plain.parse("and no address again", { async: false }));
  });

  test("markdownBeforeMore takes the text before the first <!--more-->", () => {
    expect(markdownBeforeMore("a\n\n<!--more-->\n\nb <!--more--> c")).toBe("a\n\n");
    expect(markdownBeforeMore("no marker")).toBeUndefined();
  });
});
