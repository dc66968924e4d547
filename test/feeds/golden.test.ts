// Golden files: the documents built from test/fixtures/site with a fixed clock and a fixed
// configuration, compared byte for byte with test/golden/.
//
// After a deliberate change to the output, rewrite them with
//
//   UPDATE_GOLDEN=1 npx vitest run test/feeds/golden.test.ts
//
// and review `git diff test/golden` as XML and JSON before committing: every changed byte is a
// change every subscriber's reader will see.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Config } from "../../src/config.js";
import { loadPosts } from "../../src/content/load-posts.js";
import { buildSite, type SiteBuild } from "../../src/feeds/build-site.js";
import { FEED_FILE_NAMES, type FeedFormat } from "../../src/feeds/routes.js";
import { testConfig } from "../helpers/site-fixture.js";

const FIXTURE_DIR = fileURLToPath(new URL("../fixtures/site/", import.meta.url));
const GOLDEN_DIR = fileURLToPath(new URL("../golden/", import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === "1";

/** After every dated post of the fixture except the one dated 2099. */
const NOW = new Date("2026-01-01T00:00:00Z");
const LATER_NOW = new Date("2098-12-31T23:59:59Z");

/** Feeds live on their own host, so self links and home page links can be told apart. */
function fixtureConfig(): Config {
  return testConfig({ postsDir: FIXTURE_DIR, site: { timezone: "Asia/Tokyo" }, feed: { url: "https://feeds.example.com" } });
}

async function buildFixture(now: Date): Promise<SiteBuild> {
  const config = fixtureConfig();
  return buildSite(config, await loadPosts(config), now);
}

const FORMATS: readonly FeedFormat[] = ["rss", "atom", "json"];

/** Every document of a build by the path a static export gives it. */
function allDocuments(build: SiteBuild): Map<string, Buffer> {
  const documents = new Map<string, Buffer>();
  for (const format of FORMATS) {
    documents.set(FEED_FILE_NAMES[format], build.site.documents[format].body);
    for (const [folder, terms] of [["categories", build.terms.category], ["tags", build.terms.tag]] as const) {
      for (const [slug, feed] of terms) documents.set(`${folder}/${slug}/${FEED_FILE_NAMES[format]}`, feed.documents[format].body);
    }
  }
  documents.set("index.html", build.index.body);
  documents.set("feeds.opml", build.opml.body);
  return documents;
}

/** The documents kept as golden files: the site, one category, one tag (two spellings), the pages. */
const GOLDEN_FILES = [
  ...FORMATS.map((format) => FEED_FILE_NAMES[format]),
  ...FORMATS.map((format) => `categories/engineering/${FEED_FILE_NAMES[format]}`),
  ...FORMATS.map((format) => `tags/machine-learning/${FEED_FILE_NAMES[format]}`),
  "index.html",
  "feeds.opml",
];

describe("golden files", () => {
  it("the fixture loads without problems or warnings", async () => {
    const content = await loadPosts(fixtureConfig());
    expect(content.problems).toEqual([]);
    expect(content.warnings).toEqual([]);
    expect(content.unpublished).toEqual([{ file: "2025-08-01-roadmap-draft.md", reason: "draft: true" }]);
    expect(content.posts).toHaveLength(7);
  });

  it.each(GOLDEN_FILES)("%s matches its golden file byte for byte", async (file) => {
    const actual = allDocuments(await buildFixture(NOW)).get(file);
    if (actual === undefined) throw new Error(`the build has no ${file}; did a slug change?`);
    const goldenPath = path.join(GOLDEN_DIR, file);
    if (UPDATE) {
      mkdirSync(path.dirname(goldenPath), { recursive: true });
      writeFileSync(goldenPath, actual);
    }
    let expected: Buffer;
    try {
      expected = readFileSync(goldenPath);
    } catch (error) {
      throw new Error(`cannot read ${goldenPath}; create it with UPDATE_GOLDEN=1 npx vitest run test/feeds/golden.test.ts and review it`, { cause: error });
    }
    // As text first, for a readable diff; then as bytes, which is what ETags are computed from.
    expect(actual.toString("utf8")).toBe(expected.toString("utf8"));
    expect(actual.equals(expected)).toBe(true);
  });

  it("leaves the draft and the 2099 post out of every document", async () => {
    const build = await buildFixture(NOW);
    expect(build.scheduled.map((post) => post.sourcePath)).toEqual(["2099-01-01-letter-to-the-future.md"]);
    for (const [file, body] of allDocuments(build)) {
      const text = body.toString("utf8");
      expect(text, file).not.toContain("letter-to-the-future");
      expect(text, file).not.toContain("roadmap-draft");
      expect(text, file).not.toContain("下書き");
    }
  });

  it("building twice gives byte-identical documents", async () => {
    const first = allDocuments(await buildFixture(NOW));
    const second = allDocuments(await buildFixture(NOW));
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [file, body] of first) expect(second.get(file)?.equals(body), file).toBe(true);
  });

  it("a later clock that publishes no new post gives byte-identical documents", async () => {
    const atNow = allDocuments(await buildFixture(NOW));
    const later = allDocuments(await buildFixture(LATER_NOW));
    expect([...later.keys()]).toEqual([...atNow.keys()]);
    for (const [file, body] of atNow) expect(later.get(file)?.equals(body), file).toBe(true);
  });

  it("the 2099 post appears once its date has come", async () => {
    const build = await buildFixture(new Date("2099-01-01T00:00:00Z"));
    expect(build.scheduled).toEqual([]);
    expect(build.site.documents.rss.body.toString("utf8")).toContain("letter-to-the-future");
  });
});
