// What Feedwright's bookkeeping costs per answered request, apart from answering it: counting it
// for /metrics (Metrics.recordRequest) and the request observer with the request log off and on
// (a JSON line per request, written to /dev/null), in nanoseconds per call, for this checkout and
// optionally another one beside it.
//
//   npm run build && npx tsx bench/request-bookkeeping.ts [--against OTHER_CHECKOUT] [--runs N] [--calls N]
//
// Each checkout runs from its compiled dist/, as the server does, in child processes of its own
// (standard output is /dev/null, so the log lines cost their formatting and writing, not a
// terminal); --runs (5) runs of each alternate, so a burst of load elsewhere on the machine hits
// both alike, and the figures are medians. Each run warms up with a fifth of --calls (1,000,000)
// calls of each kind before timing them. An end-to-end figure is bench/http.ts's: a 304 costs
// tens of microseconds of CPU, and these calls are part of it.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Logger, LoggerOptions } from "../src/logger.js";
import type { Metrics as MetricsClass, RequestSample } from "../src/ops/metrics.js";
import type { RequestObserver } from "../src/ops/request-observer.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SELF = fileURLToPath(import.meta.url);

/** What a child reports: nanoseconds per call of each kind. */
type Report = Record<string, number>;

const KINDS = ["recordRequest, a 304", "recordRequest, a gzip 200", "observer, request log off", "observer, request log on"] as const;

async function child(checkout: string, calls: number): Promise<void> {
  const dist = (file: string): string => pathToFileURL(path.join(checkout, "dist", file)).href;
  const { Metrics } = (await import(dist("ops/metrics.js"))) as { Metrics: typeof MetricsClass };
  const { createRequestObserver } = (await import(dist("ops/request-observer.js"))) as {
    createRequestObserver: (logger: Logger, metrics: MetricsClass | undefined, logRequests: boolean) => RequestObserver;
  };
  const { createLogger } = (await import(dist("logger.js"))) as { createLogger: (options: LoggerOptions) => Logger };
  const metrics = new Metrics();
  const logger = createLogger({ level: "info", pretty: false });
  const notModified: RequestSample = { route: "site-feed", format: "rss", status: 304, bytes: 0, encoding: "gzip" };
  const gzip: RequestSample = { route: "site-feed", format: "rss", status: 200, bytes: 31_328, encoding: "gzip" };
  // What the observer reads of a request.
  const req = { method: "GET", url: "/feed.xml" } as Parameters<RequestObserver["observe"]>[0];
  const logOff = createRequestObserver(logger, metrics, false);
  const logOn = createRequestObserver(logger, metrics, true);
  const work: Record<(typeof KINDS)[number], (index: number) => void> = {
    "recordRequest, a 304": () => metrics.recordRequest(notModified),
    "recordRequest, a gzip 200": () => metrics.recordRequest(gzip),
    "observer, request log off": (index) => logOff.observe(req, notModified, 0.1 + (index % 512) / 1000),
    "observer, request log on": (index) => logOn.observe(req, notModified, 0.1 + (index % 512) / 1000),
  };
  const report: Report = {};
  for (const kind of KINDS) {
    const call = work[kind];
    for (let index = 0; index < calls / 5; index++) call(index);
    const started = process.hrtime.bigint();
    for (let index = 0; index < calls; index++) call(index);
    report[kind] = Number(process.hrtime.bigint() - started) / calls;
  }
  logger.flush();
  process.stderr.write(`${JSON.stringify(report)}\n`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

function runChild(checkout: string, calls: number): Report {
  const result = spawnSync(process.execPath, [...process.execArgv, SELF, "--child", checkout, "--calls", String(calls)], {
    encoding: "utf8",
    stdio: ["ignore", "ignore", "pipe"],
  });
  const line = result.stderr.trim().split("\n").at(-1) ?? "";
  if (result.status !== 0 || !line.startsWith("{")) throw new Error(`bench/request-bookkeeping: the run of ${checkout} failed (${result.status}):\n${result.stderr}`);
  return JSON.parse(line) as Report;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { against: { type: "string" }, runs: { type: "string" }, calls: { type: "string" }, child: { type: "string" } } });
  const calls = Number(values.calls ?? 1_000_000);
  if (values.child !== undefined) return child(values.child, calls);
  const runs = Number(values.runs ?? 5);
  const checkouts = [ROOT, ...(values.against === undefined ? [] : [path.resolve(values.against)])];
  const reports = new Map<string, Report[]>(checkouts.map((checkout) => [checkout, []]));
  for (let run = 0; run < runs; run++) for (const checkout of checkouts) reports.get(checkout)?.push(runChild(checkout, calls));
  console.log(`ns per call, median of ${runs} runs of ${calls.toLocaleString("en-US")} calls each, runs alternating (Node ${process.version})`);
  console.log(["", ...checkouts.map((checkout) => (checkout === ROOT ? "this checkout" : checkout))].join("\t"));
  for (const kind of KINDS) {
    const cells = checkouts.map((checkout) => median((reports.get(checkout) ?? []).map((report) => report[kind] ?? NaN)).toFixed(0));
    console.log([kind, ...cells].join("\t"));
  }
}

await main();
