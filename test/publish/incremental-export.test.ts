// A re-export makes again only what changed: documents whose key (or bytes) the previous export
// has are hard links to its files, nothing at all is written when nothing changed, and worker
// threads give the bytes the main thread gives.
import { readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import type { Config } from "../../src/config.js";
import { loadPosts } from "../../src/content/load-posts.js";
import type { PostBody, PostHead } from "../../src/content/post.js";
import { feedKey, feedsFingerprint } from "../../src/feeds/feed-key.js";
import { siteFeedSpec, termFeedSpec } from "../../src/feeds/feed-spec.js";
import { renderFeedDocuments, withBodies } from "../../src/feeds/render-feed.js";
import { FEED_FORMATS, routeFile } from "../../src/feeds/routes.js";
import { planExport } from "../../src/publish/export-plan.js";
import { createFeedDocumentRenderer } from "../../src/publish/export-renderer.js";
import { wholePostsInput, writeStaticSite, type ExportInput } from "../../src/publish/static-export.js";
import { exportTrees } from "../helpers/export-trees.js";
import { useScratch } from "../helpers/scratch.js";
import { post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

const { folderWith, temporaryDir } = useScratch("feedwright-incremental-export-");

const NOW = new Date("2026-01-01T00:00:00Z");
const FIRST_EXPORT = new Date("2026-01-02T00:00:00Z");
const SECOND_EXPORT = new Date("2026-01-03T00:00:00Z");

/** 12 posts, 2 to a document: 5 archives of the site feed; the even ones also in tag "even". */
function twelvePosts(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let day = 1; day <= 12; day++) {
    const tags = day % 2 === 0 ? `\ntags: [even]` : "";
    files[`2025-01-${String(day).padStart(2, "0")}-p${day}.md`] = post(`title: Post ${day}${tags}`, `Body ${day}. ${"Words that compress well enough. ".repeat(20)}`);
  }
  return files;
}

function setUp(): { folder: PostsFolder; config: Config; out: string } {
  const folder = folderWith(twelvePosts());
  return { folder, config: testConfig({ postsDir: folder.dir, feed: { limit: 2 } }), out: path.join(temporaryDir(), "site") };
}

async function input(config: Config): Promise<ExportInput> {
  return wholePostsInput(await loadPosts(config), NOW);
}

/** Every file under `dir`, relative with "/", with its bytes. */
function filesOf(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full).split(path.sep).join("/"), readFileSync(full));
  }
  return files;
}

const inode = (file: string): number => statSync(file).ino;

test("a re-export with nothing changed writes nothing and leaves DIR as it was", async () => {
  const { config, out } = setUp();
  const first = await writeStaticSite(config, await input(config), out, { modifiedAt: FIRST_EXPORT });
  expect(first.unchanged).toBe(false);
  expect(first.rendered).toBe(first.feedDocuments);
  const tree = readlinkSync(out);
  const second = await writeStaticSite(config, await input(config), out, { modifiedAt: SECOND_EXPORT });
  expect(second).toMatchObject({ unchanged: true, written: 0, linked: 0, removed: 0, rendered: 0, files: first.files });
  expect(readlinkSync(out)).toBe(tree);
  expect(statSync(path.join(out, "feed.xml")).mtimeMs).toBe(FIRST_EXPORT.getTime());
});

test("an edited post re-renders only the documents that hold it; every other file is the previous export's own", async () => {
  const { folder, config, out } = setUp();
  await writeStaticSite(config, await input(config), out, { modifiedAt: FIRST_EXPORT });
  const before = filesOf(out);
  const inodes = new Map([...before.keys()].map((relative) => [relative, inode(path.join(out, relative))]));

  // Post 3 is in archive 2 of the site feed (posts 3 and 4 from the oldest), in no tag.
  folder.write("2025-01-03-p3.md", post("title: Post 3, edited", `Body 3. ${"Words that compress well enough. ".repeat(20)}`));
  const report = await writeStaticSite(config, await input(config), out, { modifiedAt: SECOND_EXPORT });

  const after = filesOf(out);
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  const changed = [...after.keys()].filter((relative) => !after.get(relative)?.equals(before.get(relative) ?? Buffer.alloc(0)));
  expect(changed.filter((relative) => !/\.(?:gz|br)$/.test(relative)).sort()).toEqual(["archive/2/atom.xml", "archive/2/feed.json", "archive/2/feed.xml"]);
  expect(report).toMatchObject({ unchanged: false, rendered: 1, removed: 0, written: changed.length, linked: after.size - changed.length });
  for (const relative of after.keys()) {
    const file = path.join(out, relative);
    if (changed.includes(relative)) {
      expect(inode(file), relative).not.toBe(inodes.get(relative));
      expect(statSync(file).mtimeMs, relative).toBe(SECOND_EXPORT.getTime());
    } else {
      // The same file, hard-linked: its time and bytes are the first export's.
      expect(inode(file), relative).toBe(inodes.get(relative));
      expect(statSync(file).mtimeMs, relative).toBe(FIRST_EXPORT.getTime());
    }
  }
});

test("a new post changes the subscription documents and adds an archive once the newest one is full, nothing else", async () => {
  const { folder, config, out } = setUp();
  await writeStaticSite(config, await input(config), out, { modifiedAt: FIRST_EXPORT });
  const before = filesOf(out);
  // 13 posts: archives hold 2 each, so a 6th archive (posts 11 and 12) appears.
  folder.write("2025-01-13-p13.md", post("title: Post 13", "Body 13."));
  const report = await writeStaticSite(config, await input(config), out, { modifiedAt: SECOND_EXPORT });
  const after = filesOf(out);
  const changedDocuments = [...after.keys()]
    .filter((relative) => !/\.(?:gz|br)$/.test(relative) && !after.get(relative)?.equals(before.get(relative) ?? Buffer.alloc(0)))
    .sort();
  expect(changedDocuments).toEqual([
    // The newest archive before gains its next-archive link (JSON Feed's next_url leads to older ones only).
    "archive/5/atom.xml", "archive/5/feed.xml",
    "archive/6/atom.xml", "archive/6/feed.json", "archive/6/feed.xml",
    "atom.xml", "feed.json", "feed.xml", "feeds.opml", "index.html",
  ]);
  // The site feed's subscription document, archive 5 and the new archive 6; the tag is untouched.
  expect(report.rendered).toBe(3);
});

test("the first export leaves a spare tree of hard links to DIR's files, with the same manifest", async () => {
  const { config, out } = setUp();
  await writeStaticSite(config, await input(config), out, { modifiedAt: FIRST_EXPORT });
  const trees = exportTrees(out);
  expect(trees.entries).toEqual(trees.expected);
  const spare = path.join(path.dirname(out), ".site.trees", trees.spare);
  const files = [...filesOf(out).keys()];
  expect([...filesOf(spare).keys()].sort()).toEqual(files.sort());
  for (const relative of files) expect(inode(path.join(spare, relative)), relative).toBe(inode(path.join(out, relative)));
  // The same documents; each manifest has the times of its own tree's folders.
  const manifests = [trees.live, trees.spare].map((tree) => JSON.parse(readFileSync(path.join(path.dirname(out), ".site.trees", `${tree}.manifest.json`), "utf8")) as { documents: unknown; folders: Record<string, number> });
  expect(manifests[1]?.documents).toEqual(manifests[0]?.documents);
  expect(Object.keys(manifests[1]?.folders ?? {}).sort()).toEqual(Object.keys(manifests[0]?.folders ?? {}).sort());
  expect(manifests[1]?.folders["archive/1"]).toBe(statSync(path.join(spare, "archive/1")).mtimeMs);
});

test("each export brings the spare up to date and switches DIR to it: DIR is what an export from scratch writes, and only changed files get a new time", async () => {
  const { folder, config, out } = setUp();
  const body = (day: number): string => `Body ${day}. ${"Words that compress well enough. ".repeat(20)}`;
  // Each step, then what DIR must hold: what an export into an empty folder writes.
  const steps: Array<() => void> = [
    () => undefined,
    () => folder.write("2025-01-03-p3.md", post("title: Post 3, edited", body(3))),
    // Back to the first export's bytes: the spare still holds them, but DIR's tree has newer ones.
    () => folder.write("2025-01-03-p3.md", post("title: Post 3", body(3))),
    () => folder.write("2025-01-13-p13.md", post("title: Post 13\ntags: [odd]", body(13))),
    () => {
      rmSync(path.join(folder.dir, "2025-01-13-p13.md"));
      rmSync(path.join(folder.dir, "2025-01-12-p12.md"));
    },
    () => folder.write("2025-01-04-p4.md", post("title: Post 4\ntags: [even, four]", body(4))),
  ];
  let previous: { files: Map<string, Buffer>; mtimes: Map<string, number>; live: string; spare: string } | undefined;
  for (const [index, step] of steps.entries()) {
    step();
    const modifiedAt = new Date(FIRST_EXPORT.getTime() + index * 86_400_000);
    const report = await writeStaticSite(config, await input(config), out, { modifiedAt });
    const scratch = path.join(temporaryDir(), `from-scratch-${index}`);
    await writeStaticSite(config, await input(config), scratch, { modifiedAt });
    const files = filesOf(out);
    expect([...files.keys()].sort(), `step ${index}`).toEqual([...filesOf(scratch).keys()].sort());
    for (const [relative, bytes] of filesOf(scratch)) expect(files.get(relative)?.equals(bytes), `step ${index}: ${relative}`).toBe(true);
    expect(report.files).toBe(files.size);
    const mtimes = new Map([...files.keys()].map((relative) => [relative, statSync(path.join(out, relative)).mtimeMs]));
    const trees = exportTrees(out);
    expect(trees.entries, `step ${index}`).toEqual(trees.expected);
    if (previous) {
      // The spare became DIR's tree, and DIR's tree the spare.
      expect(trees.live).toBe(previous.spare);
      expect(trees.spare).toBe(previous.live);
      let written = 0;
      for (const [relative, bytes] of files) {
        const before = previous.files.get(relative);
        if (before?.equals(bytes)) expect(mtimes.get(relative), `step ${index}: ${relative} kept its time`).toBe(previous.mtimes.get(relative));
        else {
          written++;
          expect(mtimes.get(relative), `step ${index}: ${relative} changed`).toBe(modifiedAt.getTime());
        }
      }
      expect(report).toMatchObject({ unchanged: false, written, linked: files.size - written });
    }
    previous = { files, mtimes, live: trees.live, spare: trees.spare };
  }
});

test("an export that fails while bringing the spare up to date leaves DIR as it was, and the next one makes a new spare", async () => {
  const { folder, config, out } = setUp();
  await writeStaticSite(config, await input(config), out, { modifiedAt: FIRST_EXPORT });
  const before = filesOf(out);
  const { live, spare } = exportTrees(out);
  folder.write("2025-01-03-p3.md", post("title: Post 3, edited", "Body 3."));
  const failing: ExportInput = { ...(await input(config)), bodies: () => Promise.reject(new Error("the disk went away")) };
  await expect(writeStaticSite(config, failing, out, { modifiedAt: SECOND_EXPORT })).rejects.toThrow("the disk went away");
  expect(readlinkSync(out)).toContain(live);
  const after = filesOf(out);
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [relative, bytes] of before) expect(after.get(relative)?.equals(bytes), relative).toBe(true);
  // The spare was part-way changed: it is gone, manifest and all.
  expect(readdirSync(path.join(path.dirname(out), ".site.trees")).sort()).toEqual([live, `${live}.manifest.json`]);

  const report = await writeStaticSite(config, await input(config), out, { modifiedAt: SECOND_EXPORT });
  expect(report.rendered).toBe(1);
  const trees = exportTrees(out);
  expect(trees.entries).toEqual(trees.expected);
  expect(trees.spare).toBe(live);
  expect(trees.live).not.toBe(spare);
  expect(readFileSync(path.join(out, "archive/2/feed.xml"), "utf8")).toContain("Post 3, edited");
});

test("a spare tree changed by hand is not used: a file deleted from it is still in DIR after the next export", async () => {
  const { folder, config, out } = setUp();
  await writeStaticSite(config, await input(config), out, { modifiedAt: FIRST_EXPORT });
  const { live, spare } = exportTrees(out);
  rmSync(path.join(path.dirname(out), ".site.trees", spare, "archive", "1", "feed.json"));
  folder.write("2025-01-03-p3.md", post("title: Post 3, edited", "Body 3."));
  await writeStaticSite(config, await input(config), out, { modifiedAt: SECOND_EXPORT });
  const scratch = path.join(temporaryDir(), "from-scratch");
  await writeStaticSite(config, await input(config), scratch, { modifiedAt: SECOND_EXPORT });
  const files = filesOf(out);
  expect([...files.keys()].sort()).toEqual([...filesOf(scratch).keys()].sort());
  expect(files.has("archive/1/feed.json")).toBe(true);
  // A new tree was made; the one DIR left is the spare now.
  const trees = exportTrees(out);
  expect(trees.live).not.toBe(spare);
  expect(trees.spare).toBe(live);
});

test.each(["archive/1/feed.xml.br", "archive/1/feed.json"])("a file %s deleted by hand from DIR comes back from the spare tree, which still holds it", async (deleted) => {
  const { config, out } = setUp();
  const first = await writeStaticSite(config, await input(config), out, { modifiedAt: FIRST_EXPORT });
  const before = filesOf(out);
  rmSync(path.join(out, deleted));
  const report = await writeStaticSite(config, await input(config), out, { modifiedAt: SECOND_EXPORT });
  expect(report).toMatchObject({ unchanged: false, rendered: 0, written: 0, files: first.files, linked: first.files });
  const after = filesOf(out);
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [relative, bytes] of before) expect(after.get(relative)?.equals(bytes), relative).toBe(true);
  expect(statSync(path.join(out, deleted)).mtimeMs).toBe(FIRST_EXPORT.getTime());
});

test.each(["archive/1/feed.xml.br", "archive/1/feed.json"])("a document whose file %s was deleted by hand, with no spare tree, is made again", async (deleted) => {
  const { config, out } = setUp();
  const first = await writeStaticSite(config, await input(config), out, { modifiedAt: FIRST_EXPORT });
  const before = filesOf(out);
  const trees = exportTrees(out);
  rmSync(path.join(path.dirname(out), ".site.trees", trees.spare), { recursive: true });
  rmSync(path.join(out, deleted));
  const report = await writeStaticSite(config, await input(config), out, { modifiedAt: SECOND_EXPORT });
  expect(report.unchanged).toBe(false);
  expect(report.rendered).toBe(1);
  expect(report.files).toBe(first.files);
  // The other formats of that archive were taken over first, then made again with the missing one.
  expect(report.linked + report.written).toBe(first.files);
  const after = filesOf(out);
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [relative, bytes] of before) expect(after.get(relative)?.equals(bytes), relative).toBe(true);
});

test("worker threads write the same files as the main thread", async () => {
  const { config } = setUp();
  const onMain = path.join(temporaryDir(), "main");
  const onWorkers = path.join(temporaryDir(), "workers");
  await writeStaticSite(config, await input(config), onMain, { modifiedAt: FIRST_EXPORT, threads: 0 });
  await writeStaticSite(config, await input(config), onWorkers, { modifiedAt: FIRST_EXPORT, threads: 2, poolThreshold: 1 });
  const main = filesOf(onMain);
  const workers = filesOf(onWorkers);
  expect(main.size).toBeGreaterThan(40);
  expect([...workers.keys()].sort()).toEqual([...main.keys()].sort());
  for (const [relative, bytes] of main) expect(workers.get(relative)?.equals(bytes), relative).toBe(true);
});

test("a post whose body cannot be rendered leaves the export, which is planned again without it", async () => {
  const { config, out } = setUp();
  const whole = await loadPosts(config);
  const failing = whole.posts.find((entry) => entry.title === "Post 3");
  if (!failing) throw new Error("no Post 3");
  const bodies = new Map<string, PostBody>(whole.posts.map((entry) => [entry.revision, entry]));
  let failed = false;
  const flaky: ExportInput = {
    now: NOW,
    // As the content loader does: once its body failed, the post is no longer among the posts.
    content: () => (failed ? { ...whole, posts: whole.posts.filter((entry) => entry !== failing) } : whole),
    bodies: (heads: readonly PostHead[]) => {
      if (heads.some((head) => head.revision === failing.revision)) failed = true;
      return Promise.resolve(new Map([...bodies].filter(([revision]) => revision !== failing.revision)));
    },
  };
  const report = await writeStaticSite(config, flaky, out);
  expect(report.published).toBe(11);
  const feeds = [...filesOf(out)].filter(([relative]) => relative.endsWith("feed.xml")).map(([, bytes]) => bytes.toString("utf8"));
  expect(feeds.some((xml) => xml.includes("Post 4"))).toBe(true);
  expect(feeds.some((xml) => xml.includes("Post 3<") || xml.includes("Post 3]"))).toBe(false);
});

test("every archive the plan holds has the spec, key, kind and files of that archive planned on its own", async () => {
  const { config } = setUp();
  const whole = await loadPosts(config);
  const plan = await planExport(config, whole, NOW);
  const archives = plan.feeds.filter((feed) => feed.spec.archive > 0);
  // 5 archives of the site feed, 2 of tag "even".
  expect(archives).toHaveLength(7);
  const fingerprint = feedsFingerprint(config);
  const published = whole.posts;
  for (const feed of archives) {
    const spec = feed.spec.term ? termFeedSpec(config, feed.spec.term, feed.spec.archive) : siteFeedSpec(config, published, feed.spec.archive);
    expect(feed.spec).toEqual(spec);
    expect(feed.key).toBe(feedKey(fingerprint, spec));
    expect(feed.kind).toBe("archive-page");
    expect(Object.values(feed.files)).toEqual(FEED_FORMATS.map((format) => routeFile({ kind: "feed", scope: spec.scope, format, archive: spec.archive })));
  }
});

test("a document too large for a worker thread's heap is rendered on the main thread, with the same bytes", async () => {
  const { config } = setUp();
  const whole = await loadPosts(config);
  const plan = await planExport(config, whole, NOW);
  const feed = plan.feeds[0];
  if (!feed) throw new Error("no feed document");
  // Two posts of 12 MB of HTML each: more than a 32 MB heap holds.
  const huge = `<p>${"Long text that fills the heap. ".repeat(400_000)}</p>`;
  const task = { spec: { ...withBodies(feed.spec, () => ({ summary: "Long.", contentHtml: huge })), term: undefined }, compression: "subscription" as const };
  const small = createFeedDocumentRenderer(1, 32);
  try {
    const files = await small.render(task);
    // The documents themselves, uncompressed: compressing them again here would double the test's time.
    const expected = renderFeedDocuments(task.spec);
    for (const format of ["rss", "atom", "json"] as const) expect(Buffer.from(files[format].body).equals(expected[format].body), format).toBe(true);
    expect(files.rss.gzip?.length).toBeLessThan(files.rss.body.length);
  } finally {
    await small.close();
  }
});

test("a DIR exported by an older Feedwright (a plain folder, no manifest) keeps the time of every file whose bytes are the same", async () => {
  const { config, out } = setUp();
  await writeStaticSite(config, await input(config), out, { modifiedAt: FIRST_EXPORT });
  // What an older Feedwright left: DIR a folder of its own, no trees folder, no manifest.
  const trees = path.join(path.dirname(out), ".site.trees");
  const tree = path.join(trees, readlinkSync(out).split("/").pop() ?? "");
  rmSync(out);
  renameSync(tree, out);
  rmSync(trees, { recursive: true, force: true });
  const report = await writeStaticSite(config, await input(config), out, { modifiedAt: SECOND_EXPORT });
  expect(report).toMatchObject({ unchanged: false, written: 0, linked: report.files });
  expect(statSync(path.join(out, "archive/1/feed.xml")).mtimeMs).toBe(FIRST_EXPORT.getTime());
  expect(statSync(path.join(out, "feed.json.br")).mtimeMs).toBe(FIRST_EXPORT.getTime());
});
