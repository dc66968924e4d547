// The nesting check reads the text line by line; these pin what it must still see when most lines
// are skipped by their first character.
import { describe, expect, it } from "vitest";
import { checkMarkdownNesting, MAX_MARKDOWN_NESTING } from "../../src/content/markdown-nesting.js";
import { PostError } from "../../src/content/post-error.js";

const deep = `${">".repeat(MAX_MARKDOWN_NESTING + 1)} deep`;

function lineOfError(markdown: string, firstLine?: number): number | undefined {
  try {
    checkMarkdownNesting(markdown, firstLine);
    return undefined;
  } catch (error) {
    if (error instanceof PostError) return error.line;
    throw error;
  }
}

describe("checkMarkdownNesting", () => {
  it("names the line of the deep nesting, counted from the first line given", () => {
    expect(lineOfError(`text\n\n${deep}\n`)).toBe(3);
    expect(lineOfError(`text\n\n${deep}`, 10)).toBe(12);
  });

  it("allows the limit itself, and deep lists written with tabs are caught", () => {
    expect(lineOfError(`${">".repeat(MAX_MARKDOWN_NESTING)} ok`)).toBeUndefined();
    expect(lineOfError(`para\n${"\t".repeat(60)}- item`)).toBe(2);
  });

  it("skips what fences hold, with ``` and ~~~, up to the closing fence of the same kind", () => {
    expect(lineOfError(`\`\`\`\n${deep}\n\`\`\``)).toBeUndefined();
    expect(lineOfError(`~~~~\n${deep}\n~~~\n${deep}\n~~~~`)).toBeUndefined();
    expect(lineOfError(`  \`\`\`\ncode\n\`\`\`\nprose line\n${deep}`)).toBe(5);
    // A line that starts with ordinary text does not close a fence.
    expect(lineOfError(`\`\`\`\nplain\n${deep}\n\`\`\`\n${deep}`)).toBe(5);
  });
});
