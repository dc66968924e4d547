// The same limits on every path: a post nested 5,000 blockquotes deep was published by `build`
// (on worker threads, whose stack is four times the main thread's) and skipped by `serve`,
// `check` and `workers: 0`. Markdown nesting is now limited from the text, before rendering.
import { beforeAll, describe, expect, it } from "vitest";
import { loadPosts, type ContentSnapshot } from "../../src/content/load-posts.js";
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

/** Each kind of deep nesting, the file it is written to, and the line its report names. */
const DEEP_POSTS = [
  { label: "5,000 nested blockquotes", file: "2025-02-01-deep-quotes.md", body: `${">".repeat(5000)} deep`, line: 5 },
  { label: "blockquotes written with spaces", file: "2025-02-02-deep-spaced-quotes.md", body: `${"> ".repeat(2000)}deep`, line: 5 },
  {
    label: "nested lists",
    file: "2025-02-03-deep-lists.md",
    body: Array.from({ length: MAX_MARKDOWN_NESTING + 5 }, (_, level) => `${"  ".repeat(level)}- level ${level}`).join("\n"),
    line: 5 + MAX_MARKDOWN_NESTING,
  },
] as const;

describe("a post nested deeper than the limit", () => {
  // One folder holds every case among the good posts, loaded once on the main thread and once on
  // worker threads (starting a pool is most of the cost of a load).
  let loads: { readonly path: string; readonly content: ContentSnapshot }[] = [];
  beforeAll(async () => {
    const files: Record<string, string> = manyGoodPosts();
    for (const deep of DEEP_POSTS) files[deep.file] = post("title: Deep", deep.body);
    const config = testConfig({ postsDir: folderWith(files).dir });
    loads = [
      { path: "main thread", content: await loadPosts(config, { workers: 0 }) },
      { path: "worker threads", content: await loadPosts(config, { workers: 2 }) },
    ];
  });

  it.each(DEEP_POSTS)("with $label is skipped alike on worker threads and on the main thread", ({ file, line }) => {
    expect(loads.map((load) => load.path)).toEqual(["main thread", "worker threads"]);
    for (const { path, content } of loads) {
      expect(content.posts, path).toHaveLength(80);
      expect(content.problems.map((problem) => problem.file).sort(), path).toEqual(DEEP_POSTS.map((deep) => deep.file));
      const problem = content.problems.find((entry) => entry.file === file);
      expect(problem?.message, path).toMatch(/nests blockquotes and lists \d+ levels deep, over the 100 Feedwright renders; flatten it/u);
      expect(problem?.line, path).toBe(line);
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
