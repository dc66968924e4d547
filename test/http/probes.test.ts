// /healthz and /readyz as the fast path answers them (http/probes.ts) and as the Express routes
// of http/app.ts answer them: the same status, header lines, body and request sample, before the
// first build and after it, for GET and HEAD. Requests the fast path leaves to Express (a
// trailing slash, validators) are answered by Express as before.
import { createServer as createHttpServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp } from "../../src/http/app.js";
import { createServer } from "../../src/http/server.js";
import { silentLogger } from "../../src/logger.js";
import type { RequestSample } from "../../src/ops/metrics.js";
import type { RequestObserver } from "../../src/ops/request-observer.js";
import { Publisher } from "../../src/publish/publisher.js";
import { closeServer, listenOnFreePort, rawRequest, type RawRequestOptions, type RawResponse } from "../helpers/http.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

const NOW = new Date("2025-06-01T00:00:00Z");

/** An observer that keeps every sample, by request path. */
function recordingObserver(): { observer: RequestObserver; samples: Map<string, RequestSample> } {
  const samples = new Map<string, RequestSample>();
  return { observer: { observe: (req, sample) => void samples.set(`${req.method} ${req.url}`, sample) }, samples };
}

/** Status, header lines (Date aside: it is the time of sending) and body. */
function answerOf(response: RawResponse): { status: number; headerLines: string[]; body: string } {
  const headerLines: string[] = [];
  for (let index = 0; index < response.rawHeaders.length; index += 2) {
    const name = response.rawHeaders[index] ?? "";
    if (name.toLowerCase() !== "date") headerLines.push(`${name}: ${response.rawHeaders[index + 1] ?? ""}`);
  }
  return { status: response.status, headerLines, body: response.text };
}

let folder: PostsFolder;
let publisher: Publisher;
let fastServer: Server;
let expressServer: Server;
let fastPort: number;
let expressPort: number;
const fast = recordingObserver();
const viaExpress = recordingObserver();

beforeAll(async () => {
  folder = makePostsFolder({
    "2025-01-01-alpha.md": post("title: Alpha\ntags: [one]"),
    "2025-01-02-broken.md": "---\ntitle: ok\nbad: \"a\" b\n---\nBody.\n",
  });
  publisher = new Publisher(testConfig({ postsDir: folder.dir }), silentLogger, () => NOW);
  fastServer = createServer(publisher, { observer: fast.observer });
  fastPort = await listenOnFreePort(fastServer);
  const app = createApp(publisher, undefined, { observer: viaExpress.observer });
  expressServer = createHttpServer((req, res) => void app(req, res));
  expressPort = await listenOnFreePort(expressServer);
});

afterAll(async () => {
  await closeServer(fastServer);
  await closeServer(expressServer);
  await publisher.stop();
  folder.remove();
});

const REQUESTS: ReadonlyArray<{ path: string; method: string }> = ["/healthz", "/readyz", "/healthz?verbose=1"].flatMap((path) => [
  { path, method: "GET" },
  { path, method: "HEAD" },
]);

async function expectSameAnswers(expectedStatus: number): Promise<void> {
  for (const { path, method } of REQUESTS) {
    const options: RawRequestOptions = { method };
    const fromFastPath = answerOf(await rawRequest(fastPort, path, options));
    const fromExpress = answerOf(await rawRequest(expressPort, path, options));
    expect(fromFastPath, `${method} ${path}`).toEqual(fromExpress);
    expect(fromFastPath.status, `${method} ${path}`).toBe(expectedStatus);
    expect(fast.samples.get(`${method} ${path}`), `${method} ${path}`).toEqual(viaExpress.samples.get(`${method} ${path}`));
  }
}

describe("the fast path answers the probes as Express does", () => {
  test("before the first build: 503", async () => {
    await expectSameAnswers(503);
    const body = "starting: the first build is not live (and compressed) yet\n";
    expect(fast.samples.get("GET /readyz")).toEqual({ route: "ready", format: "none", status: 503, bytes: body.length, encoding: "identity" });
  });

  test("once the first build is live and compressed: 200, the skipped post in /healthz", async () => {
    await publisher.scan();
    await publisher.settled();
    await expectSameAnswers(200);
    const health = JSON.parse((await rawRequest(fastPort, "/healthz")).text) as { status: string; skipped: unknown[] };
    expect(health.status).toBe("ok");
    expect(health.skipped).toHaveLength(1);
    expect(fast.samples.get("HEAD /readyz")).toEqual({ route: "ready", format: "none", status: 200, bytes: 0, encoding: "identity" });
  });

  test.each<{ path: string; headers: Record<string, string> }>([
    { path: "/healthz/", headers: {} },
    { path: "/readyz/", headers: {} },
    { path: "/readyz", headers: { "If-None-Match": "*" } },
    { path: "/healthz", headers: { "If-Modified-Since": "Sun, 01 Jun 2025 00:00:00 GMT" } },
  ])("$path with $headers is left to Express, which answers it as before", async ({ path, headers }) => {
    const fromFastPath = answerOf(await rawRequest(fastPort, path, { headers }));
    const fromExpress = answerOf(await rawRequest(expressPort, path, { headers }));
    expect(fromFastPath).toEqual(fromExpress);
  });
});
