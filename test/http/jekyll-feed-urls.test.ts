// A Jekyll site that published its feeds with jekyll-feed: the old feed URLs answer with a 301 to
// the same feed here, over a real Publisher and server (fast path and Express).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { jekyllFeedPaths } from "../../src/feeds/jekyll-feed-paths.js";
import { collectTerms } from "../../src/feeds/taxonomy.js";
import type { PostHead } from "../../src/content/post.js";
import { createServer } from "../../src/http/server.js";
import { silentLogger } from "../../src/logger.js";
import { Publisher } from "../../src/publish/publisher.js";
import { closeServer, listenOnFreePort, rawRequest } from "../helpers/http.js";
import { useScratch } from "../helpers/scratch.js";
import { post, testConfig } from "../helpers/site-fixture.js";

const { temporaryDir, afterTest } = useScratch("feedwright-jekyll-feed-");

function head(categories: string[], tags: string[]): PostHead {
  return { sourcePath: "_posts/x.md", id: "i", url: "u", title: "t", date: new Date(0), expires: undefined, updated: undefined, categories, tags, authors: [], image: undefined, language: undefined, revision: "r" };
}

describe("jekyllFeedPaths (jekyll-feed's generator.rb)", () => {
  const posts = [head(["news", "告知"], ["ruby", "Machine_Learning", "c#", "日本語"])];
  const terms = { category: collectTerms(posts, "category"), tag: collectTerms(posts, "tag") };

  test("the site feed at another path, each configured category, each simple tag name", () => {
    const moved = jekyllFeedPaths({ path: "/feed/atom.xml", categories: ["news", "告知", "unknown"], tags: { only: undefined, except: ["ruby"], path: "/feed/by_tag/" }, postsLimit: undefined, excerptOnly: false }, terms);
    expect(Object.fromEntries(moved)).toEqual({
      "/feed/atom.xml": "/atom.xml",
      "/feed/news.xml": "/categories/news/atom.xml",
      "/feed/告知.xml": "/categories/%E5%91%8A%E7%9F%A5/atom.xml",
      // jekyll-feed skips tag names with anything but letters, digits and "_", and `except`.
      "/feed/by_tag/Machine_Learning.xml": "/tags/machine_learning/atom.xml",
    });
  });

  test("the default /feed.xml is Feedwright's own site feed: no redirect", () => {
    const moved = jekyllFeedPaths({ path: "/feed.xml", categories: [], tags: undefined, postsLimit: undefined, excerptOnly: false }, terms);
    expect(moved.size).toBe(0);
  });
});

test("a live server answers jekyll-feed's URLs with a 301 to the matching feed", async () => {
  const dir = temporaryDir();
  const write = (name: string, text: string): void => {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  };
  write("_config.yml", "url: https://blog.example.com\nfeed:\n  path: /atom-feed.xml\n  categories: [news, 告知]\n  tags: true\n");
  write("news/_posts/2025-01-01-a.md", post("title: A\ntags: [release]"));
  write("告知/_posts/2025-01-02-b.md", post("title: B"));
  const config = { ...testConfig({ postsDir: dir }), siteDir: dir };
  const publisher = new Publisher(config, silentLogger, () => new Date("2025-06-01T00:00:00Z"));
  afterTest(() => publisher.stop());
  const server = createServer(publisher);
  const port = await listenOnFreePort(server);
  afterTest(() => closeServer(server));
  expect((await publisher.scan()).ok).toBe(true);

  const cases: [string, string][] = [
    ["/atom-feed.xml", "/atom.xml"],
    ["/feed/news.xml", "/categories/news/atom.xml"],
    ["/feed/%E5%91%8A%E7%9F%A5.xml", "/categories/%E5%91%8A%E7%9F%A5/atom.xml"],
    ["/feed/by_tag/release.xml?utm=x", "/tags/release/atom.xml?utm=x"],
  ];
  for (const [from, to] of cases) {
    const response = await rawRequest(port, from);
    expect(response.status, from).toBe(301);
    expect(response.headers.location, from).toBe(to);
    const target = await rawRequest(port, to);
    expect(target.status, to).toBe(200);
  }
  expect((await rawRequest(port, "/feed/unknown.xml")).status).toBe(404);
  expect((await rawRequest(port, "/feed/by_tag/nothing.xml")).status).toBe(404);
});
