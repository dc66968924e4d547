// The one `feedwright serve` child process of the load test: started from dist/ on the loopback,
// watched through /readyz, /metrics and /proc, and always stopped by its PID (SIGTERM, then
// SIGKILL after a grace period).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { createServer, type AddressInfo } from "node:net";

export interface ServerStart {
  readonly cli: string;
  readonly configFile: string;
  readonly postsDir: string;
  readonly port: number;
  /** The child's stdout and stderr (pino's JSON lines) go here. */
  readonly logFile: string;
  /** Flags for node itself, before the script (the memory probe's, see memory.ts). */
  readonly nodeFlags?: readonly string[];
  /** --no-cache: no disk cache at all. */
  readonly noCache?: boolean;
}

export interface ServerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when SIGTERM was not enough and the child had to be killed. */
  readonly killed: boolean;
}

export function startServer(start: ServerStart): ChildProcess {
  const log = openSync(start.logFile, "a");
  try {
    return spawn(process.execPath, [...(start.nodeFlags ?? []), start.cli, "serve", "--config", start.configFile, "--posts", start.postsDir, "--port", String(start.port), ...(start.noCache ? ["--no-cache"] : [])], {
      // An IPC channel for the memory probe (memory.ts); Feedwright itself never uses it.
      stdio: ["ignore", log, log, "ipc"],
      env: serverEnv(),
    });
  } finally {
    closeSync(log);
  }
}

/**
 * The caller's environment without what would override the generated config (SITE_URL, PORT, a
 * metrics token that would make /metrics answer 401 …) or load tsx into the server.
 */
function serverEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [
    "SITE_URL",
    "POSTS_DIR",
    "PORT",
    "FEEDWRIGHT_CONFIG",
    "FEEDWRIGHT_CACHE_DIR",
    "FEEDWRIGHT_REBUILD_TOKEN",
    "FEEDWRIGHT_METRICS_TOKEN",
    "LOG_LEVEL",
    "NODE_OPTIONS",
  ]) {
    delete env[name];
  }
  return env;
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM, then SIGKILL when the child has not exited after `graceMs`. Resolves once it has exited. */
export async function stopServer(child: ChildProcess, graceMs: number): Promise<ServerExit> {
  if (hasExited(child) || child.pid === undefined) return { code: child.exitCode, signal: child.signalCode, killed: false };
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let killed = false;
  signal(child, "SIGTERM");
  const timer = setTimeout(() => {
    killed = true;
    signal(child, "SIGKILL");
  }, graceMs);
  await exited;
  clearTimeout(timer);
  return { code: child.exitCode, signal: child.signalCode, killed };
}

export function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.pid === undefined || hasExited(child)) return;
  try {
    process.kill(child.pid, name);
  } catch {
    // Already gone.
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Fetched {
  readonly status: number;
  readonly text: string;
}

/** One GET on a fresh connection (not the load's agents), read whole as UTF-8. */
export function fetchText(port: number, path: string, timeoutMs = 5000): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer to GET ${path} within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

/** Polls /readyz until it answers 200; throws when the child exits first or `timeoutMs` passes. */
export async function waitUntilReady(child: ChildProcess, port: number, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (hasExited(child)) {
      throw new Error(`load-test: feedwright serve exited (code ${child.exitCode}, signal ${child.signalCode}) before /readyz answered 200; its log:\n${logTail(logFile, 20)}`);
    }
    try {
      const answer = await fetchText(port, "/readyz", 2000);
      if (answer.status === 200) return;
      last = `status ${answer.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`load-test: /readyz did not answer 200 within ${timeoutMs / 1000} s (last: ${last}); the server's log:\n${logTail(logFile, 20)}`);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The process's resident set size in bytes (VmRSS of /proc/PID/status); undefined without /proc. */
export function residentBytes(pid: number): number | undefined {
  try {
    const found = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return found ? Number(found[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface ScanCounts {
  readonly ok: number;
  readonly failed: number;
}

/** Scans so far, from the Prometheus histogram's _count series (every kind, by result). */
export function scanCounts(metricsText: string): ScanCounts {
  let ok = 0;
  let failed = 0;
  for (const found of metricsText.matchAll(/^feedwright_scan_duration_seconds_count\{([^}]*)\}\s+(\d+)/gm)) {
    const labels = found[1] ?? "";
    const count = Number(found[2]);
    if (labels.includes('result="ok"')) ok += count;
    else failed += count;
  }
  return { ok, failed };
}

export function logTail(file: string, lines: number): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/**
 * The server's log lines at level warn or above (pino JSON lines with "level":"warn"|"error"|"fatal"),
 * and any other line that is not JSON (a stack trace, a warning from Node).
 */
export function problemLogLines(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text.split("\n").filter((line) => /"level":"(?:warn|error|fatal)"/.test(line) || (line.trim() !== "" && !line.startsWith("{")));
}

/** A counter's value in Prometheus text (the unlabelled series), or 0 when absent. */
export function counterValue(metricsText: string, name: string): number {
  const found = new RegExp(`^${name} (\\d+(?:\\.\\d+)?)$`, "m").exec(metricsText);
  return found ? Number(found[1]) : 0;
}

/** Clock ticks per second of /proc/PID/stat's times. */
const CLOCK_TICKS = ((): number => {
  const ticks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
})();

/** CPU seconds (user + system, all threads) the process has used; undefined without /proc. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The fields after the command name: state (0), ppid (1), … utime (11), stime (12).
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
