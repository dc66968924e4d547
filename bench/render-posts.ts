// How long rendering one post file takes (content/render-file.ts readPostHead and then
// renderPostBodyBytes, what the render workers run), in microseconds per post, for this checkout and optionally another one
// beside it, on the same posts.
//
//   npm run build && npx tsx bench/render-posts.ts POSTS_DIR [--against OTHER_CHECKOUT] [--runs N] [--passes N] [--site kramdown|gfm]
//
// With --site, the posts are read as the _posts/ of a Jekyll site with Jekyll's default
// _config.yml (`--site kramdown`: Markdown as kramdown) or with `markdown: CommonMark` (`--site
// gfm`: the same site, its Markdown as GitHub-flavoured Markdown), so that two runs show what
// kramdown's syntax costs on the same posts.
//
// Both checkouts are run from their compiled dist/ (build the other one first), because that is
// what the server runs: tsx's transform wraps every closure in a naming helper, which makes code
// that creates functions per call look several times slower than it is.
//
// Each run is a child process that renders every post twice to warm up, then --passes (3) more
// times, timing each pass. A child holds one checkout only, as a server does: two checkouts in
// one process would share marked, sanitize-html and the garbage collector, and each would slow
// the other. The machine may be shared, so one run of each is not a measurement: --runs (6) runs
// of each checkout alternate, so a burst of load elsewhere hits both alike, and the figures are
// the median and quartiles of all their passes. With --against, every post's result is also
// compared between the two checkouts (by a hash of it), and the posts whose results differ are
// counted and the first few named, so a speed-up that changes output does not go unnoticed.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { SiteConfig } from "../src/config.js";
import type { ContentSettings } from "../src/content/settings.js";
import type { BodyResult, HeadResult } from "../src/content/render-file.js";

/** The functions of content/render-file.ts a run calls, from a checkout's dist/. */
interface RenderFile {
  readonly readPostHead: (sourcePath: string, bytes: Uint8Array, settings: ContentSettings, maxPostBytes: number, revision: string) => HeadResult;
  readonly renderPostBodyBytes: (bytes: Uint8Array, maxPostBytes: number, url: string, hints: Extract<HeadResult, { kind: "post" }>["hints"]) => BodyResult;
}

/** One post's head and body, as a scan reads them. */
type PostResult = readonly [HeadResult, BodyResult | undefined];
import type * as SiteConfigModule from "../src/content/jekyll/site-config.js";
import type * as SiteSourceModule from "../src/content/site-source.js";

type SiteMarkdown = "kramdown" | "gfm";

interface PostFile {
  readonly sourcePath: string;
  readonly bytes: Uint8Array;
}

/** What a child run reports: a hash of each post's result, and µs per post of each timed pass. */
interface RunReport {
  readonly hashes: readonly string[];
  readonly passes: readonly number[];
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SELF = fileURLToPath(import.meta.url);
const MAX_POST_BYTES = 1024 * 1024;
const WARM_UP_PASSES = 2;

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

/**
 * A folder of posts' settings. Checkouts that took the site's settings alone in this argument
 * read the same object, so one object serves an --against run of either.
 */
const SETTINGS: ContentSettings & SiteConfig = { ...SITE, site: SITE, maxTermsPerPost: 100, jekyll: undefined };

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

/** The settings of a Jekyll site with Jekyll's defaults, from `checkout`'s own code, its Markdown read as `markdown` says. */
async function siteSettings(checkout: string, markdown: SiteMarkdown): Promise<ContentSettings> {
  const config = (await import(pathToFileURL(path.join(checkout, "dist", "content", "jekyll", "site-config.js")).href)) as typeof SiteConfigModule;
  const source = (await import(pathToFileURL(path.join(checkout, "dist", "content", "site-source.js")).href)) as typeof SiteSourceModule;
  const jekyll = config.parseJekyllSiteConfig(`url: ${SITE.url}\ntimezone: ${SITE.timezone}\n${markdown === "gfm" ? "markdown: CommonMark\n" : ""}`, "_config.yml");
  const feed = { limit: 20, limitExplicit: false, maxTermsPerPost: 100 } as Parameters<typeof source.jekyllSiteState>[0]["feed"];
  return source.jekyllSiteState({ site: SITE, siteExplicit: {}, feed }, jekyll, ".").settings;
}

/** The child: renders the posts with one checkout and prints a RunReport as JSON. */
async function child(checkout: string, postsDir: string, passes: number, site: SiteMarkdown | undefined): Promise<void> {
  const file = path.join(checkout, "dist", "content", "render-file.js");
  let renderFile: RenderFile;
  try {
    renderFile = (await import(pathToFileURL(file).href)) as RenderFile;
  } catch (error) {
    throw new Error(`bench/render-posts: cannot load ${file}; run npm run build in ${checkout} first`, { cause: error });
  }
  const posts = readPosts(postsDir);
  const settings = site === undefined ? SETTINGS : await siteSettings(checkout, site);
  const prefix = site === undefined ? "" : "_posts/";
  const render = (post: PostFile): PostResult => {
    const head = renderFile.readPostHead(`${prefix}${post.sourcePath}`, post.bytes, settings, MAX_POST_BYTES, "bench");
    return [head, head.kind === "post" ? renderFile.renderPostBodyBytes(post.bytes, MAX_POST_BYTES, head.head.url, head.hints) : undefined];
  };
  const renderAll = (): PostResult[] => posts.map(render);
  const hashes = renderAll().map((result) => createHash("sha256").update(JSON.stringify(result)).digest("base64url").slice(0, 16));
  for (let pass = 1; pass < WARM_UP_PASSES; pass++) renderAll();
  const timed: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    const started = performance.now();
    renderAll();
    timed.push(((performance.now() - started) * 1000) / posts.length);
  }
  const report: RunReport = { hashes, passes: timed };
  process.stdout.write(JSON.stringify(report));
}

function run(checkout: string, postsDir: string, passes: number, site: SiteMarkdown | undefined): RunReport {
  const siteArguments = site === undefined ? [] : ["--site", site];
  const result = spawnSync(process.execPath, [...process.execArgv, SELF, "--child", checkout, postsDir, "--passes", String(passes), ...siteArguments], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`bench/render-posts: the run of ${checkout} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as RunReport;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { against: { type: "string" }, runs: { type: "string", default: "6" }, passes: { type: "string", default: "3" }, site: { type: "string" }, child: { type: "boolean", default: false } },
  });
  const passes = Number(values.passes);
  const site = values.site;
  if (site !== undefined && site !== "kramdown" && site !== "gfm") throw new Error(`bench/render-posts: --site ${site}: write --site kramdown or --site gfm`);
  if (values.child) {
    const [checkout, postsDir] = positionals;
    if (checkout === undefined || postsDir === undefined) throw new Error("bench/render-posts: --child CHECKOUT POSTS_DIR");
    await child(checkout, postsDir, passes, site);
    return;
  }
  const [postsDir] = positionals;
  const runs = Number(values.runs);
  if (postsDir === undefined || !(runs >= 1) || !(passes >= 1)) {
    throw new Error("usage: npx tsx bench/render-posts.ts POSTS_DIR [--against OTHER_CHECKOUT] [--runs N] [--passes N] [--site kramdown|gfm]");
  }
  const checkouts = [{ name: "this checkout", dir: ROOT }];
  if (values.against !== undefined) checkouts.push({ name: `against ${values.against}`, dir: path.resolve(values.against) });
  const reports = checkouts.map((): RunReport[] => []);
  for (let index = 0; index < runs; index++) {
    // Alternate which goes first, so neither always follows the other.
    for (let turn = 0; turn < checkouts.length; turn++) {
      const which = (index + turn) % checkouts.length;
      const checkout = checkouts[which];
      if (checkout !== undefined) reports[which]?.push(run(checkout.dir, postsDir, passes, site));
    }
  }

  const posts = readPosts(postsDir);
  const [ours, theirs] = reports.map((list) => list[0]?.hashes ?? []);
  if (ours !== undefined && theirs !== undefined && values.against !== undefined) {
    const differing = posts.filter((_, index) => ours[index] !== theirs[index]).map((post) => post.sourcePath);
    console.log(`results: ${posts.length - differing.length} of ${posts.length} posts identical in both checkouts${differing.length > 0 ? `; differing: ${differing.slice(0, 5).join(", ")}${differing.length > 5 ? ", …" : ""}` : ""}`);
  }
  console.log(`${posts.length} posts from ${postsDir}${site === undefined ? "" : ` as a Jekyll site's (${site})`}, ${runs} runs of ${passes} passes each; µs per post (median, and the quartiles around it):`);
  const medians: number[] = [];
  checkouts.forEach((checkout, index) => {
    const sorted = (reports[index] ?? []).flatMap((report) => report.passes).sort((a, b) => a - b);
    medians.push(quantile(sorted, 0.5));
    console.log(`  ${checkout.name.padEnd(40)} ${quantile(sorted, 0.5).toFixed(0).padStart(6)}   (${quantile(sorted, 0.25).toFixed(0)}–${quantile(sorted, 0.75).toFixed(0)})`);
  });
  const [mine, other] = medians;
  if (mine !== undefined && other !== undefined) console.log(`  this checkout takes ${((100 * mine) / other).toFixed(0)}% of the other's time (${(other / mine).toFixed(2)}x as fast)`);
}

await main();
