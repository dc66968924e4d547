// renderPostMarkdown skips the sanitizer for HTML that marked wrote itself (content/markdown.ts
// SafeRenderer). That is only safe if it writes what the sanitizer would have written: these
// properties compare it with sanitizePostHtml(renderMarkdown(…)) on generated Markdown full of
// the things the sanitizer exists for (javascript: URLs, character references, quotes, raw HTML),
// byte for byte and as parsed HTML, and check that nothing that runs survives either way.
import fc from "fast-check";
import { Parser } from "htmlparser2";
import { Marked, type Token } from "marked";
import { describe, expect, test } from "vitest";
import { firstParagraphText, htmlNestingBound, sanitizePostHtml } from "../../src/content/html.js";
import { renderMarkdown, renderPostMarkdown } from "../../src/content/markdown.js";
import type { KramdownOptions } from "../../src/content/kramdown/options.js";
import { htmlSafetyProblems } from "../helpers/html-safety.js";
import { CASE_OPTIONS } from "../helpers/kramdown-cases.js";

const BASE = "https://blog.example.com/2025/06/01/post.html";
const PROPERTY_TIMEOUT = 60_000;

/** The HTML as a parser sees it: elements with their attributes (sorted), and runs of text. */
function parsed(html: string): unknown[] {
  const events: unknown[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        events.push(["open", name, Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : 1))]);
      },
      ontext(text) {
        const last = events.at(-1);
        if (Array.isArray(last) && last[0] === "text") last[1] += text;
        else events.push(["text", text]);
      },
      onclosetag(name) {
        events.push(["close", name]);
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return events;
}

const SAFE_SCHEMES = new Set(["http:", "https:", "mailto:", "tel:"]);

/** What must never be in feed content: active elements, event handlers, script URLs, other schemes. */
function unsafeParts(html: string): string[] {
  const problems = htmlSafetyProblems(html, { requireAbsoluteHttpUrls: false }).filter((problem) => {
    const [, attribute, value] = /^<\S+ (\S+)="(.*)">$/su.exec(problem) ?? [];
    // alt and title are text a reader shows, never follows: "javascript:" in them runs nothing.
    if (attribute === "alt" || attribute === "title") return false;
    // Nor does an http(s) URL whose path spells "javascript:" (percent-encoded markup).
    try {
      return value === undefined || !["http:", "https:"].includes(new URL(value).protocol);
    } catch {
      return true;
    }
  });
  const parser = new Parser({
    onopentag(name, attributes) {
      for (const attribute of ["href", "src"]) {
        const value = attributes[attribute];
        if (value === undefined) continue;
        const scheme = URL.canParse(value) ? new URL(value).protocol : "relative";
        if (!(SAFE_SCHEMES.has(scheme) || (scheme === "data:" && name === "img"))) problems.push(`<${name} ${attribute}="${value}">`);
      }
    },
  });
  parser.write(html);
  parser.end();
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Generated Markdown

const URLS = [
  "a/b", "../up.html", "/root", "#frag", "?q=1&x=2", "", "//evil.example/x", "https://other.example/a?b=1&c=2#d", "http://[::1]:8080/",
  "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java&#x09;script:alert(1)", "&#106;avascript:alert(1)", "jav&#x61;script:x", "javascript&colon;x",
  "vbscript:msgbox", "data:text/html,<script>alert(1)</script>", "data:image/png;base64,iVBORw0KGgo=", "mailto:me@example.com", "tel:+81-3-1234",
  "ftp://files.example/x", "http://a b", "https://ex.example/%zz", "<https://spaced.example/a b>", "a&amp;b", "a&quot;b", "x\"y", "\ud800", "%E6%9D%B1",
  "東京/駅", "a(b)c", "\\(x\\)", "https://x.example/]]>",
];
const TITLES = ["", ' "plain"', ' "a &amp; b"', " 'single'", " (paren)", ' "&#1;"', ' "&#0;"', ' "&copy; &notit; &ampfoo;"', ' "<b>"', ' "]]>"'];
const TEXTS = [
  "plain text", "東京の天気", "&copy;", "&amp;", "&#0;", "&#x1F600;", "&#128;", "&#1;", "&notit;", "&ampfoo;", "a&DownBreve;", "&", "&;", "&#;", "AT&T",
  '"quoted"', "it's", "<3", "a > b", "\u0007", "\u0085", "\u00a0", "\u2028", "\\*", "\\<", "\\&", "\\\\", "e\u0301", "]]>", "x", "  \n", "\\\n", "\ud800",
];
const LANGS = ["", "ts", "&amp;x", "a&#32;b", '"><script>', "language-x", "c++", "&#9;tab", "東京"];

const text = fc.constantFrom(...TEXTS);
const altText = fc.constantFrom("", "**", "`a`", "*b* [c](d)", ...TEXTS);
const url = fc.constantFrom(...URLS);
const title = fc.constantFrom(...TITLES);
const inline: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 3, arbitrary: fc.tuple(text, url, title).map(([label, href, name]) => `[${label}](${href}${name})`) },
  { weight: 2, arbitrary: fc.tuple(altText, url, title).map(([alt, src, name]) => `![${alt}](${src}${name})`) },
  { weight: 1, arbitrary: fc.tuple(altText, url).map(([alt, src]) => `[![${alt}](${src})](${src})`) },
  { weight: 1, arbitrary: fc.constantFrom("<https://auto.example/?a=1&b=2>", "<x@y.example>", "www.example.com/a", "https://bare.example/p)", "me.name@example.com", "<mailto:a@b.example>") },
  { weight: 1, arbitrary: fc.tuple(text, text).map(([a, b]) => `*${a}* **${b}** ~~${a}~~ \`${b}<&>"'\``) },
  { weight: 1, arbitrary: fc.constantFrom("[ref]", "[label][ref]", "[missing][nope]", "[[inner](a)](b)", "[a [b](c) d](e)", "[x www.example.com y](z)", '[t](u "line\nbreak")') },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const line = fc.array(inline, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(" "));
const block: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: line },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 6 }), line).map(([depth, content]) => `${"#".repeat(depth)} ${content}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...LANGS), text).map(([lang, code]) => `\`\`\`${lang}\n${code} <x> & "y"\n\`\`\``) },
  { weight: 1, arbitrary: text.map((code) => `    indented ${code} <&>`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("- ", "* ", "1. ", "0. ", "3) ", "- [ ] ", "- [x] "), fc.array(line, { minLength: 1, maxLength: 3 })).map(([bullet, items]) => items.map((item) => `${bullet}${item}`).join("\n")) },
  { weight: 1, arbitrary: line.map((content) => `> ${content}\n> > ${content}`) },
  { weight: 1, arbitrary: fc.tuple(line, line).map(([a, b]) => `| ${a} | b |\n|:-|-:|\n| ${b} | [x](y) |`) },
  { weight: 1, arbitrary: fc.constantFrom("---", "***", "[ref]: /defined/here \"Def &amp; title\"", "Setext\n===", "  - nested\n    - deeper") },
);
const markdownWithoutHtml = fc.array(block, { maxLength: 8 }).map((blocks) => blocks.join("\n\n"));

const RAW_HTML = [
  // Self-contained: comments, <img>, <br>, <wbr> (the renderer keeps going)...
  "<!--more-->", "<!-- a comment -->", '<img src="pic.png" alt="A picture" width="640">', '<img src="x.png" onerror="alert(1)">', "<img src=javascript:alert(1)>",
  '<IMG SRC="up/a.png" ALT=b>', "<br>", "<br/>", "<wbr>", '<img srcset="a.png 1x, javascript:alert(1) 2x, /c.png 3x">', '<img src="a.png" style="x" title="t &amp; u">',
  '<img alt="<!--x-->">', "<!-- one --> <!-- two -->",
  // ...and everything else (the post goes to the sanitizer).
  "<b>bold</b>", "<script>alert(1)</script>", "<!-->", "<!--->", "<div>", "</div>", '<a href="x.html">a</a>', "<img src=x", "<iframe src=\"https://v.example/e\"></iframe>",
  "<kbd>Ctrl</kbd>", "<p>", "<pre>", "<svg onload=alert(1)>",
];
const markdownWithHtml = fc
  .array(
    fc.oneof(
      { weight: 2, arbitrary: block },
      { weight: 1, arbitrary: fc.constantFrom(...RAW_HTML) },
      { weight: 1, arbitrary: fc.tuple(line, fc.constantFrom(...RAW_HTML)).map(([l, h]) => `${l} ${h} ${l}`) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...RAW_HTML), url).map(([h, href]) => `[a ${h} b](${href}) ![${h}](${href}) *${h}* | ${h} |\n|-|\n| ${h} |`) },
    ),
    { maxLength: 8 },
  )
  .map((blocks) => blocks.join("\n\n"));

/** Tokens of plain marked, to say independently whether a post has raw HTML or a link inside a link. */
const plain = new Marked({ gfm: true, breaks: false, async: false });
function needsSanitizer(source: string): boolean {
  let needs = false;
  const visit = (tokens: readonly Token[], inLink: boolean): void => {
    for (const token of tokens) {
      if (token.type === "html") needs = true;
      if (token.type === "link" && inLink) needs = true;
      const nested: Token[] = [];
      if ("tokens" in token && Array.isArray(token.tokens)) nested.push(...token.tokens);
      if (token.type === "list") for (const item of token.items as { tokens: Token[] }[]) nested.push(...item.tokens);
      if (token.type === "table") for (const cell of [...(token.header as { tokens: Token[] }[]), ...(token.rows as { tokens: Token[] }[][]).flat()]) nested.push(...cell.tokens);
      visit(nested, inLink || token.type === "link");
    }
  };
  visit(plain.lexer(source), false);
  return needs;
}

function expectSameAsSanitizer(source: string, kramdown?: KramdownOptions): ReturnType<typeof renderPostMarkdown> {
  const rendered = renderPostMarkdown(source, BASE, kramdown);
  const unsanitized = renderMarkdown(source, kramdown);
  const sanitized = sanitizePostHtml(unsanitized, BASE, kramdown ? "kramdown" : "posts");
  expect(rendered.safeHtml(), source).toBe(sanitized);
  expect(parsed(rendered.safeHtml()), source).toEqual(parsed(sanitized));
  expect(unsafeParts(rendered.safeHtml()), source).toEqual([]);
  // The summary and the nesting check read `html`; the renderer's must give what marked's does.
  expect(firstParagraphText(rendered.html), source).toBe(firstParagraphText(unsanitized));
  expect(htmlNestingBound(rendered.html), source).toBe(htmlNestingBound(unsanitized));
  return rendered;
}

// kramdown's syntax (a Jekyll site's posts), with attribute values the sanitizer must check.
const IAL_PARTS = [".note", "#intro", 'title="a &amp; \\"b\\""', 'onclick="alert(1)"', 'style="color: red"', 'href="javascript:alert(1)"', 'src="/x.png"', 'width="70"', "ref", 'lang="en"', "class='x y'", 'id="a<b"'];
const ial = fc.array(fc.constantFrom(...IAL_PARTS), { minLength: 1, maxLength: 3 }).map((parts) => `{: ${parts.join(" ")}}`);
const kramdownBlock: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: block },
  { weight: 2, arbitrary: fc.tuple(block, ial).map(([content, list]) => `${content}\n${list}`) },
  { weight: 1, arbitrary: fc.tuple(ial, line).map(([list, content]) => `${list}\n${content}`) },
  { weight: 1, arbitrary: fc.tuple(line, ial).map(([content, list]) => `*${content}*${list} ![i](p.png)${list} [l](/u)${list} \`c\`${list}`) },
  { weight: 1, arbitrary: ial.map((list) => `{:ref: ${list.slice(3, -1)}}`) },
  { weight: 1, arbitrary: fc.tuple(line, line).map(([a, b]) => `| ${a} | x |\n| ${b} |`) },
  { weight: 1, arbitrary: fc.tuple(line, line).map(([term, definition]) => `${term}\n: ${definition}`) },
  { weight: 1, arbitrary: fc.constantFrom("*[XML]: Extensible <Markup> & \"Language\"", "*[b]: B", "XML and b and <b>", "* TOC\n{:toc}", "## Heading\n{: #heading}") },
  { weight: 1, arbitrary: line.map((content) => `{::comment}\n${content}\n{:/comment}\n\n{::nomarkdown}\n${content}<b onclick=x>raw</b>\n{:/}\n\n<div class="box" onclick="x" markdown="1">\n${content}\n</div>`) },
);
const markdownWithKramdown = fc.array(kramdownBlock, { maxLength: 8 }).map((blocks) => blocks.join("\n\n"));

describe("renderPostMarkdown: marked's HTML made safe without the sanitizer", () => {
  test(
    "kramdown's syntax: identical to the sanitizer's output whichever makes the post, nothing runs",
    () => {
      const by = { renderer: 0, sanitizer: 0 };
      fc.assert(
        fc.property(markdownWithKramdown, (source) => {
          by[expectSameAsSanitizer(source, CASE_OPTIONS).madeSafeBy]++;
        }),
        { seed: 20261207, numRuns: 1000 },
      );
      expect(by.renderer).toBeGreaterThan(100);
      expect(by.sanitizer).toBeGreaterThan(100);
    },
    PROPERTY_TIMEOUT,
  );

  test(
    "Markdown without raw HTML: written by the renderer, identical to the sanitizer's output, nothing runs",
    () => {
      let byRenderer = 0;
      fc.assert(
        fc.property(markdownWithoutHtml, (source) => {
          const rendered = expectSameAsSanitizer(source);
          if (!needsSanitizer(source)) expect(rendered.madeSafeBy, source).toBe("renderer");
          if (rendered.madeSafeBy === "renderer") byRenderer++;
        }),
        { seed: 20260310, numRuns: 1500 },
      );
      expect(byRenderer).toBeGreaterThan(1000);
    },
    PROPERTY_TIMEOUT,
  );

  test(
    "Markdown with raw HTML: comments, <img> and <br> still by the renderer, anything else by the sanitizer, always identical",
    () => {
      const by = { renderer: 0, sanitizer: 0 };
      fc.assert(
        fc.property(markdownWithHtml, (source) => {
          by[expectSameAsSanitizer(source).madeSafeBy]++;
        }),
        { seed: 20260311, numRuns: 1000 },
      );
      expect(by.renderer).toBeGreaterThan(200);
      expect(by.sanitizer).toBeGreaterThan(200);
    },
    PROPERTY_TIMEOUT,
  );

  test("examples", () => {
    const links = renderPostMarkdown('[rel](a/) [js](javascript:alert(1)) [t](/x "A &amp; B") ![i](p.png "it\'s") ![d](data:image/png;base64,AA==)', BASE);
    expect(links.madeSafeBy).toBe("renderer");
    expect(links.safeHtml()).toBe(
      '<p><a href="https://blog.example.com/2025/06/01/a/">rel</a> <a>js</a> <a href="https://blog.example.com/x" title="A &amp; B">t</a> ' +
        '<img src="https://blog.example.com/2025/06/01/p.png" alt="i" title="it\'s" /> <img src="data:image/png;base64,AA==" alt="d" /></p>\n',
    );
    expect(renderPostMarkdown("a  \nb\n\n---\n\n- [x] done", BASE).safeHtml()).toBe('<p>a<br />b</p>\n<hr />\n<ul>\n<li><input checked disabled type="checkbox" /> done</li>\n</ul>\n');
    expect(renderPostMarkdown("Intro.\n\n<!--more-->\n\nRest.", BASE).madeSafeBy).toBe("renderer");
    expect(renderPostMarkdown('<img src="x.png" onerror="alert(1)">', BASE).safeHtml()).toBe('<img src="https://blog.example.com/2025/06/01/x.png" />');
    expect(renderPostMarkdown("a <b>b</b>", BASE).madeSafeBy).toBe("sanitizer");
    // An autolink inside a link's text: htmlparser2 closes the outer <a>, so the sanitizer decides.
    expect(renderPostMarkdown("[see <https://a.example>](https://b.example)", BASE).madeSafeBy).toBe("sanitizer");
  });
});
