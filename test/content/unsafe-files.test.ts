// Files that change kind between the listing and the read: a named pipe (which would block a
// libuv thread for ever, and every later scan with it) and a symbolic link swapped in for a post
// or for a folder on its path (which would publish a file from outside the posts folder). The
// swap is made deterministic by doing it inside fs.promises.open, just before the real open.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import type * as Fs from "node:fs";
import type * as FsPromises from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ContentLoader, loadPosts } from "../../src/content/load-posts.js";
import { createPostRenderer } from "../../src/content/render-pool.js";
import { readJekyllSiteConfig } from "../../src/content/jekyll/site-config.js";
import { SiteFilesReader } from "../../src/content/jekyll/site-files.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

/** Run once, inside the next open() of a path ending with `suffix`, before the real open. */
const swaps: { suffix: string; swap: () => void }[] = [];

vi.mock("node:fs/promises", async (importOriginal) => {
  const original = await importOriginal<typeof FsPromises>();
  const open: typeof original.open = (file, ...rest) => {
    const name = String(file);
    const index = swaps.findIndex((entry) => name.endsWith(entry.suffix));
    if (index !== -1) swaps.splice(index, 1)[0]?.swap();
    return original.open(file, ...rest);
  };
  return { ...original, default: { ...original, open }, open };
});

vi.mock("node:fs", async (importOriginal) => {
  const original = await importOriginal<typeof Fs>();
  const openSync: typeof original.openSync = (file, ...rest) => {
    const name = String(file);
    const index = swaps.findIndex((entry) => name.endsWith(entry.suffix));
    if (index !== -1) swaps.splice(index, 1)[0]?.swap();
    return original.openSync(file, ...rest);
  };
  return { ...original, default: { ...original, openSync }, openSync };
});

const SECRET = "root:x:0:0:secret outside the posts folder:/root:/bin/bash";
let folder: PostsFolder | undefined;
let outside: string | undefined;
afterEach(() => {
  swaps.length = 0;
  folder?.remove();
  folder = undefined;
  if (outside) rmSync(outside, { recursive: true, force: true });
  outside = undefined;
});

function secretOutside(name: string): string {
  outside = mkdtempSync(path.join(tmpdir(), "feedwright-outside-"));
  // Valid front matter, so that a read that follows the link would publish it.
  writeFileSync(path.join(outside, name), post("title: Stolen", SECRET));
  return outside;
}

function mkfifo(file: string): void {
  execFileSync("mkfifo", [file]);
}

describe("a named pipe among the posts", () => {
  it("is reported when the folder is listed, and the other posts are published", async () => {
    folder = makePostsFolder({ "2025-01-01-good.md": post("title: Good") });
    mkfifo(path.join(folder.dir, "2025-01-02-pipe.md"));
    const result = await loadPosts(testConfig({ postsDir: folder.dir }));
    expect(result.posts.map((entry) => entry.title)).toEqual(["Good"]);
    expect(result.problems.map((problem) => problem.file)).toEqual(["2025-01-02-pipe.md"]);
    expect(result.problems[0]?.message).toMatch(/named pipe \(FIFO\), not a regular file/);
  });

  it("put in place of a post between the listing and the read is refused, not waited on", async () => {
    folder = makePostsFolder({ "2025-01-01-good.md": post("title: Good"), "2025-01-02-victim.md": post("title: Victim") });
    const victim = path.join(folder.dir, "2025-01-02-victim.md");
    swaps.push({ suffix: "victim.md", swap: () => (unlinkSync(victim), mkfifo(victim)) });
    const result = await loadPosts(testConfig({ postsDir: folder.dir }));
    expect(result.posts.map((entry) => entry.title)).toEqual(["Good"]);
    expect(result.problems[0]?.message).toMatch(/named pipe \(FIFO\)/);
  });

  it("put in place of a post before its body is checked in the background is refused, and the check goes on", async () => {
    folder = makePostsFolder({ "2025-01-01-good.md": post("title: Good"), "2025-01-02-victim.md": post("title: Victim") });
    const loader = new ContentLoader(testConfig({ postsDir: folder.dir }), createPostRenderer(1_000_000, 0));
    try {
      await loader.load();
      loader.commit();
      const victim = path.join(folder.dir, "2025-01-02-victim.md");
      unlinkSync(victim);
      mkfifo(victim);
      const checked = await loader.checkBodies(10);
      expect(checked.changedFiles).toContain("2025-01-02-victim.md");
      // The next scan still runs, and says what the file is.
      const next = await loader.load();
      expect(next.snapshot.problems.map((problem) => problem.message).join("\n")).toMatch(/named pipe/);
    } finally {
      await loader.close();
    }
  });
});

describe("a symbolic link swapped in between the listing and the read", () => {
  it("in place of a post is not followed out of the posts folder", async () => {
    folder = makePostsFolder({ "2025-01-01-good.md": post("title: Good"), "2025-01-02-victim.md": post("title: Victim") });
    const secretDir = secretOutside("passwd");
    const victim = path.join(folder.dir, "2025-01-02-victim.md");
    swaps.push({ suffix: "victim.md", swap: () => (unlinkSync(victim), symlinkSync(path.join(secretDir, "passwd"), victim)) });
    const result = await loadPosts(testConfig({ postsDir: folder.dir }));
    expect(JSON.stringify(result.posts)).not.toContain("secret outside");
    expect(result.posts.map((entry) => entry.title)).toEqual(["Good"]);
    expect(result.problems[0]?.message).toMatch(/symbolic link/);
  });

  it("in place of a folder on the post's path is not followed out of the posts folder", async () => {
    folder = makePostsFolder({ "2025-01-01-good.md": post("title: Good"), "sub/2025-01-02-victim.md": post("title: Victim") });
    const secretDir = secretOutside("2025-01-02-victim.md");
    const sub = path.join(folder.dir, "sub");
    swaps.push({ suffix: "victim.md", swap: () => (renameSync(sub, `${sub}.old`), symlinkSync(secretDir, sub)) });
    const result = await loadPosts(testConfig({ postsDir: folder.dir }));
    expect(JSON.stringify(result.posts)).not.toContain("secret outside");
    expect(result.problems[0]?.file).toBe("sub/2025-01-02-victim.md");
    expect(result.problems[0]?.message).toMatch(/leads outside/);
  });
});

describe("a Jekyll site's own files", () => {
  it("_config.yml linked to a file outside the site is refused", () => {
    const site = mkdtempSync(path.join(tmpdir(), "feedwright-site-"));
    try {
      const secretDir = secretOutside("config.yml");
      writeFileSync(path.join(secretDir, "config.yml"), "title: stolen\n");
      symlinkSync(path.join(secretDir, "config.yml"), path.join(site, "_config.yml"));
      expect(() => readJekyllSiteConfig(site)).toThrow(/leads outside/);
    } finally {
      rmSync(site, { recursive: true, force: true });
    }
  });

  it("_config.yml as a named pipe is refused at once", () => {
    const site = mkdtempSync(path.join(tmpdir(), "feedwright-site-"));
    try {
      mkfifo(path.join(site, "_config.yml"));
      expect(() => readJekyllSiteConfig(site)).toThrow(/named pipe/);
    } finally {
      rmSync(site, { recursive: true, force: true });
    }
  });

  it("_data/ behind a folder swapped for a link after the listing is not read", () => {
    const site = mkdtempSync(path.join(tmpdir(), "feedwright-site-"));
    try {
      mkdirSync(path.join(site, "_data", "team"), { recursive: true });
      writeFileSync(path.join(site, "_data", "team", "people.yml"), "name: inside\n");
      const reader = new SiteFilesReader(site, 1_000_000);
      expect(reader.read().data).toEqual({ team: { people: { name: "inside" } } });
      // Changed, so read again; once listed, a link to a folder outside with the same file
      // names takes the listed folder's place.
      writeFileSync(path.join(site, "_data", "team", "people.yml"), "name: inside, edited\n");
      const secretDir = secretOutside("people.yml");
      writeFileSync(path.join(secretDir, "people.yml"), "name: stolen\n");
      const team = path.join(site, "_data", "team");
      swaps.push({ suffix: "people.yml", swap: () => (renameSync(team, `${team}.old`), symlinkSync(secretDir, team)) });
      const files = reader.read();
      expect(JSON.stringify(files.data)).not.toContain("stolen");
      expect(files.problems.map((problem) => problem.file)).toEqual(["_data/team/people.yml"]);
      expect(files.problems[0]?.message).toMatch(/leads outside/);
    } finally {
      rmSync(site, { recursive: true, force: true });
    }
  });
});
