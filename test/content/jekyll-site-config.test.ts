// A Jekyll site's _config.yml as Jekyll reads it, and front-matter defaults as it applies them.
import { describe, expect, it } from "vitest";
import { frontMatterDefaults, withDefaults } from "../../src/content/jekyll/front-matter-defaults.js";
import { parseJekyllSiteConfig, SiteConfigError, type FrontMatterDefaultSet } from "../../src/content/jekyll/site-config.js";

describe("parseJekyllSiteConfig", () => {
  it("gives Jekyll's defaults to a site without a config file", () => {
    const config = parseJekyllSiteConfig("", undefined);
    expect(config.permalink).toBe("/:categories/:year/:month/:day/:title:output_ext");
    expect(config.excerptSeparator).toBe("\n\n");
    expect(config.future).toBe(false);
    expect(config.showDrafts).toBe(false);
    expect(config.markdownExtensions).toEqual([".markdown", ".mkdown", ".mkdn", ".mkd", ".md"]);
    expect(config.exclude).toEqual(expect.arrayContaining(["node_modules", "vendor/bundle/", "Gemfile"]));
    expect(config.kramdown).toMatchObject({ input: "GFM", auto_ids: true, hard_wrap: false });
    expect(config.feed).toEqual({ path: "/feed.xml", categories: [], tags: undefined, postsLimit: undefined, excerptOnly: false });
    expect(config.url).toBeUndefined();
  });

  it("reads what Feedwright uses, joining url and baseurl, and keeps every key for Liquid", () => {
    const config = parseJekyllSiteConfig(
      [
        "title: 東京ブログ",
        "url: https://blog.example.com",
        "baseurl: /ja/",
        "lang: ja",
        "timezone: Asia/Tokyo",
        "permalink: pretty",
        "author: { name: 編集部, email: team@example.com, uri: https://example.com/about }",
        "show_drafts: true",
        "future: true",
        "excerpt_separator: <!--more-->",
        "kramdown: { hard_wrap: true }",
        "feed: { path: /atom.xml, categories: [news, 告知], tags: { except: [draft], path: /feeds/tag/ }, posts_limit: 15 }",
        "google_analytics: UA-1",
      ].join("\n"),
      "_config.yml",
    );
    expect(config.title).toBe("東京ブログ");
    expect(config.url).toBe("https://blog.example.com/ja");
    expect(config.baseurl).toBe("/ja/");
    expect(config.language).toBe("ja");
    expect(config.permalink).toBe("/:categories/:year/:month/:day/:title/");
    expect(config.author).toEqual({ name: "編集部", email: "team@example.com", url: "https://example.com/about" });
    expect(config.showDrafts).toBe(true);
    expect(config.future).toBe(true);
    expect(config.excerptSeparator).toBe("<!--more-->");
    // The block is merged over Jekyll's defaults.
    expect(config.kramdown).toMatchObject({ hard_wrap: true, input: "GFM", smart_quotes: "lsquo,rsquo,ldquo,rdquo" });
    expect(config.feed).toEqual({ path: "/atom.xml", categories: ["news", "告知"], tags: { only: undefined, except: ["draft"], path: "/feeds/tag/" }, postsLimit: 15, excerptOnly: false });
    expect(config.site.google_analytics).toBe("UA-1");
  });

  it("takes the posts collection's permalink over the site's", () => {
    const config = parseJekyllSiteConfig("permalink: pretty\ncollections:\n  posts:\n    permalink: /blog/:slug/\n", "_config.yml");
    expect(config.permalink).toBe("/blog/:slug/");
  });

  it("reads defaults: with their scopes, the singular type names too, and ignores a set without values", () => {
    const config = parseJekyllSiteConfig(
      ["defaults:", "  - scope: { path: ja, type: post }", "    values: { lang: ja }", "  - scope: { path: '' }", "  - values: { layout: post }"].join("\n"),
      "_config.yml",
    );
    expect(config.defaults).toEqual([
      { path: "ja", type: "posts", values: { lang: "ja" } },
      { path: "", type: undefined, values: { layout: "post" } },
    ]);
  });

  it.each([
    ["title: [unclosed", 1, /invalid YAML/],
    ["- a list", 1, /must be a YAML mapping/],
    ["title: ok\nurl: not a url", 2, /url: "not a url" is not an absolute http/],
    ["timezone: Mars/Olympus", 1, /timezone: "Mars\/Olympus" is not an IANA time zone/],
    ["lang: 日本語", 1, /lang: .* is not a BCP 47 language tag/],
    ["exclude: node_modules", 1, /exclude: must be a list/],
    ["feed:\n  posts_limit: many", 2, /feed.posts_limit: must be a whole number/],
  ])("refuses %j naming the line %d", (text, line, message) => {
    let error: unknown;
    try {
      parseJekyllSiteConfig(text, "_config.yml");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SiteConfigError);
    expect((error as SiteConfigError).line).toBe(line);
    expect((error as Error).message).toMatch(new RegExp(`^content: _config\\.yml:${line}: `));
    expect((error as Error).message).toMatch(message);
  });
});

describe("frontMatterDefaults (jekyll/frontmatter_defaults.rb)", () => {
  const sets: FrontMatterDefaultSet[] = [
    { path: "", type: undefined, values: { layout: "default", author: "Site" } },
    { path: "", type: "posts", values: { layout: "post", image: { path: "/a.png", alt: "A" } } },
    { path: "ja", type: undefined, values: { lang: "ja", author: "編集部" } },
    { path: "ja/news", type: "posts", values: { image: { alt: "News" } } },
    { path: "*/_posts", type: undefined, values: { globbed: true } },
    { path: "/ja", type: undefined, values: { leadingSlash: true } },
    { path: "", type: "pages", values: { page: true } },
  ];

  it("merges every set that applies, a longer path (then a typed scope) taking precedence", () => {
    expect(frontMatterDefaults(sets, "ja/news/_posts/2024-01-01-a.md", "posts")).toEqual({
      layout: "post",
      author: "編集部",
      lang: "ja",
      image: { path: "/a.png", alt: "News" },
    });
  });

  it("matches a glob against the folders of the post, and a scope path with a leading / against nothing", () => {
    expect(frontMatterDefaults(sets, "blog/_posts/2024-01-01-a.md", "posts")).toMatchObject({ globbed: true, layout: "post" });
    expect(frontMatterDefaults(sets, "_posts/2024-01-01-a.md", "posts")).not.toHaveProperty("globbed");
    expect(frontMatterDefaults(sets, "ja/_posts/2024-01-01-a.md", "posts")).not.toHaveProperty("leadingSlash");
  });

  it("lets the front matter win, mappings merging key by key", () => {
    expect(withDefaults({ layout: "post", image: { path: "/a.png", alt: "A" } }, { image: { alt: "Mine" }, title: "T" })).toEqual({
      layout: "post",
      image: { path: "/a.png", alt: "Mine" },
      title: "T",
    });
  });
});
