// How long rendering one post file takes (content/render-file.ts renderPostBytes, the function the
// render workers run), in microseconds per post, for this checkout and optionally another one
// beside it, on the same posts in the same process.
//
//   npm run build && npx tsx bench/render-posts.ts POSTS_DIR [--against OTHER_CHECKOUT] [--cycles N] [--batch N]
//
// Both checkouts are run from their compiled dist/ (build the other one first), because that is
// what the server runs: tsx's transform wraps every closure in a naming helper, which makes code
// that creates functions per call look several times slower than it is.
//
// The machine may be shared, so one run of each is not a measurement. Posts are taken in batches
// (--batch, 200) and every cycle (--cycles, 40) renders one batch with each checkout, in an order
// that alternates, so a burst of load elsewhere hits both alike; the figures are the median and
// quartiles over the cycles. With --against, every post's result is also compared between the two
// checkouts, and the posts whose results differ are counted (and the first few named), so a
// speed-up that changes output does not go unnoticed.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isDeepStrictEqual, parseArgs } from "node:util";
import type { SiteConfig } from "../src/config.js";
import type { LoadResult } from "../src/content/render-file.js";

type Render = (sourcePath: string, bytes: Uint8Array, site: SiteConfig, maxPostBytes: number, revision: string) => LoadResult;

interface PostFile {
  readonly sourcePath: string;
  readonly bytes: Uint8Array;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MAX_POST_BYTES = 1024 * 1024;

/** The settings bench/build.ts gives its server (gen-corpus posts are Japanese, dated in +09:00). */
const SITE: SiteConfig = {
  title: "Feedwright benchmark",
  description: "",
  url: "https://blog.example.com",
  language: "ja",
  timezone: "Asia/Tokyo",
  author: { name: "Anonymous" },
  permalink: "date",
};

async function loadRender(checkout: string): Promise<Render> {
  const file = path.join(checkout, "dist", "content", "render-file.js");
  try {
    const module = (await import(pathToFileURL(file).href)) as { renderPostBytes: Render };
    return module.renderPostBytes;
  } catch (error) {
    throw new Error(`bench/render-posts: cannot load ${file}; run npm run build in ${checkout} first`, { cause: error });
  }
}

function readPosts(dir: string): PostFile[] {
  const posts: PostFile[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(?:md|markdown)$/u.test(entry.name)) continue;
    const full = path.join(entry.parentPath, entry.name);
    posts.push({ sourcePath: path.relative(dir, full).split(path.sep).join("/"), bytes: readFileSync(full) });
  }
  if (posts.length === 0) throw new Error(`bench/render-posts: no .md files in ${dir}; make some with npx tsx bench/gen-corpus.ts ${dir} 2000`);
  return posts.sort((a, b) => (a.sourcePath < b.sourcePath ? -1 : 1));
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { against: { type: "string" }, cycles: { type: "string", default: "40" }, batch: { type: "string", default: "200" } },
  });
  const [postsDir] = positionals;
  const cycles = Number(values.cycles);
  const batch = Number(values.batch);
  if (postsDir === undefined || !(cycles >= 1) || !(batch >= 1)) {
    throw new Error("usage: npx tsx bench/render-posts.ts POSTS_DIR [--against OTHER_CHECKOUT] [--cycles N] [--batch N]");
  }
  const posts = readPosts(postsDir);
  const variants: { readonly name: string; readonly render: Render; readonly times: number[] }[] = [{ name: "this checkout", render: await loadRender(ROOT), times: [] }];
  if (values.against !== undefined) variants.push({ name: `against ${values.against}`, render: await loadRender(path.resolve(values.against)), times: [] });

  // One untimed pass each: JIT warm-up, and the comparison of results.
  const results = variants.map((variant) => posts.map((post) => variant.render(post.sourcePath, post.bytes, SITE, MAX_POST_BYTES, "bench")));
  const [ours, theirs] = results;
  if (ours !== undefined && theirs !== undefined) {
    const differing = posts.filter((_, index) => !isDeepStrictEqual(ours[index], theirs[index])).map((post) => post.sourcePath);
    console.log(`results: ${posts.length - differing.length} of ${posts.length} posts identical in both checkouts${differing.length > 0 ? `; differing: ${differing.slice(0, 5).join(", ")}${differing.length > 5 ? ", …" : ""}` : ""}`);
  }

  let start = 0;
  for (let cycle = 0; cycle < cycles; cycle++) {
    const end = Math.min(posts.length, start + batch);
    for (let turn = 0; turn < variants.length; turn++) {
      const variant = variants[(cycle + turn) % variants.length];
      if (variant === undefined) continue;
      const started = performance.now();
      for (let index = start; index < end; index++) {
        const post = posts[index];
        if (post !== undefined) variant.render(post.sourcePath, post.bytes, SITE, MAX_POST_BYTES, "bench");
      }
      variant.times.push(((performance.now() - started) * 1000) / (end - start));
    }
    start = end >= posts.length ? 0 : end;
  }

  console.log(`${posts.length} posts from ${postsDir}, ${cycles} cycles of ${batch}; µs per post (median, and the quartiles around it):`);
  const medians: number[] = [];
  for (const variant of variants) {
    const sorted = [...variant.times].sort((a, b) => a - b);
    medians.push(quantile(sorted, 0.5));
    console.log(`  ${variant.name.padEnd(40)} ${quantile(sorted, 0.5).toFixed(0).padStart(6)}   (${quantile(sorted, 0.25).toFixed(0)}–${quantile(sorted, 0.75).toFixed(0)})`);
  }
  const [mine, other] = medians;
  if (mine !== undefined && other !== undefined) console.log(`  this checkout takes ${((100 * mine) / other).toFixed(0)}% of the other's time (${(other / mine).toFixed(2)}x as fast)`);
}

await main();
