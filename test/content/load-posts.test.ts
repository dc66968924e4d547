// Every bad input of the core issue: the broken post is skipped with a message naming the file,
// the line when known and what to fix, and every other post is still published.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadPosts } from "../../src/content/load-posts.js";
import { PostsFolderError } from "../../src/content/scan.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

let folder: PostsFolder | undefined;
afterEach(() => {
  folder?.remove();
  folder = undefined;
});

const GOOD = {
  "2025-01-01-good-one.md": post("title: Good one\ntags: [a]"),
  "2025-01-02-good-two.md": post("title: Good two\ncategories: [c]"),
};

async function loadWith(files: Record<string, string | Buffer>, maxPostBytes?: number) {
  folder = makePostsFolder({ ...GOOD, ...files });
  return loadPosts(testConfig({ postsDir: folder.dir, maxPostBytes }));
}

describe("loadPosts: one bad post never takes down the others", () => {
  it.each<[string, string | Buffer, number | undefined, RegExp]>([
    ["broken YAML", post('title: ok\nbad: "a" b\ndate: 2025-01-01'), 3, /invalid YAML: Unexpected scalar.*fix the YAML/],
    ["an impossible date", post("title: x\ndate: 2025-13-45"), 3, /date: "2025-13-45" is not a valid date/],
    ["invalid UTF-8", Buffer.concat([Buffer.from("---\ntitle: x\n---\nline 4\nbad \xff here\n", "latin1")]), 5, /invalid UTF-8; save the file as UTF-8/],
    ["UTF-16 text", Buffer.from("\ufeff---\ntitle: x\n---\n", "utf16le"), 1, /UTF-16.*save it as UTF-8/],
    ["binary content", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]), 3, /binary content/],
    ["a zero-byte file", "", undefined, /the file is empty/],
    ["front matter that is a list", "---\n- a\n- b\n---\nbody\n", 2, /must be a YAML mapping/],
    ["front matter never closed", "---\ntitle: x\nbody\n", 1, /never closed/],
  ])("skips a post with %s", async (_label, content, line, message) => {
    const result = await loadWith({ "2025-01-03-bad.md": content });
    expect(result.posts.map((entry) => entry.title).sort()).toEqual(["Good one", "Good two"]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ file: "2025-01-03-bad.md", line });
    expect(result.problems[0]?.message).toMatch(message);
  });

  it("skips a post over the size limit, saying which setting to change", async () => {
    const result = await loadWith({ "2025-01-03-huge.md": post("title: Huge", "x".repeat(5000)) }, 2048);
    expect(result.posts).toHaveLength(2);
    expect(result.problems[0]?.message).toMatch(/over the limit of 2048 \(max_post_bytes\)/);
  });

  it("never follows a symbolic link out of the posts folder", async () => {
    const outside = makePostsFolder({ "2025-01-09-secret.md": post("title: Secret") });
    try {
      folder = makePostsFolder(GOOD);
      symlinkSync(path.join(outside.dir, "2025-01-09-secret.md"), path.join(folder.dir, "2025-01-09-link.md"));
      symlinkSync(outside.dir, path.join(folder.dir, "linked-folder"));
      const result = await loadPosts(testConfig({ postsDir: folder.dir }));
      expect(result.posts.map((entry) => entry.title)).not.toContain("Secret");
      expect(result.problems.map((problem) => problem.file).sort()).toEqual(["2025-01-09-link.md", "linked-folder"]);
      expect(result.problems[0]?.message).toMatch(/symbolic link leading outside the posts folder; not followed/);
    } finally {
      outside.remove();
    }
  });

  it("follows a link inside the folder and survives a link loop", async () => {
    folder = makePostsFolder(GOOD);
    mkdirSync(path.join(folder.dir, "sub"));
    writeFileSync(path.join(folder.dir, "sub", "2025-01-05-inner.md"), post("title: Inner"));
    symlinkSync(folder.dir, path.join(folder.dir, "sub", "loop"));
    const result = await loadPosts(testConfig({ postsDir: folder.dir }));
    expect(result.posts.map((entry) => entry.title).sort()).toEqual(["Good one", "Good two", "Inner"]);
  });

  it("reads *.md and *.markdown at any depth and ignores dotfiles, dot-folders and other files", async () => {
    const result = await loadWith({
      "2024/12/2024-12-01-deep.markdown": post("title: Deep"),
      ".hidden/2025-01-04-hidden.md": post("title: Hidden"),
      ".2025-01-05-dotfile.md": post("title: Dotfile"),
      "_drafts-like/2025-01-06-underscore.md": post("title: Underscore"),
      "notes.txt": "not a post",
      "2025-01-07-backup.md~": post("title: Backup"),
    });
    expect(result.posts.map((entry) => entry.title).sort()).toEqual(["Deep", "Good one", "Good two"]);
    expect(result.problems).toEqual([]);
  });

  it("normalizes file names to NFC (a name typed on macOS matches)", async () => {
    const nfd = "2025-01-08-\u30AB\u3099.md";
    const result = await loadWith({ [nfd]: post("title: Kana") });
    const kana = result.posts.find((entry) => entry.title === "Kana");
    expect(kana?.sourcePath).toBe("2025-01-08-\u30AC.md");
    expect(kana?.url).toBe(`https://blog.example.com/2025/01/08/${encodeURIComponent("\u30AC")}.html`);
  });

  it("keeps drafts and published: false out, and lists them", async () => {
    const result = await loadWith({ "2025-01-03-draft.md": post("title: D\ndraft: true"), "2025-01-04-off.md": post("title: O\npublished: false") });
    expect(result.posts).toHaveLength(2);
    expect(result.unpublished).toEqual([
      { file: "2025-01-03-draft.md", reason: "draft: true" },
      { file: "2025-01-04-off.md", reason: "published: false" },
    ]);
  });

  it("keeps both posts whose permalinks collide, reports it, and keeps ids unique", async () => {
    const result = await loadWith({ "2025-01-01-good-one.markdown": post("title: Twin") });
    const ids = result.posts.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(result.posts.map((entry) => entry.title)).toContain("Twin");
    expect(result.warnings.some((warning) => /same permalink\/id/.test(warning.message))).toBe(true);
  });

  it("sorts newest first, and the same date by file name", async () => {
    const result = await loadWith({ "2025-01-02-a-same-day.md": post("title: Same day") });
    expect(result.posts.map((entry) => entry.title)).toEqual(["Same day", "Good two", "Good one"]);
  });

  it("fails as a whole only when the posts folder itself is missing", async () => {
    await expect(loadPosts(testConfig({ postsDir: "/does/not/exist" }))).rejects.toThrow(PostsFolderError);
    await expect(loadPosts(testConfig({ postsDir: "/does/not/exist" }))).rejects.toThrow(/cannot read the posts folder \/does\/not\/exist/);
  });
});
