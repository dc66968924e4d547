import { describe, expect, it } from "vitest";
import type { Post } from "../../src/content/post.js";
import { postsFolderSettings } from "../../src/content/settings.js";
import { renderPostFile, type PostFileResult } from "../helpers/post-file.js";
import { post, testConfig } from "../helpers/site-fixture.js";

const site = postsFolderSettings(testConfig({ site: { timezone: "Asia/Tokyo" } }).site);

const MAX_POST_BYTES = 1024 * 1024;

/** The file read as a scan reads it (front matter, then Markdown). */
function loadPostFile(sourcePath: string, text: string): PostFileResult {
  return renderPostFile(sourcePath, text, site, MAX_POST_BYTES);
}

function published(loaded: PostFileResult): Post {
  if (loaded.kind !== "post") throw new Error(`expected a post, got ${loaded.kind === "error" ? loaded.message : loaded.reason}`);
  return loaded.post;
}

/** Why the file is not a post; throws when it is one. */
function refused(loaded: PostFileResult): { readonly line: number | undefined; readonly message: string } {
  if (loaded.kind !== "error") throw new Error(`expected an error, got ${loaded.kind}`);
  return loaded;
}

function load(sourcePath: string, text: string): Post {
  return published(loadPostFile(sourcePath, text));
}

describe("a post file: Jekyll's rules", () => {
  it("takes date and slug from a YYYY-MM-DD-slug.md file name, in the site's time zone", () => {
    const result = load("2025-11-04-cloud-gpu.md", post("title: Cloud GPU"));
    expect(result.date.toISOString()).toBe("2025-11-03T15:00:00.000Z");
    expect(result.url).toBe("https://blog.example.com/2025/11/04/cloud-gpu.html");
    expect(result.id).toBe(result.url);
  });

  it("lets front-matter date, slug and permalink override the file name", () => {
    const result = load("2025-11-04-old.md", post('title: T\ndate: 2025-12-01 10:00:00 +0900\nslug: new-slug'));
    expect(result.date.toISOString()).toBe("2025-12-01T01:00:00.000Z");
    expect(result.url).toBe("https://blog.example.com/2025/12/01/new-slug.html");
    expect(load("2025-11-04-old.md", post("title: T\npermalink: /custom/path/")).url).toBe("https://blog.example.com/custom/path/");
  });

  it("needs a date in the front matter when the file name has none", () => {
    expect(load("about.md", post("title: About\ndate: 2025-09-01")).url).toBe("https://blog.example.com/2025/09/01/about.html");
    expect(refused(loadPostFile("about.md", post("title: About"))).message).toMatch(/no date: name the file YYYY-MM-DD-slug.md or add date:/);
  });

  it("reports an impossible date with the line of the date key", () => {
    const impossible = refused(loadPostFile("x.md", post("title: X\ndate: 2025-02-30")));
    expect(impossible.line).toBe(3);
    expect(impossible.message).toMatch(/date: "2025-02-30" is not a valid date \(2025-02 has no day 30\)/);
    expect(refused(loadPostFile("2025-02-30-x.md", post("title: X"))).message).toMatch(/date in the file name \(2025-02-30\) does not exist/);
  });

  it("reads categories and tags as lists or space-separated strings, singular keys whole", () => {
    const result = load("2025-01-01-a.md", post('title: A\ncategories: "one two"\ntags: [machine learning, C#]'));
    expect(result.categories).toEqual(["one", "two"]);
    expect(result.tags).toEqual(["machine learning", "C#"]);
    const singular = load("2025-01-01-b.md", post('title: B\ncategory: "Big Data"\ntag: solo'));
    expect(singular.categories).toEqual(["Big Data"]);
    expect(singular.tags).toEqual(["solo"]);
    // Jekyll 4.3 merges category into categories (checked with real Jekyll), while tag replaces tags.
    const both = load("2025-01-01-c.md", post('title: C\ncategories: [x]\ncategory: "Big Data"\ntags: [a, b]\ntag: only'));
    expect(both.categories).toEqual(["x", "Big Data"]);
    expect(both.tags).toEqual(["only"]);
  });

  it("normalizes names and titles to NFC and drops duplicates", () => {
    const nfd = "\u30AB\u3099"; // カ + combining dakuten = ガ in NFD
    const result = load("2025-01-01-a.md", post(`title: "${nfd}"\ntags: ["${nfd}", "\u30AC"]`));
    expect(result.title).toBe("\u30AC");
    expect(result.tags).toEqual(["\u30AC"]);
  });

  it("makes a title from the slug when there is none, with a warning (Jekyll's rule)", () => {
    const loaded = loadPostFile("2025-01-01-no-title.md", post("tags: [a]"));
    expect(published(loaded).title).toBe("No Title");
    expect(loaded.kind === "post" && loaded.warnings.map((warning) => warning.message)).toEqual([expect.stringMatching(/no title: using "No Title"/)]);
    expect(load("2025-01-01-blank.md", post('title: "   "')).title).toBe("Blank");
  });

  it("never publishes drafts or published: false", () => {
    expect(loadPostFile("2025-01-01-a.md", post("title: A\ndraft: true"))).toEqual({ kind: "unpublished", reason: "draft: true" });
    expect(loadPostFile("2025-01-01-a.md", post("title: A\npublished: false"))).toEqual({ kind: "unpublished", reason: "published: false" });
    expect(loadPostFile("2025-01-01-a.md", post("title: A\npublished: no")).kind).toBe("unpublished");
  });

  it("uses author, authors or the site's author", () => {
    expect(load("2025-01-01-a.md", post("title: A")).authors).toEqual([{ name: "Site Author" }]);
    expect(load("2025-01-01-a.md", post("title: A\nauthor: 編集部")).authors).toEqual([{ name: "編集部" }]);
    expect(load("2025-01-01-a.md", post("title: A\nauthors: [Ann, Bob]")).authors.map((author) => author.name)).toEqual(["Ann", "Bob"]);
    expect(load("2025-01-01-a.md", post("title: A\nauthor: { name: Ann, url: 'https://ann.example' }")).authors).toEqual([
      { name: "Ann", email: undefined, url: "https://ann.example/" },
    ]);
  });

  it("takes the summary from excerpt, then the text before <!--more-->, then the first paragraph", () => {
    expect(load("2025-01-01-a.md", post('title: A\nexcerpt: "Given <b>here</b>."', "First.\n\nSecond.")).summary).toBe("Given here.");
    expect(load("2025-01-01-a.md", post("title: A", "Intro *one*.\n\nIntro two.\n\n<!--more-->\n\nRest.")).summary).toBe("Intro one. Intro two.");
    expect(load("2025-01-01-a.md", post("title: A", "# Heading\n\nFirst **para**.\n\nSecond.")).summary).toBe("First para.");
  });

  it("records last_modified_at or updated as the edit time", () => {
    const result = load("2025-01-01-a.md", post("title: A\nlast_modified_at: 2025-01-05 12:00:00 +0000"));
    expect(result.updated?.toISOString()).toBe("2025-01-05T12:00:00.000Z");
    expect(load("2025-01-01-a.md", post("title: A\nupdated: 2025-01-03")).updated?.toISOString()).toBe("2025-01-02T15:00:00.000Z");
  });

  it("keeps the id stable across edits: the permalink, or front-matter id", () => {
    const before = load("2025-01-01-a.md", post("title: Before\ntags: [x]", "Old body."));
    const after = load("2025-01-01-a.md", post("title: After\ntags: [y]\nlast_modified_at: 2025-02-01", "New body."));
    expect(after.id).toBe(before.id);
    const moved = load("2025-01-01-a.md", post("title: A\nid: tag:blog.example.com,2025:a\ndate: 2025-03-01"));
    expect(moved.id).toBe("tag:blog.example.com,2025:a");
    expect(load("2025-01-01-a.md", post("title: A\nid: 1234")).id).toBe("https://blog.example.com/1234");
  });

  it("makes links inside the content absolute against the post's URL and strips anything that runs", () => {
    const result = load(
      "2025-01-01-a.md",
      post("title: A", '[rel](other/) ![img](pic.png)\n\n<a href="../up.html" onclick="evil()">up</a> <img src="/root.png" srcset="a.png 1x, /b.png 2x">\n\n<script>evil()</script>\n\n[js](javascript:evil())'),
    );
    expect(result.contentHtml).toContain('href="https://blog.example.com/2025/01/01/other/"');
    expect(result.contentHtml).toContain('src="https://blog.example.com/2025/01/01/pic.png"');
    expect(result.contentHtml).toContain('href="https://blog.example.com/2025/01/up.html"');
    expect(result.contentHtml).toContain('srcset="https://blog.example.com/2025/01/01/a.png 1x, https://blog.example.com/b.png 2x"');
    expect(result.contentHtml).not.toMatch(/script|onclick|javascript:/i);
  });

  it("resolves a relative image against the site root, as jekyll-feed does", () => {
    expect(load("2025-01-01-a.md", post("title: A\nimage: /assets/a.png")).image).toBe("https://blog.example.com/assets/a.png");
    expect(load("2025-01-01-a.md", post("title: A\nimage: { path: assets/b.png }")).image).toBe("https://blog.example.com/assets/b.png");
    expect(load("2025-01-01-a.md", post("title: A\nimage: https://cdn.example.com/c.jpg")).image).toBe("https://cdn.example.com/c.jpg");
  });

  it("removes characters XML cannot carry and repairs lone surrogates", () => {
    const result = load("2025-01-01-a.md", post('title: "bell\\u0007 and \\ud800 lone"'));
    expect(result.title).toBe("bell and \uFFFD lone");
  });
});
