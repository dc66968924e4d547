// Listing the posts folder: a folder's listing is reused only while it provably cannot be stale.
import { renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { FolderListings, scanPostsFolder } from "../../src/content/scan.js";
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
