import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { loadPosts } from "../../src/content/load-posts.js";
import { buildSite } from "../../src/feeds/build-site.js";
import { writeStaticSite } from "../../src/publish/static-export.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

let folder: PostsFolder | undefined;
let out: string | undefined;
afterEach(() => {
  folder?.remove();
  if (out) rmSync(out, { recursive: true, force: true });
});

test("the export holds every archive page and the stylesheet, with the bytes the server sends", async () => {
  const files: Record<string, string> = {};
  for (let day = 1; day <= 5; day++) files[`2025-01-0${day}-p${day}.md`] = post(`title: P${day}\ntags: [CI/CD]`);
  folder = makePostsFolder(files);
  out = mkdtempSync(path.join(tmpdir(), "feedwright-export-"));
  const config = testConfig({ postsDir: folder.dir, feed: { limit: 2 } });
  const site = buildSite(config, await loadPosts(config), new Date("2026-01-01T00:00:00Z"));
  const written = await writeStaticSite(config, site, out);
  for (const relative of ["feed.xsl", "page/2/feed.xml", "page/3/atom.xml", "tags/ci~2fcd/page/3/feed.json"]) {
    expect(existsSync(path.join(out, relative)), relative).toBe(true);
  }
  expect(existsSync(path.join(out, "page/4/feed.xml"))).toBe(false);
  // 3 pages x 3 formats, for the site and for the one tag, plus index, OPML and stylesheet.
  expect(written).toBe(2 * 9 + 3);
  expect(readFileSync(path.join(out, "feed.xml")).equals(site.site.documents.rss.body)).toBe(true);
  expect(readFileSync(path.join(out, "page/3/feed.xml"), "utf8")).toContain("<title><![CDATA[P1]]></title>");
});
