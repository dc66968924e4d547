// comparePosts and summarizeComparison: pairing, each field's comparison, leftovers, footnotes,
// and the targets' verdicts.
import { describe, expect, test } from "vitest";
import { comparePosts, normalizeUrl, type FeedwrightItem, type JekyllPublishedPost } from "./compare-posts.js";
import { formatSummary, summarizeComparison } from "./comparison-report.js";

function jekyllPost(name: string, fields: Partial<JekyllPublishedPost> = {}): JekyllPublishedPost {
  return {
    relativePath: `_posts/2024-12-25-${name}.md`,
    url: `https://example.com/news/2024/12/25/${name}/`,
    id: `https://example.com/news/2024/12/25/${name}`,
    titleHtml: `Post ${name}`,
    feedTitleHtml: `Post ${name}`,
    epochSeconds: Date.parse("2024-12-25T01:00:00Z") / 1000,
    xmlschema: "2024-12-25T10:00:00+09:00",
    categories: ["news"],
    tags: ["rss"],
    contentHtml: `<p>The body of ${name}, long enough to read.</p>\n`,
    summaryHtml: `The body of ${name}, long enough to read.`,
    ...fields,
  };
}

/** The item Feedwright would publish if it did everything as Jekyll does. */
function itemLike(post: JekyllPublishedPost, fields: Partial<FeedwrightItem> = {}): FeedwrightItem {
  return {
    document: "atom.xml",
    url: post.url,
    id: post.id,
    titleHtml: post.titleHtml,
    published: new Date(post.epochSeconds * 1000).toISOString(),
    categories: post.categories,
    tags: post.tags,
    contentHtml: post.contentHtml,
    summaryHtml: post.summaryHtml ?? "",
    ...fields,
  };
}

describe("comparePosts", () => {
  test("a site Feedwright publishes as Jekyll does passes every target", () => {
    const posts = ["a", "b", "c"].map((name) => jekyllPost(name));
    const summary = summarizeComparison(comparePosts(posts, posts.map((post) => itemLike(post))));
    expect(summary.targets.filter((target) => !target.pass)).toEqual([]);
    expect(summary).toMatchObject({ jekyllPosts: 3, feedwrightItems: 3, pairedByUrl: 3, textWithinThreshold: 3, worstTexts: [] });
    expect(summary.same).toEqual({ url: 3, title: 3, date: 3, categories: 3, tags: 3, id: 3 });
  });

  test("URLs are paired as the same resource, whatever their percent-encoding", () => {
    const post = jekyllPost("x", { url: "https://example.com/%e3%83%8b%e3%83%a5%e3%83%bc%e3%82%b9/%7Euser/" });
    const result = comparePosts([post], [itemLike(post, { url: "https://EXAMPLE.com/ニュース/~user/" })]);
    expect(result.posts[0]?.same.url).toBe(true);
    expect(normalizeUrl("https://example.com/a%2fb")).toBe("https://example.com/a%2Fb");
  });

  test("each field that differs is reported, and only that one", () => {
    const post = jekyllPost("x");
    const item = itemLike(post, {
      id: `${post.id}/`,
      titleHtml: "Post x!",
      published: "2024-12-25T01:00:01Z",
      categories: ["News"],
      tags: ["rss", "extra"],
    });
    const [comparison] = comparePosts([post], [item]).posts;
    expect(comparison?.same).toEqual({ url: true, title: false, date: false, categories: false, tags: false, id: false });
    expect(comparison?.textRatio).toBe(1);
  });

  test("two posts at one URL are paired by their titles", () => {
    const first = jekyllPost("x", { titleHtml: "March 26" });
    const second = jekyllPost("x", { titleHtml: "March 25", relativePath: "_posts/2024-12-24-x.md" });
    const result = comparePosts([first, second], [itemLike(second), itemLike(first)]);
    expect(result.posts.map((post) => [post.relativePath, post.same.title])).toEqual([
      ["_posts/2024-12-25-x.md", true],
      ["_posts/2024-12-24-x.md", true],
    ]);
  });

  test("categories in another order differ: Jekyll puts the folder's first", () => {
    const post = jekyllPost("x", { categories: ["ja", "news", "イベント"] });
    expect(comparePosts([post], [itemLike(post, { categories: ["イベント", "ja", "news"] })]).posts[0]?.same.categories).toBe(false);
  });

  test("a post at another URL is still paired by title and date, so its other fields are compared", () => {
    const post = jekyllPost("x");
    const result = comparePosts([post], [itemLike(post, { url: "https://example.com/2024/12/25/x.html" })]);
    expect(result.posts[0]).toMatchObject({ pairedBy: "title and date", same: { url: false, title: true } });
    const summary = summarizeComparison(result);
    expect(summary.targets.find((target) => target.name.endsWith("has Jekyll's URL"))).toMatchObject({ pass: false, detail: "0 of 1" });
    expect(summary.targets.find((target) => target.name === "every post Jekyll publishes is published")?.pass).toBe(true);
  });

  test("posts one side only has are listed, and a missing post counts against every target", () => {
    const kept = jekyllPost("kept");
    const missing = jekyllPost("missing");
    const extra = itemLike(jekyllPost("extra", { titleHtml: "Extra" }), { contentHtml: "<p>{% include x.html %}</p>" });
    const result = comparePosts([kept, missing], [itemLike(kept), extra]);
    expect(result.onlyJekyll.map((post) => post.source)).toEqual(["_posts/2024-12-25-missing.md"]);
    expect(result.onlyFeedwright).toEqual([
      { source: "atom.xml", url: extra.url, title: "Extra", date: extra.published, leftovers: { liquid: 1, attributeList: 0 } },
    ]);
    const summary = summarizeComparison(result);
    expect(summary.leftoverLiquidItems).toBe(1);
    expect(summary.targets.map((target) => [target.pass, target.detail])).toEqual([
      [false, "1 of 2 (1 missing)"],
      [false, "1 of 2"],
      [false, "1 of 2"],
      [false, "1 of 2"],
      [false, "1 of 2"],
      [false, "1 of 2"],
      [false, "1 of 2"],
      [false, "1 items"],
      [true, "0 items"],
      [false, "0 of 0 paired posts with footnotes; 1 posts not published at all"],
      [false, "1 of 2 (50.0%)"],
    ]);
  });

  test("leftovers count only the markers beyond Jekyll's own, in content and in summary", () => {
    const documented = jekyllPost("liquid-docs", { contentHtml: "<pre><code>{{ page.title }}</code></pre>", summaryHtml: "{{ page.title }}" });
    const leaking = jekyllPost("leaking", { contentHtml: '<p class="note">Note</p>', summaryHtml: "Note" });
    const result = comparePosts(
      [documented, leaking],
      [itemLike(documented), itemLike(leaking, { contentHtml: "<p>Note</p>\n<p>{: .note}</p>", summaryHtml: "Note {: .note} {% raw %}" })],
    );
    expect(result.posts.map((post) => post.leftovers)).toEqual([
      { liquid: 0, attributeList: 0 },
      { liquid: 1, attributeList: 2 },
    ]);
    expect(summarizeComparison(result)).toMatchObject({ leftoverLiquidItems: 1, leftoverAttributeListItems: 1 });
  });

  test("footnotes Jekyll has and Feedwright does not are counted", () => {
    const withNotes = jekyllPost("notes", {
      contentHtml: '<p>a<sup id="fnref:1"><a href="#fn:1" class="footnote">1</a></sup></p><div class="footnotes"><ol><li id="fn:1"><p>n <a href="#fnref:1">↩</a></p></li></ol></div>',
    });
    const result = comparePosts([withNotes], [itemLike(withNotes, { contentHtml: "<p>a[^1]</p><p>[^1]: n</p>" })]);
    expect(result.posts[0]).toMatchObject({ jekyllHasFootnotes: true, footnotesMissing: true });
    expect(summarizeComparison(result).targets.find((target) => target.name.startsWith("footnotes"))).toMatchObject({ pass: false, detail: "0 of 1 paired posts with footnotes" });
  });

  test("the text ratio is difflib's on the texts, and the worst texts show where they part", () => {
    const post = jekyllPost("x", { contentHtml: "<p>Jekyll’s docs say “hello”.</p>" });
    const result = comparePosts([post], [itemLike(post, { contentHtml: "<p>Jekyll's docs say \"hello\".</p>" })]);
    // 26 code points each, 23 in common (Python: difflib.SequenceMatcher(None, a, b).ratio()).
    expect(result.posts[0]?.textRatio).toBe(0.8846153846153846);
    const summary = summarizeComparison(result);
    expect(summary.worstTexts).toEqual([{ relativePath: post.relativePath, ratio: result.posts[0]!.textRatio, jekyll: "Jekyll’s docs say “hello”.", feedwright: "Jekyll's docs say \"hello\"." }]);
    expect(summary.textRatios[">=0.8"]).toBe(1);
    expect(formatSummary("site", summary)).toContain("FAIL at least 98% of items with text ratio >= 0.95: 0 of 1 (0.0%)");
  });
});
