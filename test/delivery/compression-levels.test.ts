// Each kind of document is compressed at its kind's gzip level and Brotli quality
// (COMPRESSION_LEVELS), by every path that compresses: the thread pool (first pages as a build
// serves them, archive pages rendered on request) and the static export's renderer (the same code on
// its worker threads: test/publish/incremental-export.test.ts). The
// expected bytes are zlib's own at that level, built here without the module's option helpers.
// Bodies are varied text: on one phrase repeated, Brotli 5 and 6 give the same bytes.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from "node:zlib";
import type { Config } from "../../src/config.js";
import { loadPosts, type ContentSnapshot } from "../../src/content/load-posts.js";
import type { Post, PostBody } from "../../src/content/post.js";
import { Compressor } from "../../src/delivery/compressor.js";
import { COMPRESSION_LEVELS, compressInBackground, compressionKindOf, compressNow, prepareDocument, type CompressionKind } from "../../src/delivery/served-document.js";
import { ServedSite } from "../../src/delivery/served-site.js";
import { buildSite, type SiteBuild } from "../../src/feeds/build-site.js";
import { archivePageMaker } from "../../src/publish/archive-pages.js";
import { wholePostsInput, writeStaticSite } from "../../src/publish/static-export.js";
import { post, testConfig } from "../helpers/site-fixture.js";
import { useScratch } from "../helpers/scratch.js";

const { folderWith, temporaryDir } = useScratch("feedwright-compression-levels-");

/**
 * Text of `count` words picked by a fixed sequence: varied enough that Brotli 5 and 6 give
 * different bytes (on a phrase repeated over and over every level finds the same).
 */
function words(count: number, seed: number): string {
  const vocabulary = ["feed", "archive", "記事", "compress", "level", "gzip", "Brotli", "サイト", "タグ", "カテゴリ", "page", "post", "更新", "配信"];
  let state = seed;
  const picked: string[] = [];
  for (let index = 0; index < count; index++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    picked.push(vocabulary[state % vocabulary.length] ?? "");
  }
  return picked.join(" ");
}

function expected(body: Buffer, kind: CompressionKind): { gzip: Buffer; br: Buffer } {
  const levels = COMPRESSION_LEVELS[kind];
  return {
    gzip: gzipSync(body, { level: levels.gzip }),
    br: brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: levels.brotli,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  };
}

function expectCompressedAs(kind: CompressionKind, body: Buffer, forms: { gzip: Buffer | undefined; br: Buffer | undefined } | undefined): void {
  const want = expected(body, kind);
  expect(forms?.gzip && gunzipSync(forms.gzip).equals(body), `${kind}: gzip decompresses to the document`).toBe(true);
  expect(forms?.br && brotliDecompressSync(forms.br).equals(body), `${kind}: Brotli decompresses to the document`).toBe(true);
  expect(forms?.gzip?.equals(want.gzip), `${kind}: gzip level ${COMPRESSION_LEVELS[kind].gzip}`).toBe(true);
  expect(forms?.br?.equals(want.br), `${kind}: Brotli quality ${COMPRESSION_LEVELS[kind].brotli}`).toBe(true);
  // Where the kinds' levels differ, so do their bytes for this document: the checks above tell the kinds apart.
  const other = expected(body, kind === "archive" ? "subscription" : "archive");
  if (COMPRESSION_LEVELS.archive.gzip !== COMPRESSION_LEVELS.subscription.gzip) expect(other.gzip.equals(want.gzip)).toBe(false);
  if (COMPRESSION_LEVELS.archive.brotli !== COMPRESSION_LEVELS.subscription.brotli) expect(other.br.equals(want.br)).toBe(false);
}

const BUILT_AT = new Date("2030-01-01T00:00:00Z");

/** A site of 60 posts, 2 to a document: a subscription document and 29 archives per format. */
async function fixture(): Promise<{ config: Config; build: SiteBuild; bodies: Map<string, PostBody>; content: ContentSnapshot<Post> }> {
  const files: Record<string, string> = {};
  for (let index = 0; index < 60; index++) files[`2025-01-${String((index % 28) + 1).padStart(2, "0")}-p${index}.md`] = post(`title: P${index}\ntags: [記事]`, words(400, index + 1));
  const config = testConfig({ postsDir: folderWith(files).dir, feed: { limit: 2 } });
  const content = await loadPosts(config);
  const build = buildSite(config, content, BUILT_AT);
  return { config, build, bodies: new Map<string, PostBody>(content.posts.map((entry) => [entry.revision, entry])), content };
}

async function servedSite(): Promise<ServedSite> {
  const { config, build, bodies } = await fixture();
  const site = await ServedSite.create(config, build, undefined, undefined, archivePageMaker(config, () => Promise.resolve(bodies)), new Compressor());
  await site.compressed;
  return site;
}

describe("compression levels per kind of document", () => {
  const body = Buffer.from(`<rss version="2.0"><channel><item><title>記事</title><description>${words(3000, 7)}</description></item></channel></rss>`);

  test.each(["subscription", "archive"] as const)("%s: compressed on this thread and on the thread pool alike, at its levels", async (kind) => {
    expectCompressedAs(kind, body, compressNow(body, kind));
    expectCompressedAs(kind, body, await compressInBackground(body, kind));
    expectCompressedAs(kind, body, await compressInBackground(body, kind, { oneThread: true }));
  });

  test("a served first page at the subscription levels, an archive page at the archive levels", async () => {
    const site = await servedSite();
    for (const path of ["/feed.xml", "/atom.xml", "/feed.json"]) {
      const first = site.lookup(path);
      expect(first?.kind).toBe("site-feed");
      expectCompressedAs("subscription", first?.source.body ?? Buffer.alloc(0), { gzip: first?.variants.gzip.body, br: first?.variants.br.body });
    }
    const archive = await site.archivePage("/archive/2/feed.xml");
    expect(archive?.kind).toBe("archive-page");
    expectCompressedAs("archive", archive?.source.body ?? Buffer.alloc(0), { gzip: archive?.variants.gzip.body, br: archive?.variants.br.body });
  });

  test("the static export writes a first page's siblings at the subscription levels, an archive page's at the archive levels", async () => {
    const { config, content } = await fixture();
    const out = path.join(temporaryDir(), "out");
    await writeStaticSite(config, wholePostsInput(content, BUILT_AT), out);
    for (const [relative, kind] of [["feed.xml", "subscription"], ["tags/記事/atom.xml", "subscription"], ["archive/2/feed.xml", "archive"], ["tags/記事/archive/3/feed.json", "archive"]] as const) {
      const file = path.join(out, relative);
      expectCompressedAs(kind, readFileSync(file), { gzip: readFileSync(`${file}.gz`), br: readFileSync(`${file}.br`) });
    }
  });

  test("prepareDocument and the export's files of a document compress it at its kind's levels", async () => {
    const site = await servedSite();
    const document = site.lookup("/feed.xml")?.source;
    if (!document) throw new Error("no /feed.xml");
    for (const [documentKind, kind] of [["site-feed", "subscription"], ["tag-feed", "subscription"], ["archive-page", "archive"]] as const) {
      expectCompressedAs(kind, document.body, compressNow(document.body, compressionKindOf(documentKind)));
      const { variants } = prepareDocument(document, { cacheControl: "public, max-age=60", kind: documentKind });
      expectCompressedAs(kind, document.body, { gzip: variants.gzip.body, br: variants.br.body });
    }
  });
});
