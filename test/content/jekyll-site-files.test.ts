// A Jekyll site's _data/ and _includes/ as posts' Liquid sees them, read safely.
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SiteFilesReader } from "../../src/content/jekyll/site-files.js";
import { useScratch } from "../helpers/scratch.js";

const { temporaryDir } = useScratch("feedwright-site-files-");

function siteWith(files: Readonly<Record<string, string>>): string {
  const dir = temporaryDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe("SiteFilesReader", () => {
  it("reads _data/ as Jekyll's DataReader does", () => {
    const dir = siteWith({
      "_data/members.yml": "- name: 太郎\n  github: taro\n",
      "_data/settings.json": '{"theme": "dark", "n": 3}',
      "_data/releases.csv": 'version,sha\n4.3.1,abc\n4.3.0,\n"4.2",""\n',
      "_data/table.tsv": "a\tb\n1\t2\n",
      "_data/nav/main.yaml": "[home, about]",
      "_data/my file-name!.yml": "ok: true",
      "_data/.hidden.yml": "no: 1",
      "_data/notes.txt": "not data",
    });
    const files = new SiteFilesReader(dir, 1024 * 1024).read();
    expect(files.problems).toEqual([]);
    expect(files.data).toEqual({
      members: [{ name: "太郎", github: "taro" }],
      settings: { theme: "dark", n: 3 },
      // An unquoted empty field is nil, a quoted one "", as Ruby's CSV reads them.
      releases: [
        { version: "4.3.1", sha: "abc" },
        { version: "4.3.0", sha: null },
        { version: "4.2", sha: "" },
      ],
      table: [{ a: "1", b: "2" }],
      nav: { main: ["home", "about"] },
      "my_file-name": { ok: true },
    });
    expect([...files.dataDigests.keys()].sort()).toEqual(["", "members", "my_file-name", "nav", "releases", "settings", "table"]);
  });

  it("reads _includes/ by name, nested folders included", () => {
    const dir = siteWith({ "_includes/note.html": "<p>{{ include.text }}</p>", "_includes/nav/menu.html": "menu" });
    const files = new SiteFilesReader(dir, 1024 * 1024).read();
    expect([...files.includes.keys()].sort()).toEqual(["nav/menu.html", "note.html"]);
    expect(files.includes.get("note.html")?.text).toBe("<p>{{ include.text }}</p>");
  });

  it("reads again only what changed, and gives the same object while nothing did", () => {
    const dir = siteWith({ "_data/a.yml": "x: 1", "_data/b.yml": "y: 1", "_includes/i.html": "one" });
    const reader = new SiteFilesReader(dir, 1024 * 1024);
    const first = reader.read();
    expect(reader.read()).toBe(first);
    writeFileSync(path.join(dir, "_data/b.yml"), "y: 2");
    const second = reader.read();
    expect(second).not.toBe(first);
    expect(second.data).toEqual({ a: { x: 1 }, b: { y: 2 } });
    expect(second.dataDigests.get("a")).toBe(first.dataDigests.get("a"));
    expect(second.dataDigests.get("b")).not.toBe(first.dataDigests.get("b"));
    expect(second.includes.get("i.html")?.digest).toBe(first.includes.get("i.html")?.digest);
  });

  it("reports a broken data file with its line, and reads the rest", () => {
    const dir = siteWith({ "_data/bad.yml": "a: 1\nb: [unclosed\n", "_data/good.yml": "ok: 1" });
    const files = new SiteFilesReader(dir, 1024 * 1024).read();
    expect(files.data).toEqual({ good: { ok: 1 } });
    expect(files.problems).toHaveLength(1);
    expect(files.problems[0]?.file).toBe("_data/bad.yml");
    expect(files.problems[0]?.message).toMatch(/^line \d+: invalid YAML/);
  });

  it("refuses a symbolic link (nothing outside the site is read), a FIFO, and a file over the limit", () => {
    const outside = siteWith({ "secret.html": "SECRET" });
    const dir = siteWith({ "_includes/ok.html": "ok", "_includes/big.html": "x".repeat(2048) });
    symlinkSync(path.join(outside, "secret.html"), path.join(dir, "_includes/link.html"));
    execFileSync("mkfifo", [path.join(dir, "_includes/pipe.html")]);
    const files = new SiteFilesReader(dir, 1024).read();
    expect([...files.includes.keys()]).toEqual(["ok.html"]);
    const byFile = new Map(files.problems.map((problem) => [problem.file, problem.message]));
    expect(byFile.get("_includes/link.html")).toMatch(/symbolic link/);
    expect(byFile.get("_includes/big.html")).toMatch(/2048 bytes, over the limit of 1024/);
    expect([...files.includes.values()].some((include) => include.text.includes("SECRET"))).toBe(false);
  });
});
