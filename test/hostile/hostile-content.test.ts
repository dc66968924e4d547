// The hostile corpus (test/fixtures/hostile/make-hostile-corpus.ts) through everything that reads
// posts: a real Publisher (with /healthz over HTTP), the in-process check path and
// `feedwright check` as a child process. For every hostile input: no crash, no hang (each test
// is bounded), the report names the file (and the line when known) and says what to do, every
// good post is still published, and every feed — the site's and each category's and tag's — is
// well-formed XML and valid JSON Feed 1.1. The same corpus in a folder flooded with 100,000 files
// is a load test: test/load/flood.test.ts (`npm run test:load`).
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import type * as Fs from "node:fs";
import type * as FsPromises from "node:fs/promises";
import type { Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Parser as HtmlParser } from "htmlparser2";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { Config } from "../../src/config.js";
import { loadPosts, type ContentSnapshot } from "../../src/content/load-posts.js";
import type { PostProblem } from "../../src/content/post.js";
import { allFeeds, type SiteBuild } from "../../src/feeds/build-site.js";
import { termSlug } from "../../src/feeds/slug.js";
import type { HealthReport } from "../../src/http/health.js";
import { createServer } from "../../src/http/server.js";
import type { Logger } from "../../src/logger.js";
import { formatProblem } from "../../src/content/post-error.js";
import { Publisher } from "../../src/publish/publisher.js";
import { expectations, type Expected } from "../fixtures/hostile/expectations.js";
import { HOSTILE_CASES, makeHostileCorpus, REPLACEMENT_POST, type HostileCaseId } from "../fixtures/hostile/make-hostile-corpus.js";
import { closeServer, listenOnFreePort, rawRequest } from "../helpers/http.js";
import { jsonFeedSchemaErrors } from "../helpers/json-feed-schema.js";
import { readAtom, readJsonFeed, readRss } from "../helpers/read-feeds.js";
import { runCommand } from "../helpers/run-command.js";
import { testConfig } from "../helpers/site-fixture.js";
import { expectValidFeeds } from "../helpers/valid-feeds.js";

// Every file the content stage opens goes through these hooks: a test can act just before a
// file is opened (the race between the listing and the read) or just after (a replacement
// while the file is open), and every byte read is counted per path, so a test can prove a file
// was never read into memory.
const fsHooks = vi.hoisted(() => ({
  beforeOpen: new Map<string, () => void>(),
  afterOpen: new Map<string, () => void>(),
  bytesRead: new Map<string, number>(),
}));

const fsCount = vi.hoisted(() => ({
  /** A path given as a string, URL or Buffer as the string the loader opens. */
  key: (file: unknown): string => (typeof file === "string" ? file : file instanceof URL ? file.pathname : Buffer.isBuffer(file) ? file.toString("utf8") : "(file handle)"),
  count(file: string, bytes: number): void {
    fsHooks.bytesRead.set(file, (fsHooks.bytesRead.get(file) ?? 0) + bytes);
  },
  runHook(hooks: Map<string, () => void>, file: string): void {
    const hook = hooks.get(file);
    hooks.delete(file);
    hook?.();
  },
}));

// Post files are read with the synchronous calls (content/read-inside.ts).
vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof Fs>();
  const openFiles = new Map<number, string>();
  const openSync = ((file: Fs.PathLike, flags?: Fs.OpenMode, mode?: Fs.Mode | null) => {
    const opened = fsCount.key(file);
    fsCount.runHook(fsHooks.beforeOpen, opened);
    const descriptor = actual.openSync(file, flags ?? "r", mode);
    openFiles.set(descriptor, opened);
    fsCount.runHook(fsHooks.afterOpen, opened);
    return descriptor;
  }) as typeof actual.openSync;
  const readSync = ((descriptor: number, ...rest: unknown[]) => {
    const count = (actual.readSync as (descriptor: number, ...rest: unknown[]) => number)(descriptor, ...rest);
    const opened = openFiles.get(descriptor);
    if (opened !== undefined) fsCount.count(opened, count);
    return count;
  }) as typeof actual.readSync;
  const closeSync = ((descriptor: number) => {
    openFiles.delete(descriptor);
    actual.closeSync(descriptor);
  }) as typeof actual.closeSync;
  const readFileSync = ((file: Parameters<typeof actual.readFileSync>[0], options?: Parameters<typeof actual.readFileSync>[1]) => {
    const data = actual.readFileSync(file, options);
    fsCount.count(fsCount.key(file), data.length);
    return data;
  }) as typeof actual.readFileSync;
  const hooked = { openSync, readSync, closeSync, readFileSync };
  return { ...actual, ...hooked, default: { ...actual, ...hooked } };
});

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  const readFile = (async (file: Parameters<typeof actual.readFile>[0], options?: Parameters<typeof actual.readFile>[1]) => {
    const data = await actual.readFile(file, options);
    fsCount.count(fsCount.key(file), data.length);
    return data;
  }) as typeof actual.readFile;
  return { ...actual, readFile, default: { ...actual, readFile } };
});

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const NOW = () => new Date("2026-01-01T00:00:00Z");
const RUNNING_AS_ROOT = process.getuid?.() === 0;

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  cleanups.push(() => {
    // The locked folder cannot be removed without its permissions back.
    const locked = path.join(dir, HOSTILE_CASES.deniedFolder);
    if (existsSync(locked)) chmodSync(locked, 0o755);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

function recordingLogger(): { logger: Logger; lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const record = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, logger: { debug: () => undefined, info: record("info"), warn: record("warn"), error: record("error"), enabled: () => true, flush: () => undefined, infoJson: () => undefined } };
}

/** Skipped problems and warnings, keyed by file, for lookups by case. */
function byFile(problems: readonly PostProblem[]): Map<string, PostProblem[]> {
  const map = new Map<string, PostProblem[]>();
  for (const problem of problems) map.set(problem.file, [...(map.get(problem.file) ?? []), problem]);
  return map;
}

/** Asserts a snapshot against the expectations: what is published, skipped and warned about. */
function expectReport(content: Pick<ContentSnapshot, "posts" | "problems" | "warnings">, expected: Record<HostileCaseId, Expected>, goodTitles: readonly string[]): void {
  const problems = byFile(content.problems);
  const warnings = byFile(content.warnings);
  const titles = content.posts.map((entry) => entry.title);
  const expectedTitles: string[] = [...goodTitles];
  for (const [id, expectation] of Object.entries(expected) as [HostileCaseId, Expected][]) {
    const file = HOSTILE_CASES[id];
    if (expectation.outcome === "skipped") {
      expect(problems.get(file), `${id}: skipped and reported once`).toHaveLength(1);
      const [problem] = problems.get(file) ?? [];
      expect(problem?.line, `${id}: line`).toBe(expectation.line);
      expect(problem?.message, id).toMatch(expectation.message);
    } else {
      expect(problems.get(file), `${id}: not skipped`).toBeUndefined();
    }
    if (expectation.outcome === "published") {
      expectedTitles.push(expectation.title);
      const post = content.posts.find((entry) => entry.sourcePath === file || entry.sourcePath.startsWith(`${file}/`));
      expect(post?.title, `${id}: published`).toBe(expectation.title);
      const warned = warnings.get(file) ?? [];
      if (expectation.warning) {
        expect(warned, `${id}: one warning`).toHaveLength(1);
        expect(warned[0]?.line, `${id}: warning line`).toBe(expectation.warning.line);
        expect(warned[0]?.message, id).toMatch(expectation.warning.message);
      } else {
        expect(warned, `${id}: no warning`).toEqual([]);
      }
    }
  }
  // Nothing else was published, and no post was published twice (folder links loop back).
  expect([...titles].sort()).toEqual([...expectedTitles].sort());
  // No report about anything that is not a case (the folder-link loops are followed once, silently).
  const caseFiles = new Set<string>(Object.values(HOSTILE_CASES));
  for (const problem of content.problems) expect(caseFiles.has(problem.file), `unexpected problem ${problem.file}: ${problem.message}`).toBe(true);
}

describe("the hostile corpus through a real Publisher", () => {
  let dir: string;
  let goodTitles: readonly string[];
  let publisher: Publisher;
  let server: Server;
  let port: number;
  const recorded = recordingLogger();
  let firstScanMs = 0;

  beforeAll(async () => {
    dir = temporaryDir("feedwright-hostile-");
    goodTitles = makeHostileCorpus(dir).goodTitles;
    fsHooks.bytesRead.clear();
    // A feed limit above the corpus size: every post is in the site feed, so the feeds show them all.
    publisher = new Publisher(testConfig({ postsDir: dir, feed: { limit: 100 } }), recorded.logger, NOW);
    const started = performance.now();
    const report = await publisher.scan();
    await publisher.settled();
    firstScanMs = performance.now() - started;
    expect(report.ok, report.error).toBe(true);
    server = createServer(publisher);
    port = await listenOnFreePort(server);
  }, 30_000);

  afterAll(async () => {
    await closeServer(server);
    await publisher.stop();
  });

  test("every case gives its outcome, every good post is published, and nothing crashes", () => {
    console.log(`hostile corpus: first scan ${firstScanMs.toFixed(0)} ms (${publisher.state?.content.posts.length ?? 0} posts, ${publisher.state?.content.problems.length ?? 0} skipped)`);
    const content = publisher.state?.content;
    if (!content) throw new Error("nothing published");
    expectReport(content, expectations(!RUNNING_AS_ROOT), goodTitles);
  });

  test("the 50 MB file is refused from its size: not one byte of it is read", () => {
    const huge = path.join(realpathSync(dir), HOSTILE_CASES.hugeFile);
    expect(fsHooks.bytesRead.get(huge) ?? 0).toBe(0);
    // The other posts were read through the same hooks, so the count is not vacuous.
    expect(fsHooks.bytesRead.get(path.join(realpathSync(dir), HOSTILE_CASES.bomCrlf))).toBeGreaterThan(0);
  });

  test("every feed (site, each category, each tag) is well-formed XML and valid JSON Feed 1.1", () => {
    const build = publisher.state?.build;
    if (!build) throw new Error("nothing published");
    expectValidFeeds(build);
  });

  test("every feed is served at its URL, whatever its name", async () => {
    const build = publisher.state?.build;
    if (!build) throw new Error("nothing published");
    for (const feed of allFeeds(build)) {
      for (const format of ["rss", "atom", "json"] as const) {
        const url = new URL(feed.spec.urls[format]);
        const response = await rawRequest(port, url.pathname);
        expect(response.status, url.pathname).toBe(200);
        expect(response.body.equals(feed.documents[format].body), url.pathname).toBe(true);
      }
    }
  });

  test("/healthz lists every skipped file with its line and message, and every warning", async () => {
    const response = await rawRequest(port, "/healthz");
    expect(response.status).toBe(200);
    const health = JSON.parse(response.text) as HealthReport;
    expect(health.status).toBe("ok");
    const expected = expectations(!RUNNING_AS_ROOT);
    const skipped = Object.entries(expected).filter(([, expectation]) => expectation.outcome === "skipped") as [HostileCaseId, Extract<Expected, { outcome: "skipped" }>][];
    expect(health.posts.skipped).toBe(skipped.length);
    expect(health.skipped.map((entry) => entry.file).sort()).toEqual(skipped.map(([id]) => HOSTILE_CASES[id]).sort());
    for (const [id, expectation] of skipped) {
      const entry = health.skipped.find((problem) => problem.file === HOSTILE_CASES[id]);
      expect(entry?.line ?? undefined, id).toBe(expectation.line);
      expect(entry?.message, id).toMatch(expectation.message);
    }
    expect(health.warnings.map((entry) => entry.file).sort()).toEqual([HOSTILE_CASES.duplicateKeys, HOSTILE_CASES.permalinkSecond, HOSTILE_CASES.whitespaceTitle].sort());
  });

  test("each skipped file is logged once, naming the file and line, and not again at the next scan", async () => {
    const warned = recorded.lines.filter((line) => line.level === "warn").map((line) => line.message);
    const huge = warned.filter((message) => message.includes(HOSTILE_CASES.hugeFile));
    expect(huge).toEqual([`content: ${dir}/${HOSTILE_CASES.hugeFile}: the file is 52428800 bytes, over the limit of 1048576 (max_post_bytes); split it or raise the limit (skipped)`]);
    expect(warned.filter((message) => message.includes(HOSTILE_CASES.deepYamlOpen))).toEqual([expect.stringContaining(`${HOSTILE_CASES.deepYamlOpen}:2: front matter nests`) as string]);
    const before = recorded.lines.length;
    const again = await publisher.scan();
    expect(again.ok).toBe(true);
    expect(again.posts?.read).toBe(0);
    expect(recorded.lines.slice(before).filter((line) => line.level !== "info")).toEqual([]);
  });

  test("a BOM and CRLF line endings change nothing: the post is the one an LF file gives", () => {
    const posts = publisher.state?.content.posts ?? [];
    const windows = posts.find((entry) => entry.sourcePath === HOSTILE_CASES.bomCrlf);
    expect(windows).toMatchObject({ title: "Windows line endings", categories: ["Notes"], tags: ["windows", "crlf"] });
    // Its body, as the site feed (which holds every post here) carries it.
    const json = JSON.parse(publisher.state?.build.site.documents.json.body.toString("utf8") ?? "{}") as { items?: { url: string; summary?: string; content_html?: string }[] };
    const item = json.items?.find((entry) => entry.url === windows?.url);
    expect(item).toMatchObject({ summary: "First paragraph.", content_html: "<p>First paragraph.</p>\n<p>Second paragraph.</p>\n" });
    const rss = publisher.state?.build.site.documents.rss.body.toString("utf8") ?? "";
    expect(rss).not.toContain("\r");
    expect(rss).not.toContain("\uFEFF");
  });

  test("a tag spelled in NFC and in NFD is one feed holding both posts", () => {
    const tags = publisher.state?.build.terms.tag;
    const cafe = tags?.get(termSlug("caf\u00e9"));
    expect(cafe?.spec.term?.spellings).toEqual(["caf\u00e9"]);
    expect(cafe?.spec.items.map((entry) => entry.title).sort()).toEqual(["Decomposed tag", "Good alpha", "Precomposed tag"]);
    expect([...(tags?.keys() ?? [])].filter((slug) => slug.normalize("NFD").startsWith("cafe"))).toEqual([termSlug("caf\u00e9")]);
  });

  test("markup, CDATA ends and control characters in names survive as text in every format", () => {
    const build = publisher.state?.build;
    const post = build?.published.find((entry) => entry.sourcePath === HOSTILE_CASES.markupNames);
    expect(post?.categories).toEqual(["<script>alert(1)</script>", "R&D", "]]>"]);
    // Control characters are removed (XML 1.0 cannot carry them); everything else is kept.
    expect(post?.tags).toEqual(["a<b", "x]]>y", "&amp;", "bell", "nulbyte", "del", "]]>"]);
    for (const [kind, names] of [["category", post?.categories ?? []], ["tag", post?.tags ?? []]] as const) {
      for (const name of names) {
        const feed = build?.terms[kind].get(termSlug(name));
        expect(feed?.spec.term?.name, name).toBe(name);
        const json = readJsonFeed(feed?.documents.json.body.toString("utf8") ?? "");
        expect(json.root.title, name).toContain(name);
        const rss = readRss(feed?.documents.rss.body.toString("utf8") ?? "");
        const item = rss.items.find((entry) => entry.title === "Names that are markup");
        expect(item?.categories.map((category) => category.name), name).toContain(name);
      }
    }
  });

  test("the HTML page at / shows every hostile name as text: no element, attribute or script comes from a post", async () => {
    const page = await rawRequest(port, "/");
    expect(page.status).toBe(200);
    expect(page.headers["content-security-policy"]).toMatch(/^default-src 'none'/);
    // An HTML parser (htmlparser2, as a browser tokenizes): the elements are the page's own, and the names are text.
    const elements: string[] = [];
    const attributes: string[] = [];
    let text = "";
    const parser = new HtmlParser(
      {
        onopentag: (name, attrs) => {
          elements.push(name);
          attributes.push(...Object.keys(attrs));
        },
        ontext: (chunk) => void (text += chunk),
      },
      { decodeEntities: true },
    );
    parser.write(page.text);
    parser.end();
    expect(new Set(elements)).toEqual(new Set(["html", "head", "meta", "title", "link", "body", "main", "h1", "p", "a", "h2", "ul", "li", "strong", "br"]));
    expect(new Set(attributes)).toEqual(new Set(["lang", "charset", "name", "content", "rel", "type", "title", "href"]));
    for (const name of ["<script>alert(1)</script>", "R&D", "]]>", "a<b", "x]]>y", "&amp;", "🎉"]) expect(text, name).toContain(name);
  });

  test("titles of only whitespace or only emoji", () => {
    const json = readJsonFeed(publisher.state?.build.site.documents.json.body.toString("utf8") ?? "");
    expect(json.items.map((item) => item.title)).toEqual(expect.arrayContaining(["Whitespace Title", "🎉🚀👩‍👩‍👧"]));
    const atom = readAtom(publisher.state?.build.site.documents.atom.body.toString("utf8") ?? "");
    expect(atom.items.map((item) => item.title)).toEqual(expect.arrayContaining(["Whitespace Title", "🎉🚀👩‍👩‍👧"]));
    expect(publisher.state?.build.terms.tag.has(termSlug("🎉"))).toBe(true);
  });

  test("two posts with one permalink are both published with distinct ids, and the collision is reported", () => {
    const posts = publisher.state?.build.published ?? [];
    const one = posts.find((entry) => entry.title === "Twin one");
    const two = posts.find((entry) => entry.title === "Twin two");
    expect(one?.url).toBe(two?.url);
    expect(two?.id).toBe(`${one?.id ?? ""}#2025-02-08-twin.md`);
  });
});

describe("the same corpus through `feedwright check`", () => {
  let dir: string;
  let configFile: string;

  beforeAll(() => {
    dir = temporaryDir("feedwright-hostile-check-");
    makeHostileCorpus(dir);
    const configDir = temporaryDir("feedwright-hostile-config-");
    chmodSync(configDir, 0o755);
    configFile = path.join(configDir, "site.yaml");
    writeFileSync(configFile, 'site:\n  url: "https://blog.example.com"\n  timezone: UTC\n');
  });

  /** "<dir>/<file>[:<line>]: <message>" lines, the form editors jump from. */
  function expectCheckLines(output: string, expected: Record<HostileCaseId, Expected>): void {
    const lines = output.split("\n").filter((line) => line.startsWith(`${dir}/`));
    for (const [id, expectation] of Object.entries(expected) as [HostileCaseId, Expected][]) {
      const shown = expectation.outcome === "skipped" ? expectation.shown : undefined;
      const location = `${dir}/${shown?.file ?? HOSTILE_CASES[id]}`;
      const mine = lines.filter((line) => line.startsWith(`${location}:`));
      if (expectation.outcome === "skipped") {
        expect(mine, id).toHaveLength(1);
        const prefix = `${location}${expectation.line ? `:${expectation.line}` : ""}: `;
        expect(mine[0]?.startsWith(prefix), `${id}: ${mine[0] ?? "(no line)"} starts with ${prefix}`).toBe(true);
        expect(mine[0]?.slice(prefix.length), id).toMatch(shown?.message ?? expectation.message);
      } else if (expectation.outcome === "published" && expectation.warning) {
        expect(mine, id).toHaveLength(1);
        expect(mine[0], id).toMatch(/ \(warning\)$/);
        expect(mine[0]?.replace(/ \(warning\)$/, "").split(": ").slice(1).join(": "), id).toMatch(expectation.warning.message);
      } else {
        expect(mine, id).toEqual([]);
      }
    }
    // One line per report: no stack trace, no message spilling onto a second line, and no control
    // character reaching the terminal.
    for (const line of output.split("\n").filter((text) => text.trim() !== "")) {
      expect(line.startsWith(`${dir}/`) || line.startsWith("feedwright: "), line).toBe(true);
      // eslint-disable-next-line no-control-regex -- control characters are what is checked
      expect(line, line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/u);
    }
  }

  test("in process: loadPosts + formatProblem print one file:line: problem line per report", async () => {
    const config: Config = testConfig({ postsDir: dir });
    const content = await loadPosts(config);
    const output = [
      ...content.problems.map((problem) => formatProblem(config.postsDir, problem)),
      ...content.warnings.map((warning) => `${formatProblem(config.postsDir, warning)} (warning)`),
    ].join("\n");
    expectCheckLines(output, expectations(!RUNNING_AS_ROOT));
  });

  // Root reads every file whatever its mode, so the permission-denied entries are only refused
  // for another user: as root, the CLI runs as "nobody" (setpriv or runuser, from util-linux).
  const asUser: readonly string[] | undefined = !RUNNING_AS_ROOT
    ? []
    : existsSync("/usr/bin/setpriv") || spawnSync("setpriv", ["--version"]).status === 0
      ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
      : spawnSync("runuser", ["--help"]).status === 0
        ? ["runuser", "-u", "nobody", "--"]
        : undefined;

  test(
    "as an unprivileged user: `feedwright check` exits 1 and prints every problem, permission-denied entries included",
    async () => {
      // Never skipped: without a way to drop privileges the permission cases would go unchecked.
      if (!asUser) throw new Error("test/hostile: running as root without setpriv or runuser (Debian's util-linux): install it so the permission-denied cases can be checked");
      const [command, ...prefix] = [...(asUser ?? []), process.execPath, "--import", "tsx", "src/cli.ts", "check", "--config", configFile, "--posts", dir];
      const result = await runCommand(command ?? process.execPath, prefix);
      if (asUser?.length) console.log(`test/hostile: feedwright check ran as uid 65534 via ${asUser[0] ?? ""}`);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toBe("");
      expectCheckLines(result.stdout, expectations(true));
      expect(result.stdout).toMatch(/^feedwright: \d+ post files: \d+ publishable, 0 drafts or unpublished, \d+ with errors, 3 warnings$/m);
    },
    60_000,
  );
});

describe("the permission-denied entries at /healthz of an unprivileged `feedwright serve`", () => {
  // Root reads every file whatever its mode, so the in-process Publisher above publishes them;
  // this runs the real server as another user, as a container's `node` user would.
  test("both are listed as skipped with EACCES, every other post is served, and every feed parses", async () => {
    const asUser = RUNNING_AS_ROOT ? unprivilegedPrefix() : [];
    if (!asUser) throw new Error("test/hostile: running as root without setpriv or runuser (Debian's util-linux): install it so the permission-denied cases can be checked");
    const dir = temporaryDir("feedwright-hostile-serve-");
    const corpus = makeHostileCorpus(dir);
    const configDir = temporaryDir("feedwright-hostile-serve-config-");
    chmodSync(configDir, 0o755);
    const configFile = path.join(configDir, "site.yaml");
    writeFileSync(configFile, 'site:\n  url: "https://blog.example.com"\nhost: "127.0.0.1"\nfeed:\n  limit: 100\n');
    const port = await freePort();
    const [command, ...args] = [...asUser, process.execPath, "--import", "tsx", "src/cli.ts", "serve", "--no-cache", "--config", configFile, "--posts", dir, "--port", String(port)];
    const child = spawn(command ?? process.execPath, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const stop = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    };
    cleanups.push(stop);
    try {
      const deadline = Date.now() + 50_000;
      while ((await rawRequest(port, "/readyz").catch(() => undefined))?.status !== 200) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`feedwright serve did not become ready; its output:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const health = JSON.parse((await rawRequest(port, "/healthz")).text) as HealthReport;
      const denied = (file: string): HealthReport["skipped"][number] | undefined => health.skipped.find((entry) => entry.file === file);
      expect(denied(HOSTILE_CASES.deniedFile)?.message).toBe("cannot read the file (EACCES); check that it is readable");
      expect(denied(HOSTILE_CASES.deniedFolder)?.message).toBe("cannot read this folder (EACCES); check its permissions");
      const expected = expectations(true);
      const skipped = Object.entries(expected).filter(([, expectation]) => expectation.outcome === "skipped").map(([id]) => HOSTILE_CASES[id as HostileCaseId]);
      expect(health.skipped.map((entry) => entry.file).sort()).toEqual(skipped.sort());
      const json = readJsonFeed((await rawRequest(port, "/feed.json")).text);
      expect(jsonFeedSchemaErrors(json.root)).toEqual([]);
      expect(json.items.map((item) => item.title)).toEqual(expect.arrayContaining([...corpus.goodTitles]));
      readRss((await rawRequest(port, "/feed.xml")).text);
      readAtom((await rawRequest(port, "/atom.xml")).text);
    } finally {
      stop();
    }
  }, 90_000);
});

/** A port free on 127.0.0.1 now (asked of the kernel, then released for the child to take). */
async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The command prefix that runs a program as "nobody" (setpriv or runuser, util-linux), or undefined. */
function unprivilegedPrefix(): string[] | undefined {
  if (existsSync("/usr/bin/setpriv") || spawnSync("setpriv", ["--version"]).status === 0) return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];
  if (spawnSync("runuser", ["--help"]).status === 0) return ["runuser", "-u", "nobody", "--"];
  return undefined;
}

describe("deep front matter in a fresh process", () => {
  // Before the nesting limit, the yaml parser overflowed the stack on the first of these posts,
  // and compiling a regular expression for the first time in the second made V8 abort the whole
  // process ("FATAL ERROR: RegExpCompiler Allocation failed"): three fresh processes out of four
  // died here. Several fresh processes, so a regression cannot pass by luck.
  test("the two 5,000-level posts are refused with a report, and the process lives", async () => {
    const dir = temporaryDir("feedwright-hostile-fresh-");
    makeHostileCorpus(dir, { deniedEntries: false });
    const files = [HOSTILE_CASES.deepYamlOpen, HOSTILE_CASES.deepYamlClosed].map((file) => path.join(dir, file));
    const runs = await Promise.all([1, 2, 3].map(() => runCommand(process.execPath, ["--import", "tsx", "test/fixtures/hostile/render-in-fresh-process.ts", ...files])));
    for (const result of runs) {
      expect(result.stderr).not.toMatch(/FATAL/);
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as { kind: string; line?: number; message?: string });
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(line).toMatchObject({ kind: "error", line: 2, message: expect.stringMatching(/^front matter nests collections more than 400 levels deep/) as string });
    }
  }, 60_000);
});

describe("files that change between the listing and the read", () => {
  let dir: string;
  let real: string;
  let staging: string;

  beforeAll(() => {
    dir = temporaryDir("feedwright-hostile-race-");
    makeHostileCorpus(dir, { deniedEntries: false });
    real = realpathSync(dir);
    staging = temporaryDir("feedwright-hostile-staging-");
  });

  function publisherFor(): Publisher {
    const publisher = new Publisher(testConfig({ postsDir: dir }), recordingLogger().logger, NOW);
    cleanups.push(() => void publisher.stop());
    return publisher;
  }

  test("a file replaced (renamed over) after the listing: the new version is published", async () => {
    const target = path.join(real, HOSTILE_CASES.replacedDuringRead);
    const replacement = path.join(staging, "replacement.md");
    writeFileSync(replacement, REPLACEMENT_POST);
    fsHooks.beforeOpen.set(target, () => renameSync(replacement, target));
    const publisher = publisherFor();
    expect((await publisher.scan()).ok).toBe(true);
    expect(fsHooks.beforeOpen.has(target)).toBe(false);
    const titles = publisher.state?.build.published.map((entry) => entry.title) ?? [];
    expect(titles).toContain("Replaced while being read");
    expect(titles).not.toContain("Before the replacement");
    expect(publisher.state?.content.problems.map((problem) => problem.file)).not.toContain(HOSTILE_CASES.replacedDuringRead);
    // The next scan sees the new file's identity, reads it again, and keeps the same post.
    const next = await publisher.scan();
    expect(next.posts?.read).toBe(1);
    expect(next.posts?.changed).toEqual([]);
    expect(publisher.state?.build.published.map((entry) => entry.title)).toContain("Replaced while being read");
    expectValidFeeds(publisher.state?.build as SiteBuild);
  });

  test("a file replaced while it is open: never a mix of the two versions; the scan notices and publishes the new one", async () => {
    writeFileSync(path.join(real, HOSTILE_CASES.replacedDuringRead), "---\ntitle: Open while replaced\n---\n\nOld body.\n");
    const target = path.join(real, HOSTILE_CASES.replacedDuringRead);
    const replacement = path.join(staging, "replacement-open.md");
    writeFileSync(replacement, REPLACEMENT_POST);
    fsHooks.afterOpen.set(target, () => renameSync(replacement, target));
    const publisher = publisherFor();
    const report = await publisher.scan();
    expect(report.ok).toBe(true);
    // The front matter came from the version that was open; the body is read again to render it,
    // finds other bytes, and the scan reads the file again rather than pair one version's head
    // with the other's body.
    const published = publisher.state?.build.published.find((entry) => entry.sourcePath === HOSTILE_CASES.replacedDuringRead);
    expect(published?.title).toBe("Replaced while being read");
    const json = JSON.parse(publisher.state?.build.site.documents.json.body.toString("utf8") ?? "{}") as { items?: { url: string; title: string; content_html?: string }[] };
    expect(json.items?.find((item) => item.url === published?.url)).toMatchObject({ title: "Replaced while being read", content_html: "<p>The new version.</p>\n" });
    expect(JSON.stringify(json)).not.toContain("Old body.");
    const next = await publisher.scan();
    expect(next.posts).toMatchObject({ read: 0, changed: [] });
  });

  test("a file deleted after the listing is simply gone: no report, every other post published", async () => {
    const target = path.join(real, HOSTILE_CASES.deletedDuringRead);
    fsHooks.beforeOpen.set(target, () => unlinkSync(target));
    const publisher = publisherFor();
    expect((await publisher.scan()).ok).toBe(true);
    const content = publisher.state?.content;
    expect(content?.posts.map((entry) => entry.title)).not.toContain("Deleted while being read");
    expect(content?.problems.map((problem) => problem.file)).not.toContain(HOSTILE_CASES.deletedDuringRead);
    expect(content?.posts.map((entry) => entry.title)).toEqual(expect.arrayContaining(["Good alpha", "Good beta", "東京で勉強会", "Windows line endings"]));
    expectValidFeeds(publisher.state?.build as SiteBuild);
  });

  test("a file swapped for a 50 MB one after the listing is refused from its size, and not read into memory", async () => {
    const config = testConfig({ postsDir: dir });
    const target = path.join(real, "2025-01-02-good-beta.md");
    const original = readFileSync(target);
    fsHooks.bytesRead.delete(target);
    fsHooks.beforeOpen.set(target, () => truncateSync(target, 50 * 1024 * 1024));
    try {
      const content = await loadPosts(config);
      expect(content.problems.find((problem) => problem.file === "2025-01-02-good-beta.md")?.message).toBe(
        "the file is 52428800 bytes, over the limit of 1048576 (max_post_bytes); split it or raise the limit",
      );
      expect(fsHooks.bytesRead.get(target) ?? 0).toBeLessThanOrEqual(config.maxPostBytes + 1);
      expect(content.posts.map((entry) => entry.title)).toContain("Good alpha");
    } finally {
      writeFileSync(target, original);
    }
  });
});
