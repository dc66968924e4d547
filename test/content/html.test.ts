import { describe, expect, it } from "vitest";
import { firstParagraphText, htmlToText, sanitizePostHtml } from "../../src/content/html.js";

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
});
