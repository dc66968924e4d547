// Operations: one JSON log line per request and per scan, /metrics in Prometheus format that
// counts what the log says, /readyz once the first build is live.
import type { Server } from "node:http";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createServer } from "../../src/http/server.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { Metrics } from "../../src/ops/metrics.js";
import { createRequestObserver } from "../../src/ops/request-observer.js";
import { Publisher } from "../../src/publish/publisher.js";
import { closeServer, listenOnFreePort, rawRequest } from "../helpers/http.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

const TOKEN = "metrics-token-for-the-tests";

/** A pino logger writing JSON lines into an array. */
function recordingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: "info", pretty: false, destination }), lines };
}

let folder: PostsFolder;
let server: Server;
let port: number;
let publisher: Publisher;
let lines: Record<string, unknown>[];
let metrics: Metrics;

beforeAll(async () => {
  folder = makePostsFolder({
    "2025-01-01-alpha.md": post("title: Alpha\ntags: [one]"),
    "2025-01-02-broken.md": "---\ntitle: ok\nbad: \"a\" b\n---\nBody.\n",
  });
  const recording = recordingLogger();
  lines = recording.lines;
  metrics = new Metrics();
  publisher = new Publisher(testConfig({ postsDir: folder.dir }), recording.logger, () => new Date("2026-01-01T00:00:00Z"), undefined, {
    onScan: (report, state) => metrics.recordScan(report, state),
  });
  server = createServer(publisher, { metrics, metricsToken: TOKEN, observer: createRequestObserver(recording.logger, metrics, true) });
  port = await listenOnFreePort(server);
});

afterAll(async () => {
  await closeServer(server);
  await publisher.stop();
  folder.remove();
});

describe("before and after the first build", () => {
  test("/readyz is 503 until the first build is live, then 200; /healthz follows", async () => {
    expect((await rawRequest(port, "/readyz")).status).toBe(503);
    expect((await rawRequest(port, "/healthz")).status).toBe(503);
    await publisher.scan();
    await publisher.settled();
    expect((await rawRequest(port, "/readyz")).status).toBe(200);
    expect((await rawRequest(port, "/healthz")).status).toBe(200);
  });
});

describe("logs", () => {
  test("a scan logs one structured line with what it did, and the skipped post once", async () => {
    const scans = lines.filter((line) => line.event === "scan");
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ level: "info", service: "feedwright", ok: true, postsAdded: 2, postsSkipped: 1, feedsRebuilt: 2 });
    expect(typeof scans[0]?.durationMs).toBe("number");
    const skipped = lines.filter((line) => line.event === "post-skipped");
    expect(skipped).toEqual([expect.objectContaining({ level: "warn", file: "2025-01-02-broken.md", line: 3 })]);
    await publisher.scan();
    await publisher.settled();
    expect(lines.filter((line) => line.event === "post-skipped")).toHaveLength(1);
  });

  test("every request is one line: method, path, status, bytes, duration, 304 or not", async () => {
    const first = await rawRequest(port, "/feed.xml", { headers: { "Accept-Encoding": "gzip" } });
    await rawRequest(port, "/feed.xml", { headers: { "Accept-Encoding": "gzip", "If-None-Match": String(first.headers.etag) } });
    await rawRequest(port, "/no-such-thing");
    const requests = lines.filter((line) => line.msg === "request");
    const last = requests.slice(-3);
    expect(last[0]).toMatchObject({ method: "GET", path: "/feed.xml", status: 200, bytes: first.body.length, notModified: false, route: "site-feed", encoding: "gzip" });
    expect(last[1]).toMatchObject({ method: "GET", path: "/feed.xml", status: 304, bytes: 0, notModified: true });
    expect(last[2]).toMatchObject({ path: "/no-such-thing", status: 404, route: "not-found" });
    for (const line of last) expect(typeof line.ms).toBe("number");
  });
});

describe("/metrics", () => {
  test("asks for its token when one is set", async () => {
    expect((await rawRequest(port, "/metrics")).status).toBe(401);
    expect((await rawRequest(port, "/metrics", { headers: { Authorization: "Bearer wrong-token-wrong-token" } })).status).toBe(403);
  });

  test("counts scans, posts, feeds, requests by route, status and format, 304s and bytes", async () => {
    await rawRequest(port, "/tags/one/atom.xml", { headers: { "Accept-Encoding": "br" } });
    const response = await rawRequest(port, "/metrics", { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.text;
    expect(text).toMatch(/^feedwright_scan_duration_seconds_count\{result="ok",kind="incremental"\} 2$/m);
    expect(text).toMatch(/^feedwright_posts\{state="published"\} 1$/m);
    expect(text).toMatch(/^feedwright_posts\{state="skipped"\} 1$/m);
    expect(text).toMatch(/^feedwright_feeds\{kind="tag"\} 1$/m);
    expect(text).toMatch(/^feedwright_http_requests_total\{route="site-feed",status="304",format="rss"\} 1$/m);
    expect(text).toMatch(/^feedwright_http_requests_total\{route="tag-feed",status="200",format="atom"\} 1$/m);
    expect(text).toMatch(/^feedwright_http_requests_total\{route="not-found",status="404",format="none"\} 1$/m);
    expect(text).toMatch(/^feedwright_http_response_body_bytes_total\{route="tag-feed",format="atom",encoding="br"\} \d+$/m);
    expect(text).toMatch(/^feedwright_http_not_modified_ratio 0\.\d+$/m);
    expect(text).toMatch(/^feedwright_documents_rebuilt_total \d+$/m);
    expect(text).toMatch(/^feedwright_process_resident_memory_bytes \d+$/m);
  });
});
