// The benchmark corpus generator: deterministic, Jekyll-shaped, and loadable by Feedwright itself.
// Metadata checks only; how fast it runs is measured by running it, not here.
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generatePosts, type GeneratedPost } from "../../bench/gen-corpus.js";
import { loadPosts } from "../../src/content/load-posts.js";
import { makePostsFolder, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

const SEED = 20251223;
const JEKYLL_FILE_NAME = /^\d{4}-\d{2}-\d{2}-.+\.md$/;
const JEKYLL_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+(0000|0900)$/;
const KEYS_ALWAYS = ["title", "date", "categories", "tags", "author"];
const KEYS_SOMETIMES = ["excerpt", "image", "last_modified_at"];

function generate(count: number, seed = SEED): GeneratedPost[] {
  return [...generatePosts(count, seed)];
}

interface SplitPost {
  readonly frontMatter: Record<string, unknown>;
  readonly body: string;
}

/** Front matter parsed with the `yaml` package, independently of Feedwright's own reader. */
function split(post: GeneratedPost): SplitPost {
  expect(post.text.startsWith("---\n"), post.fileName).toBe(true);
  const end = post.text.indexOf("\n---\n", 3);
  expect(end, post.fileName).toBeGreaterThan(0);
  const data: unknown = parse(post.text.slice(4, end));
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw new Error(`${post.fileName}: front matter is not a mapping`);
  return { frontMatter: data as Record<string, unknown>, body: post.text.slice(end + "\n---\n".length) };
}

function text(value: unknown): string {
  expect(typeof value).toBe("string");
  return value as string;
}

function stringList(value: unknown): string[] {
  expect(Array.isArray(value)).toBe(true);
  const list = value as unknown[];
  for (const item of list) expect(typeof item).toBe("string");
  return list as string[];
}

describe("generatePosts", () => {
  const posts = generate(300);

  it("gives the same bytes for the same seed and different posts for another seed", () => {
    expect(generate(300)).toEqual(posts);
    const other = generate(300, SEED + 1);
    expect(other.map((post) => post.text)).not.toEqual(posts.map((post) => post.text));
    expect(other.map((post) => post.fileName)).not.toEqual(posts.map((post) => post.fileName));
  });

  it("gives the first posts the same content whatever the count", () => {
    expect(generate(40)).toEqual(posts.slice(0, 40));
  });

  it("names every file YYYY-MM-DD-slug.md, uniquely, with the date of its front matter", () => {
    const names = posts.map((post) => post.fileName);
    for (const name of names) expect(name).toMatch(JEKYLL_FILE_NAME);
    expect(new Set(names).size).toBe(names.length);
    for (const post of posts) {
      const { frontMatter } = split(post);
      expect(text(frontMatter.date).slice(0, 10), post.fileName).toBe(post.fileName.slice(0, 10));
    }
  });

  it("writes Jekyll front matter that parses as YAML, with the expected keys", () => {
    const seenOptional = new Set<string>();
    for (const post of posts) {
      const { frontMatter } = split(post);
      for (const key of KEYS_ALWAYS) expect(frontMatter, post.fileName).toHaveProperty(key);
      for (const key of Object.keys(frontMatter)) {
        expect([...KEYS_ALWAYS, ...KEYS_SOMETIMES], `${post.fileName}: ${key}`).toContain(key);
        if (KEYS_SOMETIMES.includes(key)) seenOptional.add(key);
      }
      expect(typeof frontMatter.title).toBe("string");
      expect(typeof frontMatter.author).toBe("string");
      expect(frontMatter.date).toMatch(JEKYLL_DATE);
      if (frontMatter.last_modified_at !== undefined) {
        expect(frontMatter.last_modified_at).toMatch(JEKYLL_DATE);
        // Same UTC offset as date, so the strings compare as the times do.
        expect(text(frontMatter.last_modified_at) > text(frontMatter.date), post.fileName).toBe(true);
      }
      if (frontMatter.image !== undefined) expect(frontMatter.image).toMatch(/^\/assets\/\S+\.(jpg|png|webp)$/);

      const categories = stringList(frontMatter.categories);
      const tags = stringList(frontMatter.tags);
      expect(categories.length).toBeGreaterThanOrEqual(1);
      expect(categories.length).toBeLessThanOrEqual(2);
      expect(tags.length).toBeGreaterThanOrEqual(3);
      expect(tags.length).toBeLessThanOrEqual(7);
      expect(new Set(tags).size).toBe(tags.length);
      expect(categories).toEqual(post.categories);
      expect(tags).toEqual(post.tags);
    }
    expect([...seenOptional].sort()).toEqual([...KEYS_SOMETIMES].sort());
  });

  it("writes bodies of 6-10 KB using the Markdown a real blog uses", () => {
    const bodies = posts.map((post) => split(post).body);
    for (const body of bodies) {
      const bytes = Buffer.byteLength(body);
      expect(bytes).toBeGreaterThanOrEqual(6 * 1024);
      expect(bytes).toBeLessThanOrEqual(10 * 1024);
    }
    const share = (pattern: RegExp): number => bodies.filter((body) => pattern.test(body)).length / bodies.length;
    expect(share(/^## /m)).toBe(1);
    expect(share(/^```\w+$/m)).toBeGreaterThan(0.5);
    expect(share(/\]\(images\/[\w-]+\.png\)/)).toBeGreaterThan(0.2);
    expect(share(/\]\(\.\.\/[\w-]+\/\)/)).toBeGreaterThan(0.1);
    expect(share(/\]\(https?:\/\//)).toBeGreaterThan(0.2);
    expect(share(/`[^`\n]+`/)).toBeGreaterThan(0.5);
    expect(share(/^- /m)).toBeGreaterThan(0.5);
    // Occasional, not everywhere.
    for (const pattern of [/^<!--more-->$/m, /^\| --- \|/m, /^> /m]) {
      expect(share(pattern)).toBeGreaterThan(0.05);
      expect(share(pattern)).toBeLessThan(0.6);
    }
  });

  it("mixes Japanese and English posts about half and half", () => {
    // English posts mention Japanese tag names too; only Japanese prose ends sentences with "。".
    const japanese = posts.filter((post) => split(post).body.includes("。")).length;
    expect(japanese / posts.length).toBeGreaterThan(0.35);
    expect(japanese / posts.length).toBeLessThan(0.65);
  });

  it("spreads 2,000 posts over about 20 categories and 200 tags, a few of them popular", () => {
    const tagCounts = new Map<string, number>();
    const categories = new Set<string>();
    for (const post of generatePosts(2000, SEED)) {
      for (const category of post.categories) categories.add(category);
      for (const tag of post.tags) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
    }
    expect(categories.size).toBeGreaterThanOrEqual(15);
    expect(categories.size).toBeLessThanOrEqual(25);
    expect(tagCounts.size).toBeGreaterThanOrEqual(100);
    expect(tagCounts.size).toBeLessThanOrEqual(250);

    // Skewed like real tags: the most used far ahead of the typical one.
    const counts = [...tagCounts.values()].sort((a, b) => b - a);
    const median = counts[Math.floor(counts.length / 2)] ?? 0;
    expect(counts[0] ?? 0).toBeGreaterThan(10 * median);
    // And the names that stress URL slugs are among them.
    for (const name of ["C#", "C++", "CI/CD", ".NET", "Node.js", "100%"]) expect([...tagCounts.keys()]).toContain(name);
  });
});

describe("generated posts through Feedwright's loader", () => {
  let folder: PostsFolder | undefined;
  afterEach(() => {
    folder?.remove();
    folder = undefined;
  });

  it("loads 50 posts without problems or warnings", async () => {
    const posts = generate(50);
    folder = makePostsFolder(Object.fromEntries(posts.map((post) => [post.fileName, post.text])));
    const snapshot = await loadPosts(testConfig({ postsDir: folder.dir }));
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.warnings).toEqual([]);
    expect(snapshot.unpublished).toEqual([]);
    expect(snapshot.posts).toHaveLength(50);
    expect(new Set(snapshot.posts.map((post) => post.url)).size).toBe(50);
    const bySource = new Map(snapshot.posts.map((post) => [post.sourcePath, post]));
    for (const post of posts) {
      const loaded = bySource.get(post.fileName.normalize("NFC"));
      expect(loaded, post.fileName).toBeDefined();
      expect(loaded?.title).toBe(split(post).frontMatter.title);
      expect(loaded?.tags).toEqual(post.tags);
      expect(loaded?.categories).toEqual(post.categories);
    }
  });
});
