// kramdown's abbreviations, compared with what real kramdown writes, and
// written the same whether SafeRenderer or the sanitizer makes the post.
import { describe, expect, it } from "vitest";
import { sanitizePostHtml } from "../../../src/content/html.js";
import { renderMarkdown, renderPostMarkdown } from "../../../src/content/markdown.js";
import { CASE_OPTIONS, kramdownCases, layoutFree } from "../../helpers/kramdown-cases.js";

const POST_URL = "https://blog.example.com/2024/01/01/post/";

describe("abbreviations, as kramdown writes them", () => {
  it.each(kramdownCases("abbreviations").map((entry) => [entry.markdown, entry.kramdown]))("%j", (markdown, kramdown) => {
    expect(layoutFree(renderMarkdown(markdown, CASE_OPTIONS))).toBe(layoutFree(kramdown));
  });

  it.each(kramdownCases("abbreviations").map((entry) => [entry.markdown]))("%j is made safe the same both ways", (markdown) => {
    expect(renderPostMarkdown(markdown, POST_URL, CASE_OPTIONS).safeHtml()).toBe(sanitizePostHtml(renderMarkdown(markdown, CASE_OPTIONS), POST_URL, "kramdown"));
  });

  it("is made by SafeRenderer, and keeps a folder of posts' output", () => {
    expect(renderPostMarkdown("XML\n\n*[XML]: Extensible", POST_URL, CASE_OPTIONS).madeSafeBy).toBe("renderer");
    expect(renderMarkdown("XML\n\n*[XML]: Extensible")).toBe("<p>XML</p>\n<p>*[XML]: Extensible</p>\n");
  });
});
