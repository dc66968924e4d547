// Bytes and time of gzip and Brotli at several levels on real feed documents, per kind of
// document (subscription: the first pages of the site, category and tag feeds; archive: the
// archive pages), to choose the levels of delivery/served-document.ts by measurement.
//
//   npm run build && npx tsx bench/compression-levels.ts [--sizes 1000,10000] [--gzip 1,4,6,9]
//     [--brotli 0,1,2,3,4,5,6,7,8,9,11] [--passes 5] [--sample-mb 8] [--keep]
//
// For each size it generates posts with gen-corpus.ts (seed 1) and exports them with
// `node dist/cli.js build --out` (the same documents the server sends), then reads the feed
// documents of the export (not their .gz and .br files). Compressing every archive page at every
// level would take hours at 10,000 posts, so each kind is measured on a sample of about
// --sample-mb megabytes: the documents sorted by size and taken at an even stride, so that the
// sample has the sizes and the formats of the whole. Each pass compresses the sample once at
// every setting, in an order that rotates from pass to pass, so that load from other processes
// hits every setting alike; the figures are the median of --passes passes of the CPU time of
// this process (user + system) and of the wall time, per MB of input. Compression runs on this
// thread, with the options the server uses (served-document.ts gzipOptions, brotliOptions).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { brotliCompressSync, gzipSync } from "node:zlib";
import type { CompressionKind, CompressionLevels } from "../src/delivery/served-document.js";
import { DEFAULT_SEED, writeCorpus } from "./gen-corpus.js";

/** What this script uses of delivery/served-document.ts, from dist/. */
interface ServedDocumentModule {
  readonly COMPRESSION_LEVELS: Readonly<Record<CompressionKind, CompressionLevels>>;
  readonly gzipOptions: (level: number) => { level: number };
  readonly brotliOptions: (quality: number, size: number) => { params: Record<number, number> };
}

interface Setting {
  readonly codec: "gzip" | "br";
  readonly level: number;
}

interface Document {
  readonly relative: string;
  readonly body: Buffer;
}

/** A document of the export before it is read. */
interface DocumentFile {
  readonly relative: string;
  readonly size: number;
}

interface Figures {
  readonly bytes: number;
  readonly cpuMsPerMb: number;
  readonly wallMsPerMb: number;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(ROOT, "dist", "cli.js");
const MB = 1024 * 1024;
/** Documents below this size are sent uncompressed (served-document.ts MIN_COMPRESS_BYTES). */
const MIN_COMPRESS_BYTES = 256;
/** An archive document's file: under `archive/<n>/` (RFC 5005 archived feeds). */
const ARCHIVE_PAGE = /(?:^|\/)archive\/\d+\//;
const FEED_FILE = /(?:^|\/)(?:feed\.xml|atom\.xml|feed\.json)$/;

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,10000" },
    gzip: { type: "string", default: "1,4,6,9" },
    brotli: { type: "string", default: "0,1,2,3,4,5,6,7,8,9,11" },
    passes: { type: "string", default: "5" },
    "sample-mb": { type: "string", default: "8" },
    keep: { type: "boolean", default: false },
  },
});

function numbers(option: string, value: string): number[] {
  const parsed = value.split(",").map((part) => Number(part.trim()));
  if (parsed.length === 0 || parsed.some((number) => !Number.isInteger(number) || number < 0)) throw new Error(`bench: --${option} takes whole numbers separated by commas, not "${value}"`);
  return parsed;
}

const sizes = numbers("sizes", values.sizes);
const passes = numbers("passes", values.passes)[0] ?? 5;
const sampleBytes = Number(values["sample-mb"]) * MB;
if (!(sampleBytes > 0)) throw new Error(`bench: --sample-mb takes a positive number, not "${values["sample-mb"]}"`);
const settings: Setting[] = [
  ...numbers("gzip", values.gzip).map((level): Setting => ({ codec: "gzip", level })),
  ...numbers("brotli", values.brotli).map((level): Setting => ({ codec: "br", level })),
];

const served = (await import(pathToFileURL(path.join(ROOT, "dist", "delivery", "served-document.js")).href)) as ServedDocumentModule;

function compress(setting: Setting, body: Buffer): Buffer {
  return setting.codec === "gzip" ? gzipSync(body, served.gzipOptions(setting.level)) : brotliCompressSync(body, served.brotliOptions(setting.level, body.length));
}

function label(setting: Setting): string {
  return setting.codec === "gzip" ? `gzip ${setting.level}` : `br ${setting.level}`;
}

function run(command: string, args: readonly string[]): void {
  const env = { ...process.env };
  // The config file and flags decide; nothing of tsx's loader belongs in the child.
  for (const name of ["SITE_URL", "POSTS_DIR", "FEEDWRIGHT_CONFIG", "FEEDWRIGHT_CACHE_DIR", "NODE_OPTIONS"]) delete env[name];
  const result = spawnSync(command, args, { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
  if (result.status !== 0) throw new Error(`bench: ${command} ${args.join(" ")} failed (${result.status ?? result.signal})`);
}

function filesUnder(root: string, relative = ""): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...filesUnder(root, child));
    else if (entry.isFile()) found.push(child);
  }
  return found;
}

/**
 * Every feed document of the export, by kind, with its size (the index page, OPML and
 * stylesheet left out: three small files). DIR is a symbolic link to the tree the export wrote.
 */
function listExport(outDir: string): Record<CompressionKind, DocumentFile[]> {
  const byKind: Record<CompressionKind, DocumentFile[]> = { subscription: [], archive: [] };
  const root = realpathSync(outDir);
  for (const relative of filesUnder(root)) {
    if (!FEED_FILE.test(relative)) continue;
    const size = statSync(path.join(root, relative)).size;
    if (size < MIN_COMPRESS_BYTES) continue;
    byKind[ARCHIVE_PAGE.test(relative) ? "archive" : "subscription"].push({ relative, size });
  }
  return byKind;
}

/**
 * About `budget` bytes of `files`, read: sorted by size (then name), every k-th one, so that the
 * sample has the sizes of the whole (and its formats: they differ in size).
 */
function sample(root: string, files: readonly DocumentFile[], budget: number): Document[] {
  const sorted = [...files].sort((a, b) => a.size - b.size || a.relative.localeCompare(b.relative));
  const total = sorted.reduce((sum, file) => sum + file.size, 0);
  const stride = Math.max(1, Math.round(total / budget));
  const taken: Document[] = [];
  for (let index = Math.floor(stride / 2); index < sorted.length; index += stride) {
    const file = sorted[index];
    if (file) taken.push({ relative: file.relative, body: readFileSync(path.join(root, file.relative)) });
  }
  return taken;
}

function median(numbers: readonly number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function measure(documents: readonly Document[]): Map<Setting, Figures> {
  const input = documents.reduce((sum, document) => sum + document.body.length, 0) / MB;
  const bytes = new Map<Setting, number>();
  const cpu = new Map<Setting, number[]>();
  const wall = new Map<Setting, number[]>();
  // Warm-up: the first call of each setting allocates its tables.
  for (const setting of settings) for (const document of documents.slice(0, 3)) compress(setting, document.body);
  for (let pass = 0; pass < passes; pass++) {
    for (let turn = 0; turn < settings.length; turn++) {
      const setting = settings[(turn + pass) % settings.length];
      if (!setting) continue;
      const cpuBefore = process.cpuUsage();
      const wallBefore = process.hrtime.bigint();
      let total = 0;
      for (const document of documents) total += compress(setting, document.body).length;
      const wallMs = Number(process.hrtime.bigint() - wallBefore) / 1e6;
      const used = process.cpuUsage(cpuBefore);
      bytes.set(setting, total);
      cpu.set(setting, [...(cpu.get(setting) ?? []), (used.user + used.system) / 1000 / input]);
      wall.set(setting, [...(wall.get(setting) ?? []), wallMs / input]);
    }
  }
  return new Map(settings.map((setting) => [setting, { bytes: bytes.get(setting) ?? 0, cpuMsPerMb: median(cpu.get(setting) ?? []), wallMsPerMb: median(wall.get(setting) ?? []) }]));
}

function loadAverage(): string {
  return os.loadavg().map((value) => value.toFixed(2)).join(" ");
}

function gitRevision(): string {
  const result = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" });
  const dirty = spawnSync("git", ["status", "--porcelain"], { cwd: ROOT, encoding: "utf8" }).stdout.trim() ? " (with uncommitted changes)" : "";
  return `${result.stdout.trim() || "unknown"}${dirty}`;
}

const thousands = (value: number): string => Math.round(value).toLocaleString("en-US");

function report(size: number, kind: CompressionKind, all: readonly DocumentFile[], taken: readonly Document[], figures: Map<Setting, Figures>): void {
  const input = taken.reduce((sum, document) => sum + document.body.length, 0);
  const whole = all.reduce((sum, file) => sum + file.size, 0);
  const current = served.COMPRESSION_LEVELS[kind];
  console.log(
    `\n${thousands(size)} posts, ${kind} documents: ${taken.length} of ${all.length} (${(input / MB).toFixed(1)} of ${(whole / MB).toFixed(1)} MB), ` +
      `current setting gzip ${current.gzip}, br ${current.brotli}`,
  );
  console.log("| setting | bytes | % of input | vs current | CPU ms/MB | wall ms/MB |");
  console.log("|---|--:|--:|--:|--:|--:|");
  for (const setting of settings) {
    const own = figures.get(setting);
    const reference = [...figures].find(([other]) => other.codec === setting.codec && other.level === (setting.codec === "gzip" ? current.gzip : current.brotli))?.[1];
    if (!own) continue;
    const versus = reference ? `${(((own.bytes - reference.bytes) / reference.bytes) * 100).toFixed(1)}%` : "";
    console.log(
      `| ${label(setting)} | ${thousands(own.bytes)} | ${((own.bytes / input) * 100).toFixed(2)} | ${versus} | ${own.cpuMsPerMb.toFixed(1)} | ${own.wallMsPerMb.toFixed(1)} |`,
    );
  }
}

const work = mkdtempSync(path.join(os.tmpdir(), "feedwright-bench-compression-"));
try {
  console.log(`command: npx tsx bench/compression-levels.ts ${process.argv.slice(2).join(" ")}`.trimEnd());
  console.log(
    `commit ${gitRevision()}; ${os.type()} ${os.release()}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}), ` +
      `Node ${process.version}; ${passes} passes, sample about ${values["sample-mb"]} MB per kind; load average before: ${loadAverage()}`,
  );
  const configFile = path.join(work, "feedwright.yaml");
  // The settings bench/build.ts gives its server, but for the address.
  writeFileSync(configFile, ["site:", '  url: "https://blog.example.com"', '  title: "Feedwright benchmark"', "  language: ja", "  timezone: Asia/Tokyo", "feed:", "  limit: 20", "workers: auto", ""].join("\n"));
  for (const size of sizes) {
    const sizeDir = path.join(work, String(size));
    const postsDir = path.join(sizeDir, "posts");
    const outDir = path.join(sizeDir, "out");
    writeCorpus(postsDir, size, DEFAULT_SEED);
    const started = Date.now();
    run(process.execPath, [CLI, "build", "--config", configFile, "--posts", postsDir, "--no-cache", "--out", outDir]);
    console.log(`\n${thousands(size)} posts exported in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const byKind = listExport(outDir);
    const samples = { subscription: sample(outDir, byKind.subscription, sampleBytes), archive: sample(outDir, byKind.archive, sampleBytes) };
    // What is measured is in memory; the export may be gigabytes.
    if (!values.keep) rmSync(sizeDir, { recursive: true, force: true });
    for (const kind of ["subscription", "archive"] as const) report(size, kind, byKind[kind], samples[kind], measure(samples[kind]));
  }
  console.log(`\nload average after: ${loadAverage()}`);
} finally {
  if (!values.keep) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
