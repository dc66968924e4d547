// Reading a whole Jekyll site (--site): which files are posts, what each gets from its folders
// and from defaults:, jekyll-feed's ids, and a _config.yml change picked up by the next scan.
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ContentLoader, loadPosts } from "../../src/content/load-posts.js";
import { categoriesFromPath } from "../../src/content/jekyll/site-scan-rules.js";
import { contentSource } from "../../src/content/site-source.js";
import { createPostRenderer } from "../../src/content/render-pool.js";
import type { Config } from "../../src/config.js";
import { useScratch } from "../helpers/scratch.js";
import { post, testConfig } from "../helpers/site-fixture.js";

const { temporaryDir, afterTest } = useScratch("feedwright-site-");

function siteWith(files: Readonly<Record<string, string>>): string {
  const dir = temporaryDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function siteConfig(dir: string, overrides: Partial<Config> = {}): Config {
  return { ...testConfig({ postsDir: dir }), siteDir: dir, ...overrides };
}

const CONFIG_YML = ["title: A Jekyll site", "url: https://example.com", "baseurl: /blog", "permalink: pretty", "timezone: Asia/Tokyo", "author: Site Author"].join("\n");

describe("categoriesFromPath (Document#categories_from_path)", () => {
  it.each([
    ["_posts/2024-01-01-a.md", []],
    ["_posts/2024/2024-01-01-a.md", []],
    ["ja/news/_posts/2024-01-01-a.md", ["ja", "news"]],
    ["ja/news/_posts/sub/2024-01-01-a.md", ["ja", "news"]],
    ["blog/_drafts/a.md", ["blog"]],
  ])("%s -> %j", (sourcePath, expected) => {
    expect(categoriesFromPath(sourcePath, sourcePath.includes("_drafts") ? "_drafts" : "_posts")).toEqual(expected);
  });
});

describe("loadPosts on a Jekyll site", () => {
  it("finds every _posts folder Jekyll reads, and nothing else", async () => {
    const dir = siteWith({
      "_config.yml": `${CONFIG_YML}\nexclude: [archive]\n`,
      "_posts/2024-01-01-root.md": post("title: Root"),
      "_posts/2024/2024-01-02-in-a-year-folder.md": post("title: Year folder"),
      "ja/news/_posts/2024-01-03-nested.md": post("title: Nested"),
      "_posts/about.md": post("title: Not dated: not a post"),
      "_posts/2024-01-04-page.html": post("title: HTML post"),
      "_posts/2024-01-05-image.png": "not a post",
      "_posts/_hidden/2024-01-06-underscore.md": post("title: Hidden"),
      "_posts/.git/2024-01-07-dot.md": post("title: Dot"),
      "archive/_posts/2024-01-08-excluded.md": post("title: Excluded"),
      "_site/_posts/2024-01-09-built.md": post("title: Built site"),
      "node_modules/x/_posts/2024-01-10-module.md": post("title: Module"),
      "vendor/bundle/gems/_posts/2024-01-11-gem.md": post("title: Gem"),
      "_drafts/a-draft.md": post("title: Draft"),
      "posts/2024-01-12-no-underscore.md": post("title: Not in _posts"),
    });
    const content = await loadPosts(siteConfig(dir));
    expect(content.posts.map((head) => head.sourcePath).sort()).toEqual([
      "_posts/2024-01-01-root.md",
      "_posts/2024-01-04-page.html",
      "_posts/2024/2024-01-02-in-a-year-folder.md",
      "ja/news/_posts/2024-01-03-nested.md",
    ]);
    expect(content.problems).toEqual([]);
  });

  it("gives each post its folder categories, defaults: and Jekyll's URL and jekyll-feed's id", async () => {
    const dir = siteWith({
      "_config.yml": `${CONFIG_YML}\ndefaults:\n  - scope: { path: ja }\n    values: { categories: [from-defaults], author: 編集部, tags: [default-tag] }\n`,
      "ja/news/_posts/2024-12-25-x.md": post("title: X\ncategories: [front-matter]\ndate: 2024-12-25 10:00:00 +0900"),
      "ja/_posts/2024-12-26-y.md": post("title: Y\ntags: [own]"),
      "_posts/2024-12-27-東京.md": post("title: Tokyo"),
    });
    const content = await loadPosts(siteConfig(dir));
    const bySource = new Map(content.posts.map((head) => [head.sourcePath, head]));
    const x = bySource.get("ja/news/_posts/2024-12-25-x.md");
    expect(x?.categories).toEqual(["ja", "news", "from-defaults", "front-matter"]);
    expect(x?.url).toBe("https://example.com/blog/ja/news/from-defaults/front-matter/2024/12/25/x/");
    expect(x?.id).toBe("https://example.com/blog/ja/news/from-defaults/front-matter/2024/12/25/x");
    expect(x?.authors).toEqual([{ name: "編集部" }]);
    // The front matter's tags replace those of defaults: (only categories add up).
    expect(bySource.get("ja/_posts/2024-12-26-y.md")?.tags).toEqual(["own"]);
    const tokyo = bySource.get("_posts/2024-12-27-東京.md");
    expect(tokyo?.url).toBe("https://example.com/blog/2024/12/27/%E6%9D%B1%E4%BA%AC/");
    expect(tokyo?.id).toBe("https://example.com/blog/2024/12/27/%E6%9D%B1%E4%BA%AC");
    expect(tokyo?.authors).toEqual([{ name: "Site Author" }]);
  });

  it("publishes _drafts with show_drafts, dated by their file when the front matter has no date", async () => {
    const dir = siteWith({
      "_config.yml": `${CONFIG_YML}\nshow_drafts: true\n`,
      "_drafts/work-in-progress.md": post("title: WIP"),
      "_posts/2024-01-01-a.md": post("title: A\ndraft: true"),
    });
    const mtime = new Date("2024-06-01T12:34:56Z");
    utimesSync(path.join(dir, "_drafts/work-in-progress.md"), mtime, mtime);
    const content = await loadPosts(siteConfig(dir));
    const draft = content.posts.find((head) => head.sourcePath === "_drafts/work-in-progress.md");
    expect(draft?.date.toISOString()).toBe("2024-06-01T12:34:56.000Z");
    expect(content.posts).toHaveLength(2);
  });

  it("leaves published: false and draft: true out unless unpublished / show_drafts say otherwise", async () => {
    const files = {
      "_posts/2024-01-01-a.md": post("title: A\npublished: false"),
      "_posts/2024-01-02-b.md": post("title: B\ndraft: true"),
      "_posts/2024-01-03-c.md": post("title: C"),
    };
    const plain = await loadPosts(siteConfig(siteWith({ "_config.yml": CONFIG_YML, ...files })));
    expect(plain.posts.map((head) => head.title)).toEqual(["C"]);
    const all = await loadPosts(siteConfig(siteWith({ "_config.yml": `${CONFIG_YML}\nunpublished: true\nshow_drafts: true\n`, ...files })));
    expect(all.posts.map((head) => head.title).sort()).toEqual(["A", "B", "C"]);
  });

  it("lets Feedwright's explicit settings win over _config.yml", async () => {
    const dir = siteWith({ "_config.yml": CONFIG_YML, "_posts/2024-01-01-a.md": post("title: A") });
    const config = siteConfig(dir, { siteExplicit: { url: "https://feeds.example.org/base", title: "Mine" } });
    const content = await loadPosts(config);
    expect(content.source.settings.site.title).toBe("Mine");
    expect(content.posts[0]?.url).toBe("https://feeds.example.org/base/2024/01/01/a/");
    expect(content.posts[0]?.id).toBe("https://feeds.example.org/base/2024/01/01/a");
  });

  it("reads a changed _config.yml at the next scan, and a broken one fails the scan with its line", async () => {
    const dir = siteWith({ "_config.yml": CONFIG_YML, "_posts/2024-01-01-a.md": post("title: A") });
    const config = siteConfig(dir);
    const loader = new ContentLoader(config, createPostRenderer(config.maxPostBytes, 0));
    afterTest(() => loader.close());
    const first = await loader.load();
    loader.commit();
    expect(first.snapshot.posts[0]?.url).toBe("https://example.com/blog/2024/01/01/a/");

    writeFileSync(path.join(dir, "_config.yml"), `${CONFIG_YML.replace("permalink: pretty", "permalink: /:year/:title:output_ext")}\ntitle: Renamed\n`);
    const second = await loader.load();
    loader.commit();
    expect(second.snapshot.posts[0]?.url).toBe("https://example.com/blog/2024/a.html");
    expect(second.snapshot.source.settings.site.title).toBe("Renamed");
    expect(second.changes.changed).toEqual(["_posts/2024-01-01-a.md"]);

    writeFileSync(path.join(dir, "_config.yml"), "title: [broken\n");
    await expect(loader.load()).rejects.toThrow(/^content: _config\.yml:\d: invalid YAML/);
    loader.rollback();
  });

  it("does not follow a symbolic link out of the site", async () => {
    const outside = siteWith({ "2024-01-01-secret.md": post("title: Secret") });
    const dir = siteWith({ "_config.yml": CONFIG_YML, "_posts/2024-01-02-a.md": post("title: A") });
    symlinkSync(path.join(outside, "2024-01-01-secret.md"), path.join(dir, "_posts/2024-01-01-secret.md"));
    const content = await loadPosts(siteConfig(dir));
    expect(content.posts.map((head) => head.title)).toEqual(["A"]);
    expect(content.problems[0]?.message).toMatch(/symbolic link leading outside the site/);
  });
});

describe("items per feed of a Jekyll site (SourceState.feedLimit)", () => {
  const limitOf = (configYml: string, feed: Partial<Config["feed"]> = {}): number => {
    const dir = siteWith({ "_config.yml": configYml, "_posts/2024-01-01-a.md": post("title: A") });
    const base = siteConfig(dir);
    return contentSource({ ...base, feed: { ...base.feed, ...feed } }).refresh().feedLimit;
  };

  it("is jekyll-feed's default, 10, when neither feed.posts_limit nor Feedwright's feed.limit is set", () => {
    expect(limitOf(CONFIG_YML)).toBe(10);
  });

  it("is the site's feed.posts_limit when Feedwright's feed.limit is not set", () => {
    expect(limitOf(`${CONFIG_YML}\nfeed:\n  posts_limit: 15\n`)).toBe(15);
  });

  it("is Feedwright's feed.limit when a config file sets it, whatever the site says", () => {
    expect(limitOf(`${CONFIG_YML}\nfeed:\n  posts_limit: 15\n`, { limit: 30, limitExplicit: true })).toBe(30);
    expect(limitOf(CONFIG_YML, { limit: 20, limitExplicit: true })).toBe(20);
  });

  it("is Feedwright's feed.limit (default 20) for a folder of posts", () => {
    const dir = siteWith({ "2024-01-01-a.md": post("title: A") });
    expect(contentSource(testConfig({ postsDir: dir })).refresh().feedLimit).toBe(20);
  });
});
