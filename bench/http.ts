// `npm run bench:http`: how many requests a second one Feedwright process answers for a feed,
// next to nginx serving the same bytes as static files with one worker (the ceiling). A
// benchmark, not a test: it prints figures and asserts nothing.
//
//   npm run bench:http -- [--posts N] [--duration S] [--warmup S] [--connections N] [--threads N]
//                         [--tool wrk|autocannon] [--profile] [--keep]
//
// Everything stays on the loopback and in one temp folder: the generated posts (bench/gen-corpus.ts,
// fixed seed), the config, nginx's files. Scenarios on /feed.xml, each measured for a bounded time
// after a short warm-up, Feedwright then nginx: a 200 with gzip, a 304 revalidation (If-None-Match
// with the ETag each server gave for its gzip representation), a 200 with Brotli, and a 404. The
// load generator is wrk when it is on PATH (2 threads, 64 connections), else autocannon. With
// --profile a second Feedwright process runs under `node --cpu-prof` through the 304 and gzip-200
// loads, and bench/summarize-profile.ts says where its CPU time went in each.
//
// Every process started here is stopped by its PID at the end, on an error, and on Ctrl-C.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { request, type IncomingHttpHeaders } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { brotliCompressSync, constants as zlibConstants, gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { DEFAULT_SEED, writeCorpus } from "./gen-corpus.js";
import { formatProfileSummary, summarizeProfile, type CpuProfile } from "./summarize-profile.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(ROOT, "dist", "cli.js");
const NGINX_TEMPLATE = path.join(ROOT, "bench", "nginx.conf.template");
const SEED = DEFAULT_SEED;
const FEED_PATH = "/feed.xml";
const MISSING_PATH = "/no-such-feed.xml";
/** The issue's target: Feedwright at least this fraction of nginx's requests/s on the 304 and gzip-200 paths. */
const TARGET_RATIO = 0.4;
/** Compression as Feedwright does it (delivery/served-document.ts), so nginx sends the same bytes. */
const MIN_COMPRESS_BYTES = 256;
const GZIP_LEVEL = 6;
const BROTLI_QUALITY = 5;

const USAGE = `usage: npm run bench:http -- [options]   (or: npx tsx bench/http.ts [options] after npm run build)
  --posts N          posts to generate (default 1000, seed ${SEED})
  --duration S       seconds of load per scenario and server (default 10)
  --warmup S         seconds of unmeasured load before each (default 2)
  --connections N    open connections (default 64)
  --threads N        wrk threads (default 2)
  --tool NAME        wrk or autocannon (default: wrk when on PATH, else autocannon)
  --profile          also profile Feedwright (node --cpu-prof) under the 304 and gzip-200 loads
  --keep             keep the temp folder (posts, config, static files, logs)`;

interface Options {
  readonly posts: number;
  readonly duration: number;
  readonly warmup: number;
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
  return {
    posts: whole("posts", values.posts, 1000, 1),
    duration: whole("duration", values.duration, 10, 1),
    warmup: whole("warmup", values.warmup, 2, 0),
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

/** Clock ticks per second of /proc/PID/stat's times. */
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

// ---------------------------------------------------------------------------------------------
// One request, read whole: to check each scenario's status before loading it.

interface Probe {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function probe(port: number, urlPath: string, headers: Readonly<Record<string, string>> = {}): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: urlPath, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
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

// ---------------------------------------------------------------------------------------------
// Load generators.

interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Responses with a status outside 2xx and 3xx (wrk's "Non-2xx or 3xx responses"). */
  readonly non2xx3xx: number;
  /** Connect/read/write errors and timeouts, summed. */
  readonly socketErrors: number;
}

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

/** Reads wrk 4's report (requests/s, the --latency percentiles, error counts). */
export function parseWrk(output: string): LoadResult {
  const number = (pattern: RegExp): number | undefined => {
    const found = pattern.exec(output)?.[1];
    return found === undefined ? undefined : Number(found);
  };
  const latencyMs = (percent: string): number => {
    const found = new RegExp(`^\\s*${percent}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(output);
    if (!found) throw new Error(`bench: no ${percent}% latency in wrk's output:\n${output}`);
    const scale = found[2] === "us" ? 0.001 : found[2] === "s" ? 1000 : 1;
    return Number(found[1]) * scale;
  };
  const requestsPerSecond = number(/^Requests\/sec:\s+([\d.]+)/m);
  if (requestsPerSecond === undefined) throw new Error(`bench: no Requests/sec in wrk's output:\n${output}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requestsPerSecond,
    p50Ms: latencyMs("50"),
    p99Ms: latencyMs("99"),
    requests: number(/^\s*(\d+) requests in/m) ?? 0,
    non2xx3xx: number(/Non-2xx or 3xx responses:\s+(\d+)/) ?? 0,
    socketErrors: socket ? socket.slice(1).reduce((sum, count) => sum + Number(count), 0) : 0,
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
        non2xx3xx: answered - result["2xx"] - result["3xx"],
        socketErrors: result.errors + result.timeouts,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The servers.

interface Server {
  readonly name: "Feedwright" | "nginx";
  readonly port: number;
  /** The processes that do the work (nginx: the master and its worker), for their CPU time. */
  readonly pids: readonly number[];
  /** The ETag this server gives /feed.xml with Accept-Encoding: gzip. */
  etagGzip: string;
  readonly brotli: boolean;
}

function feedwrightEnv(): NodeJS.ProcessEnv {
  // The config file and flags decide; the caller's SITE_URL, PORT… must not override them, and
  // nothing of tsx's loader belongs in the server.
  const env = { ...process.env };
  for (const name of ["SITE_URL", "POSTS_DIR", "PORT", "FEEDWRIGHT_CONFIG", "NODE_OPTIONS"]) delete env[name];
  return env;
}

function writeFeedwrightConfig(file: string, port: number): void {
  writeFileSync(
    file,
    [
      "# Written by bench/http.ts: the blog lives on the loopback address the benchmark uses.",
      "site:",
      `  url: "http://127.0.0.1:${port}"`,
      '  title: "Feedwright benchmark"',
      "  timezone: Asia/Tokyo",
      "# No rescan during a run (once a year, on 1 January at 04:00); max-age as with a 1-minute schedule.",
      'schedule: "0 4 1 1 *"',
      "http:",
      "  max_age: 60",
      "host: 127.0.0.1",
      "# nginx runs with access_log off; so does Feedwright's request log, for the same work per",
      "# request (with it on, a JSON line per request costs about a third of the 304 rate).",
      "log:",
      "  requests: false",
      "",
    ].join("\n"),
  );
}

/** `cpus`: a taskset CPU list to pin the process to (taskset execs node: the PID is node's). */
async function startFeedwright(children: Children, work: Work, port: number, nodeFlags: readonly string[], label: string, cpus?: string): Promise<ChildProcess> {
  const logFile = path.join(work.dir, `${label}.log`);
  const command = [process.execPath, ...nodeFlags, CLI, "serve", "--config", work.configFile, "--posts", work.postsDir, "--port", String(port)];
  const [program, ...args] = cpus === undefined ? command : ["taskset", "-c", cpus, ...command];
  const child = children.start(program ?? process.execPath, args, { logFile, env: feedwrightEnv() });
  await waitFor200(port, "/healthz", child, "Feedwright", logFile, 180_000);
  return child;
}

interface Work {
  readonly dir: string;
  readonly postsDir: string;
  readonly configFile: string;
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

/** Adds .gz (and .br) beside every file worth compressing, compressed as Feedwright does. */
function precompress(dir: string, brotli: boolean): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name.endsWith(".gz") || entry.name.endsWith(".br")) continue;
    const file = path.join(entry.parentPath, entry.name);
    const body = readFileSync(file);
    if (body.length < MIN_COMPRESS_BYTES) continue;
    const gzip = gzipSync(body, { level: GZIP_LEVEL });
    if (gzip.length < body.length) writeFileSync(`${file}.gz`, gzip);
    if (!brotli) continue;
    const br = brotliCompressSync(body, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
    if (br.length < body.length) writeFileSync(`${file}.br`, br);
  }
}

// ---------------------------------------------------------------------------------------------
// Scenarios.

interface Scenario {
  readonly label: string;
  readonly path: string;
  readonly expect: number;
  readonly headers: (server: Server) => Readonly<Record<string, string>>;
  readonly runsOn: (server: Server) => boolean;
}

const SCENARIOS: readonly Scenario[] = [
  { label: "200 gzip", path: FEED_PATH, expect: 200, headers: () => ({ "Accept-Encoding": "gzip" }), runsOn: () => true },
  {
    label: "304 If-None-Match (gzip)",
    path: FEED_PATH,
    expect: 304,
    headers: (server) => ({ "Accept-Encoding": "gzip", "If-None-Match": server.etagGzip }),
    runsOn: () => true,
  },
  { label: "200 br", path: FEED_PATH, expect: 200, headers: () => ({ "Accept-Encoding": "br" }), runsOn: (server) => server.brotli },
  { label: "404 unknown path", path: MISSING_PATH, expect: 404, headers: () => ({ "Accept-Encoding": "gzip" }), runsOn: () => true },
];

/** Checks the status (and, for 200s, the coding) with one request, then warms up and measures. */
interface Measured extends LoadResult {
  /** The server's CPU time (user + system, from /proc) per response, in microseconds. */
  readonly cpuUsPerRequest: number | undefined;
}

/** Runs a load and reads the server's CPU time around it. */
async function loadWithCpu(tool: LoadTool, server: Server, url: string, headers: Readonly<Record<string, string>>, seconds: number, cpus?: string): Promise<Measured> {
  const before = cpuSeconds(server.pids);
  const result = await tool.run(url, headers, seconds, cpus);
  const after = cpuSeconds(server.pids);
  const cpuUsPerRequest = before === undefined || after === undefined || result.requests === 0 ? undefined : ((after - before) * 1e6) / result.requests;
  return { ...result, cpuUsPerRequest };
}

async function measure(tool: LoadTool, server: Server, scenario: Scenario, options: Options, cpus?: string): Promise<Measured> {
  const headers = scenario.headers(server);
  const answer = await probe(server.port, scenario.path, headers);
  const coding = headers["Accept-Encoding"];
  const wrongCoding = scenario.expect === 200 && answer.headers["content-encoding"] !== coding;
  if (answer.status !== scenario.expect || wrongCoding) {
    throw new Error(
      `bench: ${server.name} answered ${scenario.path} (${JSON.stringify(headers)}) with ${answer.status}` +
        `${answer.headers["content-encoding"] ? ` ${answer.headers["content-encoding"]}` : ""}, expected ${scenario.expect}${scenario.expect === 200 ? ` ${coding}` : ""}`,
    );
  }
  const url = `http://127.0.0.1:${server.port}${scenario.path}`;
  if (options.warmup > 0) await tool.run(url, headers, options.warmup, cpus);
  return loadWithCpu(tool, server, url, headers, options.duration, cpus);
}

// ---------------------------------------------------------------------------------------------
// Printing.

function formatMs(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

function formatRate(rate: number): string {
  return Math.round(rate).toLocaleString("en-US");
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

// ---------------------------------------------------------------------------------------------

type Log = (line: string) => void;

async function main(options: Options, children: Children, work: Work): Promise<void> {
  const log: Log = (line) => void process.stdout.write(`${line}\n`);

  if (!existsSync(CLI)) throw new Error(`bench: ${CLI} is missing; run npm run build first (npm run bench:http does)`);
  if (options.tool === "wrk" && !onPath("wrk")) throw new Error("bench: --tool wrk, but wrk is not on PATH (Debian: apt-get install wrk)");
  const tool = options.tool === "autocannon" || (options.tool === undefined && !onPath("wrk")) ? autocannonTool(options) : wrkTool(options, children);
  log(`load generator: ${tool.name}${options.tool === undefined && tool.name === "autocannon" ? " (wrk is not on PATH)" : ""}`);

  // 1. The site and one Feedwright process.
  const corpus = writeCorpus(work.postsDir, options.posts, SEED);
  log(`corpus: ${corpus.posts} posts (seed ${SEED}), ${(corpus.bytes / 1_048_576).toFixed(1)} MB, ${corpus.categories} categories, ${corpus.tags} tags in ${work.postsDir}`);
  const feedwrightPort = await freePort();
  writeFeedwrightConfig(work.configFile, feedwrightPort);
  const started = performance.now();
  const feedwrightChild = await startFeedwright(children, work, feedwrightPort, [], "feedwright");
  log(`Feedwright: serving on http://127.0.0.1:${feedwrightPort}/ (pid ${feedwrightChild.pid ?? "?"}, ready after ${((performance.now() - started) / 1000).toFixed(1)} s)`);

  const identity = await probe(feedwrightPort, FEED_PATH, { "Accept-Encoding": "identity" });
  const gzip = await probe(feedwrightPort, FEED_PATH, { "Accept-Encoding": "gzip" });
  const br = await probe(feedwrightPort, FEED_PATH, { "Accept-Encoding": "br" });
  const feedwright: Server = {
    name: "Feedwright",
    port: feedwrightPort,
    pids: feedwrightChild.pid === undefined ? [] : [feedwrightChild.pid],
    etagGzip: String(gzip.headers.etag),
    brotli: true,
  };
  log(`${FEED_PATH}: ${identity.body.length} bytes identity, ${gzip.body.length} gzip, ${br.body.length} br (as Feedwright sends it); gzip ETag ${feedwright.etagGzip}`);

  // 2. nginx, serving the same documents as files.
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
    const build = spawnSync(process.execPath, [CLI, "build", "--out", siteDir, "--config", work.configFile, "--posts", work.postsDir], { encoding: "utf8", env: feedwrightEnv() });
    writeFileSync(buildLog, `${build.stdout}${build.stderr}`);
    if (build.status !== 0) throw new Error(`bench: feedwright build --out ${siteDir} failed (${build.status}):\n${tail(buildLog)}`);
    const nginxPort = await freePort();
    const configured = writeNginxConfig(nginx, nginxDir, siteDir, nginxPort, String(identity.headers["cache-control"] ?? "public, max-age=60"));
    precompress(siteDir, configured.brotli);
    const fileSize = (suffix: string): string => {
      const file = path.join(siteDir, `${FEED_PATH}${suffix}`);
      return existsSync(file) ? String(statSync(file).size) : "-";
    };
    const same = (suffix: string, body: Buffer): string => {
      const file = path.join(siteDir, `${FEED_PATH}${suffix}`);
      return existsSync(file) && readFileSync(file).equals(body) ? "yes" : "NO";
    };
    log(
      `static files: ${siteDir} (${FEED_PATH}: ${fileSize("")} identity, ${fileSize(".gz")} .gz, ${fileSize(".br")} .br); ` +
        `the same bytes as Feedwright sends: identity ${same("", identity.body)}, gzip ${same(".gz", gzip.body)}${configured.brotli ? `, br ${same(".br", br.body)}` : ""}`,
    );
    if (!configured.brotli) log(`nginx: no Brotli: ${configured.note ?? "brotli_static unavailable"}; the br scenario is measured for Feedwright only`);
    // nginx's worker may run as another user (nobody, www-data): it must be able to read the files.
    chmodSync(work.dir, 0o755);
    const nginxLog = path.join(nginxDir, "nginx-error.log");
    const nginxChild = children.start(nginx.binary, ["-p", nginxDir, "-c", path.join(nginxDir, "nginx.conf"), "-e", nginxLog], {
      logFile: path.join(nginxDir, "nginx-stdout.log"),
      group: true,
    });
    await waitFor200(nginxPort, FEED_PATH, nginxChild, "nginx", nginxLog, 10_000);
    const nginxGzip = await probe(nginxPort, FEED_PATH, { "Accept-Encoding": "gzip" });
    const master = nginxChild.pid;
    const workers = master === undefined ? [] : childPids(master);
    nginxServer = {
      name: "nginx",
      port: nginxPort,
      pids: master === undefined ? [] : [master, ...workers],
      etagGzip: String(nginxGzip.headers.etag),
      brotli: configured.brotli,
    };
    nginxLine = `${nginx.version} (1 worker, gzip_static${configured.brotli ? ", brotli_static" : ", no brotli_static"})`;
    log(`nginx: ${nginx.version} on http://127.0.0.1:${nginxPort}/ (master pid ${master ?? "?"}, worker ${workers.join(", ") || "?"}), gzip ETag ${nginxServer.etagGzip}`);
  }

  // 3. Load, scenario by scenario, Feedwright then nginx.
  const results = new Map<string, Measured>();
  const key = (scenario: Scenario, server: Server): string => `${scenario.label}\u0000${server.name}`;
  log(`measuring: ${options.duration} s per scenario and server after a ${options.warmup} s warm-up (load average before: ${loadAverage()})`);
  for (const scenario of SCENARIOS) {
    for (const server of [feedwright, nginxServer]) {
      if (!server || !scenario.runsOn(server)) continue;
      const result = await measure(tool, server, scenario, options);
      results.set(key(scenario, server), result);
      log(`  ${scenario.label.padEnd(26)} ${server.name.padEnd(10)} ${describeResult(result)}`);
    }
  }

  // 4. The table.
  const rows: string[][] = [
    ["scenario", "Feedwright req/s", "p50 ms", "p99 ms", "CPU us/req", "nginx req/s", "p50 ms", "p99 ms", "CPU us/req", "FW/nginx", "non-2xx/3xx FW / nginx"],
  ];
  for (const scenario of SCENARIOS) {
    const ours = results.get(key(scenario, feedwright));
    const theirs = nginxServer ? results.get(key(scenario, nginxServer)) : undefined;
    rows.push([
      `${scenario.label} ${scenario.path}`,
      ...resultCells(ours),
      ...resultCells(theirs),
      ours && theirs ? (ours.requestsPerSecond / theirs.requestsPerSecond).toFixed(2) : "-",
      `${errorCell(ours)} / ${errorCell(theirs)}`,
    ]);
  }
  log("");
  log(
    `machine: ${os.type()} ${os.release()} ${os.arch()}, ${cpuModel()}; Node ${process.version} (one Feedwright process); ${nginxLine}; ` +
      `${tool.settings}; ${options.duration} s per run after a ${options.warmup} s warm-up; loopback; ` +
      `${corpus.posts} posts, ${FEED_PATH} ${identity.body.length} B identity / ${gzip.body.length} B gzip / ${br.body.length} B br. ` +
      `The load generator and the server share the same ${os.cpus().length} cores (nothing pinned); load average after: ${loadAverage()}.`,
  );
  log(table(rows, new Set([1, 2, 3, 4, 5, 6, 7, 8, 9])));
  if (nginxServer) {
    const theirs = nginxServer;
    const verdict = (label: string): string => {
      const scenario = SCENARIOS.find((entry) => entry.label === label);
      const ours = scenario ? results.get(key(scenario, feedwright)) : undefined;
      const ceiling = scenario ? results.get(key(scenario, theirs)) : undefined;
      if (!ours || !ceiling) return `${label}: not measured`;
      const ratio = ours.requestsPerSecond / ceiling.requestsPerSecond;
      return `${label}: ${ratio.toFixed(2)} (${ratio >= TARGET_RATIO ? "met" : "NOT met"})`;
    };
    log(`target (issue): Feedwright >= ${TARGET_RATIO} x nginx requests/s on the 304 and gzip-200 paths. ${verdict(LABEL_304)}; ${verdict(LABEL_GZIP)}`);
  } else {
    log(`target (issue): Feedwright >= ${TARGET_RATIO} x nginx requests/s: not evaluated, there is no nginx to compare with`);
  }
  log("(non-2xx/3xx: in the 404 row every response counts, as it should; in the other rows it should be 0. CPU us/req: the server's user + system CPU time per response, from /proc.)");

  // 5. Where Feedwright's time goes.
  if (options.profile) await profile(options, tool, children, work, { feedwright, nginx: nginxServer }, log);
}

const LABEL_GZIP = "200 gzip";
const LABEL_304 = "304 If-None-Match (gzip)";

function loadAverage(): string {
  return os.loadavg().map((value) => value.toFixed(2)).join(" ");
}

function describeResult(result: Measured): string {
  const cpu = result.cpuUsPerRequest === undefined ? "" : `, ${result.cpuUsPerRequest.toFixed(1)} us CPU/req`;
  return `${formatRate(result.requestsPerSecond).padStart(9)} req/s, p50 ${formatMs(result.p50Ms)} ms, p99 ${formatMs(result.p99Ms)} ms${cpu}`;
}

function resultCells(result: Measured | undefined): string[] {
  if (!result) return ["n/a", "", "", ""];
  return [formatRate(result.requestsPerSecond), formatMs(result.p50Ms), formatMs(result.p99Ms), result.cpuUsPerRequest === undefined ? "?" : result.cpuUsPerRequest.toFixed(1)];
}

function errorCell(result: LoadResult | undefined): string {
  if (!result) return "-";
  return `${result.non2xx3xx}${result.socketErrors > 0 ? ` (+${result.socketErrors} socket errors)` : ""}`;
}

// ---------------------------------------------------------------------------------------------
// Profiling: where Feedwright's CPU time goes on the 304 and gzip-200 paths.

/** Server on CPU 0, load generator on CPU 1: the server's samples are then its own work, not time it waited while wrk ran. */
function pinning(tool: LoadTool): { server: string; tool: string | undefined } | undefined {
  if (os.cpus().length < 2 || !onPath("taskset")) return undefined;
  return { server: "0", tool: tool.name === "wrk" ? "1" : undefined };
}

async function profile(options: Options, tool: LoadTool, children: Children, work: Work, servers: { feedwright: Server; nginx: Server | undefined }, log: Log): Promise<void> {
  log("");
  const pin = pinning(tool);
  log(
    `profiling: a second Feedwright process under node --cpu-prof (a sample every 250 us; the profiler costs some throughput), ` +
      (pin
        ? `pinned to CPU ${pin.server}${pin.tool ? `, ${tool.name} to CPU ${pin.tool}` : ` (${tool.name} runs in this process, not pinned)`}`
        : "not pinned (needs taskset and 2 cores): samples also count the time the server waited for the load generator's turn on the CPU"),
  );
  const profileDir = path.join(work.dir, "profile");
  const port = await freePort();
  const nodeFlags = ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "--cpu-prof-name=feedwright.cpuprofile", "--cpu-prof-interval=250"];
  const child = await startFeedwright(children, work, port, nodeFlags, "feedwright-profiled", pin?.server);
  const server: Server = { ...servers.feedwright, port, pids: child.pid === undefined ? [] : [child.pid] };
  const windows: { label: string; from: number; to: number; cpu: number | undefined }[] = [];
  for (const label of [LABEL_304, LABEL_GZIP]) {
    const scenario = SCENARIOS.find((entry) => entry.label === label);
    if (!scenario) continue;
    const headers = scenario.headers(server);
    const answer = await probe(port, scenario.path, headers);
    if (answer.status !== scenario.expect) throw new Error(`bench: the profiled Feedwright answered ${label} with ${answer.status}, expected ${scenario.expect}`);
    const url = `http://127.0.0.1:${port}${scenario.path}`;
    if (options.warmup > 0) await tool.run(url, headers, options.warmup, pin?.tool);
    const cpuBefore = cpuSeconds(server.pids);
    const from = Number(process.hrtime.bigint() / 1000n);
    const result = await loadWithCpu(tool, server, url, headers, options.duration, pin?.tool);
    const to = Number(process.hrtime.bigint() / 1000n);
    const cpuAfter = cpuSeconds(server.pids);
    windows.push({ label, from, to, cpu: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore });
    log(`  ${label.padEnd(26)} under the profiler: ${describeResult(result)}`);
  }
  // The profile is written when the process exits, which it does on SIGTERM.
  await children.stop(child, 20_000);
  const file = path.join(profileDir, "feedwright.cpuprofile");
  if (!existsSync(file)) {
    log(`  no profile was written (Feedwright ${exitedEarly(child) ?? "did not exit"}); see ${path.join(work.dir, "feedwright-profiled.log")}`);
  } else {
    const data = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
    for (const window of windows) {
      log("");
      log(formatProfileSummary(summarizeProfile(data, { root: ROOT, from: window.from, to: window.to, top: 12 }), `profile, ${window.label}`, window.cpu));
    }
    const kept = path.join(os.tmpdir(), `feedwright-bench-http-${new Date().toISOString().replace(/[:.]/g, "-")}.cpuprofile`);
    copyFileSync(file, kept);
    log("");
    log(`profile kept at ${kept} (Chrome DevTools > Performance > Load profile, or npx tsx bench/summarize-profile.ts FILE)`);
  }

  await kernelSplit(options, tool, children, work, [servers.feedwright, servers.nginx], pin, log);
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
  servers: readonly (Server | undefined)[],
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
    if (!server) continue;
    // Every thread of the server (libuv's pool, V8's platform threads) onto the one CPU.
    for (const pid of server.pids) spawnSync("taskset", ["-a", "-p", "-c", pin?.server ?? "0", String(pid)], { stdio: "ignore" });
    for (const label of [LABEL_304, LABEL_GZIP]) {
      const scenario = SCENARIOS.find((entry) => entry.label === label);
      if (!scenario) continue;
      const headers = scenario.headers(server);
      const url = `http://127.0.0.1:${server.port}${scenario.path}`;
      if (options.warmup > 0) await tool.run(url, headers, options.warmup, pin?.tool);
      const data = path.join(work.dir, `perf-${server.name}-${rows.length}.data`);
      const load = loadWithCpu(tool, server, url, headers, options.duration, pin?.tool);
      await sleep(500);
      const recorded = recordPerf(children, server.pids, Math.max(1, options.duration - 1), data);
      const [result] = await Promise.all([load, recorded]);
      const split = perfSplit(data, server.name === "nginx" ? "nginx" : "node");
      const share = (part: keyof PerfSplit): string => (split ? `${split[part].toFixed(1)}%` : "?");
      rows.push([label, server.name, formatRate(result.requestsPerSecond), result.cpuUsPerRequest?.toFixed(1) ?? "?", share("kernel"), share("binary"), share("jit"), share("libraries")]);
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
  let options: Options | "help";
  try {
    options = parseOptions(process.argv.slice(2));
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
  const work: Work = { dir, postsDir: path.join(dir, "posts"), configFile: path.join(dir, "feedwright.yaml") };
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
    await main(options, children, work);
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
