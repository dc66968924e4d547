// kramdown's tables without a header row, compared with what real kramdown writes, and
// written the same whether SafeRenderer or the sanitizer makes the post.
import { describe, expect, it } from "vitest";
import { sanitizePostHtml } from "../../../src/content/html.js";
import { renderMarkdown, renderPostMarkdown } from "../../../src/content/markdown.js";
import { splitRow } from "../../../src/content/kramdown/headerless-tables.js";
import { CASE_OPTIONS, kramdownCases, layoutFree } from "../../helpers/kramdown-cases.js";

const POST_URL = "https://blog.example.com/2024/01/01/post/";

describe("tables without a header row, as kramdown writes them", () => {
  it.each(kramdownCases("headerless-tables").map((entry) => [entry.markdown, entry.kramdown]))("%j", (markdown, kramdown) => {
    expect(layoutFree(renderMarkdown(markdown, CASE_OPTIONS))).toBe(layoutFree(kramdown));
  });

  it.each(kramdownCases("headerless-tables").map((entry) => [entry.markdown]))("%j is made safe the same both ways", (markdown) => {
    expect(renderPostMarkdown(markdown, POST_URL, CASE_OPTIONS).safeHtml()).toBe(sanitizePostHtml(renderMarkdown(markdown, CASE_OPTIONS), POST_URL, "kramdown"));
  });

  it("splits cells at pipes outside code spans and escapes", () => {
    expect(splitRow("| a \\| b | `c|d` | e")).toEqual(["a \\| b", "`c|d`", "e"]);
    expect(splitRow("|a|b|")).toEqual(["a", "b"]);
  });

  it("is made by SafeRenderer, and keeps a folder of posts' output", () => {
    expect(renderPostMarkdown("| a | b |\n| c | d |", POST_URL, CASE_OPTIONS).madeSafeBy).toBe("renderer");
    expect(renderMarkdown("| a | b |\n| c | d |")).toBe("<p>| a | b |\n| c | d |</p>\n");
  });
});
