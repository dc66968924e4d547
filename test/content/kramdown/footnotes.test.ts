// kramdown's footnotes. Every expected document is what real kramdown 2.4 (Jekyll's options:
// GFM input, auto_ids, smart_quotes, footnote_nr 1, entity_output as_char, and the options a case
// names) wrote for the same Markdown; both are compared as parsed HTML (test/helpers/kramdown-html.ts).
import { describe, expect, test } from "vitest";
import { sanitizePostHtml } from "../../../src/content/html.js";
import { footnoteDefinition } from "../../../src/content/kramdown/footnotes.js";
import { kramdownOptions, type KramdownOptions } from "../../../src/content/kramdown/options.js";
import { renderMarkdown, renderPostMarkdown } from "../../../src/content/markdown.js";
import { comparableHtml } from "../../helpers/kramdown-html.js";

const POST_URL = "https://blog.example.com/2025/06/01/notes/";

function options(block: Readonly<Record<string, unknown>>): KramdownOptions {
  return kramdownOptions(block, (keyPath, message) => {
    throw new Error(`${keyPath.join(".")}: ${message}`);
  });
}

interface FootnoteCase {
  readonly name: string;
  readonly source: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly kramdown: string;
}

const CASES: readonly FootnoteCase[] = [
  {
    name: "numbers notes in the order of their first reference",
    source: "First[^z], second[^a], first again[^z], missing[^nope].\n\n[^a]: Note a.\n[^z]: Note z.\n[^unused]: Never referred to.\n",
    options: {},
    kramdown: "<p>First<sup id=\"fnref:z\" role=\"doc-noteref\"><a href=\"#fn:z\" class=\"footnote\" rel=\"footnote\">1</a></sup>, second<sup id=\"fnref:a\" role=\"doc-noteref\"><a href=\"#fn:a\" class=\"footnote\" rel=\"footnote\">2</a></sup>, first again<sup id=\"fnref:z:1\" role=\"doc-noteref\"><a href=\"#fn:z\" class=\"footnote\" rel=\"footnote\">1</a></sup>, missing[^nope].</p>\n\n<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol>\n    <li id=\"fn:z\" role=\"doc-endnote\">\n      <p>Note z. <a href=\"#fnref:z\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a> <a href=\"#fnref:z:1\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;<sup>2</sup></a></p>\n    </li>\n    <li id=\"fn:a\" role=\"doc-endnote\">\n      <p>Note a. <a href=\"#fnref:a\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a></p>\n    </li>\n  </ol>\n</div>\n",
  },
  {
    name: "keeps a note's paragraphs, code and lazy lines",
    source: "See[^long].\n\n[^long]: First paragraph\n    of the note.\n\n    Second paragraph,\nwith a lazy line.\n\n        indented code\n\nBack in the post.\n",
    options: {},
    kramdown: "<p>See<sup id=\"fnref:long\" role=\"doc-noteref\"><a href=\"#fn:long\" class=\"footnote\" rel=\"footnote\">1</a></sup>.</p>\n\n<p>Back in the post.</p>\n<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol>\n    <li id=\"fn:long\" role=\"doc-endnote\">\n      <p>First paragraph\nof the note.</p>\n\n      <p>Second paragraph,\nwith a lazy line.</p>\n\n      <pre><code>indented code\n</code></pre>\n      <p><a href=\"#fnref:long\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a></p>\n    </li>\n  </ol>\n</div>\n",
  },
  {
    name: "puts the back link in a paragraph of its own after other blocks",
    source: "Code[^c].\n\n[^c]: Intro\n\n    ```\n    x = 1\n    ```\n",
    options: {},
    kramdown: "<p>Code<sup id=\"fnref:c\" role=\"doc-noteref\"><a href=\"#fn:c\" class=\"footnote\" rel=\"footnote\">1</a></sup>.</p>\n\n<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol>\n    <li id=\"fn:c\" role=\"doc-endnote\">\n      <p>Intro</p>\n\n      <pre><code>x = 1\n</code></pre>\n      <p><a href=\"#fnref:c\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a></p>\n    </li>\n  </ol>\n</div>\n",
  },
  {
    name: "numbers notes referred to from notes after the post's own",
    source: "Outer[^outer] and other[^other].\n\n[^outer]: Refers on[^inner].\n[^inner]: Innermost, and back[^outer].\n[^other]: Other.\n",
    options: {},
    kramdown: "<p>Outer<sup id=\"fnref:outer\" role=\"doc-noteref\"><a href=\"#fn:outer\" class=\"footnote\" rel=\"footnote\">1</a></sup> and other<sup id=\"fnref:other\" role=\"doc-noteref\"><a href=\"#fn:other\" class=\"footnote\" rel=\"footnote\">2</a></sup>.</p>\n\n<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol>\n    <li id=\"fn:outer\" role=\"doc-endnote\">\n      <p>Refers on<sup id=\"fnref:inner\" role=\"doc-noteref\"><a href=\"#fn:inner\" class=\"footnote\" rel=\"footnote\">3</a></sup>. <a href=\"#fnref:outer\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a></p>\n    </li>\n    <li id=\"fn:other\" role=\"doc-endnote\">\n      <p>Other. <a href=\"#fnref:other\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a></p>\n    </li>\n    <li id=\"fn:inner\" role=\"doc-endnote\">\n      <p>Innermost, and back<sup id=\"fnref:outer:1\" role=\"doc-noteref\"><a href=\"#fn:outer\" class=\"footnote\" rel=\"footnote\">1</a></sup>. <a href=\"#fnref:inner\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a></p>\n    </li>\n  </ol>\n</div>\n",
  },
  {
    name: "starts at footnote_nr",
    source: "One[^1] two[^2].\n\n[^1]: One.\n[^2]: Two.\n",
    options: {footnote_nr:  5},
    kramdown: "<p>One<sup id=\"fnref:1\" role=\"doc-noteref\"><a href=\"#fn:1\" class=\"footnote\" rel=\"footnote\">5</a></sup> two<sup id=\"fnref:2\" role=\"doc-noteref\"><a href=\"#fn:2\" class=\"footnote\" rel=\"footnote\">6</a></sup>.</p>\n\n<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol start=\"5\">\n    <li id=\"fn:1\" role=\"doc-endnote\">\n      <p>One. <a href=\"#fnref:1\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a></p>\n    </li>\n    <li id=\"fn:2\" role=\"doc-endnote\">\n      <p>Two. <a href=\"#fnref:2\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a></p>\n    </li>\n  </ol>\n</div>\n",
  },
  {
    name: "ends a definition at an unindented line",
    source: "Ref[^a].\n\n[^a]: The note.\nNot the note.\n",
    options: {},
    kramdown: "<p>Ref<sup id=\"fnref:a\" role=\"doc-noteref\"><a href=\"#fn:a\" class=\"footnote\" rel=\"footnote\">1</a></sup>.</p>\n\n<p>Not the note.</p>\n<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol>\n    <li id=\"fn:a\" role=\"doc-endnote\">\n      <p>The note. <a href=\"#fnref:a\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a></p>\n    </li>\n  </ol>\n</div>\n",
  },
  {
    name: "reads names of word characters and hyphens only",
    source: "A[^my-note_1] b[^not a name] c[^日本].\n\n[^my-note_1]: Named.\n",
    options: {},
    kramdown: "<p>A<sup id=\"fnref:my-note_1\" role=\"doc-noteref\"><a href=\"#fn:my-note_1\" class=\"footnote\" rel=\"footnote\">1</a></sup> b[^not a name] c[^日本].</p>\n\n<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol>\n    <li id=\"fn:my-note_1\" role=\"doc-endnote\">\n      <p>Named. <a href=\"#fnref:my-note_1\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a></p>\n    </li>\n  </ol>\n</div>\n",
  },
  {
    name: "gives typography and links inside notes",
    source: "Ref[^q].\n\n[^q]: \"Quoted\" -- see [the docs](https://example.com/docs \"Docs\").\n",
    options: {},
    kramdown: "<p>Ref<sup id=\"fnref:q\" role=\"doc-noteref\"><a href=\"#fn:q\" class=\"footnote\" rel=\"footnote\">1</a></sup>.</p>\n\n<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol>\n    <li id=\"fn:q\" role=\"doc-endnote\">\n      <p>“Quoted” – see <a href=\"https://example.com/docs\" title=\"Docs\">the docs</a>. <a href=\"#fnref:q\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a></p>\n    </li>\n  </ol>\n</div>\n",
  },
  {
    name: "uses footnote_prefix and footnote_backlink",
    source: "Ref[^a] and[^a].\n\n[^a]: Note.\n",
    options: {footnote_prefix:  "p-", footnote_backlink:  "back"},
    kramdown: "<p>Ref<sup id=\"fnref:p-a\" role=\"doc-noteref\"><a href=\"#fn:p-a\" class=\"footnote\" rel=\"footnote\">1</a></sup> and<sup id=\"fnref:p-a:1\" role=\"doc-noteref\"><a href=\"#fn:p-a\" class=\"footnote\" rel=\"footnote\">1</a></sup>.</p>\n\n<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol>\n    <li id=\"fn:p-a\" role=\"doc-endnote\">\n      <p>Note. <a href=\"#fnref:p-a\" class=\"reversefootnote\" role=\"doc-backlink\">back</a> <a href=\"#fnref:p-a:1\" class=\"reversefootnote\" role=\"doc-backlink\">back<sup>2</sup></a></p>\n    </li>\n  </ol>\n</div>\n",
  },
];

describe("kramdown footnotes", () => {
  test.each(CASES)("$name", ({ source, options: block, kramdown }) => {
    expect(comparableHtml(renderMarkdown(source, options(block)))).toBe(comparableHtml(kramdown));
  });

  test.each(CASES)("$name: the same bytes whether the renderer or the sanitizer makes them safe", ({ source, options: block }) => {
    const kramdown = options(block);
    const post = renderPostMarkdown(source, POST_URL, kramdown);
    expect(post.madeSafeBy).toBe("renderer");
    expect(post.safeHtml()).toBe(sanitizePostHtml(renderMarkdown(source, kramdown), POST_URL, "kramdown"));
  });

  test("keep their ids, classes and roles through the sanitizer, links made absolute", () => {
    const html = sanitizePostHtml(renderMarkdown("Ref[^a].\n\n[^a]: Note.\n", options({})), POST_URL, "kramdown");
    expect(html).toContain(`<sup id="fnref:a" role="doc-noteref"><a href="${POST_URL}#fn:a" class="footnote" rel="footnote">1</a></sup>`);
    expect(html).toContain(`<li id="fn:a" role="doc-endnote">`);
    expect(html).toContain(`<a href="${POST_URL}#fnref:a" class="reversefootnote" role="doc-backlink">↩</a>`);
    expect(html).toContain(`<div class="footnotes" role="doc-endnotes">`);
  });

  test("are plain text for a folder of posts, which is not read as kramdown", () => {
    expect(renderMarkdown("Ref[^a].\n\n[^a]: Note.\n")).not.toContain("footnote");
  });
});

describe("footnoteDefinition", () => {
  test("reads only the definition's own lines of a long post", () => {
    const rest = "\nA paragraph of the post.\n".repeat(1000);
    expect(footnoteDefinition(`[^a]: Note\n    more\n${rest}`)).toEqual({ raw: "[^a]: Note\n    more\n", name: "a", content: "Note\nmore" });
  });

  test("is not one without a name of word characters", () => {
    expect(footnoteDefinition("[^a b]: Note\n")).toBeUndefined();
  });
});
