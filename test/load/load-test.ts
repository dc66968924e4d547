// `npm run test:load`: one `feedwright serve` under load while its posts change underneath, on the
// loopback, for a bounded time. A test, not a benchmark: it exits 1 when any of these fails.
//
//   npm run test:load -- [--duration S] [--warmup S] [--connections N] [--posts N] [--no-cache] [--heap-snapshots] [--keep]
//
// 1. A generated site (bench/gen-corpus.ts, fixed seed) in a temp folder, scanned every second,
//    and one `node dist/cli.js serve` on 127.0.0.1 (with the memory probe of memory.ts), ready
//    when /readyz answers 200.
// 2. N keep-alive connections for the warm-up and then S measured seconds, each sending one
//    request at a time: first pages and archive pages of the site, category and tag feeds in all
//    three formats, with and without gzip/br, revalidations with the ETag last seen (304s),
//    unknown tags and paths (404s) and non-canonical spellings (301s). Meanwhile a mutator adds,
//    edits and deletes a post every 200 ms, so nearly every scan publishes new documents while
//    they are being requested.
// 3. Every response is checked in full (check-response.ts). The server's RSS is sampled every
//    second, and its retained memory taken at a checkpoint after the warm-up and one at the end
//    (memory.ts). Figures are printed, then one verdict line.
// 4. The server is stopped (SIGTERM, then SIGKILL) and the temp folder deleted, whatever happens,
//    Ctrl-C included.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_SEED, generatePosts, writeCorpus } from "../../bench/gen-corpus.js";
import { slugPathSegment, termSlug } from "../../src/feeds/slug.js";
import { ResponseChecker, type FeedFormat, type Target } from "./check-response.js";
import { diffHeapSnapshots } from "./heap-diff.js";
import { runLoad, type LoadStats, type Tally } from "./load-client.js";
import { checkpoint, installProbe, megabytes, Probe, RssSampler, rssWindow, type Checkpoint, type RssSample } from "./memory.js";
import { PostMutator } from "./mutator.js";
import {
  counterValue,
  cpuSeconds,
  fetchText,
  freePort,
  hasExited,
  logTail,
  problemLogLines,
  residentBytes,
  scanCounts,
  signal,
  sleep,
  startServer,
  stopServer,
  waitUntilReady,
  type ScanCounts,
  type ServerExit,
} from "./server-process.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const CLI = path.join(ROOT, "dist", "cli.js");
const SEED = DEFAULT_SEED;
/** Posts the mutator adds come from another seed, so they are new posts. */
const MUTATOR_SEED = SEED + 1;
const FEED_LIMIT = 10;
const MUTATION_INTERVAL_MS = 200;
const REQUEST_TIMEOUT_MS = 10_000;
/** A checkpoint waits for one scan; this long only ends a hang (a scan normally takes well under 10 s). */
const CHECKPOINT_DEADLINE_MS = 120_000;
/** While a heap snapshot is written the server answers nothing, for seconds. */
const SNAPSHOT_REQUEST_TIMEOUT_MS = 120_000;
const SNAPSHOT_DEADLINE_MS = 120_000;
/** SIGTERM first; the server's own shutdown closes connections after 10 s, so give it 15. */
const STOP_GRACE_MS = 15_000;
/**
 * How long the last added post may take to appear in /feed.json once the mutator has stopped.
 * Only ends a hang: a scan takes about a second here, up to 10 s on a machine busy with other
 * work, and how fast is not what this test asserts.
 */
const PUBLISH_DEADLINE_MS = 60_000;
/**
 * Memory must stay flat over the measured part of the load, in two figures (memory.ts says why
 * RSS alone cannot tell a leak from a plateau):
 *
 * - Retained memory (V8 heap + external memory after a full GC, right after a scan, at a
 *   checkpoint after the warm-up and one at the end) may grow by 5% + 5 MB. Measured on 2 cores
 *   shared with other work (700-2,800 req/s), about 79 MB: in twelve runs of 20 s without a leak
 *   it moved by -0.8% to +3.3% (at most +2.6 MB; the site itself grows by a few posts, and in a
 *   90 s run by 38 posts and +6.2 MB). With the disk cache's write queue growing without bound
 *   (the leak this figure found; README, "Tests"), it grew by +35% to +62% in the same 20 s,
 *   from a checkpoint already far above 79 MB, and to 673 MB in a 90 s run.
 * - RSS, mean of the first 5 s vs the last 5 s, may grow by 10% + 10 MB: a guard against
 *   memory that V8 does not count (native buffers, sockets). RSS climbs for about the first
 *   25 s of load as the allocator reaches its high-water mark and is flat after it: with the
 *   30 s warm-up it moved by -2.3% to +5.6% in nine runs without a leak; with 10 s of warm-up,
 *   by up to +17% without any leak. Hence the default warm-up.
 *
 * The smallest leak per request that each bound would catch is printed with the figures.
 */
const RETAINED_GROWTH_RATIO = 0.05;
const RETAINED_GROWTH_BYTES = 5 * 1024 * 1024;
const RSS_GROWTH_RATIO = 0.1;
const RSS_GROWTH_BYTES = 10 * 1024 * 1024;
const MEMORY_WINDOW_S = 5;
const DEFAULT_WARMUP_S = 30;

// Names asked for by their feeds (when the corpus has them): the most used category and tag,
// and names whose slugs are escaped or percent-encoded.
const WANTED_CATEGORIES = ["テクノロジー", "AI/ML", "Web開発", "Engineering"];
const WANTED_TAGS = ["生成AI", "TypeScript", "Machine Learning", "CI/CD", "C#", "Node.js", "100%", ".NET"];
/** Non-canonical spellings that must be redirected (name as written in the URL). */
const MISSPELLED_TAGS = ["Machine Learning", "TypeScript", "生成AI"];
/** Posts kept (never deleted) per requested term, and per term whose archive 1 is requested. */
const KEPT_PER_TERM = 3;
const KEPT_PER_PAGED_TERM = FEED_LIMIT + 1;
const FORMATS: readonly FeedFormat[] = ["rss", "atom", "json"];
const FILE_NAMES: Readonly<Record<FeedFormat, string>> = { rss: "feed.xml", atom: "atom.xml", json: "feed.json" };

const USAGE = `usage: npm run test:load -- [options]   (or: npx tsx test/load/load-test.ts [options] after npm run build)
  --duration S      seconds of measured load (default 20, at least ${2 * MEMORY_WINDOW_S}: memory compares its first and last ${MEMORY_WINDOW_S} s)
  --warmup S        seconds of the same load before them (default ${DEFAULT_WARMUP_S}), not counted in the memory comparison
  --connections N   keep-alive connections, one request at a time each (default 64)
  --posts N         posts to generate (default 300, at least 100; seed ${SEED})
  --heap-snapshots  also write heap snapshots of the server at the end of the warm-up and of the load,
                    and print what was allocated between them and is still alive (slow: the server
                    stops for seconds while each is written; implies --keep)
  --no-rebuilds     no client asking POST /-/rebuild back to back: scans only on the schedule
  --no-cache        run the server without its disk cache (tells memory held by the cache from the rest)
  --keep            keep the temp folder (posts, config, server log, snapshots)`;

interface Options {
  readonly duration: number;
  readonly warmup: number;
  readonly connections: number;
  readonly posts: number;
  readonly heapSnapshots: boolean;
  readonly cache: boolean;
  readonly rebuilds: boolean;
  readonly keep: boolean;
}

class UsageError extends Error {}

function parseOptions(args: string[]): Options | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        duration: { type: "string" },
        warmup: { type: "string" },
        connections: { type: "string" },
        posts: { type: "string" },
        keep: { type: "boolean" },
        "heap-snapshots": { type: "boolean" },
        "no-cache": { type: "boolean" },
        "no-rebuilds": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";
  const whole = (name: string, text: string | undefined, fallback: number, min: number): number => {
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`--${name} must be a whole number of at least ${min}, not "${text}"`);
    return Number(text);
  };
  return {
    duration: whole("duration", values.duration, 20, 2 * MEMORY_WINDOW_S),
    warmup: whole("warmup", values.warmup, DEFAULT_WARMUP_S, 0),
    connections: whole("connections", values.connections, 64, 1),
    posts: whole("posts", values.posts, 300, 100),
    heapSnapshots: values["heap-snapshots"] ?? false,
    cache: !(values["no-cache"] ?? false),
    rebuilds: !(values["no-rebuilds"] ?? false),
    keep: (values.keep ?? false) || (values["heap-snapshots"] ?? false),
  };
}

// ---------------------------------------------------------------------------------------------
// The site: which feeds are requested, and which posts must stay so that they keep existing.

interface Site {
  readonly files: readonly string[];
  readonly categories: number;
  readonly tags: number;
  readonly groups: readonly { readonly name: string; readonly weight: number; readonly targets: readonly Target[] }[];
  readonly kept: ReadonlySet<string>;
  readonly described: string;
}

function planSite(postCount: number, origin: string): Site {
  const files: string[] = [];
  const byCategory = new Map<string, string[]>();
  const byTag = new Map<string, string[]>();
  for (const post of generatePosts(postCount, SEED)) {
    files.push(post.fileName);
    for (const name of post.categories) byCategory.set(name, [...(byCategory.get(name) ?? []), post.fileName]);
    for (const name of post.tags) byTag.set(name, [...(byTag.get(name) ?? []), post.fileName]);
  }
  const present = (names: readonly string[], index: ReadonlyMap<string, string[]>): string[] => names.filter((name) => (index.get(name)?.length ?? 0) >= KEPT_PER_TERM);
  const categories = present(WANTED_CATEGORIES, byCategory);
  const tags = present(WANTED_TAGS, byTag);
  if (categories.length < 2 || tags.length < 4) {
    throw new Error(`load-test: the ${postCount}-post corpus has too few of the wanted categories (${categories.join(", ")}) or tags (${tags.join(", ")}); use more --posts`);
  }
  // Archive 1 of the most used category and of the two most used tags (those have dozens of posts).
  const mostUsed = (index: ReadonlyMap<string, string[]>, count: number): string[] =>
    [...index.entries()].sort((a, b) => b[1].length - a[1].length).slice(0, count).map(([name]) => name);
  const pagedCategories = mostUsed(byCategory, 1);
  const pagedTags = mostUsed(byTag, 2);

  const kept = new Set<string>();
  const keep = (index: ReadonlyMap<string, string[]>, names: readonly string[], count: number): void => {
    for (const name of names) for (const file of (index.get(name) ?? []).slice(0, count)) kept.add(file);
  };
  keep(byCategory, categories, KEPT_PER_TERM);
  keep(byTag, tags, KEPT_PER_TERM);
  keep(byCategory, pagedCategories, KEPT_PER_PAGED_TERM);
  keep(byTag, pagedTags, KEPT_PER_PAGED_TERM);

  const base = (kind: "categories" | "tags", name: string): string => `/${kind}/${slugPathSegment(termSlug(name))}`;
  /** The subscription document (archive 0) or archive `archive` of a feed. */
  const page = (basePath: string, format: FeedFormat, archive: number): string =>
    archive === 0 ? `${basePath}/${FILE_NAMES[format]}` : `${basePath}/archive/${archive}/${FILE_NAMES[format]}`;
  const documents = (basePath: string, archive: number): Target[] =>
    FORMATS.map((format) => ({
      kind: "document",
      group: archive === 0 ? "feed" : "page",
      path: page(basePath, format, archive),
      format,
      selfUrl: `${origin}${page(basePath, format, archive)}`,
      feedUrl: `${origin}${page(basePath, format, 0)}`,
    }));
  const feeds = [
    ...documents("", 0),
    ...categories.flatMap((name) => documents(base("categories", name), 0)),
    ...tags.flatMap((name) => documents(base("tags", name), 0)),
  ];
  const pages = [
    ...documents("", 1),
    ...documents("", 2),
    ...pagedCategories.flatMap((name) => documents(base("categories", name), 1)),
    ...pagedTags.flatMap((name) => documents(base("tags", name), 1)),
  ];
  const firstPagedTag = base("tags", pagedTags[0] ?? "");
  const missing: Target[] = [
    "/tags/no-such-tag-load-test/feed.xml",
    "/tags/no-such-tag-load-test/atom.xml",
    `/categories/${encodeURIComponent("存在しないカテゴリ")}/feed.json`,
    "/archive/999999/feed.xml",
    `${firstPagedTag}/archive/999999/atom.xml`,
    "/wp-login.php",
    "/feed.rss",
    "/tags/",
  ].map((urlPath) => ({ kind: "missing", group: "missing", path: urlPath }));
  const redirects: Target[] = [
    ...MISSPELLED_TAGS.filter((name) => byTag.has(name)).map((name): Target => ({
      kind: "redirect",
      group: "redirect",
      path: `/tags/${encodeURIComponent(name)}/feed.xml`,
      location: `${base("tags", name)}/feed.xml`,
    })),
    { kind: "redirect", group: "redirect", path: "/page/1/atom.xml", location: "/atom.xml" },
    { kind: "redirect", group: "redirect", path: "/archive/02/feed.json", location: "/archive/2/feed.json" },
  ];
  return {
    files,
    categories: byCategory.size,
    tags: byTag.size,
    groups: [
      { name: "feed", weight: 0.6, targets: feeds },
      { name: "page", weight: 0.2, targets: pages },
      { name: "missing", weight: 0.12, targets: missing },
      { name: "redirect", weight: 0.08, targets: redirects },
    ],
    kept,
    described:
      `requested: the site, categories ${categories.join(", ")}, tags ${tags.join(", ")} (subscription documents, 3 formats); ` +
      `archives 1 and 2 of the site, archive 1 of category ${pagedCategories.join(", ")} and tags ${pagedTags.join(", ")}; ` +
      `${missing.length} URLs without a document, ${redirects.length} non-canonical spellings; ` +
      `${feeds.length + pages.length + missing.length + redirects.length} URLs in all. ${kept.size} posts are never deleted (they keep those feeds and pages alive)`,
  };
}

function writeConfig(file: string, port: number, cacheDir: string, rebuildToken: string): void {
  writeFileSync(
    file,
    [
      "# Written by test/load/load-test.ts for one run, and deleted with its folder.",
      "site:",
      `  url: "http://127.0.0.1:${port}"`,
      '  title: "Feedwright load test"',
      "  timezone: Asia/Tokyo",
      "feed:",
      `  limit: ${FEED_LIMIT}   # small, so that there are archive pages to request`,
      "# node-cron with seconds: a scan every second, so posts change under the load all the time.",
      'schedule: "* * * * * *"',
      "# For the client that asks for a rescan as soon as the last one is done (see rebuildLoop).",
      "rebuild:",
      `  token: "${rebuildToken}"`,
      "log:",
      "  # 64 connections for 20 s make hundreds of thousands of requests, up to a million: one log",
      "  # line each would load the server's event loop and the disk with logging and measure the",
      "  # logger, not the service. /metrics still counts every request.",
      "  requests: false",
      `cache_dir: ${JSON.stringify(cacheDir)}`,
      "host: 127.0.0.1",
      "",
    ].join("\n"),
  );
}

// ---------------------------------------------------------------------------------------------

interface Outcome {
  readonly stats: LoadStats;
  readonly checker: ResponseChecker;
  readonly mutator: PostMutator;
  readonly initialPosts: number;
  readonly rss: readonly RssSample[];
  /** POST /-/rebuild answered 200, and not (undefined: --no-rebuilds). */
  readonly rebuilds: RebuildCounts | undefined;
  /** Retained memory after the warm-up and at the end. */
  readonly checkpoints: readonly [Checkpoint | { readonly error: string }, Checkpoint | { readonly error: string }];
  readonly idleBytes: number | undefined;
  /** What the heap snapshots showed (--heap-snapshots), or why there is nothing to show. */
  readonly heapDiff: readonly string[] | undefined;
  /** CPU seconds used during the load by the server and by this process (the load, the checks, the mutator). */
  readonly serverCpu: number | undefined;
  readonly testCpu: number;
  /** The longest this process's event loop was blocked during the load (monitorEventLoopDelay). */
  readonly testLoopDelayMaxMs: number;
  readonly scansBefore: ScanCounts;
  readonly publishedBefore: number | undefined;
  /** Why the server was gone when the load ended, if it was. */
  readonly serverExited: string | undefined;
  readonly after: AfterLoad | { readonly error: string };
}

/** What the run holds that must be released whatever happens. */
interface Resources {
  readonly dir: string;
  server: ChildProcess | undefined;
}

type Log = (line: string) => void;

async function exercise(options: Options, resources: Resources, log: Log): Promise<Outcome> {
  if (!existsSync(CLI)) throw new Error(`load-test: ${CLI} is missing; run npm run build first (npm run test:load does)`);
  const postsDir = path.join(resources.dir, "posts");
  const configFile = path.join(resources.dir, "feedwright.yaml");
  const logFile = path.join(resources.dir, "server.log");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;

  // 1. The site and the server.
  const corpus = writeCorpus(postsDir, options.posts, SEED);
  const site = planSite(options.posts, origin);
  log(`site: ${corpus.posts} posts (seed ${SEED}, ${(corpus.bytes / 1_048_576).toFixed(1)} MB), ${site.categories} categories, ${site.tags} tags in ${postsDir}; feed.limit ${FEED_LIMIT}; a scan every second`);
  log(site.described);
  const rebuildToken = randomBytes(24).toString("hex");
  writeConfig(configFile, port, path.join(resources.dir, "cache"), rebuildToken);
  const startedAt = performance.now();
  const nodeFlags = installProbe(resources.dir);
  const server = startServer({ cli: CLI, configFile, postsDir, port, logFile, nodeFlags, noCache: !options.cache });
  const probe = new Probe(server);
  resources.server = server;
  await waitUntilReady(server, port, logFile, 120_000);
  const pid = server.pid ?? 0;
  log(`server: node dist/cli.js serve, pid ${pid}, on ${origin}/, ready (/readyz 200) after ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);

  const metricsBefore = (await fetchText(port, "/metrics")).text;
  const healthBefore = readHealth((await fetchText(port, "/healthz")).text);
  const idleBytes = residentBytes(pid);

  // 2. The load, the mutator and the memory sampler, together.
  const mutator = new PostMutator({
    postsDir,
    initialFiles: site.files,
    protectedFiles: site.kept,
    seed: MUTATOR_SEED,
    minPosts: Math.max(3 * FEED_LIMIT + 1, Math.floor(options.posts / 2)),
  });
  const checker = new ResponseChecker(FEED_LIMIT);
  log(
    `load: ${options.connections} keep-alive connections for ${options.warmup} s of warm-up + ${options.duration} s measured; a post added, edited or deleted every ${MUTATION_INTERVAL_MS} ms; ` +
      `${options.rebuilds ? "POST /-/rebuild back to back (a scan always under way) besides the schedule; " : ""}server RSS sampled every second; retained memory at a checkpoint after the warm-up and one at the end`,
  );
  // At a checkpoint the posts stand still until one scan has published them (see memory.ts).
  let paused = false;
  const mutating = setInterval(() => {
    if (!paused) mutator.tick();
  }, MUTATION_INTERVAL_MS);
  const pause = (value: boolean): void => {
    paused = value;
  };
  // This process's own stalls: a second without responses means little if the client stalled.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const serverCpuBefore = cpuSeconds(pid);
  const testCpuBefore = process.cpuUsage();
  const rssSampler = new RssSampler(pid);
  const snapshotDir = path.join(resources.dir, "heap-snapshots");
  if (options.heapSnapshots) mkdirSync(snapshotDir);
  const snapshots: (string | undefined)[] = [];
  let stopLoad = (): void => undefined;
  const until = new Promise<void>((resolve) => (stopLoad = resolve));
  const loadStarted = performance.now();
  // The schedule of the run, beside the load: warm-up, checkpoint, measured time, checkpoint, stop.
  const schedule = async (): Promise<readonly [Checkpoint | { readonly error: string }, Checkpoint | { readonly error: string }]> => {
    try {
      const take = async (name: string): Promise<Checkpoint | { readonly error: string }> => {
        const taken = await checkpoint(port, probe, pause, CHECKPOINT_DEADLINE_MS);
        // The snapshot too at the checkpoint's moment, the posts still standing still.
        if (options.heapSnapshots) {
          pause(true);
          snapshots.push(await heapSnapshot(probe, path.join(snapshotDir, name), log));
          pause(false);
        }
        return taken;
      };
      await sleep(options.warmup * 1000);
      const first = await take("1-after-warmup.heapsnapshot");
      await sleep(Math.max(0, loadStarted + (options.warmup + options.duration) * 1000 - performance.now()));
      const last = await take("2-end-of-load.heapsnapshot");
      return [first, last];
    } finally {
      stopLoad();
    }
  };
  let stats: LoadStats;
  let rss: readonly RssSample[];
  let checkpoints: readonly [Checkpoint | { readonly error: string }, Checkpoint | { readonly error: string }];
  const rebuilds: RebuildCounts = { ok: 0, failed: 0, errors: [] };
  try {
    [stats, checkpoints] = await Promise.all([
      options.rebuilds ? rebuildLoop(port, rebuildToken, until, rebuilds) : undefined,
      runLoad({
        port,
        connections: options.connections,
        until,
        groups: site.groups,
        checker,
        seed: SEED,
        requestTimeoutMs: options.heapSnapshots ? SNAPSHOT_REQUEST_TIMEOUT_MS : REQUEST_TIMEOUT_MS,
      }),
      schedule(),
    ]).then(([, load, taken]) => [load, taken] as const);
  } finally {
    stopLoad();
    clearInterval(mutating);
    rss = await rssSampler.stop();
  }
  const serverCpuAfter = cpuSeconds(pid);
  const testCpu = process.cpuUsage(testCpuBefore);
  loopDelay.disable();

  // The server must still be there; what follows is asked of it, and a failure here is reported
  // with the figures of the load rather than instead of them.
  const serverExited = hasExited(server) ? `the server exited during the load (code ${server.exitCode}, signal ${server.signalCode})` : undefined;
  const after = await afterLoad(port, mutator, metricsBefore).catch((error: unknown) => ({ error: `after the load: ${(error as Error).message}` }));
  let heapDiff: string[] | undefined;
  if (options.heapSnapshots) {
    const [first, second] = snapshots;
    heapDiff = first && second ? [...diffHeapSnapshots(first, second).lines] : ["heap-diff: a heap snapshot is missing (see above)"];
  }
  return {
    stats,
    checker,
    mutator,
    initialPosts: site.files.length,
    rss,
    checkpoints,
    rebuilds: options.rebuilds ? rebuilds : undefined,
    idleBytes,
    heapDiff,
    serverCpu: serverCpuBefore === undefined || serverCpuAfter === undefined ? undefined : serverCpuAfter - serverCpuBefore,
    testCpu: (testCpu.user + testCpu.system) / 1e6,
    testLoopDelayMaxMs: loopDelay.max / 1e6,
    scansBefore: scanCounts(metricsBefore),
    publishedBefore: healthBefore?.posts?.published,
    serverExited,
    after,
  };
}

interface RebuildCounts {
  ok: number;
  failed: number;
  /** The first few failures. */
  readonly errors: string[];
}

/**
 * One more client, beside the load: POST /-/rebuild, and again as soon as it is answered (the
 * endpoint answers once the scan's documents are live), until `until` settles. So a scan is
 * always under way, as on a machine too slow for its schedule, or a site whose scans take longer
 * than the interval: whatever waits for a quiet moment between two scans never gets one. The
 * schedule's own scans still run; scans never overlap (the publisher joins a running one).
 */
async function rebuildLoop(port: number, token: string, until: Promise<void>, counts: RebuildCounts): Promise<void> {
  let stopping = false;
  void until.finally(() => {
    stopping = true;
  });
  while (!stopping) {
    const status = await new Promise<number | string>((resolve) => {
      const req = request({ host: "127.0.0.1", port, method: "POST", path: "/-/rebuild", agent: false, headers: { Authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", (error) => resolve(error.message));
      });
      req.setTimeout(CHECKPOINT_DEADLINE_MS, () => req.destroy(new Error(`no answer within ${CHECKPOINT_DEADLINE_MS / 1000} s`)));
      req.on("error", (error) => resolve(error.message));
      req.end();
    });
    if (status === 200) {
      counts.ok++;
    } else {
      counts.failed++;
      if (counts.errors.length < 5) counts.errors.push(String(status));
      await sleep(100);
    }
  }
}

/** A heap snapshot of the server, written by its probe (which answers once the file is complete). */
async function heapSnapshot(probe: Probe, file: string, log: Log): Promise<string | undefined> {
  const asked = performance.now();
  const written = await probe.snapshot(file, SNAPSHOT_DEADLINE_MS);
  log(
    written === undefined
      ? `heap snapshot: ${path.basename(file)} not written within ${SNAPSHOT_DEADLINE_MS / 1000} s`
      : `heap snapshot: ${path.basename(file)}, ${megabytes(statSync(written).size)}, written in ${((performance.now() - asked) / 1000).toFixed(1)} s (the server answered nothing meanwhile)`,
  );
  return written;
}

/** What is read from the server once the load and the mutator have stopped. */
interface AfterLoad {
  readonly scans: ScanCounts;
  readonly feedPagesRendered: number;
  readonly documentsRebuilt: number;
  readonly published: number | undefined;
  readonly skipped: number | undefined;
  /** Milliseconds until the last added post was first in /feed.json; undefined: it never was. */
  readonly publishedAfterMs: number | undefined;
  readonly sentinelTitle: string;
}

async function afterLoad(port: number, mutator: PostMutator, metricsBefore: string): Promise<AfterLoad> {
  // The last change must reach the feeds: a post newer than every other, then /feed.json.
  const sentinel = mutator.add(30);
  const waitStarted = performance.now();
  let publishedAfterMs: number | undefined;
  while (sentinel && performance.now() - waitStarted < PUBLISH_DEADLINE_MS) {
    const feed = await fetchText(port, "/feed.json");
    if (feed.status === 200 && (JSON.parse(feed.text) as { items?: { title?: string }[] }).items?.[0]?.title === sentinel.title) {
      publishedAfterMs = performance.now() - waitStarted;
      break;
    }
    await sleep(100);
  }
  const metrics = (await fetchText(port, "/metrics")).text;
  const health = readHealth((await fetchText(port, "/healthz")).text);
  const delta = (name: string): number => counterValue(metrics, name) - counterValue(metricsBefore, name);
  return {
    scans: scanCounts(metrics),
    feedPagesRendered: delta("feedwright_feed_pages_rendered_total"),
    documentsRebuilt: delta("feedwright_documents_rebuilt_total"),
    published: health?.posts?.published,
    skipped: health?.posts?.skipped,
    publishedAfterMs,
    sentinelTitle: sentinel?.title ?? "(not written)",
  };
}

interface Health {
  readonly posts?: { readonly published?: number; readonly skipped?: number };
}

function readHealth(text: string): Health | undefined {
  try {
    return JSON.parse(text) as Health;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Figures and assertions.

interface Assertion {
  readonly what: string;
  readonly held: boolean;
  readonly detail: string;
}

function evaluate(outcome: Outcome, exit: ServerExit | undefined, options: Options, log: Log): Assertion[] {
  const { stats, mutator } = outcome;
  const number = (value: number): string => Math.round(value).toLocaleString("en-US");
  const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;
  const percentile = (q: number): number => stats.latenciesMs[Math.min(stats.latenciesMs.length - 1, Math.max(0, Math.ceil(q * stats.latenciesMs.length) - 1))] ?? NaN;
  const statusList = (statuses: ReadonlyMap<number, number>): string =>
    [...statuses.entries()].sort((a, b) => a[0] - b[0]).map(([status, count]) => `${status} x ${number(count)}`).join(", ") || "none";
  const sum = (tallies: ReadonlyMap<string, Tally>): number => [...tallies.values()].reduce((total, entry) => total + entry.count, 0);
  const seconds = stats.elapsedMs / 1000;

  log("");
  log("figures:");
  log(`  responses: ${number(stats.responses)} in ${seconds.toFixed(1)} s = ${number(stats.responses / seconds)} req/s over ${stats.sockets} sockets; ${mb(stats.bodyBytes)} of bodies`);
  const cores = (cpu: number | undefined): string => (cpu === undefined ? "?" : `${cpu.toFixed(1)} s (${(cpu / seconds).toFixed(2)} cores)`);
  log(`  CPU during the load: server ${cores(outcome.serverCpu)}, this process ${cores(outcome.testCpu)}; ${os.cpus().length} cores, load average after ${os.loadavg().map((value) => value.toFixed(2)).join(" ")}`);
  log(`  latency (request sent to end of body): p50 ${percentile(0.5).toFixed(2)} ms, p99 ${percentile(0.99).toFixed(2)} ms, max ${percentile(1).toFixed(1)} ms`);
  log(
    `  responses per second of the load: min ${number(Math.min(...stats.perSecond))}, max ${number(Math.max(...stats.perSecond))} (${stats.perSecond.map(number).join(" ")}); ` +
      `this process's event loop stalled at most ${outcome.testLoopDelayMaxMs.toFixed(0)} ms`,
  );
  log(`  by status: ${statusList(stats.statuses)}`);
  for (const [group, statuses] of stats.groups) log(`    ${group.padEnd(8)} ${statusList(statuses)}`);
  log(`  200 documents by coding: ${[...stats.codings.entries()].map(([coding, count]) => `${coding} ${number(count)}`).join(", ")}; ${number(outcome.checker.bodiesChecked)} bodies checked, ${number(outcome.checker.bodiesParsed)} distinct ones parsed`);
  log(`  revalidations (If-None-Match with the ETag last seen): ${number(stats.revalidations.sent)}, answered 304 ${number(stats.revalidations.notModified)}, 200 with a new ETag ${number(stats.revalidations.changed)} (the document had changed)`);
  log(`  connection errors: ${sum(stats.errors) === 0 ? "none" : [...stats.errors.entries()].map(([code, entry]) => `${code} x ${entry.count}`).join(", ")}`);
  const after = "error" in outcome.after ? undefined : outcome.after;
  const scansDuring = after ? after.scans.ok - outcome.scansBefore.ok : 0;
  const failedScans = after ? after.scans.failed - outcome.scansBefore.failed : 0;
  log(
    `  posts changed: ${mutator.counts.added} added, ${mutator.counts.edited} edited, ${mutator.counts.deleted} deleted (${mutator.touched.size} distinct files; ` +
      `${mutator.counts.failed} file operations failed); posts on disk ${outcome.initialPosts} -> ${mutator.livePosts}; ` +
      `published (/healthz) ${outcome.publishedBefore ?? "?"} -> ${after?.published ?? "?"}, ${after?.skipped ?? "?"} skipped at the end`,
  );
  if (after) {
    log(
      `  scans (/metrics feedwright_scan_duration_seconds_count): ${outcome.scansBefore.ok} ok before, ${after.scans.ok} after: ${scansDuring} during the run, ` +
        `${failedScans} failed; ${number(after.feedPagesRendered)} feed pages rendered, ${number(after.documentsRebuilt)} documents rebuilt`,
    );
    log(`  last change published: ${after.publishedAfterMs === undefined ? `not within ${PUBLISH_DEADLINE_MS / 1000} s` : `${(after.publishedAfterMs / 1000).toFixed(2)} s`} after the post "${after.sentinelTitle}" was written`);
  } else {
    log(`  scans and the last change: not read (${"error" in outcome.after ? outcome.after.error : ""})`);
  }

  const memoryAssertions = evaluateMemory(outcome, options, log);

  const count = (status: number): number => stats.statuses.get(status) ?? 0;
  const fiveHundreds = [...stats.statuses.entries()].filter(([status]) => status >= 500).reduce((total, [, n]) => total + n, 0);
  const unexpected = [...stats.statuses.keys()].filter((status) => ![200, 304, 404, 301].includes(status));
  const problems = sum(stats.problems);
  // Not a rate (how many per second depends on the machine): the schedule kept scanning through
  // the load. Each checkpoint waited for a scan, and there was the warm-up before them.
  const minScans = 3;
  return [
    { what: "no 5xx", held: fiveHundreds === 0, detail: `${fiveHundreds} responses with a 5xx status` },
    { what: "no connection errors (resets, hang-ups, incomplete bodies, timeouts)", held: sum(stats.errors) === 0, detail: `${sum(stats.errors)} requests without a complete response` },
    { what: "statuses only 200, 304, 404, 301", held: unexpected.length === 0, detail: unexpected.length === 0 ? "none other" : `also ${unexpected.join(", ")}` },
    {
      what: "every response as its URL requires (complete valid documents, Content-Length, codings, 304s without a body, 404s, 301 Locations)",
      held: problems === 0,
      detail: `${problems} problems in ${number(stats.responses)} responses`,
    },
    {
      what: "every kind of response exercised (200, 304, 404, 301; gzip and br)",
      held: [200, 304, 404, 301].every((status) => count(status) > 0) && (stats.codings.get("gzip") ?? 0) > 0 && (stats.codings.get("br") ?? 0) > 0,
      detail: `200 ${count(200)}, 304 ${count(304)}, 404 ${count(404)}, 301 ${count(301)}, gzip ${stats.codings.get("gzip") ?? 0}, br ${stats.codings.get("br") ?? 0}`,
    },
    ...memoryAssertions,
    { what: "the server stayed up", held: outcome.serverExited === undefined, detail: outcome.serverExited ?? "it did" },
    {
      what: `scans kept running (at least ${minScans}, none failed)`,
      held: after !== undefined && scansDuring >= minScans && failedScans === 0,
      detail: after ? `${scansDuring} scans ok, ${failedScans} failed` : "not read from /metrics",
    },
    {
      what: "POST /-/rebuild back to back: every one answered 200",
      held: outcome.rebuilds === undefined || (outcome.rebuilds.failed === 0 && outcome.rebuilds.ok > 0),
      detail: outcome.rebuilds === undefined ? "not asked (--no-rebuilds)" : `${outcome.rebuilds.ok} answered 200, ${outcome.rebuilds.failed} not${outcome.rebuilds.errors.length > 0 ? ` (${outcome.rebuilds.errors.join(", ")})` : ""}`,
    },
    { what: "posts changed as planned", held: mutator.counts.failed === 0 && mutator.counts.added + mutator.counts.edited + mutator.counts.deleted > 0, detail: `${mutator.counts.failed} file operations failed${mutator.errors.length > 0 ? `: ${mutator.errors.join("; ")}` : ""}` },
    {
      what: `the last change reached /feed.json within ${PUBLISH_DEADLINE_MS / 1000} s`,
      held: after?.publishedAfterMs !== undefined,
      detail: after?.publishedAfterMs === undefined ? (after ? "it did not" : "not read from /feed.json") : `after ${(after.publishedAfterMs / 1000).toFixed(2)} s`,
    },
    {
      what: "the server exited 0 on SIGTERM",
      held: exit !== undefined && exit.code === 0 && !exit.killed,
      detail: exit === undefined ? "not stopped" : exit.killed ? `needed SIGKILL after ${STOP_GRACE_MS / 1000} s` : `code ${exit.code ?? "none"}, signal ${exit.signal ?? "none"}`,
    },
  ];
}

/**
 * Memory over the measured part of the load: its first and last MEMORY_WINDOW_S seconds, after
 * the warm-up. Retained memory (heap + external after a full GC) is the leak detector and has a
 * tight bound; RSS has a loose one (see RETAINED_* and RSS_*).
 */
function evaluateMemory(outcome: Outcome, options: Options, log: Log): Assertion[] {
  const { rss, checkpoints, stats } = outcome;
  const end = options.warmup + options.duration;
  const firstRss = rssWindow(rss, options.warmup, options.warmup + MEMORY_WINDOW_S);
  const lastRss = rssWindow(rss, end - MEMORY_WINDOW_S, end);
  const [first, last] = checkpoints.map((taken) => ("error" in taken ? undefined : taken));
  const change = (before: number | undefined, after: number | undefined): string =>
    before === undefined || after === undefined ? "?" : `${megabytes(before)} -> ${megabytes(after)} (${after >= before ? "+" : ""}${(((after - before) / before) * 100).toFixed(1)}%)`;
  const peak = Math.max(...rss.map((sample) => sample.bytes ?? 0));
  const mb = (bytes: number | undefined): string => (bytes === undefined ? "?" : (bytes / 1_048_576).toFixed(0));
  log(`  server memory over the measured ${options.duration} s (after ${options.warmup} s of warm-up; ${megabytes(outcome.idleBytes)} RSS idle before the load, peak ${megabytes(peak)}):`);
  log(
    `    retained (heap + external after a full GC, right after a scan; posts standing still ${first ? (first.waitedMs / 1000).toFixed(1) : "?"} s and ${last ? (last.waitedMs / 1000).toFixed(1) : "?"} s for it): ` +
      `${change(first?.retained, last?.retained)}; heap ${change(first?.heapUsed, last?.heapUsed)}, external ${change(first?.external, last?.external)}`,
  );
  for (const [index, taken] of checkpoints.entries()) {
    log(`    checkpoint ${index + 1}: ${"error" in taken ? taken.error : `heap + external of each probe ${taken.probes.map((usage) => `${mb(usage.heapUsed)}+${mb(usage.external)}`).join(", ")} MB`}`);
  }
  log(`    RSS, mean of seconds ${options.warmup}-${options.warmup + MEMORY_WINDOW_S} and ${end - MEMORY_WINDOW_S}-${end} of the load: ${change(firstRss.mean, lastRss.mean)}`);
  log(`    RSS each second (MB): ${rss.map((sample) => mb(sample.bytes)).join(" ")}`);
  for (const line of outcome.heapDiff ?? []) log(`  ${line}`);

  // Requests between the two checkpoints (and between the middles of the two RSS windows): a leak of this many bytes per request would show.
  const middle = Math.ceil(MEMORY_WINDOW_S / 2);
  const between = stats.perSecond.slice(options.warmup + middle, end - MEMORY_WINDOW_S + middle).reduce((total, count) => total + count, 0);
  const bounded = (what: string, before: number | undefined, after: number | undefined, ratio: number, bytes: number, missing: string): Assertion => {
    if (before === undefined || after === undefined) return { what, held: false, detail: missing };
    const allowed = before * (1 + ratio) + bytes;
    const perRequest = between > 0 ? `; a leak of ${Math.round((allowed - before) / between).toLocaleString("en-US")} bytes per request would exceed it` : "";
    return { what, held: after <= allowed, detail: `${megabytes(before)} -> ${megabytes(after)}, at most ${megabytes(allowed)} (+${ratio * 100}% + ${megabytes(bytes)})${perRequest}` };
  };
  const missing = checkpoints.flatMap((taken) => ("error" in taken ? [taken.error] : [])).join("; ");
  return [
    bounded("memory flat: retained at the end vs after the warm-up", first?.retained, last?.retained, RETAINED_GROWTH_RATIO, RETAINED_GROWTH_BYTES, missing),
    bounded(`memory flat: RSS of the last ${MEMORY_WINDOW_S} s vs the first ${MEMORY_WINDOW_S} s`, firstRss.mean, lastRss.mean, RSS_GROWTH_RATIO, RSS_GROWTH_BYTES, `${firstRss.samples} and ${lastRss.samples} RSS samples`),
  ];
}

function printProblems(stats: LoadStats, log: Log): void {
  for (const [title, tallies] of [["connection errors", stats.errors], ["problems", stats.problems]] as const) {
    for (const [kind, entry] of tallies) {
      log(`  ${title}: ${kind} x ${entry.count}; first ones:`);
      for (const example of entry.examples) log(`    ${example}`);
    }
  }
  for (const example of stats.serverErrors) log(`  5xx: ${example}`);
}

// ---------------------------------------------------------------------------------------------

async function run(): Promise<number> {
  const log: Log = (line) => void process.stdout.write(`${line}\n`);
  let options: Options | "help";
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`load-test: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (options === "help") {
    log(USAGE);
    return 0;
  }
  const keep = options.keep;

  const resources: Resources = { dir: mkdtempSync(path.join(os.tmpdir(), "feedwright-load-")), server: undefined };
  let removed = false;
  const removeDir = (): void => {
    if (removed) return;
    removed = true;
    if (keep) process.stderr.write(`load-test: kept ${resources.dir}\n`);
    else rmSync(resources.dir, { recursive: true, force: true });
  };
  // Ctrl-C or a kill: stop the server by its PID, delete the folder, exit as the signal would.
  let interrupted = false;
  const onSignal = (name: NodeJS.Signals): void => {
    // Under tsx, Ctrl-C arrives twice (from the terminal and relayed by tsx): once is enough.
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\nload-test: ${name}, stopping the server\n`);
    const stopped = resources.server ? stopServer(resources.server, STOP_GRACE_MS) : Promise.resolve();
    void stopped.finally(() => {
      removeDir();
      log("load-test: FAIL (interrupted)");
      process.exit(128 + (os.constants.signals[name] ?? 1));
    });
  };
  for (const name of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(name, onSignal);
  // Whatever else ends this process, the server does not outlive it and the folder goes.
  process.once("exit", () => {
    if (resources.server && !hasExited(resources.server)) signal(resources.server, "SIGKILL");
    removeDir();
  });

  let outcome: Outcome | undefined;
  let failure: unknown;
  try {
    outcome = await exercise(options, resources, log);
  } catch (error) {
    failure = error;
  }
  const exit = resources.server ? await stopServer(resources.server, STOP_GRACE_MS) : undefined;
  if (interrupted) return 130;

  const logFile = path.join(resources.dir, "server.log");
  let held = false;
  let verdict: string;
  if (outcome === undefined) {
    log(`load-test: could not run: ${failure instanceof Error ? failure.message : String(failure)}`);
    verdict = "the test could not run (see above)";
  } else {
    const assertions = evaluate(outcome, exit, options, log);
    log("");
    log("assertions:");
    for (const assertion of assertions) log(`  ${assertion.held ? "ok  " : "FAIL"} ${assertion.what}: ${assertion.detail}`);
    held = assertions.every((assertion) => assertion.held);
    const failed = assertions.filter((assertion) => !assertion.held);
    const { stats } = outcome;
    verdict =
      `${options.connections} connections x ${options.duration} s, ${Math.round(stats.responses / (stats.elapsedMs / 1000)).toLocaleString("en-US")} req/s, ` +
      `${stats.responses.toLocaleString("en-US")} responses all checked, ${"error" in outcome.after ? "?" : outcome.after.scans.ok - outcome.scansBefore.ok} scans, ` +
      `${outcome.mutator.counts.added + outcome.mutator.counts.edited + outcome.mutator.counts.deleted} post changes` +
      (failed.length > 0 ? `; failed: ${failed.map((assertion) => assertion.what).join("; ")}` : "");
    if (!held) printProblems(stats, log);
  }
  const serverProblems = problemLogLines(logFile);
  log("");
  log(`server log: ${serverProblems.length} lines at warn or above${serverProblems.length > 0 ? "; the first ones:" : ""}`);
  for (const line of serverProblems.slice(0, held ? 3 : 20)) log(`  ${line}`);
  if (!held) log(`server log, last lines:\n${logTail(logFile, 30)}`);
  removeDir();
  log("");
  log(`load-test: ${held ? "PASS" : "FAIL"} (${verdict})`);
  return held ? 0 : 1;
}

process.exitCode = await run();
