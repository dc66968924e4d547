// How the comparison reads post HTML: one reading for Jekyll's and Feedwright's alike.
import { describe, expect, test } from "vitest";
import { countMarkupMarkers, firstDifference, hasFootnotes, htmlToText } from "./html-text.js";

// kramdown 2.4's output for "Text[^1] and “quotes”." with "[^1]: note" (Jekyll 4.3).
const KRAMDOWN_FOOTNOTES = `<p>Text<sup id="fnref:1" role="doc-noteref"><a href="#fn:1" class="footnote" rel="footnote">1</a></sup> and “quotes”.</p>

<div class="footnotes" role="doc-endnotes">
  <ol>
    <li id="fn:1" role="doc-endnote">
      <p>note <a href="#fnref:1" class="reversefootnote" role="doc-backlink">&#8617;</a></p>
    </li>
  </ol>
</div>
`;

describe("htmlToText", () => {
  test("removes tags, decodes entities and collapses whitespace", () => {
    expect(htmlToText("<p>Fish &amp; <em>chips</em>&nbsp;&#8617;\n\n  now</p>")).toBe("Fish & chips ↩ now");
  });

  test("block edges separate words, inline edges do not", () => {
    expect(htmlToText("<p>one</p><p>two</p><ul><li>three</li><li>four</li></ul>a<br>b")).toBe("one two three four a b");
    expect(htmlToText("<strong>bold</strong>er and <a href='x'>link</a>ed")).toBe("bolder and linked");
  });

  test("the same text laid out with or without newlines between blocks reads the same", () => {
    expect(htmlToText("<h2>Title</h2>\n<p>Body</p>\n")).toBe(htmlToText("<h2>Title</h2><p>Body</p>"));
  });

  test("the content of script, style and template is not text", () => {
    expect(htmlToText("<p>a</p><script>var x = '<p>no</p>';</script><style>p { color: red }</style><template>t</template><p>b</p>")).toBe("a b");
  });

  test("kramdown footnotes read as their numbers and notes", () => {
    expect(htmlToText(KRAMDOWN_FOOTNOTES)).toBe("Text1 and “quotes”. note ↩");
  });

  test("Japanese text and its full-width spaces", () => {
    expect(htmlToText("<p>日本語の\u3000記事</p>")).toBe("日本語の 記事");
  });
});

describe("countMarkupMarkers", () => {
  test("counts Liquid and attribute-list markers in text and in attributes, entities decoded", () => {
    const html = `<p>{% include note.html %} and {{ site.title }}</p><p>{: .note}</p><img alt="{: width=&quot;70&quot;}" src="a.png"><p>&#123;&#123; page.url }}</p>`;
    expect(countMarkupMarkers(html)).toEqual({ liquid: 3, attributeList: 2 });
  });

  test("attribute-list markers inside code are not counted, however the code is coloured", () => {
    const plain = `<pre><code class="language-ruby">config.omniauth :client_options =&gt; {:site =&gt; URL}\n</code></pre><p>Inline <code>{:a =&gt; 1}</code>.</p>`;
    const coloured = `<div class="highlight"><pre class="highlight"><code><span class="p">{</span><span class="ss">:site</span></code></pre></div>`;
    expect(countMarkupMarkers(plain)).toEqual({ liquid: 0, attributeList: 0 });
    expect(countMarkupMarkers(coloured)).toEqual({ liquid: 0, attributeList: 0 });
    expect(countMarkupMarkers(`${plain}<p>{: .left over}</p>`)).toEqual({ liquid: 0, attributeList: 1 });
  });

  test("HTML without markers has none", () => {
    expect(countMarkupMarkers(KRAMDOWN_FOOTNOTES)).toEqual({ liquid: 0, attributeList: 0 });
  });
});

describe("hasFootnotes", () => {
  test("kramdown's footnotes block", () => {
    expect(hasFootnotes(KRAMDOWN_FOOTNOTES)).toBe(true);
  });

  test("footnote links made absolute, with the classes sanitized away", () => {
    const sanitized = `<p>Text<sup><a href="https://example.com/post/#fn:1" rel="footnote">1</a></sup></p><ol><li><p>note <a href="https://example.com/post/#fnref:1">↩</a></p></li></ol>`;
    expect(hasFootnotes(sanitized)).toBe(true);
  });

  test("marked-footnote's section", () => {
    expect(hasFootnotes(`<p>x<sup><a id="footnote-ref-1" href="#footnote-1">1</a></sup></p><section class="footnotes" data-footnotes><ol><li id="footnote-1">n <a href="#footnote-ref-1">↩</a></li></ol></section>`)).toBe(true);
  });

  test("brackets left as text, or a lone link to a note, are not footnotes", () => {
    expect(hasFootnotes("<p>Text[^1]</p><p>[^1]: note</p>")).toBe(false);
    expect(hasFootnotes(`<p><a href="#fn:1">1</a></p>`)).toBe(false);
    expect(hasFootnotes(`<p>See <a href="https://example.com/functions">functions</a></p>`)).toBe(false);
  });
});

describe("firstDifference", () => {
  test("equal texts have none", () => {
    expect(firstDifference("same", "same")).toBeUndefined();
  });

  test("where they part, counted in code points, with context from just before", () => {
    const prefix = "🎉".repeat(30);
    const difference = firstDifference(`${prefix}Jekyll’s docs`, `${prefix}Jekyll's docs`);
    expect(difference?.at).toBe(36);
    expect(difference?.jekyll).toBe(`${"🎉".repeat(14)}Jekyll’s docs`);
    expect(difference?.feedwright).toBe(`${"🎉".repeat(14)}Jekyll's docs`);
  });
});
