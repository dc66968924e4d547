// kramdown's inline attribute lists, attribute list definitions and {:toc}, compared with what
// real kramdown writes, and written the same whether SafeRenderer or the sanitizer makes the post.
import { describe, expect, it } from "vitest";
import { sanitizePostHtml } from "../../../src/content/html.js";
import { renderMarkdown, renderPostMarkdown } from "../../../src/content/markdown.js";
import { CASE_OPTIONS, kramdownCases, layoutFree } from "../../helpers/kramdown-cases.js";

const POST_URL = "https://blog.example.com/2024/01/01/post/";

describe("attribute lists, as kramdown writes them", () => {
  it.each(kramdownCases("attribute-lists").map((entry) => [entry.markdown, entry.kramdown]))("%j", (markdown, kramdown) => {
    expect(layoutFree(renderMarkdown(markdown, CASE_OPTIONS))).toBe(layoutFree(kramdown));
  });

  it.each(kramdownCases("attribute-lists").map((entry) => [entry.markdown]))("%j is made safe the same both ways", (markdown) => {
    expect(renderPostMarkdown(markdown, POST_URL, CASE_OPTIONS).safeHtml()).toBe(sanitizePostHtml(renderMarkdown(markdown, CASE_OPTIONS), POST_URL, "kramdown"));
  });

  it("keeps harmless attributes through SafeRenderer, and drops what the sanitizer drops", () => {
    const post = renderPostMarkdown('A paragraph.\n{: .lead #intro onclick="alert(1)" style="color: red" lang="en"}', POST_URL, CASE_OPTIONS);
    expect(post.madeSafeBy).toBe("renderer");
    expect(post.safeHtml()).toBe('<p class="lead" id="intro" lang="en">A paragraph.</p>\n');
  });

  it("hands a post to the sanitizer for an attribute it must check (a URL), with the same result", () => {
    const markdown = '[link](/a){: href="javascript:alert(1)"} and [other](/b){: href="/c"}';
    const post = renderPostMarkdown(markdown, POST_URL, CASE_OPTIONS);
    expect(post.madeSafeBy).toBe("sanitizer");
    expect(post.safeHtml()).toBe('<p><a>link</a> and <a href="https://blog.example.com/c">other</a></p>\n');
  });

  it("ends definitions that refer to each other (kramdown itself recurses without end)", () => {
    expect(renderMarkdown("{:a: .one b}\n{:b: .two a}\n\ncycle\n{: a}", CASE_OPTIONS)).toBe('<p class="two one">cycle</p>\n');
  });

  it("leaves no mark behind where an IAL line is inside raw HTML", () => {
    const html = renderMarkdown("{::nomarkdown}\n<p>raw</p>\n{: .x}\n{:/}", CASE_OPTIONS);
    expect(html).not.toContain("\uE000");
    expect(html).toContain("<p>raw</p>");
  });

  it("leaves a folder of posts' Markdown alone", () => {
    expect(renderMarkdown("A paragraph.\n{: .lead}")).toBe("<p>A paragraph.\n{: .lead}</p>\n");
  });
});
