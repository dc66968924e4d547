// `npm run bench:http`: how many requests a second one Feedwright process answers for a feed,
// between a minimal `node:http` server that sends the same bytes with the same header lines
// (what Node itself costs: the floor of any Node server) and nginx serving the same bytes as
// static files with one worker (the ceiling). A benchmark, not a test: it prints figures and
// asserts no speed; but it stops with an error when a server does not give a scenario the status
// and content coding it asked for, because then the figure would measure something else.
//
//   npm run bench:http -- [--posts N] [--duration S] [--warmup S] [--rounds N] [--connections N]
//                         [--threads N] [--tool wrk|autocannon] [--profile] [--keep]
//
// Everything stays on the loopback and in one temp folder: the generated posts (bench/gen-corpus.ts,
// fixed seed), the configs, the recorded answers, nginx's files. Two Feedwright processes run,
// one with its request log on (the default config) and one with it off, each waited for until
// /readyz says the first build is live and compressed. Scenarios on /feed.xml: a 200 with gzip,
// a 304 revalidation (If-None-Match with the ETag each server gave for its gzip form), a 200 with
// Brotli, and a 404. Each server takes each scenario's load in turn, in a rotating order, for
// --rounds rounds: ratios are taken between loads of the same round, a few seconds apart, so the
// machine's drift moves both sides. With --profile a further Feedwright process runs under
// `node --cpu-prof` through the 304 and gzip-200 loads, log on then off, and
// bench/summarize-profile.ts says where its CPU time went.
//
// Every process started here is stopped by its PID at the end, on an error, and on Ctrl-C.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { request } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import ts from "typescript";
import { DEFAULT_SEED, writeCorpus } from "./gen-corpus.js";
import { answerProblem, loadProblem, parseWrk, type Answer, type Coding, type ExpectedAnswer, type WrkReport } from "./http-checks.js";
import type { Recording, RecordedVariant } from "./node-baseline-server.js";
import { formatProfileSummary, summarizeProfile, type CpuProfile } from "./summarize-profile.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(ROOT, "dist", "cli.js");
const NGINX_TEMPLATE = path.join(ROOT, "bench", "nginx.conf.template");
const BASELINE_SOURCE = path.join(ROOT, "bench", "node-baseline-server.ts");
const SEED = DEFAULT_SEED;
const FEED_PATH = "/feed.xml";
type ScenarioId = "gzip" | "304" | "br" | "404";
const SCENARIO_IDS: readonly ScenarioId[] = ["gzip", "304", "br", "404"];
const MISSING_PATH = "/no-such-feed.xml";
/** The issue's targets, on the 304 and gzip-200 paths. */
const TARGETS = {
  /** Feedwright (default metrics on) at least this fraction of the minimal node:http server's requests/s. */
  node: 0.95,
  /** Feedwright at least this fraction of nginx's. */
  nginx: 0.4,
  /** With the request log on, at least this fraction of the requests/s with it off. */
  logOnOff: 0.85,
};
/** Feedwright writes buffered log lines out at least this often (src/logger.ts), plus a margin. */
const LOG_FLUSH_WAIT_MS = 600;

const USAGE = `usage: npm run bench:http -- [options]   (or: npx tsx bench/http.ts [options] after npm run build)
  --posts N          posts to generate (default 1000, seed ${SEED})
  --duration S       seconds of load per scenario, server and round (default 5)
  --warmup S         seconds of unmeasured load before each (default 1)
  --rounds N         rounds: every server takes every scenario once per round (default 3)
  --scenarios LIST   of gzip, 304, br, 404, comma-separated (default: all four)
  --connections N    open connections (default 64)
  --threads N        wrk threads (default 2)
  --tool NAME        wrk or autocannon (default: wrk when on PATH, else autocannon)
  --profile          also profile Feedwright (node --cpu-prof) under the 304 and gzip-200 loads
  --keep             keep the temp folder (posts, configs, recorded answers, static files, logs)`;

interface Options {
  readonly posts: number;
  readonly duration: number;
  readonly warmup: number;
  readonly rounds: number;
  readonly scenarios: ReadonlySet<ScenarioId>;
  readonly connections: number;
  readonly threads: number;
  readonly tool: "wrk" | "autocannon" | undefined;
  readonly profile: boolean;
  readonly keep: boolean;
}

class UsageError extends Error {}

function parseOptions(args: string[]): Options | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        posts: { type: "string" },
        duration: { type: "string" },
        warmup: { type: "string" },
        rounds: { type: "string" },
        scenarios: { type: "string" },
        connections: { type: "string" },
        threads: { type: "string" },
        tool: { type: "string" },
        profile: { type: "boolean" },
        keep: { type: "boolean" },
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
  const tool = values.tool;
  if (tool !== undefined && tool !== "wrk" && tool !== "autocannon") throw new UsageError(`--tool must be wrk or autocannon, not "${tool}"`);
  const scenarios = new Set<ScenarioId>();
  for (const id of (values.scenarios ?? SCENARIO_IDS.join(",")).split(",").map((text) => text.trim())) {
    const known = SCENARIO_IDS.find((entry) => entry === id);
    if (known === undefined) throw new UsageError(`--scenarios: "${id}" is not one of ${SCENARIO_IDS.join(", ")}`);
    scenarios.add(known);
  }
  return {
    posts: whole("posts", values.posts, 1000, 1),
    duration: whole("duration", values.duration, 5, 1),
    warmup: whole("warmup", values.warmup, 1, 0),
    rounds: whole("rounds", values.rounds, 3, 1),
    scenarios,
    connections: whole("connections", values.connections, 64, 1),
    threads: whole("threads", values.threads, 2, 1),
    tool,
    profile: values.profile ?? false,
    keep: values.keep ?? false,
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes: every one is tracked and stopped by its PID, whatever happens.

class Children {
  readonly #running = new Set<ChildProcess>();
  /** Children started in their own process group (nginx: master and worker), stopped as a group. */
  readonly #groups = new WeakSet<ChildProcess>();

  start(command: string, args: readonly string[], options: { logFile?: string; group?: boolean; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
    const log = options.logFile === undefined ? undefined : openSync(options.logFile, "a");
    const child = spawn(command, args, {
      stdio: ["ignore", log ?? "pipe", log ?? "pipe"],
      detached: options.group ?? false,
      env: options.env ?? process.env,
    });
    if (log !== undefined) closeSync(log);
    this.#running.add(child);
    if (options.group) this.#groups.add(child);
    child.once("exit", () => this.#running.delete(child));
    child.once("error", () => this.#running.delete(child));
    return child;
  }

  signal(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(this.#groups.has(child) ? -child.pid : child.pid, signal);
    } catch {
      // Already gone.
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. Resolves once it has exited. */
  async stop(child: ChildProcess, graceMs = 10_000): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    this.signal(child, "SIGTERM");
    const timer = setTimeout(() => this.signal(child, "SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#running].map((child) => this.stop(child)));
  }

  /** Sends `signal` to every child still running, without waiting. */
  signalAll(signal: NodeJS.Signals): void {
    for (const child of this.#running) this.signal(child, signal);
  }
}

function exitedEarly(child: ChildProcess): string | undefined {
  if (child.exitCode !== null) return `exited with code ${child.exitCode}`;
  if (child.signalCode !== null) return `was killed by ${child.signalCode}`;
  return undefined;
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Clock ticks per second of /proc's times. */
const CLOCK_TICKS = ((): number => {
  const ticks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
})();

/** CPU seconds (user + system) the processes have used so far; undefined where there is no /proc. */
function cpuSeconds(pids: readonly number[]): number | undefined {
  let ticks = 0;
  for (const pid of pids) {
    const fields = procStat(pid);
    if (!fields) return undefined;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / CLOCK_TICKS;
}

/** The fields of /proc/PID/stat after the command name: [state, ppid, pgrp, …, utime (11), stime (12), …]. */
function procStat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** The PIDs whose parent is `parent` (nginx's worker), from /proc. */
function childPids(parent: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return entries.map(Number).filter((pid) => procStat(pid)?.[1] === String(parent));
}

/** The machine's busy CPU time and this process tree's, to tell how much other processes used. */
interface MachineSample {
  readonly wallMs: number;
  /** CPU seconds the whole machine has been busy (/proc/stat). */
  readonly machine: number;
  /** CPU seconds of this process and the children it has reaped (wrk, once it exited). */
  readonly ownTree: number;
  /** CPU seconds of the servers (running children: not in ownTree). */
  readonly servers: number;
}

function machineSample(serverPids: readonly number[]): MachineSample | undefined {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
    const own = procStat(process.pid)?.map(Number) ?? [];
    const servers = cpuSeconds(serverPids);
    if (servers === undefined) return undefined;
    return {
      wallMs: performance.now(),
      machine: (user + nice + system + irq + softirq + steal) / CLOCK_TICKS,
      ownTree: ((own[11] ?? 0) + (own[12] ?? 0) + (own[13] ?? 0) + (own[14] ?? 0)) / CLOCK_TICKS,
      servers,
    };
  } catch {
    return undefined;
  }
}

/** The share of the machine's CPUs that processes other than the benchmark's used between two samples. */
function otherShare(before: MachineSample | undefined, after: MachineSample | undefined): number | undefined {
  if (!before || !after) return undefined;
  const others = after.machine - before.machine - (after.ownTree - before.ownTree) - (after.servers - before.servers);
  const available = ((after.wallMs - before.wallMs) / 1000) * os.cpus().length;
  return available > 0 ? Math.max(0, others) / available : undefined;
}

// ---------------------------------------------------------------------------------------------
// One request, read whole: to check each scenario's answer before and after its load.

interface Probe extends Answer {
  /** Header lines as received, [name, value, …]. */
  readonly rawHeaders: readonly string[];
}

function probe(port: number, urlPath: string, headers: Readonly<Record<string, string>> = {}): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: urlPath, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.setTimeout(5000, () => req.destroy(new Error(`no answer from 127.0.0.1:${port}${urlPath} in 5 s`)));
    req.on("error", reject);
    req.end();
  });
}

/** Polls until `urlPath` answers 200, the child exits, or `timeoutMs` passes. */
async function waitFor200(port: number, urlPath: string, child: ChildProcess, what: string, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    const early = exitedEarly(child);
    if (early) throw new Error(`bench: ${what} ${early} before ${urlPath} answered 200; its log (${logFile}):\n${tail(logFile)}`);
    try {
      const answer = await probe(port, urlPath);
      if (answer.status === 200) return;
      last = `status ${answer.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`bench: ${what} did not answer 200 on ${urlPath} within ${timeoutMs / 1000} s (last: ${last}); its log (${logFile}):\n${tail(logFile)}`);
}

/** A server is quiet when it uses less than this share of a core, idle: its timers and nothing else. */
const QUIET_SHARE = 0.05;

/** Waits until the process used less than QUIET_SHARE of a core over a second. */
async function waitUntilQuiet(pid: number, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = cpuSeconds([pid]);
  while (Date.now() < deadline) {
    await sleep(1000);
    const now = cpuSeconds([pid]);
    if (last === undefined || now === undefined) return;
    if (now - last < QUIET_SHARE) return;
    last = now;
  }
  throw new Error(`bench: ${what} was still busy ${timeoutMs / 1000} s after it was ready`);
}

/** Header lines Node's http module adds to every answer by itself. */
const NODE_OWN_HEADERS = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);

/** An answer's header lines without the ones Node adds itself: what the server chose to send. */
function chosenHeaders(rawHeaders: readonly string[]): string[] {
  const lines: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index] ?? "";
    if (!NODE_OWN_HEADERS.has(name.toLowerCase())) lines.push(name, rawHeaders[index + 1] ?? "");
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Load generators.

type LoadResult = WrkReport;

interface LoadTool {
  readonly name: string;
  /** e.g. "wrk 4.1.0, 2 threads, 64 connections". */
  readonly settings: string;
  /** `cpus`: a taskset CPU list to pin the load generator to (wrk only). */
  run(url: string, headers: Readonly<Record<string, string>>, seconds: number, cpus?: string): Promise<LoadResult>;
}

function onPath(command: string): boolean {
  return spawnSync(command, ["--version"], { stdio: "ignore" }).error === undefined;
}

function wrkTool(options: Options, children: Children): LoadTool {
  const versionText = spawnSync("wrk", ["--version"], { encoding: "utf8" }).stdout;
  const version = /wrk\s+(?:\S*\/)?(\d+\.\d+\.\d+)/.exec(versionText)?.[1] ?? "(version unknown)";
  return {
    name: "wrk",
    settings: `wrk ${version}, ${options.threads} threads, ${options.connections} connections`,
    async run(url, headers, seconds, cpus) {
      const args = [`-t${options.threads}`, `-c${options.connections}`, `-d${seconds}s`, "--latency"];
      for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}: ${value}`);
      args.push(url);
      const child = cpus === undefined ? children.start("wrk", args) : children.start("taskset", ["-c", cpus, "wrk", ...args]);
      let output = "";
      child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
      child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
      const code = await new Promise<number | null>((resolve, reject) => {
        child.once("error", reject);
        child.once("close", (exitCode) => resolve(exitCode));
      });
      if (code !== 0) throw new Error(`bench: wrk ${args.join(" ")} exited with ${code}:\n${output}`);
      return parseWrk(output);
    },
  };
}

function autocannonTool(options: Options): LoadTool {
  const version = (JSON.parse(readFileSync(path.join(ROOT, "node_modules", "autocannon", "package.json"), "utf8")) as { version: string }).version;
  return {
    name: "autocannon",
    // autocannon parses every response in JavaScript on one thread: with 30 KB bodies it, not the
    // server, sets the pace, and it reports latencies in whole milliseconds.
    settings: `autocannon ${version} (in the benchmark's own Node process, 1 thread: it limits the 200 rows; latencies in whole ms), ${options.connections} connections`,
    async run(url, headers, seconds) {
      const result = await autocannon({ url, connections: options.connections, duration: seconds, headers: { ...headers } });
      const answered = result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
      return {
        requestsPerSecond: result.requests.average,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        requests: answered,
        bytesRead: result.throughput.total,
        non2xx3xx: answered - result["2xx"] - result["3xx"],
        socketErrors: result.errors + result.timeouts,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The servers.

type ServerKind = "feedwright" | "node" | "nginx";

interface Server {
  /** How the tables name it. */
  readonly name: string;
  readonly kind: ServerKind;
  readonly port: number;
  /** The processes that do the work (nginx: the master and its worker), for their CPU time. */
  readonly pids: readonly number[];
  /** The ETag this server gives /feed.xml in each coding (the 304 scenario sends back the gzip one). */
  readonly etags: Readonly<Record<Coding, string>>;
  readonly brotli: boolean;
  /** Where its request log lines go, when it logs requests (Feedwright with log.requests on). */
  readonly requestLog: string | undefined;
}

/** What Feedwright sends for /feed.xml and for an unknown path: every other server is held to these bytes. */
interface Reference {
  readonly bodies: Readonly<Record<Coding, Buffer>>;
  readonly notFound: Probe;
}

function feedwrightEnv(): NodeJS.ProcessEnv {
  // The config file and flags decide; the caller's SITE_URL, PORT… must not override them, and
  // nothing of tsx's loader belongs in the server.
  const env = { ...process.env };
  for (const name of ["SITE_URL", "POSTS_DIR", "PORT", "FEEDWRIGHT_CONFIG", "FEEDWRIGHT_CACHE_DIR", "LOG_LEVEL", "NODE_OPTIONS"]) delete env[name];
  return env;
}

/** One Feedwright configuration of the benchmark: the same site, request log on or off. */
interface FeedwrightSetup {
  readonly label: string;
  readonly name: string;
  readonly configFile: string;
  readonly logRequests: boolean;
}

function writeFeedwrightConfig(setup: FeedwrightSetup, siteUrl: string): void {
  writeFileSync(
    setup.configFile,
    [
      "# Written by bench/http.ts. Every Feedwright process of a run has the same site.url, so they",
      "# all serve the same bytes; it is the loopback address of the first one.",
      "site:",
      `  url: "${siteUrl}"`,
      '  title: "Feedwright benchmark"',
      "  timezone: Asia/Tokyo",
      "# No rescan during a run (once a year, on 1 January at 04:00); max-age as with a 1-minute schedule.",
      'schedule: "0 4 1 1 *"',
      "http:",
      "  max_age: 60",
      "host: 127.0.0.1",
      "# The default metrics stay on; the request log (on by default) is on in one process, off in the other.",
      "log:",
      `  requests: ${setup.logRequests}`,
      "",
    ].join("\n"),
  );
}

/**
 * Starts `feedwright serve` and waits for /readyz (the first build live and every document's
 * compressed forms in: until then /feed.xml is sent uncompressed to everyone), then until the
 * process is quiet: after /readyz it still renders and checks the other posts' bodies in the
 * background, on its main thread and its render workers, which a load would otherwise share
 * the CPU with. (Not under --cpu-prof: the profiler's own sampling keeps the process above that
 * threshold, and the profile's windows cover only the loads.) `cpus`: a taskset CPU list to pin
 * the process to (taskset execs node: the PID is node's).
 */
async function startFeedwright(children: Children, work: Work, setup: FeedwrightSetup, port: number, nodeFlags: readonly string[], label: string, cpus?: string): Promise<{ child: ChildProcess; logFile: string }> {
  const logFile = path.join(work.dir, `${label}.log`);
  const command = [
    process.execPath,
    ...nodeFlags,
    CLI,
    "serve",
    "--config",
    setup.configFile,
    "--posts",
    work.postsDir,
    "--port",
    String(port),
    "--cache-dir",
    path.join(work.dir, `cache-${label}`),
  ];
  const [program, ...args] = cpus === undefined ? command : ["taskset", "-c", cpus, ...command];
  const child = children.start(program ?? process.execPath, args, { logFile, env: feedwrightEnv() });
  await waitFor200(port, "/readyz", child, setup.name, logFile, 300_000);
  if (child.pid !== undefined && !nodeFlags.includes("--cpu-prof")) await waitUntilQuiet(child.pid, setup.name, 300_000);
  return { child, logFile };
}

/** The ETags of /feed.xml in each coding, from 200 answers that must carry that coding. */
async function etagsOf(server: { name: string; port: number }, reference: Reference | undefined, brotli: boolean): Promise<Record<Coding, string>> {
  const etags: Record<Coding, string> = { identity: "", gzip: "", br: "" };
  for (const coding of ["identity", "gzip", "br"] as const) {
    if (coding === "br" && !brotli) continue;
    const answer = await probe(server.port, FEED_PATH, { "Accept-Encoding": coding });
    const problem = answerProblem({ status: 200, coding, body: reference?.bodies[coding], etag: undefined }, answer);
    if (problem !== undefined) throw new Error(`bench: ${server.name} answered ${FEED_PATH} with Accept-Encoding: ${coding} with ${problem}`);
    const etag = answer.headers.etag;
    if (etag === undefined) throw new Error(`bench: ${server.name} sent ${FEED_PATH} (${coding}) without an ETag`);
    etags[coding] = etag;
  }
  return etags;
}

interface Work {
  readonly dir: string;
  readonly postsDir: string;
}

/**
 * The minimal node:http server, as plain JavaScript: bench/node-baseline-server.ts transpiled
 * (TypeScript's own transpiler, no type check: `npm run typecheck` does that), run with node.
 */
function writeBaselineProgram(dir: string): string {
  const output = ts.transpileModule(readFileSync(BASELINE_SOURCE, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    fileName: BASELINE_SOURCE,
  });
  const file = path.join(dir, "node-baseline-server.mjs");
  writeFileSync(file, output.outputText);
  return file;
}

/** Feedwright's answers for /feed.xml (every coding, 200 and 304) and for an unknown path, written for the baseline server. */
async function recordFeedwright(port: number, dir: string): Promise<{ recording: Recording; answers: { request: Readonly<Record<string, string>>; path: string; answer: Probe }[] }> {
  mkdirSync(dir);
  const answers: { request: Readonly<Record<string, string>>; path: string; answer: Probe }[] = [];
  const variant = async (coding: Coding): Promise<RecordedVariant> => {
    const asked = { "Accept-Encoding": coding };
    const ok = await probe(port, FEED_PATH, asked);
    const etag = ok.headers.etag;
    if (ok.status !== 200 || etag === undefined) throw new Error(`bench: Feedwright answered ${FEED_PATH} (${coding}) with ${ok.status}${etag === undefined ? " and no ETag" : ""}`);
    const revalidation = { ...asked, "If-None-Match": etag };
    const notModified = await probe(port, FEED_PATH, revalidation);
    if (notModified.status !== 304) throw new Error(`bench: Feedwright answered a revalidation of ${FEED_PATH} (${coding}) with ${notModified.status}, not 304`);
    answers.push({ request: asked, path: FEED_PATH, answer: ok }, { request: revalidation, path: FEED_PATH, answer: notModified });
    const bodyFile = path.join(dir, `feed.xml.${coding}`);
    writeFileSync(bodyFile, ok.body);
    return { etag, headers: chosenHeaders(ok.rawHeaders), notModifiedHeaders: chosenHeaders(notModified.rawHeaders), bodyFile };
  };
  const variants = { identity: await variant("identity"), gzip: await variant("gzip"), br: await variant("br") };
  const notFoundRequest = { "Accept-Encoding": "gzip" };
  const notFound = await probe(port, MISSING_PATH, notFoundRequest);
  if (notFound.status !== 404) throw new Error(`bench: Feedwright answered ${MISSING_PATH} with ${notFound.status}, not 404`);
  answers.push({ request: notFoundRequest, path: MISSING_PATH, answer: notFound });
  const notFoundFile = path.join(dir, "not-found");
  writeFileSync(notFoundFile, notFound.body);
  return { recording: { path: FEED_PATH, variants, notFound: { headers: chosenHeaders(notFound.rawHeaders), bodyFile: notFoundFile } }, answers };
}

/** Starts the baseline and checks it answers every recorded request exactly as Feedwright did (Date aside). */
async function startBaseline(children: Children, work: Work, feedwrightPort: number, log: Log): Promise<{ child: ChildProcess; port: number }> {
  const dir = path.join(work.dir, "node-baseline");
  const { recording, answers } = await recordFeedwright(feedwrightPort, dir);
  const recordingFile = path.join(dir, "recording.json");
  writeFileSync(recordingFile, JSON.stringify(recording, null, 2));
  const program = writeBaselineProgram(dir);
  const port = await freePort();
  const logFile = path.join(dir, "node-baseline.log");
  const child = children.start(process.execPath, [program, recordingFile, String(port)], { logFile, env: feedwrightEnv() });
  await waitFor200(port, FEED_PATH, child, "the node:http baseline", logFile, 10_000);
  for (const { request, path: urlPath, answer } of answers) {
    const theirs = await probe(port, urlPath, request);
    const same =
      theirs.status === answer.status && theirs.body.equals(answer.body) && JSON.stringify(chosenHeaders(theirs.rawHeaders)) === JSON.stringify(chosenHeaders(answer.rawHeaders));
    if (!same) {
      throw new Error(
        `bench: the node:http baseline does not answer ${urlPath} ${JSON.stringify(request)} as Feedwright does:\n` +
          `  Feedwright: ${answer.status} ${JSON.stringify(chosenHeaders(answer.rawHeaders))} ${answer.body.length} B\n` +
          `  baseline:   ${theirs.status} ${JSON.stringify(chosenHeaders(theirs.rawHeaders))} ${theirs.body.length} B`,
      );
    }
  }
  log(`node:http baseline: ${process.version} on http://127.0.0.1:${port}/ (pid ${child.pid ?? "?"}); the same status, header lines and bytes as Feedwright for all ${answers.length} recorded requests`);
  return { child, port };
}

interface Nginx {
  readonly version: string;
  readonly binary: string;
  /** The brotli_static module's file, where Debian's libnginx-mod-http-brotli-static puts it. */
  readonly brotliModule: string;
}

function findNginx(): Nginx | undefined {
  for (const binary of ["nginx", "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"]) {
    const answer = spawnSync(binary, ["-V"], { encoding: "utf8" });
    if (answer.error !== undefined) continue;
    const text = `${answer.stderr}${answer.stdout}`;
    const modulesPath = /--modules-path=(\S+)/.exec(text)?.[1] ?? "/usr/lib/nginx/modules";
    return {
      version: /nginx version: (\S+)/.exec(text)?.[1] ?? "nginx (version unknown)",
      binary,
      brotliModule: path.join(modulesPath, "ngx_http_brotli_static_module.so"),
    };
  }
  return undefined;
}

/** Fills in every {{NAME}}; a name without a value is an error, never left in nginx.conf. */
function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (_placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`bench: ${NGINX_TEMPLATE} has {{${name}}}, which bench/http.ts does not fill in`);
    return value;
  });
}

/** Writes nginx.conf (with brotli_static when the module loads); returns whether Brotli is on. */
function writeNginxConfig(nginx: Nginx, nginxDir: string, rootDir: string, port: number, cacheControl: string): { brotli: boolean; note: string | undefined } {
  const template = readFileSync(NGINX_TEMPLATE, "utf8");
  const configFile = path.join(nginxDir, "nginx.conf");
  const errorLog = path.join(nginxDir, "nginx-error.log");
  const render = (brotli: boolean): string =>
    renderTemplate(template, {
      LOAD_MODULES: brotli ? `load_module ${nginx.brotliModule};` : "# brotli_static module not loaded",
      BROTLI: brotli ? "brotli_static on;" : "# brotli_static: module not available",
      TEMP: nginxDir,
      ROOT: rootDir,
      PORT: String(port),
      CACHE_CONTROL: cacheControl.replace(/"/g, ""),
    });
  const test = (): string | undefined => {
    const result = spawnSync(nginx.binary, ["-t", "-q", "-p", nginxDir, "-c", configFile, "-e", errorLog], { encoding: "utf8" });
    return result.status === 0 ? undefined : `${result.stderr}${result.stdout}`.trim();
  };
  if (existsSync(nginx.brotliModule)) {
    writeFileSync(configFile, render(true));
    const problem = test();
    if (problem === undefined) return { brotli: true, note: undefined };
    writeFileSync(configFile, render(false));
    const fallback = test();
    if (fallback !== undefined) throw new Error(`bench: nginx -t rejects ${configFile}:\n${fallback}`);
    return { brotli: false, note: `the brotli_static module does not load (${problem.split("\n")[0] ?? problem})` };
  }
  writeFileSync(configFile, render(false));
  const problem = test();
  if (problem !== undefined) throw new Error(`bench: nginx -t rejects ${configFile}:\n${problem}`);
  return { brotli: false, note: `${nginx.brotliModule} is missing (Debian: apt-get install libnginx-mod-http-brotli-static)` };
}

// ---------------------------------------------------------------------------------------------
// Scenarios.

interface Scenario {
  readonly id: ScenarioId;
  readonly label: string;
  readonly path: string;
  readonly headers: (server: Server) => Readonly<Record<string, string>>;
  readonly runsOn: (server: Server) => boolean;
  /** What every server must answer. */
  readonly expected: (server: Server, reference: Reference) => ExpectedAnswer;
  /** The body length of that answer, for the bytes-per-response check of a whole load. */
  readonly bodyLength: (reference: Reference) => number;
}

const SCENARIOS: readonly Scenario[] = [
  {
    id: "gzip",
    label: "200 gzip",
    path: FEED_PATH,
    headers: () => ({ "Accept-Encoding": "gzip" }),
    runsOn: () => true,
    expected: (_server, reference) => ({ status: 200, coding: "gzip", body: reference.bodies.gzip, etag: undefined }),
    bodyLength: (reference) => reference.bodies.gzip.length,
  },
  {
    id: "304",
    label: "304 If-None-Match (gzip)",
    path: FEED_PATH,
    headers: (server) => ({ "Accept-Encoding": "gzip", "If-None-Match": server.etags.gzip }),
    runsOn: () => true,
    expected: (server) => ({ status: 304, coding: "gzip", body: undefined, etag: server.etags.gzip }),
    bodyLength: () => 0,
  },
  {
    id: "br",
    label: "200 br",
    path: FEED_PATH,
    headers: () => ({ "Accept-Encoding": "br" }),
    runsOn: (server) => server.brotli,
    expected: (_server, reference) => ({ status: 200, coding: "br", body: reference.bodies.br, etag: undefined }),
    bodyLength: (reference) => reference.bodies.br.length,
  },
  {
    id: "404",
    label: "404 unknown path",
    path: MISSING_PATH,
    headers: () => ({ "Accept-Encoding": "gzip" }),
    runsOn: () => true,
    // nginx has its own 404 page; the others send Feedwright's.
    expected: (server, reference) => ({ status: 404, coding: "identity", body: server.kind === "nginx" ? undefined : reference.notFound.body, etag: undefined }),
    bodyLength: (reference) => reference.notFound.body.length,
  },
];

interface Measured extends LoadResult {
  /** The server's CPU time (user + system, from /proc) per response, in microseconds. */
  readonly cpuUsPerRequest: number | undefined;
  /** The share of the machine's CPUs other processes used during the load. */
  readonly others: number | undefined;
}

/** Runs a load and reads the CPU time around it: the server's, and what other processes on the machine used. */
async function loadWithCpu(tool: LoadTool, server: Server, allPids: readonly number[], url: string, headers: Readonly<Record<string, string>>, seconds: number, cpus?: string): Promise<Measured> {
  const before = cpuSeconds(server.pids);
  const machineBefore = machineSample(allPids);
  const result = await tool.run(url, headers, seconds, cpus);
  const machineAfter = machineSample(allPids);
  const after = cpuSeconds(server.pids);
  const cpuUsPerRequest = before === undefined || after === undefined || result.requests === 0 ? undefined : ((after - before) * 1e6) / result.requests;
  return { ...result, cpuUsPerRequest, others: otherShare(machineBefore, machineAfter) };
}

/** One request of the scenario, read whole, must get what the scenario asks for. */
async function checkAnswer(server: Server, scenario: Scenario, reference: Reference, when: string): Promise<void> {
  const headers = scenario.headers(server);
  const answer = await probe(server.port, scenario.path, headers);
  const problem = answerProblem(scenario.expected(server, reference), answer);
  if (problem !== undefined) {
    throw new Error(`bench: ${when} the "${scenario.label}" load, ${server.name} answered ${scenario.path} ${JSON.stringify(headers)} with ${problem}; no figure is reported for a wrong answer`);
  }
}

/** Bytes of a file from `offset` on that are newlines: the lines written there. */
function countLines(file: string, offset: number): number {
  const fd = openSync(file, "r");
  try {
    const chunk = Buffer.alloc(1 << 20);
    let lines = 0;
    let position = offset;
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, position);
      if (read === 0) return lines;
      for (let at = chunk.indexOf(0x0a); at !== -1 && at < read; at = chunk.indexOf(0x0a, at + 1)) lines++;
      position += read;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks the answer, warms up, measures, checks the whole load and the answer again; for a server
 * that logs requests, also that it wrote a line for every response wrk got (and at most one per
 * connection more: requests still in flight when wrk stopped were answered and logged too).
 */
async function measure(tool: LoadTool, server: Server, allPids: readonly number[], scenario: Scenario, reference: Reference, options: Options): Promise<Measured> {
  const headers = scenario.headers(server);
  await checkAnswer(server, scenario, reference, "before");
  const url = `http://127.0.0.1:${server.port}${scenario.path}`;
  if (options.warmup > 0) await tool.run(url, headers, options.warmup);
  const requestLog = server.requestLog;
  let logOffset = 0;
  if (requestLog !== undefined) {
    await sleep(LOG_FLUSH_WAIT_MS);
    logOffset = statSync(requestLog).size;
  }
  const result = await loadWithCpu(tool, server, allPids, url, headers, options.duration);
  const problem = loadProblem(scenario.expected(server, reference), scenario.bodyLength(reference), result);
  if (problem !== undefined) throw new Error(`bench: during the "${scenario.label}" load, ${server.name} answered with ${problem}; no figure is reported for wrong answers`);
  if (requestLog !== undefined) {
    await sleep(LOG_FLUSH_WAIT_MS);
    const lines = countLines(requestLog, logOffset);
    if (lines < result.requests || lines > result.requests + options.connections) {
      throw new Error(`bench: ${server.name} logged ${lines} lines during the "${scenario.label}" load, for ${result.requests} responses ${tool.name} received (${requestLog})`);
    }
  }
  await checkAnswer(server, scenario, reference, "after");
  return result;
}

// ---------------------------------------------------------------------------------------------
// Printing.

function formatMs(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

function formatRate(rate: number): string {
  return Math.round(rate).toLocaleString("en-US");
}

function formatShare(share: number | undefined): string {
  return share === undefined ? "?" : `${Math.round(share * 100)}%`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

function table(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  const line = (row: readonly string[]): string =>
    `| ${row.map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join(" | ")} |`;
  const [head, ...body] = rows;
  const rule = `|${widths.map((width, column) => (rightAligned.has(column) ? `${"-".repeat(width + 1)}:` : "-".repeat(width + 2))).join("|")}|`;
  return [line(head ?? []), rule, ...body.map(line)].join("\n");
}

function cpuModel(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown model"})`;
}

function loadAverage(): string {
  return os.loadavg().map((value) => value.toFixed(2)).join(" ");
}

function describeResult(result: Measured): string {
  const cpu = result.cpuUsPerRequest === undefined ? "" : `, ${result.cpuUsPerRequest.toFixed(1)} us CPU/req`;
  return `${formatRate(result.requestsPerSecond).padStart(9)} req/s, p50 ${formatMs(result.p50Ms)} ms, p99 ${formatMs(result.p99Ms)} ms${cpu}, others ${formatShare(result.others)} of the CPUs`;
}

/** The commit measured, and whether the work tree differs from it. */
function gitRevision(): string {
  const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" });
  if (head.status !== 0) return "(not a git checkout)";
  const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: ROOT, encoding: "utf8" }).stdout.trim() !== "";
  return `${head.stdout.trim()}${dirty ? " with uncommitted changes" : ""}`;
}

/** A ratio of two servers' requests/s: its median over the rounds and its range. */
interface Ratio {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly rounds: number;
}

function ratioCell(ratio: Ratio | undefined): string {
  if (!ratio) return "-";
  return ratio.rounds === 1 ? ratio.median.toFixed(2) : `${ratio.median.toFixed(2)} (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`;
}

// ---------------------------------------------------------------------------------------------

type Log = (line: string) => void;

async function main(options: Options, argv: readonly string[], children: Children, work: Work): Promise<void> {
  const log: Log = (line) => void process.stdout.write(`${line}\n`);

  if (!existsSync(CLI)) throw new Error(`bench: ${CLI} is missing; run npm run build first (npm run bench:http does)`);
  if (options.tool === "wrk" && !onPath("wrk")) throw new Error("bench: --tool wrk, but wrk is not on PATH (Debian: apt-get install wrk)");
  const tool = options.tool === "autocannon" || (options.tool === undefined && !onPath("wrk")) ? autocannonTool(options) : wrkTool(options, children);
  log(`load generator: ${tool.name}${options.tool === undefined && tool.name === "autocannon" ? " (wrk is not on PATH)" : ""}`);
  const revision = gitRevision();

  // 1. The site and two Feedwright processes: the request log on (the default) and off.
  const corpus = writeCorpus(work.postsDir, options.posts, SEED);
  log(`corpus: ${corpus.posts} posts (seed ${SEED}), ${(corpus.bytes / 1_048_576).toFixed(1)} MB, ${corpus.categories} categories, ${corpus.tags} tags in ${work.postsDir}`);
  const setups: FeedwrightSetup[] = [
    { label: "feedwright-log-on", name: "Feedwright, log on", configFile: path.join(work.dir, "feedwright-log-on.yaml"), logRequests: true },
    { label: "feedwright-log-off", name: "Feedwright, log off", configFile: path.join(work.dir, "feedwright-log-off.yaml"), logRequests: false },
  ];
  const feedwrightPorts = [await freePort(), await freePort()];
  const siteUrl = `http://127.0.0.1:${feedwrightPorts[0]}`;
  for (const setup of setups) writeFeedwrightConfig(setup, siteUrl);
  const feedwrights: Server[] = [];
  let reference: Reference | undefined;
  for (const [index, setup] of setups.entries()) {
    const port = feedwrightPorts[index] ?? 0;
    const started = performance.now();
    const { child, logFile } = await startFeedwright(children, work, setup, port, [], setup.label);
    if (!reference) {
      const bodies = {
        identity: (await probe(port, FEED_PATH, { "Accept-Encoding": "identity" })).body,
        gzip: (await probe(port, FEED_PATH, { "Accept-Encoding": "gzip" })).body,
        br: (await probe(port, FEED_PATH, { "Accept-Encoding": "br" })).body,
      };
      reference = { bodies, notFound: await probe(port, MISSING_PATH, { "Accept-Encoding": "gzip" }) };
    }
    const etags = await etagsOf({ name: setup.name, port }, reference, true);
    feedwrights.push({ name: setup.name, kind: "feedwright", port, pids: child.pid === undefined ? [] : [child.pid], etags, brotli: true, requestLog: setup.logRequests ? logFile : undefined });
    log(`${setup.name}: serving on http://127.0.0.1:${port}/ (pid ${child.pid ?? "?"}, ready, compressed and quiet after ${((performance.now() - started) / 1000).toFixed(1)} s), gzip ETag ${etags.gzip}`);
  }
  const [logOn, logOff] = feedwrights;
  if (!logOn || !logOff || !reference) throw new Error("bench: the Feedwright processes did not start");
  if (logOn.etags.gzip !== logOff.etags.gzip) throw new Error(`bench: the two Feedwright processes serve different ${FEED_PATH} (ETags ${logOn.etags.gzip} and ${logOff.etags.gzip})`);
  const { bodies } = reference;
  log(`${FEED_PATH}: ${bodies.identity.length} bytes identity, ${bodies.gzip.length} gzip, ${bodies.br.length} br (as Feedwright sends it)`);

  // 2. The node:http baseline: Feedwright's answers, recorded and sent back as they are.
  const baseline = await startBaseline(children, work, logOff.port, log);
  const nodeServer: Server = {
    name: "node:http",
    kind: "node",
    port: baseline.port,
    pids: baseline.child.pid === undefined ? [] : [baseline.child.pid],
    etags: logOff.etags,
    brotli: true,
    requestLog: undefined,
  };

  // 3. nginx, serving the same documents as files.
  const nginx = findNginx();
  let nginxServer: Server | undefined;
  let nginxLine = "no nginx";
  if (!nginx) {
    log("nginx: not installed, so no ceiling is measured (Debian: apt-get install nginx)");
  } else {
    const siteDir = path.join(work.dir, "static");
    const nginxDir = path.join(work.dir, "nginx");
    mkdirSync(nginxDir);
    const buildLog = path.join(work.dir, "build.log");
    const build = spawnSync(process.execPath, [CLI, "build", "--out", siteDir, "--config", setups[1]?.configFile ?? "", "--posts", work.postsDir, "--no-cache"], { encoding: "utf8", env: feedwrightEnv() });
    writeFileSync(buildLog, `${build.stdout}${build.stderr}`);
    if (build.status !== 0) throw new Error(`bench: feedwright build --out ${siteDir} failed (${build.status}):\n${tail(buildLog)}`);
    const nginxPort = await freePort();
    const identity = await probe(logOff.port, FEED_PATH, { "Accept-Encoding": "identity" });
    const configured = writeNginxConfig(nginx, nginxDir, siteDir, nginxPort, String(identity.headers["cache-control"] ?? "public, max-age=60"));
    for (const [suffix, body] of [["", bodies.identity], [".gz", bodies.gzip], ...(configured.brotli ? [[".br", bodies.br] as const] : [])] as const) {
      const file = path.join(siteDir, `${FEED_PATH}${suffix}`);
      if (!existsSync(file) || !readFileSync(file).equals(body)) throw new Error(`bench: ${file} is not the bytes Feedwright sends for ${FEED_PATH}${suffix ? ` (${suffix.slice(1)})` : ""}`);
    }
    log(`static files: ${siteDir}: ${FEED_PATH}, .gz${configured.brotli ? " and .br" : ""} are the bytes Feedwright sends`);
    if (!configured.brotli) log(`nginx: no Brotli: ${configured.note ?? "brotli_static unavailable"}; the br scenario is measured without nginx`);
    // nginx's worker may run as another user (nobody, www-data): it must be able to read the files.
    chmodSync(work.dir, 0o755);
    const nginxLog = path.join(nginxDir, "nginx-error.log");
    const nginxChild = children.start(nginx.binary, ["-p", nginxDir, "-c", path.join(nginxDir, "nginx.conf"), "-e", nginxLog], {
      logFile: path.join(nginxDir, "nginx-stdout.log"),
      group: true,
    });
    await waitFor200(nginxPort, FEED_PATH, nginxChild, "nginx", nginxLog, 10_000);
    const master = nginxChild.pid;
    const workers = master === undefined ? [] : childPids(master);
    const etags = await etagsOf({ name: "nginx", port: nginxPort }, reference, configured.brotli);
    nginxServer = {
      name: "nginx",
      kind: "nginx",
      port: nginxPort,
      pids: master === undefined ? [] : [master, ...workers],
      etags,
      brotli: configured.brotli,
      requestLog: undefined,
    };
    nginxLine = `${nginx.version} (1 worker, access_log off, gzip_static${configured.brotli ? ", brotli_static" : ", no brotli_static"})`;
    log(`nginx: ${nginx.version} on http://127.0.0.1:${nginxPort}/ (master pid ${master ?? "?"}, worker ${workers.join(", ") || "?"}), gzip ETag ${etags.gzip}`);
  }

  // 4. The loads: every round, every scenario, every server once, the servers in a rotating order.
  const servers = [logOn, logOff, nodeServer, ...(nginxServer ? [nginxServer] : [])];
  const allPids = servers.flatMap((server) => server.pids);
  const results = new Map<string, Measured[]>();
  const key = (scenario: Scenario, server: Server): string => `${scenario.id}\u0000${server.name}`;
  const loadAverageBefore = loadAverage();
  log(
    `measuring: ${options.rounds} round(s); in each, every scenario on every server for ${options.duration} s after a ${options.warmup} s warm-up, ` +
      `the servers in a rotating order (load average before: ${loadAverageBefore})`,
  );
  const scenarios = SCENARIOS.filter((scenario) => options.scenarios.has(scenario.id));
  for (let round = 0; round < options.rounds; round++) {
    const order = servers.map((_, index) => servers[(index + round) % servers.length]).filter((server): server is Server => server !== undefined);
    for (const scenario of scenarios) {
      for (const server of order) {
        if (!scenario.runsOn(server)) continue;
        const result = await measure(tool, server, allPids, scenario, reference, options);
        const list = results.get(key(scenario, server)) ?? [];
        list.push(result);
        results.set(key(scenario, server), list);
        log(`  round ${round + 1}  ${scenario.label.padEnd(26)} ${server.name.padEnd(20)} ${describeResult(result)}`);
      }
    }
  }

  // 5. The tables.
  const others = [...results.values()].flat().map((result) => result.others).filter((share): share is number => share !== undefined);
  log("");
  log(
    `git ${revision}; command: npm run bench:http${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}\n` +
      `machine: ${os.type()} ${os.release()} ${os.arch()}, ${cpuModel()}, ${Math.round(os.totalmem() / 1_073_741_824)} GB; Node ${process.version}; ${nginxLine}; ` +
      `${tool.settings}; ${options.rounds} round(s) of ${options.duration} s per load after a ${options.warmup} s warm-up; loopback; ` +
      `${corpus.posts} posts, ${FEED_PATH} ${bodies.identity.length} B identity / ${bodies.gzip.length} B gzip / ${bodies.br.length} B br. ` +
      `The load generator and the servers share the same ${os.cpus().length} cores (nothing pinned). ` +
      (others.length > 0
        ? `Other processes on the machine used ${formatShare(others.reduce((sum, share) => sum + share, 0) / others.length)} of its CPUs during the loads on average (at most ${formatShare(Math.max(...others))})`
        : "The CPU use of other processes is unknown (no /proc)") +
      `; load average before ${loadAverageBefore}, after ${loadAverage()}.`,
  );
  log("");
  const rows: string[][] = [["scenario", "server", "req/s (median)", "range of the rounds", "p50 ms", "p99 ms", "CPU us/req", "others' CPU"]];
  for (const scenario of scenarios) {
    for (const server of servers) {
      const measured = results.get(key(scenario, server));
      if (!measured) continue;
      const rates = measured.map((result) => result.requestsPerSecond);
      const cpu = measured.map((result) => result.cpuUsPerRequest).filter((value): value is number => value !== undefined);
      const shares = measured.map((result) => result.others).filter((value): value is number => value !== undefined);
      rows.push([
        `${scenario.label} ${scenario.path}`,
        server.name,
        formatRate(median(rates)),
        `${formatRate(Math.min(...rates))}–${formatRate(Math.max(...rates))}`,
        formatMs(median(measured.map((result) => result.p50Ms))),
        formatMs(median(measured.map((result) => result.p99Ms))),
        cpu.length > 0 ? median(cpu).toFixed(1) : "?",
        shares.length > 0 ? formatShare(median(shares)) : "?",
      ]);
    }
  }
  log(table(rows, new Set([2, 3, 4, 5, 6, 7])));
  log("(each row: the median of the rounds; CPU us/req: the server's user + system CPU time per response, from /proc; others' CPU: the share of the machine's CPUs used by processes other than the benchmark's during the load)");

  const ratio = (scenario: Scenario, ours: Server, theirs: Server | undefined): Ratio | undefined => {
    const a = results.get(key(scenario, ours));
    const b = theirs ? results.get(key(scenario, theirs)) : undefined;
    if (!a || !b) return undefined;
    const perRound = a.map((result, index) => result.requestsPerSecond / (b[index]?.requestsPerSecond ?? NaN)).filter((value) => Number.isFinite(value));
    if (perRound.length === 0) return undefined;
    return { median: median(perRound), min: Math.min(...perRound), max: Math.max(...perRound), rounds: perRound.length };
  };
  const pairs: { label: string; ours: Server; theirs: Server | undefined; target: number }[] = [
    { label: "log off / node:http", ours: logOff, theirs: nodeServer, target: TARGETS.node },
    { label: "log on / node:http", ours: logOn, theirs: nodeServer, target: TARGETS.node },
    { label: "log off / nginx", ours: logOff, theirs: nginxServer, target: TARGETS.nginx },
    { label: "log on / nginx", ours: logOn, theirs: nginxServer, target: TARGETS.nginx },
    { label: "log on / log off", ours: logOn, theirs: logOff, target: TARGETS.logOnOff },
  ];
  log("");
  log(`Feedwright's requests/s over the other server's, in the same round (median of ${options.rounds}, and the range):`);
  const ratioRows: string[][] = [["scenario", ...pairs.map((pair) => `Feedwright ${pair.label}`)]];
  for (const scenario of scenarios) ratioRows.push([scenario.label, ...pairs.map((pair) => ratioCell(ratio(scenario, pair.ours, pair.theirs)))]);
  log(table(ratioRows, new Set(pairs.map((_, index) => index + 1))));
  log("");
  log("targets (issue 14), on the 304 and gzip-200 paths, on the median of the rounds:");
  for (const pair of pairs) {
    const verdicts = scenarios.filter((scenario) => scenario.id === "304" || scenario.id === "gzip").map((scenario) => {
      const found = ratio(scenario, pair.ours, pair.theirs);
      if (!found) return `${scenario.label}: not measured`;
      const every = found.min >= pair.target ? ", in every round" : "";
      return `${scenario.label}: ${found.median.toFixed(2)} (${found.median >= pair.target ? `met${every}` : "NOT met"})`;
    });
    log(`  Feedwright ${pair.label} >= ${pair.target}: ${verdicts.join("; ")}`);
  }

  // 6. Where Feedwright's time goes.
  if (options.profile) await profile(options, tool, children, work, setups, servers, allPids, reference, log);
}

// ---------------------------------------------------------------------------------------------
// Profiling: where Feedwright's CPU time goes on the 304 and gzip-200 paths.

/** Server on CPU 0, load generator on CPU 1: the server's samples are then its own work, not time it waited while wrk ran. */
function pinning(tool: LoadTool): { server: string; tool: string | undefined } | undefined {
  if (os.cpus().length < 2 || !onPath("taskset")) return undefined;
  return { server: "0", tool: tool.name === "wrk" ? "1" : undefined };
}

async function profile(
  options: Options,
  tool: LoadTool,
  children: Children,
  work: Work,
  setups: readonly FeedwrightSetup[],
  servers: readonly Server[],
  allPids: readonly number[],
  reference: Reference,
  log: Log,
): Promise<void> {
  log("");
  const pin = pinning(tool);
  log(
    `profiling: a further Feedwright process per config under node --cpu-prof (a sample every 250 us; the profiler costs some throughput), ` +
      (pin
        ? `pinned to CPU ${pin.server}${pin.tool ? `, ${tool.name} to CPU ${pin.tool}` : ` (${tool.name} runs in this process, not pinned)`}`
        : "not pinned (needs taskset and 2 cores): samples also count the time the server waited for the load generator's turn on the CPU"),
  );
  const scenarios = SCENARIOS.filter((scenario) => (scenario.id === "304" || scenario.id === "gzip") && options.scenarios.has(scenario.id));
  for (const setup of setups) {
    const profileDir = path.join(work.dir, `profile-${setup.label}`);
    const port = await freePort();
    const nodeFlags = ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "--cpu-prof-name=feedwright.cpuprofile", "--cpu-prof-interval=250"];
    const { child, logFile } = await startFeedwright(children, work, setup, port, nodeFlags, `${setup.label}-profiled`, pin?.server);
    const pids = child.pid === undefined ? [] : [child.pid];
    const server: Server = { name: `${setup.name}, profiled`, kind: "feedwright", port, pids, etags: await etagsOf({ name: setup.name, port }, reference, true), brotli: true, requestLog: undefined };
    const windows: { label: string; from: number; to: number; cpu: number | undefined }[] = [];
    for (const scenario of scenarios) {
      const headers = scenario.headers(server);
      await checkAnswer(server, scenario, reference, "before");
      const url = `http://127.0.0.1:${port}${scenario.path}`;
      if (options.warmup > 0) await tool.run(url, headers, options.warmup, pin?.tool);
      const cpuBefore = cpuSeconds(pids);
      const from = Number(process.hrtime.bigint() / 1000n);
      const result = await loadWithCpu(tool, server, [...allPids, ...pids], url, headers, options.duration, pin?.tool);
      const to = Number(process.hrtime.bigint() / 1000n);
      const cpuAfter = cpuSeconds(pids);
      const problem = loadProblem(scenario.expected(server, reference), scenario.bodyLength(reference), result);
      if (problem !== undefined) throw new Error(`bench: during the profiled "${scenario.label}" load, ${server.name} answered with ${problem}`);
      await checkAnswer(server, scenario, reference, "after");
      windows.push({ label: scenario.label, from, to, cpu: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore });
      log(`  ${setup.name.padEnd(20)} ${scenario.label.padEnd(26)} under the profiler: ${describeResult(result)}`);
    }
    // The profile is written when the process exits, which it does on SIGTERM.
    await children.stop(child, 20_000);
    const file = path.join(profileDir, "feedwright.cpuprofile");
    if (!existsSync(file)) {
      log(`  no profile was written (Feedwright ${exitedEarly(child) ?? "did not exit"}); see ${logFile}`);
      continue;
    }
    const data = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
    for (const window of windows) {
      log("");
      log(formatProfileSummary(summarizeProfile(data, { root: ROOT, from: window.from, to: window.to, top: 12 }), `profile, ${setup.name}, ${window.label}`, window.cpu));
    }
    const kept = path.join(os.tmpdir(), `feedwright-bench-http-${setup.label}-${new Date().toISOString().replace(/[:.]/g, "-")}.cpuprofile`);
    copyFileSync(file, kept);
    log("");
    log(`profile kept at ${kept} (Chrome DevTools > Performance > Load profile, or npx tsx bench/summarize-profile.ts FILE)`);
  }

  await kernelSplit(options, tool, children, work, servers, allPids, pin, log);
}

/** perf can sample the kernel side of another process: as root, or with perf_event_paranoid <= 1. */
function perfUsable(): string | undefined {
  if (!onPath("perf")) return "perf is not installed (Debian: apt-get install linux-perf)";
  let paranoid = 2;
  try {
    paranoid = Number(readFileSync("/proc/sys/kernel/perf_event_paranoid", "utf8").trim());
  } catch {
    // Not Linux, or no perf events: judged by the uid alone.
  }
  if (process.getuid?.() !== 0 && paranoid > 1) return `perf cannot see kernel time of other processes here (perf_event_paranoid ${paranoid}, not root)`;
  return undefined;
}

/** Where the CPU goes by binary: kernel (TCP on the loopback, syscalls), the server's own binary, JIT-compiled JavaScript, libraries. */
async function kernelSplit(
  options: Options,
  tool: LoadTool,
  children: Children,
  work: Work,
  servers: readonly Server[],
  allPids: readonly number[],
  pin: { server: string; tool: string | undefined } | undefined,
  log: Log,
): Promise<void> {
  log("");
  const unusable = perfUsable() ?? (pin ? undefined : "the servers cannot be pinned to one CPU (needs taskset and 2 cores)");
  if (unusable !== undefined) {
    log(`kernel/user split: skipped: ${unusable}`);
    return;
  }
  log(`kernel/user split (perf record -e cpu-clock), each server alone on CPU ${pin?.server ?? "?"}${pin?.tool ? `, ${tool.name} on CPU ${pin.tool}` : ""}, ${options.duration} s per run:`);
  const rows: string[][] = [["scenario", "server", "req/s", "CPU us/req", "kernel", "server binary (C++)", "JIT JavaScript", "libc and other"]];
  for (const server of servers) {
    // Every thread of the server (libuv's pool, V8's platform threads) onto the one CPU.
    for (const pid of server.pids) spawnSync("taskset", ["-a", "-p", "-c", pin?.server ?? "0", String(pid)], { stdio: "ignore" });
    for (const scenario of SCENARIOS) {
      if ((scenario.id !== "304" && scenario.id !== "gzip") || !options.scenarios.has(scenario.id)) continue;
      const headers = scenario.headers(server);
      const url = `http://127.0.0.1:${server.port}${scenario.path}`;
      if (options.warmup > 0) await tool.run(url, headers, options.warmup, pin?.tool);
      const data = path.join(work.dir, `perf-${server.name}-${rows.length}.data`);
      const load = loadWithCpu(tool, server, allPids, url, headers, options.duration, pin?.tool);
      await sleep(500);
      const recorded = recordPerf(children, server.pids, Math.max(1, options.duration - 1), data);
      const [result] = await Promise.all([load, recorded]);
      const split = perfSplit(data, server.kind === "nginx" ? "nginx" : "node");
      const share = (part: keyof PerfSplit): string => (split ? `${split[part].toFixed(1)}%` : "?");
      rows.push([scenario.label, server.name, formatRate(result.requestsPerSecond), result.cpuUsPerRequest?.toFixed(1) ?? "?", share("kernel"), share("binary"), share("jit"), share("libraries")]);
    }
  }
  log(table(rows, new Set([2, 3, 4, 5, 6, 7])));
  log("(kernel: the loopback TCP stack and the syscalls; server binary: for node, V8's runtime and builtins, libuv, llhttp and the C++ bindings; JIT JavaScript: Feedwright's and Node's own JavaScript.)");
}

interface PerfSplit {
  readonly kernel: number;
  readonly binary: number;
  readonly jit: number;
  readonly libraries: number;
}

async function recordPerf(children: Children, pids: readonly number[], seconds: number, file: string): Promise<void> {
  const child = children.start("perf", ["record", "-q", "-e", "cpu-clock", "-F", "999", "-p", pids.join(","), "-o", file, "--", "sleep", String(seconds)]);
  await new Promise<void>((resolve) => child.once("close", () => resolve()));
}

/** `perf report --sort dso`, folded into four owners. */
function perfSplit(file: string, binary: string): PerfSplit | undefined {
  const report = spawnSync("perf", ["report", "-i", file, "--sort", "dso", "--stdio", "-q"], { encoding: "utf8" });
  if (report.status !== 0) return undefined;
  const split = { kernel: 0, binary: 0, jit: 0, libraries: 0 };
  for (const line of report.stdout.split("\n")) {
    const found = /^\s*([\d.]+)%\s+(.+?)\s*$/.exec(line);
    if (!found) continue;
    const share = Number(found[1]);
    const dso = found[2] ?? "";
    if (dso.startsWith("[kernel")) split.kernel += share;
    else if (path.basename(dso) === binary) split.binary += share;
    else if (dso.startsWith("[JIT]") || dso.startsWith("perf-") || dso === "[unknown]") split.jit += share;
    else split.libraries += share;
  }
  return split;
}

// ---------------------------------------------------------------------------------------------

async function run(): Promise<number> {
  const argv = process.argv.slice(2);
  let options: Options | "help";
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const children = new Children();
  const dir = mkdtempSync(path.join(os.tmpdir(), "feedwright-bench-"));
  const work: Work = { dir, postsDir: path.join(dir, "posts") };
  let cleaned: Promise<void> | undefined;
  const cleanUp = (): Promise<void> => {
    if (cleaned === undefined) {
      if (options.keep) process.stderr.write(`bench: kept ${dir}\n`);
      cleaned = options.keep ? Promise.resolve() : rm(dir, { recursive: true, force: true });
    }
    return cleaned;
  };
  // Ctrl-C or a kill: stop every child by PID, remove the temp folder, exit as the signal would.
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    // Ctrl-C reaches this process twice under tsx (from the terminal and relayed by tsx): once is enough.
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\nbench: ${signal}, stopping the servers and the load generator\n`);
    // Every child is signalled at once, and the event loop is never blocked from here on: tsx's CLI
    // SIGKILLs a child that does not acknowledge a relayed signal within 30 ms.
    children.signalAll("SIGTERM");
    void Promise.all([children.stopAll(), cleanUp()]).finally(() => process.exit(128 + (os.constants.signals[signal] ?? 1)));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
  // Whatever else ends this process, nothing it started outlives it.
  process.once("exit", () => children.signalAll("SIGKILL"));

  try {
    await main(options, argv, children, work);
    return 0;
  } catch (error) {
    // After Ctrl-C the load generator or a server dies mid-run: that is not worth a message.
    if (!interrupted) process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await children.stopAll();
    await cleanUp();
  }
}

process.exitCode = await run();
