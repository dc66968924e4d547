// A crawler asking for every archive page must not hold up subscribers: crawling 8,253 archive
// pages raised /feed.xml's median from 1.4 ms to 60 ms, each page rendered and compressed on the
// event loop as soon as its bodies were at hand, one after another without a break. Archive
// pages now render one at a time, each after the event loop has answered what was waiting, and
// are compressed on the thread pool. Checked by order of events, not by time.
import { describe, expect, test } from "vitest";
import { loadPosts } from "../../src/content/load-posts.js";
import { ServedSite } from "../../src/delivery/served-site.js";
import type { PostBody } from "../../src/content/post.js";
import { buildSite } from "../../src/feeds/build-site.js";
import { archivePageMaker } from "../../src/publish/archive-pages.js";
import { post, testConfig } from "../helpers/site-fixture.js";
import { useScratch } from "../helpers/scratch.js";

const { folderWith } = useScratch("feedwright-archive-pages-");

describe("archive pages asked for all at once", () => {
  test("are rendered one at a time, with the event loop free between them", async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 60; index++) files[`2025-01-${String((index % 28) + 1).padStart(2, "0")}-p${index}.md`] = post(`title: P${index}`, "Words to compress. ".repeat(80));
    const folder = folderWith(files);
    const config = testConfig({ postsDir: folder.dir, feed: { limit: 2 } });
    const content = await loadPosts(config);
    const build = buildSite(config, content, new Date("2030-01-01T00:00:00Z"));
    // loadPosts gives whole posts: each is its own body.
    const bodies = new Map<string, PostBody>(content.posts.map((entry) => [entry.revision, entry]));
    const site = await ServedSite.create(config, build, undefined, undefined, archivePageMaker(config, () => Promise.resolve(bodies)), { compress: () => Promise.resolve(undefined) });

    const events: string[] = [];
    const pages = Array.from({ length: 20 }, (_, index) => `/archive/${index + 1}/feed.xml`);
    const rendering = pages.map((page) => site.archivePage(page).then(() => events.push("archive")));
    // A subscriber's request, as the event loop would take it while the crawler waits.
    await new Promise((resolve) => setImmediate(resolve));
    events.push("request");
    await Promise.all(rendering);
    expect(events.indexOf("request")).toBeLessThanOrEqual(1);
    const served = site.lookup("/archive/1/feed.xml");
    // Compressed forms are there all the same.
    expect(served?.variants.gzip).not.toBe(served?.variants.identity);
  });
});
