// Child processes of the nginx tests — `feedwright serve` replicas built into dist/ and nginx —
// each tracked by its PID and stopped by it in afterAll, whatever happened (and killed, at the
// latest, when the test process exits). Every wait is bounded and a failure quotes the log.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { rawRequest } from "../helpers/http.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = path.join(ROOT, "dist", "cli.js");

const STOP_GRACE_MS = 5_000;
const READY_TIMEOUT_MS = 20_000;

/** A free TCP port on 127.0.0.1 (bound, read, released). */
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

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
}

/** The children of one test file. */
export class Processes {
  readonly #running = new Set<Started>();
  /** Children started in a process group of their own (nginx: master and workers) are signalled as a group. */
  readonly #groups = new WeakSet<ChildProcess>();
  readonly #onExit = (): void => this.killNow();

  constructor() {
    process.once("exit", this.#onExit);
  }

  start(name: string, command: string, args: readonly string[], options: { cwd: string; logFile: string; env?: NodeJS.ProcessEnv; group?: boolean }): Started {
    const log = openSync(options.logFile, "a");
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", log, log], detached: options.group ?? false });
    closeSync(log);
    const started = { name, child, logFile: options.logFile };
    if (options.group) this.#groups.add(child);
    this.#running.add(started);
    child.once("exit", () => this.#running.delete(started));
    child.once("error", () => this.#running.delete(started));
    return started;
  }

  /** SIGTERM by PID, SIGKILL after the grace period; resolves once the process has exited. */
  async stop(started: Started): Promise<void> {
    const { child } = started;
    if (!isRunning(child)) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    this.#signal(child, "SIGTERM");
    const timer = setTimeout(() => this.#signal(child, "SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#running].map((started) => this.stop(started)));
    process.off("exit", this.#onExit);
  }

  /** Synchronous last resort, for the exit of the test process. */
  killNow(): void {
    for (const { child } of this.#running) this.#signal(child, "SIGKILL");
  }

  #signal(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined || !isRunning(child)) return;
    try {
      process.kill(this.#groups.has(child) ? -child.pid : child.pid, signal);
    } catch {
      // Already gone.
    }
  }
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Polls `urlPath` until it answers 200; fails early, quoting the log, if the process exits. */
export async function waitFor200(started: Started, port: number, urlPath: string, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (!isRunning(started.child)) {
      throw new Error(`test/nginx: ${started.name} exited (code ${started.child.exitCode ?? started.child.signalCode}) before ${urlPath} answered 200; ${started.logFile}:\n${tail(started.logFile)}`);
    }
    try {
      const response = await rawRequest(port, urlPath);
      if (response.status === 200) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`test/nginx: ${started.name} did not answer 200 on ${urlPath} within ${timeoutMs} ms (last: ${last}); ${started.logFile}:\n${tail(started.logFile)}`);
}

/** The environment of the test run without the variables Feedwright reads: flags say it all. */
function feedwrightEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const name of Object.keys(env)) if (name.startsWith("FEEDWRIGHT_") || ["POSTS_DIR", "PORT", "SITE_URL"].includes(name)) delete env[name];
  return env;
}

export interface FeedwrightServer {
  readonly started: Started;
  readonly port: number;
}

/** `node dist/cli.js serve` on a free port, in `cwd` (its own disk cache), ready to answer. */
export async function startFeedwright(processes: Processes, name: string, options: { cwd: string; configFile: string; postsDir: string }): Promise<FeedwrightServer> {
  const port = await freePort();
  const args = [CLI, "serve", "--config", options.configFile, "--posts", options.postsDir, "--port", String(port)];
  const started = processes.start(name, process.execPath, args, { cwd: options.cwd, logFile: path.join(options.cwd, `${name}.log`), env: feedwrightEnv() });
  // Ready once the first build is live in its compressed forms too (/readyz waits for those).
  await waitFor200(started, port, "/readyz");
  return { started, port };
}

/** `node dist/cli.js build --out DIR`, to its end (bounded). */
export function buildExport(options: { cwd: string; configFile: string; postsDir: string; outDir: string }): string {
  const result = spawnSync(process.execPath, [CLI, "build", "--out", options.outDir, "--config", options.configFile, "--posts", options.postsDir], {
    cwd: options.cwd,
    env: feedwrightEnv(),
    encoding: "utf8",
    timeout: 60_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`test/nginx: feedwright build --out ${options.outDir} failed (${result.status ?? result.signal ?? result.error?.message}):\n${output}`);
  return output;
}
