// One post with thousands of tags once took minutes and gigabytes to build: it is an item of each
// of its tags' feeds, and each of those items lists every tag. The names beyond
// feed.max_terms_per_post are dropped with a warning, so the work grows with posts x limit.
import { describe, expect, it } from "vitest";
import { loadPosts } from "../../src/content/load-posts.js";
import { allFeeds, buildSite } from "../../src/feeds/build-site.js";
import { post, testConfig } from "../helpers/site-fixture.js";
import { useScratch } from "../helpers/scratch.js";

const { folderWith } = useScratch("feedwright-term-limit-");
const NOW = new Date("2030-01-01T00:00:00Z");

function names(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, index) => `${prefix}${index}`).join(", ");
}

describe("a post with thousands of tags", () => {
  it("keeps the first feed.max_terms_per_post names of each kind, with a warning, and builds only their feeds", async () => {
    const folder = folderWith({
      "2025-01-01-many.md": post(`title: Many\ntags: [${names("tag", 4000)}]\ncategories: [${names("cat", 150)}]`),
      "2025-01-02-plain.md": post("title: Plain\ntags: [tag1, other]"),
    });
    const config = testConfig({ postsDir: folder.dir });
    const content = await loadPosts(config);
    const many = content.posts.find((entry) => entry.title === "Many");
    expect(many?.tags).toHaveLength(100);
    expect(many?.tags[99]).toBe("tag99");
    expect(many?.categories).toHaveLength(100);
    expect(content.warnings.map((warning) => warning.message)).toEqual([
      expect.stringMatching(/^categories: 150 names, over the limit of 100 per post \(feed\.max_terms_per_post\)/u) as unknown,
      expect.stringMatching(/^tags: 4000 names, over the limit of 100 per post/u) as unknown,
    ]);
    const build = buildSite(config, content, NOW);
    // The site feed, 100 categories, 100 tags and "other".
    expect(allFeeds(build)).toHaveLength(1 + 100 + 101);
  });

  it("follows a configured limit", async () => {
    const folder = folderWith({ "2025-01-01-many.md": post(`title: Many\ntags: [${names("tag", 30)}]`) });
    const content = await loadPosts(testConfig({ postsDir: folder.dir, feed: { maxTermsPerPost: 10 } }));
    expect(content.posts[0]?.tags).toEqual(Array.from({ length: 10 }, (_, index) => `tag${index}`));
    expect(content.warnings[0]?.message).toMatch(/tags: 30 names, over the limit of 10/u);
  });
});
