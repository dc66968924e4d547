// Two files whose names differ only in Unicode normalization ("café" in NFC and in NFD) are two
// posts on Linux: both are published as distinct items, never one of them twice. And ids stay
// unique in a feed whatever a post's front matter says: an `id:` forged to equal the id another
// post was given when two collided does not make two items share it.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPosts } from "../../src/content/load-posts.js";
import { post, testConfig } from "../helpers/site-fixture.js";
import { useScratch } from "../helpers/scratch.js";

const { folderWith } = useScratch("feedwright-unicode-names-");

describe("file names that differ only in Unicode normalization", () => {
  it("are two posts, each published once, with distinct ids", async () => {
    const folder = folderWith({ "2025-01-01-other.md": post("title: Other") });
    const nfc = "2025-01-02-caf\u00e9.md";
    const nfd = "2025-01-02-cafe\u0301.md";
    writeFileSync(path.join(folder.dir, nfc), post("title: Written in NFC"));
    writeFileSync(path.join(folder.dir, nfd), post("title: Written in NFD"));
    const content = await loadPosts(testConfig({ postsDir: folder.dir }));
    expect(content.posts.map((entry) => entry.title).sort()).toEqual(["Other", "Written in NFC", "Written in NFD"]);
    expect(new Set(content.posts.map((entry) => entry.id)).size).toBe(3);
    expect(new Set(content.posts.map((entry) => entry.sourcePath)).size).toBe(3);
    expect(content.posts.find((entry) => entry.title === "Written in NFC")?.sourcePath).toBe(nfc);
    // Where both get one URL, the collision is reported with both file names.
    for (const warning of content.warnings) expect(warning.message).toMatch(/differ only in Unicode normalization/u);
  });
});

describe("ids forged in front matter", () => {
  it("never give two items of a feed the same id", async () => {
    const folder = folderWith({
      "2025-01-01-a.md": post("title: A\nid: tag:example.com,2025:same"),
      "2025-01-02-b.md": post("title: B\nid: tag:example.com,2025:same"),
      // The id B is given when it collides with A, written out by a third post.
      "2025-01-03-c.md": post("title: C\nid: tag:example.com,2025:same#2025-01-02-b.md"),
    });
    const content = await loadPosts(testConfig({ postsDir: folder.dir }));
    const ids = content.posts.map((entry) => entry.id);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect(content.warnings.map((warning) => warning.file)).toEqual(["2025-01-02-b.md"]);
  });
});
