// Dates feeds cannot write: RFC 3339 has four-digit years and RFC 822 no year 0, so a date
// outside years 1-9999 once in UTC made an invalid feed ("-000001-12-31T15:00:00Z") or a
// Last-Modified in the year 10000. Such a post is skipped and reported. And an `updated` in the
// future, valid or not, must not date the documents in the future for good.
import { describe, expect, it } from "vitest";
import { loadPosts } from "../../src/content/load-posts.js";
import { buildSite } from "../../src/feeds/build-site.js";
import { readAtom } from "../helpers/read-feeds.js";
import { children, childText } from "../helpers/xml.js";
import { post, testConfig } from "../helpers/site-fixture.js";
import { useScratch } from "../helpers/scratch.js";

const { folderWith } = useScratch("feedwright-date-range-");
const NOW = new Date("2030-01-01T00:00:00Z");

describe("a date outside the years feeds can write", () => {
  it.each([
    ["after the year 9999 in UTC", "date: 9999-12-31 23:59 -23:59", /after the year 9999 in UTC/u],
    ["in the year 0", "date: 0000-06-01 12:00 +0900", /before the year 1/u],
    ["as an expiry after 9999", "date: 2025-01-02\nexpires: 9999-12-31 23:00 -12:00", /after the year 9999/u],
  ])("%s skips the post with a report", async (_label, frontMatter, message) => {
    const folder = folderWith({ "2025-01-01-good.md": post("title: Good"), "2025-01-02-bad.md": post(`title: Bad\n${frontMatter}`) });
    const content = await loadPosts(testConfig({ postsDir: folder.dir, site: { timezone: "Asia/Tokyo" } }));
    expect(content.posts.map((entry) => entry.title)).toEqual(["Good"]);
    expect(content.problems.map((problem) => problem.file)).toEqual(["2025-01-02-bad.md"]);
    expect(content.problems[0]?.message).toMatch(message);
  });

  it("in the file name skips the post", async () => {
    const folder = folderWith({ "2025-01-01-good.md": post("title: Good"), "0000-01-01-ancient.md": post("title: Ancient") });
    const content = await loadPosts(testConfig({ postsDir: folder.dir, site: { timezone: "Asia/Tokyo" } }));
    expect(content.posts.map((entry) => entry.title)).toEqual(["Good"]);
    expect(content.problems.map((problem) => problem.file)).toEqual(["0000-01-01-ancient.md"]);
  });
});

describe("an `updated` still to come", () => {
  it("dates no document in the future, and counts from its time on", async () => {
    const folder = folderWith({
      "2025-01-01-old.md": post("title: Old"),
      "2025-06-01-edited.md": post("title: Edited\nupdated: 9999-12-31 23:59 +14:00"),
    });
    const config = testConfig({ postsDir: folder.dir });
    const content = await loadPosts(config);
    const build = buildSite(config, content, NOW);
    for (const document of Object.values(build.site.documents)) expect(document.lastModified.getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(build.site.documents.atom.lastModified.toISOString()).toBe("2025-06-01T00:00:00.000Z");
    const atom = readAtom(build.site.documents.atom.body.toString("utf8"));
    expect(childText(atom.root, "updated")).toBe("2025-06-01T00:00:00.000Z");
    for (const entry of children(atom.root, "entry")) expect(childText(entry, "updated")?.startsWith("9999")).toBe(false);
    // The build wakes when it counts.
    expect(build.nextChangeAt?.getUTCFullYear()).toBe(9999);
    const later = buildSite(config, content, new Date("9999-12-31T12:00:00Z"));
    expect(later.site.documents.atom.lastModified.toISOString()).toBe("9999-12-31T09:59:00.000Z");
  });
});

describe("a Jekyll site's post dated outside the years feeds can write", () => {
  it("is skipped with a report, as in a posts folder", async () => {
    const site = folderWith({
      "_config.yml": "title: Site\ntimezone: UTC\n",
      "_posts/2025-01-01-good.md": post("title: Good"),
      "_posts/2025-01-02-bad.md": post("title: Bad\ndate: 9999-12-31 23:59:00 -23:59"),
    });
    const content = await loadPosts({ ...testConfig({ postsDir: site.dir }), siteDir: site.dir });
    expect(content.posts.map((entry) => entry.title)).toEqual(["Good"]);
    expect(content.problems[0]?.message).toMatch(/after the year 9999 in UTC/u);
  });
});
