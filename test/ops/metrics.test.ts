// /metrics against what really happened: every metric the README lists is there and moves by
// exactly what a known sequence of scans, requests and WebSub notifications did; the 304 ratio
// is over document answers only; and no request, however hostile, adds a label value (paths,
// names and methods never become labels).
import { createServer as createHttpServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createServer } from "../../src/http/server.js";
import { silentLogger } from "../../src/logger.js";
import { Metrics } from "../../src/ops/metrics.js";
import { createRequestObserver } from "../../src/ops/request-observer.js";
import { Publisher } from "../../src/publish/publisher.js";
import { WebSubNotifier } from "../../src/publish/websub-notifier.js";
import { closeServer, listenOnFreePort, rawRequest } from "../helpers/http.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Prometheus text exposition, one series per sample line. */
function parseMetrics(text: string): Series[] {
  const series: Series[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const found = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!found) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (found[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1] ?? ""] = pair[2] ?? "";
    series.push({ name: found[1] ?? "", labels, value: Number(found[3]) });
  }
  return series;
}

/** The value of one series (all labels given must match; the series must be the only match). */
function value(series: readonly Series[], name: string, labels: Readonly<Record<string, string>> = {}): number {
  const matching = series.filter((entry) => entry.name === name && Object.entries(labels).every(([key, wanted]) => entry.labels[key] === wanted) && Object.keys(entry.labels).length === Object.keys(labels).length);
  if (matching.length > 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${matching.length} series`);
  return matching[0]?.value ?? 0;
}

let folder: PostsFolder;
let metrics: Metrics;
let publisher: Publisher;
let notifier: WebSubNotifier;
let server: Server;
let port: number;
const hubs: Server[] = [];

async function scrape(): Promise<Series[]> {
  const response = await rawRequest(port, "/metrics");
  expect(response.status).toBe(200);
  return parseMetrics(response.text);
}

/** A stand-in hub answering every notification with `status`. */
async function hub(status: number): Promise<string> {
  const stand = createHttpServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(status).end());
  });
  hubs.push(stand);
  return `http://127.0.0.1:${await listenOnFreePort(stand)}/`;
}

beforeAll(async () => {
  folder = makePostsFolder({
    "2025-01-01-alpha.md": post("title: Alpha\ncategories: [Notes]\ntags: [one]"),
    "2025-01-02-beta.md": post("title: Beta\ncategories: [Notes]\ntags: [two]"),
  });
  const hubUrls = [await hub(204), await hub(400)];
  metrics = new Metrics();
  notifier = new WebSubNotifier({ hubs: hubUrls, logger: silentLogger, baseDelayMs: 10, onResult: (result) => metrics.recordWebSub(result.ok) });
  publisher = new Publisher(testConfig({ postsDir: folder.dir, hubs: hubUrls, feed: { limit: 1 } }), silentLogger, () => new Date("2026-01-01T00:00:00Z"), notifier, {
    onScan: (report, state) => metrics.recordScan(report, state),
  });
  server = createServer(publisher, { metrics, observer: createRequestObserver(silentLogger, metrics, false) });
  port = await listenOnFreePort(server);
  expect((await publisher.scan()).ok).toBe(true);
  await publisher.settled();
});

afterAll(async () => {
  await closeServer(server);
  await publisher.stop();
  await notifier.close();
  for (const stand of hubs) await closeServer(stand);
  folder.remove();
});

describe("/metrics", () => {
  test("has every metric the README lists", async () => {
    const text = (await rawRequest(port, "/metrics")).text;
    for (const name of [
      "feedwright_scan_duration_seconds",
      "feedwright_posts",
      "feedwright_feeds",
      "feedwright_feed_pages_rendered_total",
      "feedwright_documents_rebuilt_total",
      "feedwright_http_requests_total",
      "feedwright_http_not_modified_ratio",
      "feedwright_http_response_body_bytes_total",
      "feedwright_websub_notifications_total",
      "feedwright_process_resident_memory_bytes",
      "feedwright_nodejs_eventloop_lag_seconds",
    ]) {
      expect(text, name).toMatch(new RegExp(`^# TYPE ${name} `, "m"));
    }
  });

  test("scan metrics move by what each scan did", async () => {
    const before = await scrape();
    const scans = (series: readonly Series[]): number => value(series, "feedwright_scan_duration_seconds_count", { result: "ok", kind: "incremental" });
    expect(scans(before)).toBe(1);
    expect(value(before, "feedwright_posts", { state: "published" })).toBe(2);
    expect(value(before, "feedwright_feeds", { kind: "tag" })).toBe(2);
    expect(value(before, "feedwright_feeds", { kind: "category" })).toBe(1);

    // Unchanged: one more scan, nothing rendered or rebuilt.
    expect((await publisher.scan()).ok).toBe(true);
    const unchanged = await scrape();
    expect(scans(unchanged)).toBe(2);
    expect(value(unchanged, "feedwright_feed_pages_rendered_total")).toBe(value(before, "feedwright_feed_pages_rendered_total"));
    expect(value(unchanged, "feedwright_documents_rebuilt_total")).toBe(value(before, "feedwright_documents_rebuilt_total"));

    // A new post with a new tag, and a broken one: the gauges follow, the counters grow by the report's figures.
    folder.write("2025-01-03-gamma.md", post("title: Gamma\ncategories: [Notes]\ntags: [three]"));
    folder.write("2025-01-04-broken.md", '---\ntitle: ok\nbad: "a" b\n---\n');
    const report = await publisher.scan();
    expect(report.ok).toBe(true);
    const after = await scrape();
    expect(scans(after)).toBe(3);
    expect(value(after, "feedwright_posts", { state: "published" })).toBe(3);
    expect(value(after, "feedwright_posts", { state: "skipped" })).toBe(1);
    expect(value(after, "feedwright_feeds", { kind: "tag" })).toBe(3);
    expect(value(after, "feedwright_feed_pages_rendered_total") - value(unchanged, "feedwright_feed_pages_rendered_total")).toBe(report.feeds?.rendered);
    expect(value(after, "feedwright_documents_rebuilt_total") - value(unchanged, "feedwright_documents_rebuilt_total")).toBe(report.documentsPrepared);
    expect(report.documentsPrepared).toBeGreaterThan(0);
  });

  test("WebSub notifications are counted by result, one per hub and feed URL", async () => {
    // Those of the scans before have all been counted.
    await publisher.settled();
    await notifier.idle();
    const before = await scrape();
    folder.write("2025-01-01-alpha.md", post("title: Alpha, edited\ncategories: [Notes]\ntags: [one]"));
    const report = await publisher.scan();
    expect(report.changedFeedUrls.length).toBeGreaterThan(0);
    await publisher.settled();
    await notifier.idle();
    const after = await scrape();
    const delta = (result: string): number => value(after, "feedwright_websub_notifications_total", { result }) - value(before, "feedwright_websub_notifications_total", { result });
    // One hub answers 204, the other 400 (a permanent failure, not retried).
    expect(delta("ok")).toBe(report.changedFeedUrls.length);
    expect(delta("failed")).toBe(report.changedFeedUrls.length);
  });

  test("requests are counted by route, status and format, bytes by coding, and the 304 ratio is over documents only", async () => {
    await publisher.settled();
    const before = await scrape();
    const first = await rawRequest(port, "/feed.xml");
    await rawRequest(port, "/feed.xml");
    await rawRequest(port, "/feed.xml", { method: "HEAD" });
    await rawRequest(port, "/feed.xml", { headers: { "If-None-Match": String(first.headers.etag) } });
    const br = await rawRequest(port, "/tags/one/atom.xml", { headers: { "Accept-Encoding": "br" } });
    expect(br.headers["content-encoding"]).toBe("br");
    const page = await rawRequest(port, "/archive/1/feed.json");
    expect(page.status).toBe(200);
    expect((await rawRequest(port, "/tags/ONE/feed.xml")).status).toBe(301);
    expect((await rawRequest(port, "/no-such-thing")).status).toBe(404);
    for (let index = 0; index < 5; index++) expect((await rawRequest(port, "/healthz")).status).toBe(200);
    const after = await scrape();
    const delta = (labels: Record<string, string>): number => value(after, "feedwright_http_requests_total", labels) - value(before, "feedwright_http_requests_total", labels);
    expect(delta({ route: "site-feed", status: "200", format: "rss" })).toBe(3);
    expect(delta({ route: "site-feed", status: "304", format: "rss" })).toBe(1);
    expect(delta({ route: "tag-feed", status: "200", format: "atom" })).toBe(1);
    expect(delta({ route: "archive-page", status: "200", format: "json" })).toBe(1);
    expect(delta({ route: "redirect", status: "301", format: "none" })).toBe(1);
    expect(delta({ route: "not-found", status: "404", format: "none" })).toBe(1);
    expect(delta({ route: "health", status: "200", format: "none" })).toBe(5);
    // The scrape before this one is counted once it has been answered.
    expect(delta({ route: "metrics", status: "200", format: "none" })).toBe(1);
    const bytes = (labels: Record<string, string>): number => value(after, "feedwright_http_response_body_bytes_total", labels) - value(before, "feedwright_http_response_body_bytes_total", labels);
    // Two GETs with bodies; HEAD and 304 send none.
    expect(bytes({ route: "site-feed", format: "rss", encoding: "identity" })).toBe(2 * first.body.length);
    expect(bytes({ route: "tag-feed", format: "atom", encoding: "br" })).toBe(br.body.length);
    expect(bytes({ route: "archive-page", format: "json", encoding: "identity" })).toBe(page.body.length);

    // Since start, among document answers (200 or 304 from a document route): exactly this share
    // was 304. Health checks, scrapes and redirects do not count.
    const documentRoutes = new Set(["site-feed", "category-feed", "tag-feed", "archive-page", "index", "opml", "stylesheet"]);
    const answered = after.filter((entry) => entry.name === "feedwright_http_requests_total" && documentRoutes.has(entry.labels.route ?? "") && ["200", "304"].includes(entry.labels.status ?? ""));
    const notModified = answered.filter((entry) => entry.labels.status === "304").reduce((total, entry) => total + entry.value, 0);
    const total = answered.reduce((sum, entry) => sum + entry.value, 0);
    expect(total).toBe(6);
    expect(value(after, "feedwright_http_not_modified_ratio")).toBeCloseTo(notModified / total, 10);
    expect(notModified / total).toBeCloseTo(1 / 6, 10);
  });

  test("no request adds a label value: paths, names, methods and headers never become labels", async () => {
    const before = await scrape();
    const hostile = [
      ...Array.from({ length: 100 }, (_, index) => `/probe-${index}-${"x".repeat(index)}`),
      ...Array.from({ length: 50 }, (_, index) => `/tags/unknown-tag-${index}/feed.xml`),
      ...Array.from({ length: 50 }, (_, index) => `/categories/%E3%81%${(0x80 + index).toString(16)}/atom.xml`),
      "/../etc/passwd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/tags/%zz/feed.xml",
      "/tags/one%00/feed.xml",
      "/%252e%252e/x",
    ];
    for (const path of hostile) await rawRequest(port, path, { headers: { "Accept-Encoding": "x-made-up, gzip;q=0.5", Accept: "text/html" } });
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"]) await rawRequest(port, `/${method.toLowerCase()}-path`, { method });
    const after = await scrape();
    const labelled = (series: readonly Series[]): Set<string> =>
      new Set(series.filter((entry) => entry.name.startsWith("feedwright_http_")).map((entry) => `${entry.name}${JSON.stringify(entry.labels)}`));
    const added = [...labelled(after)].filter((key) => !labelled(before).has(key));
    // At most the few new combinations of route, status and format these requests make (404s, 400s, 405s).
    expect(added.length, added.join("\n")).toBeLessThanOrEqual(6);
    const routes = new Set(["site-feed", "category-feed", "tag-feed", "archive-page", "index", "opml", "stylesheet", "health", "ready", "metrics", "rebuild", "redirect", "not-found", "other"]);
    for (const entry of after.filter((series) => series.name.startsWith("feedwright_http_") && series.name !== "feedwright_http_not_modified_ratio")) {
      const label = `${entry.name} ${JSON.stringify(entry.labels)}`;
      expect(routes.has(entry.labels.route ?? ""), label).toBe(true);
      expect(["rss", "atom", "json", "html", "opml", "xsl", "none"], label).toContain(entry.labels.format);
      if (entry.labels.status !== undefined) expect(entry.labels.status, label).toMatch(/^[1-5]\d\d$/);
      if (entry.labels.encoding !== undefined) expect(["identity", "gzip", "br"], label).toContain(entry.labels.encoding);
    }
    const values = after.filter((entry) => entry.name.startsWith("feedwright_http_")).flatMap((entry) => Object.values(entry.labels));
    for (const text of values) expect(text, "a label value from a request").not.toMatch(/probe-|unknown-tag|passwd|%|\/|post|put|delete/i);
  });
});
