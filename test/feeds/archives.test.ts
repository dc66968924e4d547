// RFC 5005 §4 archived feeds: which posts each archive holds, that archives stay as they are
// when new posts arrive (so caches and static exports can keep them), the links between the
// documents in all three formats, and that every archive document is as valid as a
// subscription document.
import { describe, expect, test } from "vitest";
import type { Config } from "../../src/config.js";
import { loadPosts } from "../../src/content/load-posts.js";
import { allFeeds, bodyOfWholePost, buildSite, feedArchiveSpec, renderFeedPage, type FeedDocuments } from "../../src/feeds/build-site.js";
import { archiveCountOf, archiveHolding, archiveItems } from "../../src/feeds/feed-spec.js";
import { FEED_FORMATS, formatRoute } from "../../src/feeds/routes.js";
import { post, testConfig } from "../helpers/site-fixture.js";
import { useScratch } from "../helpers/scratch.js";
import { expectValidFeedDocuments } from "../helpers/valid-feeds.js";
import { children, parseXml, type XmlElement } from "../helpers/xml.js";

const { folderWith } = useScratch("feedwright-archives-");
const NOW = new Date("2030-01-01T00:00:00Z");
const LIMIT = 3;
const BASE = "https://blog.example.com";
const FH = "http://purl.org/syndication/history/1.0";

/** Post n (1 the oldest), one a day: all tagged "all", the odd ones in category "odd". */
function postFile(n: number, body = `Body of post ${n}.`): [string, string] {
  const date = new Date(Date.UTC(2025, 0, n)).toISOString().slice(0, 10);
  return [`${date}-post-${n}.md`, post(`title: "Post ${n}"\ntags: [all]${n % 2 === 1 ? "\ncategories: [odd]" : ""}`, body)];
}

function files(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => postFile(index + 1)));
}

interface Rendered {
  /** Which document of its feed: 0 the subscription document, n archive n. */
  readonly archive: number;
  readonly archiveCount: number;
  readonly body: string;
  readonly ids: readonly string[];
}

/** Every feed document of the posts in `dir`, by path, archives included (as the static export writes them). */
async function documentsOf(config: Config): Promise<Map<string, Rendered>> {
  const build = buildSite(config, await loadPosts(config), NOW);
  const documents = new Map<string, Rendered>();
  for (const feed of allFeeds(build)) {
    for (let archive = 0; archive <= feed.spec.archiveCount; archive++) {
      const spec = archive === 0 ? undefined : feedArchiveSpec(config, feed, build.published, archive);
      const rendered: FeedDocuments = spec ? renderFeedPage(config, spec, bodyOfWholePost) : feed;
      for (const format of FEED_FORMATS) {
        const path = formatRoute({ kind: "feed", scope: feed.spec.scope, format, archive });
        documents.set(path, { archive, archiveCount: feed.spec.archiveCount, body: rendered.documents[format].body.toString("utf8"), ids: rendered.spec.items.map((item) => item.id) });
      }
    }
  }
  return documents;
}

async function documentsOfPosts(count: number): Promise<Map<string, Rendered>> {
  return documentsOf(testConfig({ postsDir: folderWith(files(count)).dir, feed: { limit: LIMIT } }));
}

function withoutNextArchive(body: string): string {
  return body
    .split("\n")
    .filter((line) => !line.includes('rel="next-archive"'))
    .join("\n");
}

describe("which posts the archives hold", () => {
  test("archives are full, counted from the oldest post, and made once a newer post exists", () => {
    expect([0, 1, 3, 4, 6, 7, 9, 10].map((count) => archiveCountOf(count, 3))).toEqual([0, 0, 0, 1, 1, 2, 2, 3]);
    const newestFirst = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(archiveItems(newestFirst, 3, 0)).toEqual([10, 9, 8]);
    expect(archiveItems(newestFirst, 3, 1)).toEqual([3, 2, 1]);
    expect(archiveItems(newestFirst, 3, 3)).toEqual([9, 8, 7]);
  });

  test("every post is in the subscription document or an archive, and no new post changes what an archive holds", () => {
    for (let limit = 1; limit <= 5; limit++) {
      for (let count = 0; count <= 30; count++) {
        const newestFirst = Array.from({ length: count }, (_, index) => count - index);
        const archives = archiveCountOf(count, limit);
        const held = new Set<number>();
        for (let archive = 0; archive <= archives; archive++) for (const n of archiveItems(newestFirst, limit, archive)) held.add(n);
        expect(held.size, `${count} posts, limit ${limit}`).toBe(count);
        const withOneMore = [count + 1, ...newestFirst];
        for (let archive = 1; archive <= archives; archive++) {
          expect(archiveItems(withOneMore, limit, archive), `archive ${archive} of ${count} posts, limit ${limit}`).toEqual(archiveItems(newestFirst, limit, archive));
          expect(archiveItems(newestFirst, limit, archive)).toHaveLength(limit);
        }
      }
    }
  });

  test("an old page's newest post is found in the archive that holds it now, else in the subscription document", () => {
    // 10 posts, limit 3: archive 3 holds posts 7-9, so only post 10 (position 1) is in no
    // archive; position 2 is post 9, 4 post 7, 7 post 4, 10 post 1.
    expect([1, 2, 4, 7, 10, 11, 0].map((position) => archiveHolding(10, 3, position))).toEqual([0, 3, 3, 2, 1, undefined, undefined]);
    // 4 posts: archive 1 holds posts 1-3; post 4 only the subscription document.
    expect(archiveHolding(4, 3, 1)).toBe(0);
    expect(archiveHolding(4, 3, 2)).toBe(1);
  });
});

describe("archive stability", () => {
  test("a new post changes the subscription documents; when it makes an archive, only the next-archive link of the one before", async () => {
    let previous = await documentsOfPosts(9);
    let added = 0;
    for (let count = 10; count <= 16; count++) {
      const current = await documentsOfPosts(count);
      for (const [path, before] of previous) {
        const after = current.get(path);
        expect(after, `${path} is still there with ${count} posts`).toBeDefined();
        if (!after || after.body === before.body) continue;
        if (before.archive === 0) continue;
        // The one change to an archive: it was the newest, and now links to the new one.
        expect(before.archive, `${path} changed with ${count} posts`).toBe(before.archiveCount);
        expect(after.archiveCount, path).toBe(before.archiveCount + 1);
        expect(path.endsWith(".json"), `${path}: next_url leads only to older archives`).toBe(false);
        expect(withoutNextArchive(after.body), path).toBe(before.body);
      }
      for (const [path, after] of current) {
        if (previous.has(path)) continue;
        added++;
        // Only whole new archives appear: the newest of their feed, holding limit posts.
        expect(after.archive, path).toBe(after.archiveCount);
        expect(after.ids, path).toHaveLength(LIMIT);
      }
      // The site's subscription document always changes: it holds the new post.
      expect(current.get("/feed.xml")?.body).not.toBe(previous.get("/feed.xml")?.body);
      previous = current;
    }
    // 9 to 16 posts make the site's and the tag's archives 3, 4 and 5, and the category's
    // (posts 1, 3, …, 15) archive 2.
    expect(added).toBe(7 * FEED_FORMATS.length);
  });

  test("an edit of an old post changes exactly the documents that hold it", async () => {
    const folder = folderWith(files(16));
    const config = testConfig({ postsDir: folder.dir, feed: { limit: LIMIT } });
    const before = await documentsOf(config);
    const [name, text] = postFile(3, "An edited body.");
    folder.write(name, text);
    const after = await documentsOf(config);
    const editedId = [...after.values()].flatMap((document) => document.ids).find((id) => id.includes("post-3")) ?? "";
    expect(editedId).not.toBe("");
    const holding = [...after].filter(([, document]) => document.ids.includes(editedId)).map(([path]) => path);
    const changed = [...after].filter(([path, document]) => before.get(path)?.body !== document.body).map(([path]) => path);
    expect(changed.sort()).toEqual(holding.sort());
    // Post 3 is in archive 1 of the site and the tag, and of the category (posts 1, 3, 5).
    expect(changed.sort()).toEqual(
      ["/archive/1", "/tags/all/archive/1", "/categories/odd/archive/1"].flatMap((folder) => [`${folder}/feed.xml`, `${folder}/atom.xml`, `${folder}/feed.json`]).sort(),
    );
  });

  test("the same posts give byte-identical archives", async () => {
    const first = await documentsOfPosts(11);
    const second = await documentsOfPosts(11);
    expect([...second].map(([path, document]) => [path, document.body])).toEqual([...first].map(([path, document]) => [path, document.body]));
  });
});

describe("links between the documents", () => {
  /** rel -> href of the links in an Atom feed or an RSS channel, and its fh:archive elements. */
  function linksOf(root: XmlElement, linkName: string): { links: Record<string, string>; fhArchive: XmlElement[] } {
    const container = root.name === "rss" ? (children(root, "channel")[0] ?? root) : root;
    const links: Record<string, string> = {};
    for (const link of children(container, linkName)) links[link.attributes.rel ?? ""] = link.attributes.href ?? "";
    delete links.alternate;
    return { links, fhArchive: children(container, "fh:archive") };
  }

  test("Atom and RSS: prev-archive from the subscription document and each archive, next-archive, current and fh:archive", async () => {
    // 10 posts, limit 3: archives 1-3.
    const documents = await documentsOfPosts(10);
    for (const [format, linkName] of [
      ["atom.xml", "link"],
      ["feed.xml", "atom:link"],
    ] as const) {
      const read = (path: string): ReturnType<typeof linksOf> => linksOf(parseXml(documents.get(path)?.body ?? ""), linkName);
      const url = (folder: string): string => `${BASE}${folder}/${format}`;
      const subscription = read(`/${format}`);
      expect(subscription.links).toEqual({ self: url(""), "prev-archive": url("/archive/3") });
      expect(subscription.fhArchive).toEqual([]);
      expect(read(`/archive/1/${format}`).links).toEqual({ self: url("/archive/1"), current: url(""), "next-archive": url("/archive/2") });
      expect(read(`/archive/2/${format}`).links).toEqual({ self: url("/archive/2"), current: url(""), "prev-archive": url("/archive/1"), "next-archive": url("/archive/3") });
      expect(read(`/archive/3/${format}`).links).toEqual({ self: url("/archive/3"), current: url(""), "prev-archive": url("/archive/2") });
      for (const archive of [1, 2, 3]) {
        const { fhArchive } = read(`/archive/${archive}/${format}`);
        expect(fhArchive, `${format} archive ${archive}`).toHaveLength(1);
        expect(fhArchive[0]?.attributes["xmlns:fh"]).toBe(FH);
      }
    }
  });

  test("JSON Feed: next_url chains the subscription document and the archives, newest to oldest", async () => {
    const documents = await documentsOfPosts(10);
    const visited: string[] = [];
    let url: string | undefined = `${BASE}/tags/all/feed.json`;
    while (url) {
      const path = url.slice(BASE.length);
      visited.push(path);
      const feed = JSON.parse(documents.get(path)?.body ?? "{}") as { next_url?: string; feed_url?: string };
      expect(feed.feed_url).toBe(`${BASE}/tags/all/feed.json`);
      url = feed.next_url;
    }
    expect(visited).toEqual(["/tags/all/feed.json", "/tags/all/archive/3/feed.json", "/tags/all/archive/2/feed.json", "/tags/all/archive/1/feed.json"]);
  });
});

describe("archive documents", () => {
  test("parse in all three formats with independent parsers, schema-valid, the formats agreeing", async () => {
    const config = testConfig({ postsDir: folderWith(files(10)).dir, feed: { limit: LIMIT } });
    const build = buildSite(config, await loadPosts(config), NOW);
    let checked = 0;
    for (const feed of allFeeds(build)) {
      for (let archive = 1; archive <= feed.spec.archiveCount; archive++) {
        const spec = feedArchiveSpec(config, feed, build.published, archive);
        if (!spec) throw new Error(`no archive ${archive} of ${feed.spec.basePath}`);
        expectValidFeedDocuments(renderFeedPage(config, spec, bodyOfWholePost), `${feed.spec.basePath || "/"} archive ${archive}`);
        checked++;
      }
    }
    // The site and the tag have 3 archives, the category (5 posts) 1.
    expect(checked).toBe(7);
  });
});
