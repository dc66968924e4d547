// Listing the posts folder: a folder's listing is reused only while it provably cannot be stale.
import { renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { FolderListings, isPostFileName, scanPostsFolder } from "../../src/content/scan.js";
import { makePostsFolder, post, type PostsFolder } from "../helpers/site-fixture.js";

const folders: PostsFolder[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) folder.remove();
});

function folderWith(files: Record<string, string>): PostsFolder {
  const folder = makePostsFolder(files);
  folders.push(folder);
  return folder;
}

const HOUR_AGO = new Date(Date.now() - 3_600_000);

describe("FolderListings", () => {
  test("a folder unchanged since well before its listing is not listed again", () => {
    const folder = folderWith({ "2025-01-01-a.md": post("title: A") });
    utimesSync(folder.dir, HOUR_AGO, HOUR_AGO);
    const listings = new FolderListings();
    const first = listings.list(folder.dir, "");
    expect(first.map((entry) => entry.name)).toEqual(["2025-01-01-a.md"]);
    expect(listings.list(folder.dir, "")).toBe(first);
  });

  test("a folder that changed since its listing is listed again", () => {
    const folder = folderWith({ "2025-01-01-a.md": post("title: A") });
    utimesSync(folder.dir, HOUR_AGO, HOUR_AGO);
    const listings = new FolderListings();
    const first = listings.list(folder.dir, "");
    writeFileSync(path.join(folder.dir, "2025-01-02-b.md"), post("title: B"));
    const second = listings.list(folder.dir, "");
    expect(second).not.toBe(first);
    expect(second.map((entry) => entry.name)).toEqual(["2025-01-01-a.md", "2025-01-02-b.md"]);
  });

  test("a folder that changed just before its listing is listed again every time (its time may not show the next change)", () => {
    const folder = folderWith({ "2025-01-01-a.md": post("title: A") });
    const listings = new FolderListings();
    const first = listings.list(folder.dir, "");
    expect(listings.list(folder.dir, "")).not.toBe(first);
  });
});

describe("scanPostsFolder with listings kept between scans", () => {
  test("sees every file added, deleted or renamed, however soon after the previous scan", async () => {
    const folder = folderWith({ "2025-01-01-a.md": post("title: A"), "2025-01-02-b.md": post("title: B") });
    const listings = new FolderListings();
    const names = async (): Promise<string[]> => (await scanPostsFolder(folder.dir, listings)).files.map((file) => file.sourcePath);
    expect(await names()).toEqual(["2025-01-01-a.md", "2025-01-02-b.md"]);
    writeFileSync(path.join(folder.dir, "2025-01-03-c.md"), post("title: C"));
    expect(await names()).toEqual(["2025-01-01-a.md", "2025-01-02-b.md", "2025-01-03-c.md"]);
    rmSync(path.join(folder.dir, "2025-01-01-a.md"));
    expect(await names()).toEqual(["2025-01-02-b.md", "2025-01-03-c.md"]);
    renameSync(path.join(folder.dir, "2025-01-02-b.md"), path.join(folder.dir, "2025-01-04-d.md"));
    expect(await names()).toEqual(["2025-01-03-c.md", "2025-01-04-d.md"]);
    folder.write("2025/2025-01-05-e.md", post("title: E"));
    expect(await names()).toEqual(["2025/2025-01-05-e.md", "2025-01-03-c.md", "2025-01-04-d.md"]);
  });
});

describe("scanPostsFolder with a second thread for the stat calls", () => {
  test("finds exactly what a single-threaded scan finds in a large folder, links and folders among the posts included", async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 1500; index++) files[`2025-01-01-post-${String(index).padStart(4, "0")}.md`] = post(`title: P${index}`);
    const folder = folderWith(files);
    // A folder and a link named like posts, and an ignored name: the walk looks at those itself.
    folder.write("2025-01-02-folder.md/2025-01-03-inside.md", post("title: Inside"));
    symlinkSync(path.join(folder.dir, "2025-01-01-post-0001.md"), path.join(folder.dir, "2025-01-04-link.md"));
    folder.write("_draft.md", post("title: Ignored"));
    const parallel = new FolderListings({ parallel: true });
    try {
      const single = await scanPostsFolder(folder.dir);
      const shared = await scanPostsFolder(folder.dir, parallel);
      expect(shared).toEqual(single);
      expect(single.files).toHaveLength(1502);
      // Again, with the listing reused and a file edited (its size and time change).
      writeFileSync(path.join(folder.dir, "2025-01-01-post-0007.md"), post("title: Edited", "Longer body now."));
      expect(await scanPostsFolder(folder.dir, parallel)).toEqual(await scanPostsFolder(folder.dir));
    } finally {
      await parallel.close();
    }
  });
});

describe("isPostFileName", () => {
  test("takes the names whose extension (path.extname) is .md or .markdown, in any case", () => {
    const names = ["a.md", "a.MD", "a.Markdown", ".md", "..md", "...markdown", "a.md.bak", "a.", ".", "..", "md", "a.mdx", "a b.md", "記事.md", "a/b.md", "a.md/", "a/.md", ".a.md"];
    for (const name of names) expect(isPostFileName(name), name).toBe([".md", ".markdown"].includes(path.extname(name).toLowerCase()));
  });
});
