// The logs of `feedwright serve` as an operator gets them: JSON lines on a pipe (what a log
// collector reads), readable lines in a terminal (a pseudo-terminal from `script`, util-linux),
// and only the levels LOG_LEVEL asks for. The CLI runs as a child process from the project root;
// each run is bounded and stopped by its own process id.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rawRequest } from "../helpers/http.js";
import { makePostsFolder, post, type PostsFolder } from "../helpers/site-fixture.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RUN_TIMEOUT_MS = 30_000;

let workDir: string;
let configFile: string;
let folder: PostsFolder;

beforeAll(() => {
  workDir = mkdtempSync(path.join(tmpdir(), "feedwright-serve-logs-"));
  configFile = path.join(workDir, "site.yaml");
  writeFileSync(configFile, `site:\n  url: "https://blog.example.com"\nhost: "127.0.0.1"\ncache_dir: "${path.join(workDir, "cache")}"\n`);
  folder = makePostsFolder({
    "2025-01-01-alpha.md": post("title: Alpha\ntags: [one]"),
    "2025-01-02-broken.md": "---\ntitle: ok\nbad: \"a\" b\n---\n",
  });
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  folder.remove();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function env(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ["FEEDWRIGHT_CONFIG", "POSTS_DIR", "SITE_URL", "FEEDWRIGHT_CACHE_DIR", "LOG_LEVEL", "FEEDWRIGHT_METRICS_TOKEN"]) if (!(name in extra)) delete result[name];
  return result;
}

interface Run {
  readonly output: string;
  readonly code: number | null;
}

/**
 * Starts `command`, waits for /readyz on `port`, requests /feed.xml `requests` times (one after
 * the other), then sends SIGTERM to the process group it leads (`script` and the server under
 * it) and collects stdout.
 */
async function serveOnce(command: string, args: readonly string[], port: number, extraEnv: Readonly<Record<string, string>>, requests = 1): Promise<Run> {
  const child: ChildProcess = spawn(command, args, { cwd: ROOT, env: env(extraEnv), stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const group = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const killer = setTimeout(() => group("SIGKILL"), RUN_TIMEOUT_MS);
  try {
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`/readyz never answered 200; output so far:\n${output}`);
      const ready = await rawRequest(port, "/readyz").catch(() => undefined);
      if (ready?.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (let count = 0; count < requests; count++) expect((await rawRequest(port, "/feed.xml")).status).toBe(200);
    group("SIGTERM");
    // Awaited before `output` is read: what the server writes while it shuts down is part of it.
    const code = await exited;
    return { output, code };
  } finally {
    clearTimeout(killer);
    group("SIGKILL");
  }
}

const serveArgs = (port: number): string[] => ["--import", "tsx", "src/cli.ts", "serve", "--config", configFile, "--posts", folder.dir, "--port", String(port)];

describe("feedwright serve's logs", () => {
  test("on a pipe: one JSON object per line — start-up, the skipped post, every request — and nothing else", async () => {
    const port = await freePort();
    const run = await serveOnce(process.execPath, serveArgs(port), port, {});
    expect(run.code).toBe(0);
    const lines = run.output.split("\n").filter((line) => line.trim() !== "");
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const record of records) expect(record).toMatchObject({ service: "feedwright", level: expect.stringMatching(/^(?:info|warn|error)$/) as string, time: expect.any(String) as string });
    expect(records.some((record) => record.event === "post-skipped" && record.file === "2025-01-02-broken.md" && record.line === 3)).toBe(true);
    expect(records.find((record) => record.msg === "request" && record.path === "/feed.xml"), run.output).toMatchObject({ method: "GET", status: 200, notModified: false, route: "site-feed" });
    expect(records.some((record) => typeof record.msg === "string" && record.msg.startsWith("feedwright: serving on "))).toBe(true);
    // The scan line carries what the README lists: duration, posts seen, changed and skipped, feeds rebuilt.
    const scan = records.find((record) => record.event === "scan");
    expect(scan).toMatchObject({ ok: true, postsSeen: 1, postsAdded: 2, postsChanged: 0, postsSkipped: 1, feedsRebuilt: expect.any(Number) as number, durationMs: expect.any(Number) as number });
    // Lines written during the shutdown are not lost in the buffer.
    expect(records.at(-1)?.msg).toBe("feedwright: SIGTERM, shutting down");
  }, 60_000);

  test("SIGTERM right after a burst of requests: every request has its line, none is lost in the buffer", async () => {
    const port = await freePort();
    const requests = 300;
    const run = await serveOnce(process.execPath, serveArgs(port), port, {}, requests);
    expect(run.code).toBe(0);
    const records = run.output.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line) as Record<string, unknown>);
    const lines = records.filter((record) => record.msg === "request" && record.path === "/feed.xml");
    // /readyz was polled too (its own lines); every /feed.xml request was answered 200.
    expect(lines).toHaveLength(requests);
    expect(lines.every((record) => record.status === 200)).toBe(true);
    expect(records.at(-1)?.msg).toBe("feedwright: SIGTERM, shutting down");
  }, 60_000);

  test("LOG_LEVEL=warn: the warnings only, no info line and no request line", async () => {
    const port = await freePort();
    const run = await serveOnce(process.execPath, serveArgs(port), port, { LOG_LEVEL: "warn" });
    expect(run.code).toBe(0);
    const records = run.output.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) expect(record.level, JSON.stringify(record)).toBe("warn");
    expect(records.some((record) => record.event === "post-skipped")).toBe(true);
  }, 60_000);

  test("in a terminal: readable lines with the level and message, not JSON", async () => {
    // Never skipped: without `script` this says what to install.
    if (spawnSync("script", ["--version"]).status !== 0) throw new Error("test/ops: `script` (util-linux; Debian's bsdutils) is needed to give the server a terminal");
    const port = await freePort();
    const command = [process.execPath, ...serveArgs(port)].map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(" ");
    const run = await serveOnce("script", ["-q", "-f", "-e", "-c", command, "/dev/null"], port, {});
    // eslint-disable-next-line no-control-regex -- the terminal's color escapes are removed to read the text
    const text = run.output.replace(/\u001b\[[0-9;]*m/g, "").replace(/\r/g, "");
    const lines = text.split("\n").filter((line) => line.trim() !== "");
    expect(lines.some((line) => /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO.*: feedwright: serving on http:\/\/localhost:\d+\//.test(line)), text).toBe(true);
    expect(lines.some((line) => /^\[\d\d:\d\d:\d\d\.\d{3}\] WARN.*: content: .*2025-01-02-broken\.md:3: /.test(line)), text).toBe(true);
    expect(lines.filter((line) => line.startsWith("{"))).toEqual([]);
  }, 60_000);
});
