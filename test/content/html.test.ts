import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstParagraphText, htmlNestingBound, htmlToText, sanitizePostHtml } from "../../src/content/html.js";

const BASE = "https://blog.example.com/2025/11/04/post.html";

describe("sanitizePostHtml", () => {
  it("makes href, src, srcset, poster and cite absolute against the post's URL", () => {
    const html = sanitizePostHtml(
      '<a href="a/">a</a><a href="/b">b</a><a href="#c">c</a><img src="i.png" srcset="i.png 1x, ../j.png 2x, /k.png 640w">' +
        '<video src="v.mp4" poster="p.jpg"></video><blockquote cite="q.html">q</blockquote>',
      BASE,
    );
    expect(html).toContain('href="https://blog.example.com/2025/11/04/a/"');
    expect(html).toContain('href="https://blog.example.com/b"');
    expect(html).toContain('href="https://blog.example.com/2025/11/04/post.html#c"');
    expect(html).toContain('src="https://blog.example.com/2025/11/04/i.png"');
    expect(html).toContain('srcset="https://blog.example.com/2025/11/04/i.png 1x, https://blog.example.com/2025/11/j.png 2x, https://blog.example.com/k.png 640w"');
    expect(html).toContain('poster="https://blog.example.com/2025/11/04/p.jpg"');
    expect(html).toContain('cite="https://blog.example.com/2025/11/04/q.html"');
  });

  it("leaves absolute and mailto links alone", () => {
    const html = sanitizePostHtml('<a href="https://other.example/x">x</a><a href="mailto:me@example.com">m</a>', BASE);
    expect(html).toBe('<a href="https://other.example/x">x</a><a href="mailto:me@example.com">m</a>');
  });

  it("removes scripts, styles, event handlers and javascript: URLs but keeps the text", () => {
    const html = sanitizePostHtml(
      '<p onclick="evil()" style="color:red">Hi<script>evil()</script><style>p{}</style>' +
        '<a href="javascript:evil()">link</a><a href=" JaVaScRiPt:evil()">two</a><a href="jav&#x09;ascript:evil()">three</a>' +
        '<img src="x" onerror="evil()"><iframe src="https://www.youtube.com/embed/x" title="Video"></iframe><form action="/x"><input type="text"></form></p>',
      BASE,
    );
    expect(html).not.toMatch(/script|onclick|onerror|style|javascript|iframe|<form/i);
    expect(html).toContain("<a>link</a>");
    expect(html).toContain('<a href="https://www.youtube.com/embed/x">Video</a>');
  });

  it("keeps right-to-left markup and code languages", () => {
    const html = sanitizePostHtml('<p dir="rtl" lang="ar">مرحبا</p><pre><code class="language-ts">x</code></pre>', BASE);
    expect(html).toBe('<p dir="rtl" lang="ar">مرحبا</p><pre><code class="language-ts">x</code></pre>');
  });

  it("escapes > in text, so the output never contains ]]>", () => {
    expect(sanitizePostHtml("<p>a ]]> b</p>", BASE)).toBe("<p>a ]]&gt; b</p>");
    expect(sanitizePostHtml('<a title="]]>" href="x]]>">t</a>', BASE)).not.toContain("]]>");
  });
});

describe("htmlToText and firstParagraphText", () => {
  it("decodes entities, drops tags and script text, separates blocks", () => {
    expect(htmlToText("<h1>Title</h1><p>A &amp; B &lt;3</p><script>x()</script><ul><li>one</li><li>two</li></ul>")).toBe("Title A & B <3 one two");
  });

  it("takes the first paragraph that has text", () => {
    expect(firstParagraphText('<h2>H</h2><p><img src="x"></p><p>First <em>real</em> one.</p><p>Second.</p>')).toBe("First real one.");
    expect(firstParagraphText("<ul><li>only a list</li></ul>")).toBe("");
  });

  it("reads no further than the first paragraph with text", () => {
    // An unclosed <p> at the end is closed by the end of the input, so it still counts.
    expect(firstParagraphText("<p> </p><p>Last, unclosed")).toBe("Last, unclosed");
    // A paragraph closed by the next one's start tag answers, and the next one is not read.
    expect(firstParagraphText("<p>One<p>Two</p>")).toBe("One");
  });
});

describe("htmlNestingBound", () => {
  it("counts open elements, not void ones or closed ones", () => {
    expect(htmlNestingBound("<div><p>a</p><p>b<br><img src=x></p></div>")).toBe(2);
    expect(htmlNestingBound("<span>".repeat(50))).toBe(50);
  });

  it("with a limit, answers the same comparison with the limit without tokenizing small HTML", () => {
    // Few "<": the count of them is returned, an upper bound no greater than the limit.
    expect(htmlNestingBound("<p>a</p><p>b</p>", 10)).toBe(4);
    // More "<" than the limit: the tokenizer's bound, as without a limit.
    expect(htmlNestingBound("<span>".repeat(50), 20)).toBe(50);
    expect(htmlNestingBound("<br>".repeat(50), 20)).toBe(0);
    const pieces = fc.array(fc.constantFrom("<div>", "</div>", "<p>", "</p>", "<br>", "<span>", "</span>", "<!--x-->", "text", "<", "<img src=x>"), { maxLength: 40 });
    fc.assert(
      fc.property(pieces, fc.nat({ max: 30 }), (parts, limit) => {
        const html = parts.join("");
        const bound = htmlNestingBound(html, limit);
        expect(bound > limit).toBe(htmlNestingBound(html) > limit);
        if (bound > limit) expect(bound).toBe(htmlNestingBound(html));
      }),
      { seed: 20260301, numRuns: 300 },
    );
  });
});
