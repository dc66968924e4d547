import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterEach, expect, test } from "vitest";
import type { Config } from "../../src/config.js";
import { loadPosts } from "../../src/content/load-posts.js";
import { compressNow, formsWorthSending, prepareDocument } from "../../src/delivery/served-document.js";
import { buildSite, type SiteBuild } from "../../src/feeds/build-site.js";
import { CONTENT_TYPES, makeDocument, type FeedwrightDocument } from "../../src/feeds/document.js";
import { FEED_FILE_NAMES } from "../../src/feeds/routes.js";
import { StaticExportError, wholePostsInput, writeStaticSite, type ExportInput } from "../../src/publish/static-export.js";
import { exportTrees } from "../helpers/export-trees.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

const NOW = new Date("2026-01-01T00:00:00Z");
const FIRST_EXPORT = new Date("2026-01-02T00:00:00Z");
const SECOND_EXPORT = new Date("2026-01-03T00:00:00Z");

let folder: PostsFolder | undefined;
let work: string | undefined;
afterEach(() => {
  folder?.remove();
  folder = undefined;
  if (work) rmSync(work, { recursive: true, force: true });
  work = undefined;
});

function fivePosts(tag: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (let day = 1; day <= 5; day++) files[`2025-01-0${day}-p${day}.md`] = post(`title: P${day}\ntags: ["${tag}"]`, `Body ${day}. ${"Words that compress well. ".repeat(30)}`);
  return files;
}

async function build(config: Config): Promise<SiteBuild> {
  return buildSite(config, await loadPosts(config), NOW);
}

async function input(config: Config): Promise<ExportInput> {
  return wholePostsInput(await loadPosts(config), NOW);
}

/** Every file under `dir`, relative, with "/". */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

function setUp(tag = "CI/CD"): { config: Config; out: string } {
  folder = makePostsFolder(fivePosts(tag));
  work = mkdtempSync(path.join(tmpdir(), "feedwright-export-"));
  return { config: testConfig({ postsDir: folder.dir, feed: { limit: 2 } }), out: path.join(work, "site") };
}

test("the export holds every document, archive pages and the stylesheet included, with the bytes the server sends for each coding", async () => {
  const { config, out } = setUp();
  const site = await build(config);
  const report = await writeStaticSite(config, await input(config), out, { modifiedAt: FIRST_EXPORT });
  const files = filesUnder(out);
  expect(report.files).toBe(files.length);
  expect(report.written).toBe(files.length);
  const documents = files.filter((file) => !/\.(?:gz|br)$/.test(file));
  // The subscription document and 2 archives x 3 formats, for the site and for the one tag,
  // plus index, OPML and stylesheet.
  expect(documents.length).toBe(2 * 9 + 3);
  for (const relative of ["feed.xsl", "archive/1/feed.xml", "archive/2/atom.xml", "tags/ci~2fcd/archive/2/feed.json"]) expect(documents, relative).toContain(relative);
  expect(existsSync(path.join(out, "archive/3/feed.xml"))).toBe(false);
  expect(readFileSync(path.join(out, "archive/1/feed.xml"), "utf8")).toContain("<title><![CDATA[P1]]></title>");

  // The first pages, index, OPML and stylesheet as the build made them; archive pages are
  // rendered by the export itself, so for them the siblings are checked against their identity.
  const built = new Map<string, FeedwrightDocument>([["index.html", site.index], ["feeds.opml", site.opml], ["feed.xsl", site.stylesheet]]);
  for (const feed of [site.site, ...site.terms.tag.values()]) {
    const folder = feed.spec.term ? `tags/${feed.spec.term.slug}/` : "";
    for (const format of ["rss", "atom", "json"] as const) built.set(`${folder}${FEED_FILE_NAMES[format]}`, feed.documents[format]);
  }
  expect(built.size).toBe(9);
  for (const relative of documents) {
    const identity = readFileSync(path.join(out, relative));
    const document = built.get(relative);
    const sent = document ? prepareDocument(document, { cacheControl: "public, max-age=60", kind: "site-feed" }).variants : undefined;
    if (document) expect(identity.equals(document.body), relative).toBe(true);
    for (const [suffix, encoding, decompress] of [[".gz", "gzip", gunzipSync], [".br", "br", brotliDecompressSync]] as const) {
      const sibling = path.join(out, `${relative}${suffix}`);
      if (sent) expect(existsSync(sibling), `${relative}${suffix}`).toBe(sent[encoding] !== sent.identity);
      if (!existsSync(sibling)) continue;
      const body = readFileSync(sibling);
      expect(decompress(body).equals(identity), `${relative}${suffix}`).toBe(true);
      expect(body.length).toBeLessThan(identity.length);
      if (sent) expect(body.equals(sent[encoding].body), `${relative}${suffix}: the bytes the server sends`).toBe(true);
    }
  }
  expect(files.filter((file) => file.endsWith(".gz")).length).toBeGreaterThan(10);
  expect(files.filter((file) => file.endsWith(".br")).length).toBeGreaterThan(10);
});

test("a document whose compressed forms are not smaller gets no sibling, as the server then sends the identity", async () => {
  const { config, out } = setUp();
  await writeStaticSite(config, await input(config), out);
  // The stylesheet compresses well; a feed of no posts in JSON is a few hundred bytes.
  const tiny = makeDocument("{}", CONTENT_TYPES.json, NOW);
  expect(formsWorthSending(compressNow(tiny.body, "subscription"), tiny.body.length)).toEqual({ gzip: undefined, br: undefined });
  const large = makeDocument(JSON.stringify({ text: "feed ".repeat(200) }), CONTENT_TYPES.json, NOW);
  const forms = formsWorthSending(compressNow(large.body, "subscription"), large.body.length);
  expect(forms.gzip?.length).toBeLessThan(large.body.length);
  expect(forms.br?.length).toBeLessThan(large.body.length);
  expect(existsSync(path.join(out, "feed.xsl.gz"))).toBe(true);
});

test("re-running into the same folder swaps the new tree in: unchanged files keep their time, stale ones go, nothing beside it is touched", async () => {
  const { config, out } = setUp("Old Tag");
  await writeStaticSite(config, await input(config), out, { modifiedAt: FIRST_EXPORT });
  const beside = path.join(work ?? "", "keep-me.txt");
  writeFileSync(beside, "not Feedwright's");
  const unchangedBefore = statSync(path.join(out, "feed.xsl")).mtimeMs;
  expect(unchangedBefore).toBe(FIRST_EXPORT.getTime());

  // The tag is renamed: its feeds move, and the site feed's bytes change.
  const siteFeedBefore = readFileSync(path.join(out, "feed.xml"));
  for (const [name, text] of Object.entries(fivePosts("New Tag"))) folder?.write(name, text);
  const report = await writeStaticSite(config, await input(config), out, { modifiedAt: SECOND_EXPORT });

  expect(report.files).toBe(filesUnder(out).length);
  expect(existsSync(path.join(out, "tags/old-tag"))).toBe(false);
  expect(existsSync(path.join(out, "tags/new-tag/feed.xml"))).toBe(true);
  expect(readFileSync(path.join(out, "feed.xml")).equals(siteFeedBefore)).toBe(false);
  expect(statSync(path.join(out, "feed.xml")).mtimeMs).toBe(SECOND_EXPORT.getTime());
  expect(statSync(path.join(out, "feed.xsl")).mtimeMs).toBe(unchangedBefore);
  expect(statSync(path.join(out, "feed.xsl.gz")).mtimeMs).toBe(unchangedBefore);
  expect(readFileSync(beside, "utf8")).toBe("not Feedwright's");
  // No temporary folder or lock left beside DIR: only the trees folder, with DIR's tree and the spare.
  expect(readdirSync(work ?? "").sort()).toEqual([".site.trees", "keep-me.txt", "site"]);
  const trees = exportTrees(out);
  expect(trees.spare).not.toBe("");
  expect(trees.entries).toEqual(trees.expected);
});

test("changed bytes of the same size get a later time even within the same second (nginx's ETag is time and size)", async () => {
  const { config, out } = setUp("Tag A");
  await writeStaticSite(config, await input(config), out, { modifiedAt: FIRST_EXPORT });
  for (const [name, text] of Object.entries(fivePosts("Tag B"))) folder?.write(name, text);
  await writeStaticSite(config, await input(config), out, { modifiedAt: FIRST_EXPORT });
  // "Tag A" -> "Tag B": same length, other bytes.
  expect(statSync(path.join(out, "feed.xml")).mtimeMs).toBe(FIRST_EXPORT.getTime() + 1000);
});

test("a folder holding anything an export does not write is refused and left as it was", async () => {
  const { config, out } = setUp();
  mkdirSync(path.join(out, "tags"), { recursive: true });
  writeFileSync(path.join(out, "feed.xml"), "old");
  writeFileSync(path.join(out, "tags", "notes.txt"), "mine");
  const attempt = writeStaticSite(config, await input(config), out);
  await expect(attempt).rejects.toThrow(StaticExportError);
  await expect(attempt).rejects.toThrow(/holds "tags\/notes\.txt", which feedwright build does not write/);
  expect(filesUnder(out)).toEqual(["feed.xml", "tags/notes.txt"]);
  expect(readdirSync(work ?? "")).toEqual(["site"]);
});

test.each(["notes.txt", "tags/notes.txt"])("a file %s added by hand to an exported DIR is found, and the next export refused", async (added) => {
  const { config, out } = setUp();
  await writeStaticSite(config, await input(config), out);
  // The first export's manifest has the time of each folder: the new file changes its folder's.
  const before = filesUnder(out);
  const folder = path.dirname(path.join(out, added));
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(out, added), "mine");
  const attempt = writeStaticSite(config, await input(config), out);
  await expect(attempt).rejects.toThrow(new RegExp(`holds "${added.replace(".", "\\.")}", which feedwright build does not write`, "u"));
  expect(filesUnder(out).sort()).toEqual([...before, added].sort());
});

test("a symbolic link as DIR keeps leading to the export", async () => {
  const { config, out } = setUp();
  const real = path.join(work ?? "", "real-site");
  mkdirSync(real);
  symlinkSync(real, out);
  await writeStaticSite(config, await input(config), out);
  await writeStaticSite(config, await input(config), out);
  expect(existsSync(path.join(real, "feed.xml"))).toBe(true);
  expect(readFileSync(path.join(out, "feed.xml")).equals(readFileSync(path.join(real, "feed.xml")))).toBe(true);
});

test("a second export into the same folder while one runs is refused", async () => {
  const { config, out } = setUp();
  mkdirSync(work ?? "", { recursive: true });
  // This very process holds the lock: it is running.
  writeFileSync(path.join(work ?? "", ".site.feedwright-lock"), `${process.pid}\n`);
  await expect(writeStaticSite(config, await input(config), out)).rejects.toThrow(/another feedwright build is writing/);
  expect(existsSync(out)).toBe(false);
  // A lock left by a process that is gone is taken over.
  writeFileSync(path.join(work ?? "", ".site.feedwright-lock"), "999999999\n");
  await writeStaticSite(config, await input(config), out);
  expect(existsSync(path.join(out, "feed.xml"))).toBe(true);
});
