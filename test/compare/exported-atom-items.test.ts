// readExportedItems on a real static export (archived), and on hand-written archives whose links
// follow another URL scheme.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { loadPosts } from "../../src/content/load-posts.js";
import { wholePostsInput, writeStaticSite } from "../../src/publish/static-export.js";
import { useScratch } from "../helpers/scratch.js";
import { post, testConfig } from "../helpers/site-fixture.js";
import { readExportedItems } from "./exported-atom-items.js";

const scratch = useScratch("feedwright-exported-items-");

test("every item of an archived export, once, its categories apart from its tags, Japanese names included", async () => {
  const folder = scratch.folderWith({
    "2025-01-01-one.md": post('title: "One & <Two>"\ncategories: [お知らせ, Engineering]\ntags: [RSS, "C#"]', "First *post*."),
    "2025-01-02-two.md": post("title: Two\ncategories: お知らせ", "Second."),
    "2025-01-03-three.md": post("title: Three\ntags: 勉強会", "Third."),
    "2025-01-04-four.md": post("title: Four", "Fourth."),
    "2025-01-05-five.md": post("title: Five", "Fifth."),
  });
  const config = testConfig({ postsDir: folder.dir, site: { url: "https://example.com/blog" }, feed: { limit: 2 } });
  const out = path.join(scratch.temporaryDir(), "site");
  await writeStaticSite(config, wholePostsInput(await loadPosts(config), new Date("2026-01-01T00:00:00Z")), out);

  const { items, documents, unknownCategorySchemes } = await readExportedItems(out);
  // Five posts at feed.limit 2: archive 1 holds One and Two, archive 2 Three and Four, the
  // subscription document Five and Four.
  expect(documents).toEqual(["atom.xml", "archive/2/atom.xml", "archive/1/atom.xml"]);
  expect(items.map((item) => item.titleHtml)).toEqual(["Five", "Four", "Three", "Two", "One &amp; &lt;Two&gt;"]);
  expect(unknownCategorySchemes).toEqual([]);
  const first = items.at(-1)!;
  expect(first).toMatchObject({
    document: "archive/1/atom.xml",
    categories: ["お知らせ", "Engineering"],
    tags: ["RSS", "C#"],
    published: "2025-01-01T00:00:00.000Z",
  });
  expect(first.url).toBe(`https://example.com/blog/${encodeURIComponent("お知らせ")}/engineering/2025/01/01/one.html`);
  expect(first.id).toBe(first.url);
  expect(first.contentHtml).toContain("<em>post</em>");
  expect(items[2]).toMatchObject({ categories: [], tags: ["勉強会"] });
});

/** An Atom document with one entry and the given feed-level links. */
function atom(title: string, links: readonly [rel: string, href: string][]): string {
  const linkElements = links.map(([rel, href]) => `<link rel="${rel}" href="${href}"/>`).join("");
  return (
    `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">${linkElements}` +
    `<entry><id>urn:${title}</id><title type="text">${title}</title><link href="https://example.com/${title}"/>` +
    `<updated>2025-01-01T00:00:00Z</updated><category term="x" scheme="https://example.com/elsewhere/"/>` +
    `<content type="html">&lt;p&gt;${title}&lt;/p&gt;</content></entry></feed>`
  );
}

function writeExport(files: Readonly<Record<string, string>>): string {
  const out = scratch.temporaryDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(out, name)), { recursive: true });
    writeFileSync(path.join(out, name), text);
  }
  return out;
}

test("prev-archive links of any URL scheme are followed, each document once; percent-encoded names are decoded", async () => {
  const out = writeExport({
    "atom.xml": atom("current", [["self", "https://example.com/feeds/atom.xml"], ["prev-archive", "https://example.com/feeds/archive/2024%E5%B9%B4.xml"]]),
    "archive/2024年.xml": atom("y2024", [["self", "https://example.com/feeds/archive/2024%E5%B9%B4.xml"], ["prev-archive", "https://example.com/feeds/old.xml#top"]]),
    "old.xml": atom("old", [["next-archive", "https://example.com/feeds/archive/2024%E5%B9%B4.xml"], ["prev-archive", "https://example.com/feeds/atom.xml"]]),
  });
  const { items, documents, unknownCategorySchemes } = await readExportedItems(out);
  expect(documents).toEqual(["atom.xml", "archive/2024年.xml", "old.xml"]);
  expect(items.map((item) => [item.id, item.titleHtml, item.published])).toEqual([
    ["urn:current", "current", "2025-01-01T00:00:00Z"],
    ["urn:y2024", "y2024", "2025-01-01T00:00:00Z"],
    ["urn:old", "old", "2025-01-01T00:00:00Z"],
  ]);
  expect(unknownCategorySchemes).toEqual(["atom.xml: x (https://example.com/elsewhere/)", "archive/2024年.xml: x (https://example.com/elsewhere/)", "old.xml: x (https://example.com/elsewhere/)"]);
});

test("a link that no file of the export can answer is an error naming it", async () => {
  const outside = writeExport({ "atom.xml": atom("a", [["self", "https://example.com/atom.xml"], ["next", "https://other.example/atom.xml"]]) });
  await expect(readExportedItems(outside)).rejects.toThrow("atom.xml links to https://other.example/atom.xml, which is not a file under https://example.com/");
  const query = writeExport({ "atom.xml": atom("a", [["self", "https://example.com/atom.xml"], ["next", "https://example.com/atom.xml?page=2"]]) });
  await expect(readExportedItems(query)).rejects.toThrow("atom.xml?page=2");
  const noSelf = writeExport({ "atom.xml": atom("a", []) });
  await expect(readExportedItems(noSelf)).rejects.toThrow('no rel="self" link');
});
