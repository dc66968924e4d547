// Hostile requests: traversal in every spelling, broken encodings, oversized requests, odd
// methods and headers get a short 4xx without a stack trace, and nothing on disk is ever read
// for a request. Limits: slow clients are cut off, connections are capped, and the optional rate
// limit answers 429 with Retry-After. Security headers on every answer.
import { connect, type Socket } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { HttpLimits } from "../../src/config.js";
import { createServer } from "../../src/http/server.js";
import { silentLogger } from "../../src/logger.js";
import { Publisher } from "../../src/publish/publisher.js";
import { closeServer, listenOnFreePort, rawRequest, type RawResponse } from "../helpers/http.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

const LIMITS: HttpLimits = {
  maxConnections: 4096,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  rateLimitPerMinute: 0,
  rateLimitBurst: 60,
  trustProxy: false,
};

let folder: PostsFolder;
let publisher: Publisher;
const servers: Server[] = [];

async function start(limits: HttpLimits): Promise<number> {
  const server = createServer(publisher, { limits });
  servers.push(server);
  return listenOnFreePort(server);
}

beforeAll(async () => {
  folder = makePostsFolder({ "2025-01-01-alpha.md": post("title: Alpha\ntags: [one]\ncategories: [Notes]") });
  publisher = new Publisher(testConfig({ postsDir: folder.dir }), silentLogger);
  await publisher.scan();
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await closeServer(server);
  }
  await publisher.stop();
  folder.remove();
});

/** Sends raw bytes and collects whatever comes back until the server closes or `waitMs` passes. */
function rawExchange(port: number, bytes: string | Buffer, waitMs = 2000): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, "127.0.0.1");
    let text = "";
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed });
    }, waitMs);
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
    socket.on("close", () => {
      closed = true;
      clearTimeout(timer);
      resolve({ text, closed });
    });
    socket.on("error", () => undefined);
    socket.write(bytes);
  });
}

function expectCleanRefusal(response: RawResponse, label: string): void {
  expect(response.status, label).toBeGreaterThanOrEqual(400);
  expect(response.status, label).toBeLessThan(500);
  expect(response.text, label).not.toMatch(/\bat \S+ \(|Error:|node_modules|root:x:0/);
  expect(response.text.length, label).toBeLessThan(200);
  expect(response.headers["x-powered-by"], label).toBeUndefined();
}

describe("hostile paths", () => {
  test.each([
    "/../etc/passwd",
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/tags/..%2F..%2F..%2Fetc%2Fpasswd/feed.xml",
    "/tags/%2e%2e/feed.xml",
    "/tags/..%5C..%5Cwindows%5Cwin.ini/feed.xml",
    "/%252e%252e/%252e%252e/etc/passwd",
    "/tags/%252e%252e%252f/feed.xml",
    "/feed.xml%00.html",
    "/tags/one%00/feed.xml",
    "/categories/notes/../../../etc/passwd",
    "/tags/%E0%A4%A/feed.xml",
    "/tags/%zz/feed.xml",
    "/%",
    "/tags/%C0%AE%C0%AE/feed.xml",
    "//etc/passwd",
    "/feed.xml/../../etc/passwd",
  ])("%s gets a clean 4xx", async (path) => {
    const port = await start(LIMITS);
    expectCleanRefusal(await rawRequest(port, path), path);
  });

  test("an overlong URL and an overlong header are refused (431) without reaching the application", async () => {
    const port = await start(LIMITS);
    const longUrl = await rawExchange(port, `GET /${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(longUrl.text).toMatch(/^HTTP\/1\.1 431 /);
    const longHeader = await rawExchange(port, `GET /feed.xml HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`);
    expect(longHeader.text).toMatch(/^HTTP\/1\.1 431 /);
  });

  test("methods: unknown ones are refused by the parser, known but unsupported ones get 405", async () => {
    const port = await start(LIMITS);
    expect((await rawExchange(port, "FOO /feed.xml HTTP/1.1\r\nHost: x\r\n\r\n")).text).toMatch(/^HTTP\/1\.1 400 /);
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "TRACE"]) {
      const response = await rawRequest(port, "/feed.xml", { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.allow, method).toBe("GET, HEAD");
    }
  });

  test("Range is answered with the whole document; odd Accept-Encoding values are survived", async () => {
    const port = await start(LIMITS);
    const whole = await rawRequest(port, "/feed.xml");
    for (const range of ["bytes=0-10", "bytes=-5", "bytes=999999-", "bytes=a-b", "lines=1-2", "bytes=0-1,2-3,4-5"]) {
      const response = await rawRequest(port, "/feed.xml", { headers: { Range: range } });
      expect(response.status, range).toBe(200);
      expect(response.headers["accept-ranges"]).toBe("none");
      expect(response.body.equals(whole.body), range).toBe(true);
    }
    for (const encoding of ["gzip;q=nope", ";;;,,,", "*;q=", "br;q=0.5;q=1", `${"x".repeat(4000)}`, "identity;q=0, *;q=0"]) {
      const response = await rawRequest(port, "/feed.xml", { headers: { "Accept-Encoding": encoding } });
      expect([200, 406], encoding).toContain(response.status);
    }
  });

  test("every answer carries nosniff and no X-Powered-By; the HTML page a strict Content-Security-Policy", async () => {
    const port = await start(LIMITS);
    for (const path of ["/", "/feed.xml", "/healthz", "/nope", "/tags/NOPE/feed.xml", "/tags/%zz/feed.xml"]) {
      const response = await rawRequest(port, path);
      expect(response.headers["x-content-type-options"], path).toBe("nosniff");
      expect(response.headers["x-powered-by"], path).toBeUndefined();
    }
    const page = await rawRequest(port, "/");
    expect(page.headers["content-security-policy"]).toBe("default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  });
});

describe("limits", () => {
  test("a client that does not finish its headers in time is cut off", async () => {
    const port = await start({ ...LIMITS, headersTimeoutMs: 300, requestTimeoutMs: 300 });
    const started = Date.now();
    const slow = await rawExchange(port, "GET /feed.xml HTTP/1.1\r\nHost: x\r\n", 5000);
    expect(slow.closed).toBe(true);
    expect(slow.text).toMatch(/^HTTP\/1\.1 408 |^$/);
    // Cut off by the configured timeout, not by the 5 s the test is willing to wait.
    expect(Date.now() - started).toBeLessThan(4000);
  });

  test("connections beyond max_connections are refused", async () => {
    const port = await start({ ...LIMITS, maxConnections: 2 });
    const held = [connect(port, "127.0.0.1"), connect(port, "127.0.0.1")];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const third = await rawExchange(port, "GET /feed.xml HTTP/1.1\r\nHost: x\r\n\r\n", 2000);
    expect(third.closed).toBe(true);
    expect(third.text).toBe("");
    for (const socket of held) socket.destroy();
  });

  test("the optional rate limit answers 429 with Retry-After, and never limits the probes", async () => {
    const port = await start({ ...LIMITS, rateLimitPerMinute: 60, rateLimitBurst: 3 });
    const statuses: number[] = [];
    for (let index = 0; index < 5; index++) statuses.push((await rawRequest(port, "/feed.xml")).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await rawRequest(port, "/atom.xml");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    for (let index = 0; index < 5; index++) expect((await rawRequest(port, "/healthz")).status).toBe(200);
  });
});
