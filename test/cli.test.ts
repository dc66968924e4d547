// The command line as a user runs it: `node --import tsx src/cli.ts …` in a child process, from
// the project root, with its exit code, stdout and stderr. Every run is bounded by a timeout and
// every temporary folder is removed.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rawRequest } from "./helpers/http.js";
import { makePostsFolder, post, type PostsFolder } from "./helpers/site-fixture.js";
import { child, parseXml } from "./helpers/xml.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BASE = "https://blog.example.com";
/** Longest a single CLI run may take before it is killed and the test fails. */
const RUN_TIMEOUT_MS = 20_000;
const TEST_TIMEOUT_MS = 30_000;

interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of the test run without the variables Feedwright reads, plus `extra`. The disk
 * cache goes to the test's own folder: by default it is made in the working directory, here the
 * checkout, where one run would leave it warm for the next.
 */
function cliEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", FEEDWRIGHT_CACHE_DIR: path.join(workDir, "cache"), ...extra };
  for (const name of ["FEEDWRIGHT_CONFIG", "POSTS_DIR", "PORT", "SITE_URL"]) if (!(name in extra)) delete env[name];
  return env;
}

function startCli(args: readonly string[], env: Readonly<Record<string, string>> = {}): ReturnType<typeof spawn> {
  return spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { cwd: ROOT, env: cliEnv(env), stdio: ["ignore", "pipe", "pipe"] });
}

/** Runs the CLI to its end (killed after RUN_TIMEOUT_MS). */
function runCli(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const cli = startCli(args, env);
    let stdout = "";
    let stderr = "";
    cli.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    cli.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => cli.kill("SIGKILL"), RUN_TIMEOUT_MS);
    cli.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    cli.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}

/** No "    at file:line:col" frames and no "Error:" dumps: a message for a person. */
function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at .+/m);
  expect(text).not.toMatch(/\w*Error:/);
}

const GOOD_POSTS: Readonly<Record<string, string>> = {
  "2025-01-10-csharp.md": post(`title: "Sharp post"\ndate: 2025-01-10 09:00:00 +0000\ncategories: [Engineering]\ntags: ["C#", "Machine Learning"]`),
  "2025-01-11-cpp.md": post(`title: "Plus plus post"\ndate: 2025-01-11 09:00:00 +0000\ncategories: [Engineering]\ntags: ["C++", "C"]`),
  "2025-01-13-pipeline.md": post(`title: "Pipeline post"\ndate: 2025-01-13 09:00:00 +0000\ntags: ["CI/CD", ".NET", "100%"]`),
  "2025-01-15-rag.md": post(`title: "RAG を本番投入する前のチェックリスト"\ndate: 2025-01-15 18:30:00 +09:00\ncategories: AI導入戦略\ntags: ["データ分析"]`),
};
// Line 3 is not YAML: a mapping value inside a plain scalar.
const BROKEN_POST = "---\ntitle: ok\nsubtitle: Broken: post\ndate: 2025-01-14\n---\n\nBody.\n";

let workDir: string;
let configFile: string;
const folders: PostsFolder[] = [];

function postsFolder(files: Readonly<Record<string, string>>): PostsFolder {
  const folder = makePostsFolder(files);
  folders.push(folder);
  return folder;
}

function writeWorkFile(name: string, text: string): string {
  const file = path.join(workDir, name);
  writeFileSync(file, text);
  return file;
}

beforeAll(() => {
  workDir = mkdtempSync(path.join(tmpdir(), "feedwright-cli-"));
  // workers: 0: a worker thread started through tsx takes about a second, and these few posts need
  // none (the export's and the renderer's threads are tested in-process).
  configFile = writeWorkFile("site.yaml", `site:\n  title: "CLI Blog"\n  url: "${BASE}"\n  timezone: UTC\nhost: "127.0.0.1"\nworkers: 0\n`);
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  for (const folder of folders.splice(0)) folder.remove();
});

describe("feedwright check", () => {
  test(
    "exits 1 and prints <path>:<line>: <message> for the broken post",
    async () => {
      const folder = postsFolder({ ...GOOD_POSTS, "2025-01-14-broken.md": BROKEN_POST });
      const result = await runCli(["check", "--config", configFile, "--posts", folder.dir]);
      expect(result.code).toBe(1);

      const problems = lines(result.stdout).flatMap((line) => {
        const match = /^(.+?):(\d+): (.+)$/.exec(line);
        return match ? [{ file: path.resolve(ROOT, match[1] ?? ""), line: Number(match[2]), message: match[3] ?? "" }] : [];
      });
      expect(problems).toHaveLength(1);
      expect(problems[0]?.file).toBe(path.join(folder.dir, "2025-01-14-broken.md"));
      expect(problems[0]?.line).toBe(3);
      expect(problems[0]?.message).toMatch(/YAML/);
      for (const name of Object.keys(GOOD_POSTS)) expect(result.stdout).not.toContain(name);
      expectNoStackTrace(result.stdout + result.stderr);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "exits 0 on a clean folder",
    async () => {
      const folder = postsFolder(GOOD_POSTS);
      const result = await runCli(["check", "--config", configFile, "--posts", folder.dir]);
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(/^.+:\d+: /m);
      expect(result.stderr).toBe("");
    },
    TEST_TIMEOUT_MS,
  );
});

describe("start-up errors are one line on stderr", () => {
  test(
    "serve --posts /does/not/exist exits 1 naming the folder",
    async () => {
      const result = await runCli(["serve", "--config", configFile, "--posts", "/does/not/exist"], { PORT: "0" });
      expect(result.code).toBe(1);
      expect(lines(result.stderr)).toHaveLength(1);
      expect(result.stderr).toContain("/does/not/exist");
      expectNoStackTrace(result.stderr);
      expect(result.stdout).not.toMatch(/serving on/);
    },
    TEST_TIMEOUT_MS,
  );

  test.each([
    { name: "bad-url.yaml", text: 'site: { url: "not a url" }\n', key: "site.url", command: "serve" },
    { name: "unknown-top.yaml", text: "site:\n  title: x\nfeeds:\n  limit: 3\n", key: "feeds", command: "check" },
    { name: "unknown-nested.yaml", text: "site:\n  title: x\n  titel: y\n", key: "site.titel", command: "build" },
  ])(
    "an invalid config file ($name) exits 1 naming the file and $key",
    async ({ name, text, key, command }) => {
      const folder = postsFolder(GOOD_POSTS);
      const file = writeWorkFile(name, text);
      const out = path.join(workDir, `out-${name}`);
      const result = await runCli([command, "--config", file, "--posts", folder.dir, ...(command === "build" ? ["--out", out] : [])], { PORT: "0" });
      expect(result.code).toBe(1);
      const [line, ...more] = lines(result.stderr);
      expect(more).toEqual([]);
      expect(line).toContain(file);
      expect(line).toContain(key);
      expectNoStackTrace(result.stderr);
      expect(existsSync(out)).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );
});

describe("feedwright build --out", () => {
  const TAG_SLUGS = [".net", "100~25", "c", "c#", "c++", "ci~2fcd", "machine-learning", "データ分析"];
  const CATEGORY_SLUGS = ["ai導入戦略", "engineering"];
  const FEED_FILES = ["atom.xml", "feed.json", "feed.xml"];
  let out: string;
  let folder: PostsFolder;
  let args: string[];
  let result: CliResult;

  beforeAll(async () => {
    folder = postsFolder({ ...GOOD_POSTS, "2025-01-14-broken.md": BROKEN_POST });
    out = path.join(workDir, "site");
    args = ["build", "--config", configFile, "--posts", folder.dir, "--out", out];
    result = await runCli(args);
  }, TEST_TIMEOUT_MS);

  test("exits 0 and reports the skipped post", () => {
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("2025-01-14-broken.md:3:");
    expectNoStackTrace(result.stderr);
  });

  test("writes the site documents, and one folder per category and tag named by its slug", () => {
    // The .gz and .br siblings of each document are checked in test/publish/static-export.test.ts.
    const documents = (dir: string): string[] => readdirSync(dir).filter((name) => !/\.(?:gz|br)$/.test(name)).sort();
    expect(documents(out)).toEqual(["atom.xml", "categories", "feed.json", "feed.xml", "feed.xsl", "feeds.opml", "index.html", "tags"]);
    expect(readdirSync(out)).toContain("feed.xml.gz");
    expect(readdirSync(out)).toContain("feed.xml.br");
    expect(readdirSync(path.join(out, "tags")).sort()).toEqual([...TAG_SLUGS].sort());
    expect(readdirSync(path.join(out, "categories")).sort()).toEqual([...CATEGORY_SLUGS].sort());
    for (const [folder, slugs] of [["tags", TAG_SLUGS], ["categories", CATEGORY_SLUGS]] as const) {
      for (const slug of slugs) expect(documents(path.join(out, folder, slug)), `${folder}/${slug}`).toEqual(FEED_FILES);
    }
  });

  test("each feed file is where its own URL says, once percent-decoded", () => {
    const feedFiles = [
      ...FEED_FILES,
      ...TAG_SLUGS.flatMap((slug) => FEED_FILES.map((file) => `tags/${slug}/${file}`)),
      ...CATEGORY_SLUGS.flatMap((slug) => FEED_FILES.map((file) => `categories/${slug}/${file}`)),
    ];
    for (const relative of feedFiles) {
      const text = readFileSync(path.join(out, relative), "utf8");
      let self: string | undefined;
      if (relative.endsWith(".json")) {
        self = (JSON.parse(text) as { feed_url?: string }).feed_url;
      } else {
        const root = parseXml(text);
        const links = (relative.endsWith("atom.xml") ? root : child(root, "channel"))?.children ?? [];
        self = links.find((node) => (node.name === "link" || node.name === "atom:link") && node.attributes.rel === "self")?.attributes.href;
      }
      expect(self, relative).toBeDefined();
      const url = new URL(self ?? "");
      expect(url.origin).toBe(BASE);
      expect(decodeURIComponent(url.pathname), relative).toBe(`/${relative}`);
    }
  });

  test("every link on index.html to a feed is a file in the export", () => {
    const html = readFileSync(path.join(out, "index.html"), "utf8");
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((match) => match[1] ?? "").filter((href) => href.startsWith(`${BASE}/`));
    expect(hrefs.length).toBeGreaterThan(3 * (TAG_SLUGS.length + CATEGORY_SLUGS.length));
    for (const href of hrefs) expect(existsSync(path.join(out, decodeURIComponent(new URL(href).pathname))), href).toBe(true);
    parseXml(readFileSync(path.join(out, "feeds.opml"), "utf8"));
  });

  test("a refused --out is one line on stderr, no stack trace, and exit code 1", async () => {
    const mine = path.join(workDir, "not-an-export");
    mkdirSync(mine, { recursive: true });
    writeFileSync(path.join(mine, "notes.txt"), "mine");
    const refused = await runCli(["build", "--config", configFile, "--posts", postsFolder(GOOD_POSTS).dir, "--out", mine]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^feedwright: export: .*holds "notes\.txt", which feedwright build does not write/u) as unknown]);
    expectNoStackTrace(refused.stderr);
  }, TEST_TIMEOUT_MS);

  // Last in this group: it edits the posts the export above was made from.
  test("a second export says it changed nothing; after an edit it says what it wrote, linked and rendered", async () => {
    const total = Number(/; (\d+) files \(/.exec(result.stdout + result.stderr)?.[1]);
    expect(total).toBeGreaterThan(50);
    const unchanged = await runCli(args);
    expect(unchanged.stdout + unchanged.stderr).toContain(`is up to date: nothing changed (${total} files; 4 posts, 1 skipped)`);
    folder.write("2025-01-13-pipeline.md", post(`title: "Pipeline post, edited"\ndate: 2025-01-13 09:00:00 +0000\ntags: ["CI/CD", ".NET", "100%"]`));
    const edited = await runCli(args);
    const report = /(\d+) files written \([\d.]+ MB\), (\d+) unchanged \(linked\), 0 removed; (\d+) of (\d+) feed documents rendered; (\d+) files/.exec(edited.stdout + edited.stderr);
    expect(report, edited.stdout + edited.stderr).not.toBeNull();
    const [written, linked, rendered, documents, files] = (report ?? []).slice(1).map(Number);
    // The site feed and its three tags' feeds; the other tags' and the categories' feeds are linked.
    expect(rendered).toBe(4);
    expect(documents).toBeGreaterThan(rendered ?? 0);
    expect((written ?? 0) + (linked ?? 0)).toBe(files);
    expect(linked).toBeGreaterThan(written ?? 0);
  }, TEST_TIMEOUT_MS);
});

describe("feedwright serve", () => {
  test(
    "listens on the port PORT=0 chose, serves /feed.xml, scans again on SIGHUP and exits 0 on SIGTERM",
    async () => {
      const folder = postsFolder(GOOD_POSTS);
      const server = startCli(["serve", "--config", configFile, "--posts", folder.dir], { PORT: "0" });
      let stdout = "";
      let stderr = "";
      server.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      server.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
        server.on("close", (code, signal) => resolve({ code, signal }));
      });
      try {
        const port = await new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no "serving on" line within ${RUN_TIMEOUT_MS} ms; stdout: ${stdout}; stderr: ${stderr}`)), RUN_TIMEOUT_MS);
          const look = (): void => {
            const match = /serving on http:\/\/localhost:(\d+)\//.exec(stdout);
            if (match) {
              clearTimeout(timer);
              resolve(Number(match[1]));
            }
          };
          server.stdout?.on("data", look);
          void exited.then(() => {
            clearTimeout(timer);
            reject(new Error(`serve exited before listening; stderr: ${stderr}`));
          });
        });
        expect(port).toBeGreaterThan(0);

        const feed = await rawRequest(port, "/feed.xml");
        expect(feed.status).toBe(200);
        expect(feed.headers["content-type"]).toBe("application/rss+xml; charset=utf-8");
        expect(feed.text).toContain("Sharp post");
        const health = JSON.parse((await rawRequest(port, "/healthz")).text) as { status: string };
        expect(health.status).toBe("ok");

        // SIGHUP: the server stays up and publishes a post written before it, long before the
        // minute the schedule would take.
        folder.write("2025-02-01-after-hup.md", "---\ntitle: After HUP\n---\n\nBody.\n");
        server.kill("SIGHUP");
        let published = false;
        for (let attempt = 0; attempt < 200 && !published; attempt++) {
          published = (await rawRequest(port, "/feed.json")).text.includes("After HUP");
          if (!published) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(published).toBe(true);

        server.kill("SIGTERM");
        expect(await exited).toEqual({ code: 0, signal: null });
        // Read once the process has ended: its log lines may reach the pipe late.
        expect(stdout).toMatch(/SIGHUP, scanning the posts again/u);
        expect(stdout).toMatch(/SIGTERM, shutting down/);
        expect(stderr).toBe("");
      } finally {
        if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
      }
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "without a public URL, links lead to the port it listens on, and it says so once",
    async () => {
      const folder = postsFolder(GOOD_POSTS);
      const noUrl = writeWorkFile("no-url.yaml", `site:\n  title: "CLI Blog"\nhost: "127.0.0.1"\n`);
      const server = startCli(["serve", "--config", noUrl, "--posts", folder.dir], { PORT: "0" });
      let stdout = "";
      server.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      const exited = new Promise<void>((resolve) => server.on("close", () => resolve()));
      try {
        const port = await new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no "serving on" line within ${RUN_TIMEOUT_MS} ms; stdout: ${stdout}`)), RUN_TIMEOUT_MS);
          server.stdout?.on("data", () => {
            const match = /serving on http:\/\/localhost:(\d+)\//.exec(stdout);
            if (match) {
              clearTimeout(timer);
              resolve(Number(match[1]));
            }
          });
        });
        const feed = await rawRequest(port, "/feed.json");
        const items = (JSON.parse(feed.text) as { items: { url: string }[] }).items;
        expect(items.length).toBeGreaterThan(0);
        for (const item of items) expect(item.url.startsWith(`http://localhost:${port}/`)).toBe(true);
        expect(stdout.match(/no public URL is set/g)).toHaveLength(1);
        server.kill("SIGTERM");
        await exited;
      } finally {
        if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
      }
    },
    TEST_TIMEOUT_MS,
  );
});
