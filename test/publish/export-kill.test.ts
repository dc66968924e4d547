// An export killed at any point must leave DIR serving a whole tree: the old one or the new one,
// never none. The old two-rename swap left DIR missing when killed between its renames (until the
// next export) and a `.DIR.new-*` folder for ever. Here a kill is an export frozen for good at
// one of its renames (the promise never settles, as after SIGKILL nothing more happens), tried at
// every rename it makes; then the lock is made a dead process's and the next export runs.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type * as FsPromises from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadPosts } from "../../src/content/load-posts.js";
import { StaticExportError, wholePostsInput, writeStaticSite } from "../../src/publish/static-export.js";
import { exportTrees } from "../helpers/export-trees.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

/** The rename call (1-based, counted from the last reset) that never returns; 0: none. */
const kill = { atRename: 0, renames: 0 };

vi.mock("node:fs/promises", async (importOriginal) => {
  const original = await importOriginal<typeof FsPromises>();
  const rename: typeof original.rename = (from, to) => {
    kill.renames++;
    if (kill.renames === kill.atRename) return new Promise<void>(() => undefined);
    return original.rename(from, to);
  };
  return { ...original, default: { ...original, rename }, rename };
});

const NOW = new Date("2026-01-01T00:00:00Z");
let folder: PostsFolder | undefined;
let work: string | undefined;
afterEach(() => {
  kill.atRename = 0;
  folder?.remove();
  folder = undefined;
  if (work) rmSync(work, { recursive: true, force: true });
  work = undefined;
});

function setUp(): { out: string; exportOnce: (title: string) => Promise<number> } {
  folder = makePostsFolder({ "2025-01-01-a.md": post("title: First") });
  work = mkdtempSync(path.join(tmpdir(), "feedwright-export-kill-"));
  const config = testConfig({ postsDir: folder.dir });
  const out = path.join(work, "site");
  return {
    out,
    exportOnce: async (title) => {
      folder?.write("2025-01-01-a.md", post(`title: Title ${title}`));
      return (await writeStaticSite(config, wholePostsInput(await loadPosts(config), NOW), out)).files;
    },
  };
}

/** What a killed export leaves: its lock names a process that is gone. */
function lockOfDeadProcess(): void {
  writeFileSync(path.join(work ?? "", ".site.feedwright-lock"), "999999999\n");
}

/** Which of the two titles the site feed in DIR shows. */
function servedTitle(out: string): string | undefined {
  const xml = readFileSync(path.join(out, "feed.xml"), "utf8");
  return ["Old", "New"].find((title) => xml.includes(`Title ${title}`));
}

describe("an export killed part-way", () => {
  it("leaves DIR with the old tree or the new one at every rename, and the next export cleans up", async () => {
    const { out, exportOnce } = setUp();
    await exportOnce("Old");
    // How many renames an export that changes something makes (one that changes nothing makes none).
    kill.renames = 0;
    await exportOnce("New");
    const renames = kill.renames;
    expect(renames).toBeGreaterThan(0);
    await exportOnce("Old");
    for (let at = 1; at <= renames; at++) {
      kill.renames = 0;
      kill.atRename = at;
      void exportOnce("New");
      // Wait until the export has reached the frozen rename.
      while (kill.renames < at) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(existsSync(path.join(out, "feed.xml"))).toBe(true);
      expect(["Old", "New"]).toContain(servedTitle(out));
      kill.atRename = 0;
      lockOfDeadProcess();
      await exportOnce("Old");
      expect(servedTitle(out)).toBe("Old");
      // Nothing left from the killed export: DIR, its trees folder with DIR's tree and one spare, nothing else.
      expect(readdirSync(work ?? "").sort()).toEqual([".site.trees", "site"]);
      const trees = exportTrees(out);
      expect(trees.spare).not.toBe("");
      expect(trees.entries).toEqual(trees.expected);
    }
  });

  it("switches DIR with one rename of a symbolic link", async () => {
    const { out, exportOnce } = setUp();
    await exportOnce("Old");
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    kill.renames = 0;
    await exportOnce("New");
    expect(kill.renames).toBe(1);
    expect(servedTitle(out)).toBe("New");
  });

  it("puts back a DIR that an older Feedwright left missing between its two renames", async () => {
    const { out, exportOnce } = setUp();
    await exportOnce("Old");
    // The state an older Feedwright left: its previous tree moved aside, the new one half written.
    const old = path.join(work ?? "", ".site.old-4242-abcd");
    mkdirSync(old);
    writeFileSync(path.join(old, "feed.xml"), readFileSync(path.join(out, "feed.xml")));
    rmSync(path.join(work ?? "", ".site.trees"), { recursive: true });
    rmSync(out);
    mkdirSync(path.join(work ?? "", ".site.new-4242-abcd"));
    await exportOnce("New");
    expect(servedTitle(out)).toBe("New");
    expect(readdirSync(work ?? "").sort()).toEqual([".site.trees", "site"]);
  });
});

describe("where an export may write", () => {
  it("refuses --out as a symbolic link to the root of the file system", async () => {
    const { out, exportOnce } = setUp();
    const { symlinkSync } = await import("node:fs");
    symlinkSync("/", out);
    await expect(exportOnce("Any")).rejects.toThrow(StaticExportError);
    await expect(exportOnce("Any")).rejects.toThrow(/root of the file system/u);
  });
});
