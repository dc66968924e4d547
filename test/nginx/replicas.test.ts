// Two `feedwright serve` replicas over the same posts folder, and nginx in front of them as load
// balancer and cache with deploy/nginx-replicas.conf (filled in with nothing but the temp folder
// and the ports). Replicas must agree byte for byte and validator for validator, so that any of
// them can answer, and revalidate, what another one sent.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, type TestContext } from "vitest";
import { rawRequest, type RawResponse } from "../helpers/http.js";
import { PATHS, SAMPLE_DOCUMENTS, writeSite } from "./fixture.js";
import { fillIn, requireNginx, startNginx, type NginxServer } from "./nginx.js";
import { freePort, Processes, startFeedwright, type FeedwrightServer } from "./processes.js";

const processes = new Processes();
let work: string;
let replicaA: FeedwrightServer;
let replicaB: FeedwrightServer;
let nginx: NginxServer;

beforeAll(async () => {
  const install = requireNginx();
  work = mkdtempSync(path.join(tmpdir(), "feedwright-nginx-replicas-"));
  // nginx's workers may run as another user (nobody): they write the cache under this folder.
  chmodSync(work, 0o755);
  const site = writeSite(work);
  // Each replica in a folder of its own (its own disk cache), over the SAME posts folder.
  const [a, b] = ["replica-a", "replica-b"].map((name) => {
    const cwd = path.join(work, name);
    mkdirSync(cwd);
    return cwd;
  });
  [replicaA, replicaB] = await Promise.all([
    startFeedwright(processes, "replica-a", { cwd: a ?? work, ...site }),
    startFeedwright(processes, "replica-b", { cwd: b ?? work, ...site }),
  ]);
  const port = await freePort();
  const dir = path.join(work, "nginx");
  const config = fillIn("deploy/nginx-replicas.conf", [
    ["listen 80;", `listen 127.0.0.1:${port};`],
    ["    listen [::]:80;\n", ""],
    ["/var/cache/nginx/feedwright", path.join(dir, "cache")],
    ["/var/log/nginx/feedwright-access.log", path.join(dir, "access.log")],
    ["server 10.0.0.11:3000", `server 127.0.0.1:${replicaA.port}`],
    ["server 10.0.0.12:3000", `server 127.0.0.1:${replicaB.port}`],
  ]);
  nginx = await startNginx(processes, install, { dir, port, site: config, useBrotli: false, readyPath: "/feed.xml" });
});

afterAll(async () => {
  await processes.stopAll();
  if (work) rmSync(work, { recursive: true, force: true });
});

const CODINGS = ["identity", "gzip", "br"] as const;

describe("two replicas over the same posts", () => {
  test.each(CODINGS)("send every document byte-identical, with the same ETag and Last-Modified (%s)", async (coding) => {
    const headers = { "Accept-Encoding": coding };
    for (const urlPath of SAMPLE_DOCUMENTS) {
      const [a, b] = await Promise.all([rawRequest(replicaA.port, urlPath, { headers }), rawRequest(replicaB.port, urlPath, { headers })]);
      expect(a.status, urlPath).toBe(200);
      expect(b.status, urlPath).toBe(200);
      expect(a.body.equals(b.body), `${urlPath} ${coding}`).toBe(true);
      expect(a.headers.etag, `${urlPath} ${coding}`).toBe(b.headers.etag);
      expect(a.headers["last-modified"], `${urlPath} ${coding}`).toBe(b.headers["last-modified"]);
      expect(a.headers["content-encoding"], urlPath).toBe(b.headers["content-encoding"]);
      if (coding !== "identity") expect(a.headers["content-encoding"], urlPath).toBe(coding);
    }
  });

  test.each(CODINGS)("answer 304 to a revalidation with the other replica's ETag or Last-Modified (%s)", async (coding) => {
    const headers = { "Accept-Encoding": coding };
    for (const urlPath of SAMPLE_DOCUMENTS) {
      const fromA = await rawRequest(replicaA.port, urlPath, { headers });
      const byEtag = await rawRequest(replicaB.port, urlPath, { headers: { ...headers, "If-None-Match": String(fromA.headers.etag) } });
      expect(byEtag.status, urlPath).toBe(304);
      expect(byEtag.headers.etag, urlPath).toBe(fromA.headers.etag);
      const byDate = await rawRequest(replicaB.port, urlPath, { headers: { ...headers, "If-Modified-Since": String(fromA.headers["last-modified"]) } });
      expect(byDate.status, urlPath).toBe(304);
    }
  });
});

describe("nginx in front of them (deploy/nginx-replicas.conf)", () => {
  test("caches a feed: the second request is a HIT with the replicas' bytes and headers", async () => {
    const urlPath = `${PATHS.japaneseTag}/atom.xml`;
    const headers = { "Accept-Encoding": "br" };
    const first = await rawRequest(nginx.port, urlPath, { headers });
    const second = await rawRequest(nginx.port, urlPath, { headers });
    const direct = await rawRequest(replicaA.port, urlPath, { headers });
    expect(first.status).toBe(200);
    expect(first.headers["x-cache-status"]).toBe("MISS");
    expect(second.status).toBe(200);
    expect(second.headers["x-cache-status"]).toBe("HIT");
    for (const response of [first, second]) {
      expect(response.body.equals(direct.body)).toBe(true);
      for (const name of ["content-type", "content-encoding", "etag", "last-modified", "cache-control", "vary", "x-content-type-options", "access-control-allow-origin"]) {
        expect(response.headers[name], name).toBe(direct.headers[name]);
      }
    }
  });

  test("keeps the codings apart and ignores the query string", async () => {
    const urlPath = `${PATHS.japaneseCategory}/feed.json`;
    const gzip = await rawRequest(nginx.port, urlPath, { headers: { "Accept-Encoding": "gzip" } });
    const identity = await rawRequest(nginx.port, urlPath);
    const again = await rawRequest(nginx.port, `${urlPath}?nocache=${Date.now()}`, { headers: { "Accept-Encoding": "gzip" } });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(identity.headers["content-encoding"]).toBeUndefined();
    expect(again.headers["x-cache-status"]).toBe("HIT");
    expect(again.body.equals(gzip.body)).toBe(true);
  });

  test("fetches a fresh copy from a replica for a client sending Cache-Control: no-cache", async () => {
    const urlPath = `${PATHS.ciCd}/feed.xml`;
    const headers = { "Accept-Encoding": "gzip" };
    expect((await rawRequest(nginx.port, urlPath, { headers })).headers["x-cache-status"]).toBe("MISS");
    const fresh = await rawRequest(nginx.port, urlPath, { headers: { ...headers, "Cache-Control": "no-cache" } });
    expect(fresh.status).toBe(200);
    expect(fresh.headers["x-cache-status"]).toBe("BYPASS");
    expect(fresh.body.equals((await rawRequest(replicaA.port, urlPath, { headers })).body)).toBe(true);
    expect((await rawRequest(nginx.port, urlPath, { headers })).headers["x-cache-status"]).toBe("HIT");
  });

  test("answers a conditional request with 304 from its cache", async () => {
    const urlPath = "/archive/2/feed.xml";
    const headers = { "Accept-Encoding": "gzip" };
    const full = await rawRequest(nginx.port, urlPath, { headers });
    expect(full.status).toBe(200);
    const byEtag = await rawRequest(nginx.port, urlPath, { headers: { ...headers, "If-None-Match": String(full.headers.etag) } });
    expect(byEtag.status).toBe(304);
    expect(byEtag.headers["x-cache-status"]).toBe("HIT");
    expect(byEtag.body.length).toBe(0);
    expect(byEtag.headers.etag).toBe(full.headers.etag);
    const byDate = await rawRequest(nginx.port, urlPath, { headers: { ...headers, "If-Modified-Since": String(full.headers["last-modified"]) } });
    expect(byDate.status).toBe(304);
    // The ETag a replica gave directly is as good as nginx's copy of it.
    const fromB = await rawRequest(replicaB.port, urlPath, { headers });
    expect((await rawRequest(nginx.port, urlPath, { headers: { ...headers, "If-None-Match": String(fromB.headers.etag) } })).status).toBe(304);
  });

  test("requests that reach alternate replicas get identical bytes and validators", async (context) => {
    // Each Accept-Encoding spelling is a variant of its own (Vary), so each is a cache miss that
    // goes to the next replica (round robin); all of them select gzip.
    const urlPath = "/feed.xml";
    const spellings = ["gzip", "gzip, deflate", "deflate, gzip", "gzip;q=0.9", "x-compress, gzip", "gzip, compress"];
    const responses: RawResponse[] = [];
    for (const [index, spelling] of spellings.entries()) {
      responses.push(await rawRequest(nginx.port, `${urlPath}?alternate=${index}`, { headers: { "Accept-Encoding": spelling } }));
    }
    const upstreams = await upstreamsOf(context, spellings.length);
    expect(new Set(upstreams)).toEqual(new Set([`127.0.0.1:${replicaA.port}`, `127.0.0.1:${replicaB.port}`]));
    const [first, ...others] = responses;
    for (const response of others) {
      expect(response.status).toBe(200);
      expect(response.headers["x-cache-status"]).toBe("MISS");
      expect(response.headers["content-encoding"]).toBe("gzip");
      expect(response.body.equals(first?.body ?? Buffer.alloc(0))).toBe(true);
      expect(response.headers.etag).toBe(first?.headers.etag);
      expect(response.headers["last-modified"]).toBe(first?.headers["last-modified"]);
    }
  });

  test("keeps answering when one replica stops", async () => {
    await processes.stop(replicaB.started);
    // Uncached variants: each needs a replica, and B refuses connections now.
    for (const spelling of ["br", "br, gzip", "gzip, br", "br;q=0.9"]) {
      const response = await rawRequest(nginx.port, "/feeds.opml", { headers: { "Accept-Encoding": spelling } });
      expect(response.status, spelling).toBe(200);
      expect(response.headers["content-encoding"], spelling).toBe("br");
    }
  });
});

/**
 * The upstream of each of the last `count` requests in nginx's access log (format "feedwright").
 * nginx writes a request's line after it has sent the answer, so the last one may not be in the
 * file yet when the client has its response: read again for up to two seconds.
 */
async function upstreamsOf(context: TestContext, count: number): Promise<string[]> {
  let lines: string[] = [];
  for (let attempt = 0; attempt < 40; attempt++) {
    lines = readFileSync(nginx.accessLog, "utf8").trimEnd().split("\n").filter((line) => line.includes("?alternate="));
    if (lines.length >= count) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const upstreams = lines.slice(-count).map((line) => /upstream=(\S+)/.exec(line)?.[1] ?? "");
  console.log(`${context.task.name}: upstreams ${upstreams.join(", ")}`);
  expect(upstreams.length).toBe(count);
  return upstreams;
}
