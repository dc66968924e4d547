// The same limits on every path: a post nested 5,000 blockquotes deep was published by `build`
// (on worker threads, whose stack is four times the main thread's) and skipped by `serve`,
// `check` and `workers: 0`. Markdown nesting is now limited from the text, before rendering.
import { describe, expect, it } from "vitest";
import { loadPosts } from "../../src/content/load-posts.js";
import { MAX_MARKDOWN_NESTING } from "../../src/content/markdown-nesting.js";
import { post, testConfig } from "../helpers/site-fixture.js";
import { useScratch } from "../helpers/scratch.js";

const { folderWith } = useScratch("feedwright-nesting-limits-");

/** Enough posts that a parallel load hands them to the worker threads. */
function manyGoodPosts(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let index = 0; index < 80; index++) files[`2025-01-${String((index % 28) + 1).padStart(2, "0")}-good-${index}.md`] = post(`title: Good ${index}`);
  return files;
}

describe("a post nested deeper than the limit", () => {
  it.each([
    ["5,000 nested blockquotes", `${">".repeat(5000)} deep`, 5],
    ["blockquotes written with spaces", `${"> ".repeat(2000)}deep`, 5],
    ["nested lists", Array.from({ length: MAX_MARKDOWN_NESTING + 5 }, (_, level) => `${"  ".repeat(level)}- level ${level}`).join("\n"), 5 + MAX_MARKDOWN_NESTING],
  ])("with %s is skipped alike on worker threads and on the main thread", async (_label, body, line) => {
    const folder = folderWith({ ...manyGoodPosts(), "2025-02-01-deep.md": post("title: Deep", body) });
    const config = testConfig({ postsDir: folder.dir });
    const onMainThread = await loadPosts(config, { workers: 0 });
    const onWorkers = await loadPosts(config, { workers: 2 });
    for (const content of [onMainThread, onWorkers]) {
      expect(content.posts).toHaveLength(80);
      expect(content.problems.map((problem) => problem.file)).toEqual(["2025-02-01-deep.md"]);
      expect(content.problems[0]?.message).toMatch(/nests blockquotes and lists \d+ levels deep, over the 100 Feedwright renders; flatten it/u);
      expect(content.problems[0]?.line).toBe(line);
    }
  });

  it("publishes a post nested as deep as the limit, and code blocks are not counted", async () => {
    const deepList = Array.from({ length: MAX_MARKDOWN_NESTING }, (_, level) => `${"  ".repeat(level)}- level ${level}`).join("\n");
    const indentedCode = `\`\`\`yaml\n${Array.from({ length: 300 }, (_, level) => `${"  ".repeat(level)}- key`).join("\n")}\n\`\`\``;
    const folder = folderWith({ "2025-02-01-deep.md": post("title: Deep", `${deepList}\n\n${indentedCode}`) });
    const content = await loadPosts(testConfig({ postsDir: folder.dir }), { workers: 0 });
    expect(content.problems).toEqual([]);
    expect(content.posts).toHaveLength(1);
  });
});
