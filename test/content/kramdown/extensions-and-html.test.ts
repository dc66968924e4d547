// kramdown's {::comment}, {::nomarkdown} and {::options} extensions and markdown="1" inside HTML
// blocks, compared with what real kramdown writes once both are sanitized (kramdown writes a
// comment, which feeds never carry), and written the same whether SafeRenderer or the sanitizer
// makes the post.
import { describe, expect, it } from "vitest";
import { sanitizePostHtml } from "../../../src/content/html.js";
import { renderMarkdown, renderPostMarkdown } from "../../../src/content/markdown.js";
import { CASE_OPTIONS, kramdownCases, layoutFree } from "../../helpers/kramdown-cases.js";

const POST_URL = "https://blog.example.com/2024/01/01/post/";
const sanitized = (html: string): string => layoutFree(sanitizePostHtml(html, POST_URL, "kramdown"));

describe("kramdown's extensions and markdown inside HTML, as kramdown writes them", () => {
  it.each(kramdownCases("extensions-and-html").map((entry) => [entry.markdown, entry.kramdown]))("%j", (markdown, kramdown) => {
    expect(sanitized(renderMarkdown(markdown, CASE_OPTIONS))).toBe(sanitized(kramdown));
  });

  it.each(kramdownCases("extensions-and-html").map((entry) => [entry.markdown]))("%j is made safe the same both ways", (markdown) => {
    expect(renderPostMarkdown(markdown, POST_URL, CASE_OPTIONS).safeHtml()).toBe(sanitizePostHtml(renderMarkdown(markdown, CASE_OPTIONS), POST_URL, "kramdown"));
  });

  it("sanitizes nomarkdown's raw HTML like any raw HTML", () => {
    const post = renderPostMarkdown('{::nomarkdown}\n<p onclick="x()">ok</p><script>alert(1)</script>\n{:/}', POST_URL, CASE_OPTIONS);
    expect(post.madeSafeBy).toBe("sanitizer");
    expect(post.safeHtml()).toBe("<p>ok</p>\n");
  });

  it("removes a comment without the sanitizer, and keeps a folder of posts' output", () => {
    expect(renderPostMarkdown("a\n\n{::comment}\nhidden\n{:/comment}", POST_URL, CASE_OPTIONS)).toMatchObject({ madeSafeBy: "renderer", html: "<p>a</p>\n" });
    expect(renderMarkdown("{::comment}\nhidden\n{:/comment}")).toBe("<p>{::comment}\nhidden\n{:/comment}</p>\n");
  });
});
