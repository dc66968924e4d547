// Heading ids, typography and line breaks in kramdown mode, on whole documents. Every expected
// document is what real kramdown 2.4 wrote for the same Markdown with Jekyll's options (GFM input,
// auto_ids, hard_wrap false, smart_quotes lsquo,rsquo,ldquo,rdquo, entity_output as_char) and the
// case's own; both are compared as parsed HTML (test/helpers/kramdown-html.ts).
import { describe, expect, test } from "vitest";
import { sanitizePostHtml } from "../../../src/content/html.js";
import { kramdownOptions, type KramdownOptions } from "../../../src/content/kramdown/options.js";
import { renderMarkdown, renderPostMarkdown } from "../../../src/content/markdown.js";
import { comparableHtml } from "../../helpers/kramdown-html.js";

const POST_URL = "https://blog.example.com/2025/06/01/text/";

function options(block: Readonly<Record<string, unknown>>): KramdownOptions {
  return kramdownOptions(block, (keyPath, message) => {
    throw new Error(`${keyPath.join(".")}: ${message}`);
  });
}

const CASES: readonly { name: string; source: string; options: Readonly<Record<string, unknown>>; kramdown: string }[] = [
  {
    name: "heading ids, repeats counted, an own id not counted",
    source: "# Intro\n\n## Intro {#own}\n\n### Intro\n\n> # Intro\n",
    options: {},
    kramdown: "<h1 id=\"intro\">Intro</h1>\n\n<h2 id=\"own\">Intro</h2>\n\n<h3 id=\"intro-1\">Intro</h3>\n\n<blockquote>\n  <h1 id=\"intro-2\">Intro</h1>\n</blockquote>\n",
  },
  {
    name: "Japanese heading ids",
    source: "# はじめに\n\n## 東京 Jekyll 勉強会：第1回！\n\n## はじめに\n",
    options: {},
    kramdown: "<h1 id=\"はじめに\">はじめに</h1>\n\n<h2 id=\"東京-jekyll-勉強会第1回\">東京 Jekyll 勉強会：第1回！</h2>\n\n<h2 id=\"はじめに-1\">はじめに</h2>\n",
  },
  {
    name: "heading ids with auto_id_prefix",
    source: "# One\n\n# One\n",
    options: { auto_id_prefix: "sec-" },
    kramdown: "<h1 id=\"sec-one\">One</h1>\n\n<h1 id=\"sec-one-1\">One</h1>\n",
  },
  {
    name: "no automatic ids without auto_ids, own ids kept",
    source: "# Plain\n\n# Own {#mine}\n",
    options: { auto_ids: false },
    kramdown: "<h1>Plain</h1>\n\n<h1 id=\"mine\">Own</h1>\n",
  },
  {
    name: "typography in text, headings, links and emphasis",
    source: "# \"Title\" -- <<one>>\n\n\"*Emphasis*\" and '[link](https://example.com/ \"a -- title\")' -- it's \"done\"...\n",
    options: {},
    kramdown: "<h1 id=\"title--one\">“Title” – «one»</h1>\n\n<p>“<em>Emphasis</em>” and ‘<a href=\"https://example.com/\" title=\"a -- title\">link</a>’ – it’s “done”…</p>\n",
  },
  {
    name: "no typography in code, alt texts or autolinks",
    source: "`\"code\" -- x` ![\"alt\" -- text](/a.png) <https://example.com/a--b>\n\n```\n\"block\" -- y...\n```\n",
    options: {},
    kramdown: "<p><code>\"code\" -- x</code> <img src=\"/a.png\" alt=\"&quot;alt&quot; -- text\" /> <a href=\"https://example.com/a--b\">https://example.com/a--b</a></p>\n\n<pre><code>\"block\" -- y...\n</code></pre>\n",
  },
  {
    name: "smart_quotes names the quotes",
    source: "\"Hallo\" 'du'\n",
    options: { smart_quotes: "sbquo,lsquo,bdquo,ldquo" },
    kramdown: "<p>„Hallo“ ‚du‘</p>\n",
  },
  {
    name: "soft line breaks stay newlines without hard_wrap",
    source: "Line one\nline two\n",
    options: {},
    kramdown: "<p>Line one\nline two</p>\n",
  },
  {
    name: "hard_wrap breaks every line",
    source: "Line one\nline two\nline three\n\n- item\n  continued\n",
    options: { hard_wrap: true },
    kramdown: "<p>Line one<br />\nline two<br />\nline three</p>\n\n<ul>\n  <li>item<br />\ncontinued</li>\n</ul>\n",
  },
  {
    name: "a two-space break keeps its newline",
    source: "Line one  \nline two\n",
    options: {},
    kramdown: "<p>Line one<br />\nline two</p>\n",
  },
  {
    name: "mixed Japanese and English",
    source: "東京で\"Jekyll\"の勉強会を開きます。\n\n「参加」は無料です... 'ぜひ' -- どうぞ\n",
    options: {},
    kramdown: "<p>東京で”Jekyll”の勉強会を開きます。</p>\n\n<p>「参加」は無料です… ‘ぜひ’ – どうぞ</p>\n",
  },
];

describe("kramdown text: heading ids, typography, line breaks", () => {
  test.each(CASES)("$name", ({ source, options: block, kramdown }) => {
    expect(comparableHtml(renderMarkdown(source, options(block)))).toBe(comparableHtml(kramdown));
  });

  test.each(CASES)("$name: the same bytes whether the renderer or the sanitizer makes them safe", ({ source, options: block }) => {
    const kramdown = options(block);
    const post = renderPostMarkdown(source, POST_URL, kramdown);
    expect(post.safeHtml()).toBe(sanitizePostHtml(renderMarkdown(source, kramdown), POST_URL, "kramdown"));
  });

  test("an attribute list's id wins over the heading's own and the automatic one, and is not counted", () => {
    // kramdown 2.4 wrote: <h1 id="mine">Intro</h1> <h1 id="intro">Intro</h1> <h1 id="ial">Intro</h1>
    const html = renderMarkdown("# Intro\n{: #mine}\n\n# Intro\n\n# Intro {#own}\n{: #ial}\n", options({}));
    expect(comparableHtml(html)).toBe('<h1 id="mine">Intro</h1><h1 id="intro">Intro</h1><h1 id="ial">Intro</h1>');
  });

  test("heading ids survive the sanitizer", () => {
    const post = renderPostMarkdown("# \"Hello\" World\n", POST_URL, options({}));
    expect(post.madeSafeBy).toBe("renderer");
    expect(post.safeHtml()).toBe('<h1 id="hello-world">“Hello” World</h1>\n');
  });

  test("a folder of posts keeps marked's output: no ids, straight quotes, no <br /> newline", () => {
    expect(renderMarkdown("# \"Hello\" -- World\n\nOne  \ntwo\n")).toBe('<h1>&quot;Hello&quot; -- World</h1>\n<p>One<br>two</p>\n');
  });
});
