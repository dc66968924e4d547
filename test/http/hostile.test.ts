// Hostile requests through the real server (the fast path of http/server.ts and the Express
// routes behind it): traversal in every spelling, broken encodings, oversized requests, odd
// methods and headers get a short 4xx without a stack trace in the answer or the log, and
// nothing on disk is touched for a request. Limits: slow clients are cut off, connections are
// capped, and the optional rate limit answers 429 with Retry-After. Security headers on every
// answer. No assertion here is about time.
import { createHook } from "node:async_hooks";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { connect, type Socket } from "node:net";
import type { Server } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import type { HttpLimits } from "../../src/config.js";
import { createServer } from "../../src/http/server.js";
import { silentLogger, type Logger } from "../../src/logger.js";
import { createRequestObserver } from "../../src/ops/request-observer.js";
import { Publisher } from "../../src/publish/publisher.js";
import { closeServer, listenOnFreePort, rawRequest, type RawResponse } from "../helpers/http.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

const LIMITS: HttpLimits = {
  maxConnections: 4096,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleConnectionTimeoutMs: 2_000,
  rateLimitPerMinute: 0,
  rateLimitBurst: 60,
  trustedProxyHops: 0,
};

let folder: PostsFolder;
let publisher: Publisher;
const servers: Server[] = [];

/** Every line the server logs, whatever its level (requests included). */
const logged: string[] = [];
const recordingLogger: Logger = {
  debug: (message, fields) => void logged.push(`${message} ${JSON.stringify(fields ?? {})}`),
  info: (message, fields) => void logged.push(`${message} ${JSON.stringify(fields ?? {})}`),
  warn: (message, fields) => void logged.push(`${message} ${JSON.stringify(fields ?? {})}`),
  error: (message, fields) => void logged.push(`${message} ${JSON.stringify(fields ?? {})}`),
  enabled: () => true,
  flush: () => undefined,
  infoJson: (message, jsonFields) => void logged.push(`${message} {${jsonFields}}`),
};

async function start(limits: HttpLimits): Promise<{ port: number; server: Server }> {
  const server = createServer(publisher, { limits, observer: createRequestObserver(recordingLogger, undefined, true) });
  servers.push(server);
  return { port: await listenOnFreePort(server), server };
}

/** Until the server has accepted `count` connections (not a fixed sleep: a busy machine takes longer). */
async function untilConnections(server: Server, count: number): Promise<void> {
  for (;;) {
    const accepted = await new Promise<number>((resolve, reject) => server.getConnections((error, connections) => (error ? reject(error) : resolve(connections))));
    if (accepted >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Every file-system operation the process starts while watching: asynchronous ones (callback
 * and promise APIs, whoever calls them, dependencies included) seen as the FSREQ* resources
 * libuv creates for them, and synchronous ones through the fs module's own functions, replaced
 * for the time being (syncBuiltinESMExports makes ESM imports of node:fs see the replacements).
 */
function watchFileSystem(): { stop(): string[] } {
  const seen: string[] = [];
  const hook = createHook({
    init(_id, type) {
      if (type.startsWith("FSREQ") || type === "FSEVENTWRAP" || type === "STATWATCHER") seen.push(type);
    },
  });
  const fs = createRequire(import.meta.url)("node:fs") as Record<string, unknown>;
  const originals = new Map<string, unknown>();
  for (const name of ["openSync", "readSync", "readFileSync", "statSync", "lstatSync", "fstatSync", "readdirSync", "existsSync", "accessSync", "realpathSync", "opendirSync", "readlinkSync"]) {
    const original = fs[name];
    if (typeof original !== "function") continue;
    originals.set(name, original);
    fs[name] = (...args: unknown[]): unknown => {
      seen.push(`${name}(${String(args[0])})`);
      return (original as (...rest: unknown[]) => unknown)(...args);
    };
  }
  syncBuiltinESMExports();
  hook.enable();
  return {
    stop() {
      hook.disable();
      for (const [name, original] of originals) fs[name] = original;
      syncBuiltinESMExports();
      return seen;
    },
  };
}

// A stack trace reaching the console (Express's default error handler prints one) fails the test it happens in.
const consoleErrors: string[] = [];
afterEach(() => {
  expect(consoleErrors.splice(0), "printed on the console").toEqual([]);
  for (const line of logged.splice(0)) expect(line, "a log line").not.toMatch(STACK_TRACE);
});
/** What a stack trace or an error dump looks like, in an answer or a log line. */
const STACK_TRACE = /\bat \S+ \(|\bat (?:file|node):|Error:|node_modules|root:x:0/;

beforeAll(async () => {
  const record = (...args: unknown[]): void => void consoleErrors.push(args.map(String).join(" "));
  vi.spyOn(console, "error").mockImplementation(record);
  vi.spyOn(console, "warn").mockImplementation(record);
  folder = makePostsFolder({ "2025-01-01-alpha.md": post("title: Alpha\ntags: [one]\ncategories: [Notes]") });
  publisher = new Publisher(testConfig({ postsDir: folder.dir }), silentLogger);
  await publisher.scan();
  await publisher.settled();
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
  expect(response.text, label).not.toMatch(STACK_TRACE);
  expect(response.text.length, label).toBeLessThan(200);
  expect(response.headers["x-powered-by"], label).toBeUndefined();
  expect(response.headers["x-content-type-options"], label).toBe("nosniff");
}

const HOSTILE_PATHS = [
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
    "/tags/%2e%2e%2f%2e%2e%2fetc%2fpasswd/feed.xml",
    "/categories/..%255c..%255cetc/atom.xml",
    "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/tags/%00/feed.xml",
    "/tags/one/page/%2e%2e/feed.xml",
    "/page/..%2f..%2f/feed.xml",
    "/%5c..%5c..%5cetc%5cpasswd",
    "/.%2e/.%2e/etc/passwd",
    "/healthz/../../etc/passwd",
    "/metrics%00",
];

describe("hostile paths", () => {
  test.each(HOSTILE_PATHS)("%s gets a clean 4xx, GET and HEAD", async (path) => {
    const { port } = await start(LIMITS);
    expectCleanRefusal(await rawRequest(port, path), path);
    const head = await rawRequest(port, path, { method: "HEAD" });
    expect(head.status, `HEAD ${path}`).toBeGreaterThanOrEqual(400);
    expect(head.status, `HEAD ${path}`).toBeLessThan(500);
    expect(head.body.length, `HEAD ${path}`).toBe(0);
  });

  test("both answering paths see them: the fast path answers those without %, Express the others", () => {
    // The fast path (http/server.ts) sends paths with "%" to Express, which decodes before matching.
    expect(HOSTILE_PATHS.filter((path) => path.includes("%")).length).toBeGreaterThan(10);
    expect(HOSTILE_PATHS.filter((path) => !path.includes("%")).length).toBeGreaterThan(3);
  });

  test("no request touches the file system, whatever it asks for", async () => {
    const { port } = await start(LIMITS);
    // The watch itself works: a read made while watching is seen.
    const control = watchFileSystem();
    await import("node:fs/promises").then((fs) => fs.readFile(new URL(import.meta.url)));
    expect(control.stop().length).toBeGreaterThan(0);

    const watch = watchFileSystem();
    try {
      for (const path of HOSTILE_PATHS) await rawRequest(port, path);
      for (const path of ["/feed.xml", "/tags/one/atom.xml", "/", "/feeds.opml", "/feed.xsl", "/healthz", "/readyz", "/nope.html"]) await rawRequest(port, path);
      for (const method of ["POST", "PUT", "DELETE", "OPTIONS"]) await rawRequest(port, "/../etc/passwd", { method });
      await rawExchange(port, "GET /../../etc/passwd\u0000 HTTP/1.1\r\nHost: x\r\n\r\n", 1000);
      await rawExchange(port, "GET http://evil.example/../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 1000);
    } finally {
      expect(watch.stop(), "file-system operations during the requests").toEqual([]);
    }
  });

  test("an overlong URL and an overlong header are refused (431) without reaching the application", async () => {
    const { port } = await start(LIMITS);
    const longUrl = await rawExchange(port, `GET /${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(longUrl.text).toMatch(/^HTTP\/1\.1 431 /);
    const longHeader = await rawExchange(port, `GET /feed.xml HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`);
    expect(longHeader.text).toMatch(/^HTTP\/1\.1 431 /);
    const manyHeaders = await rawExchange(port, `GET /feed.xml HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 2000 }, (_, index) => `X-H${index}: ${"v".repeat(10)}\r\n`).join("")}\r\n`);
    expect(manyHeaders.text).toMatch(/^HTTP\/1\.1 431 /);
    expect(logged.filter((line) => line.startsWith("request "))).toEqual([]);
  });

  test("raw requests the parser refuses: NUL, raw bytes, spaces and CR/LF tricks in the request line or a header, smuggling", async () => {
    const { port } = await start(LIMITS);
    const cases: Record<string, string | Buffer> = {
      "NUL in the path": "GET /feed.xml\u0000.html HTTP/1.1\r\nHost: x\r\n\r\n",
      "NUL after ..": "GET /../../etc/passwd\u0000 HTTP/1.1\r\nHost: x\r\n\r\n",
      "raw non-ASCII bytes": Buffer.from("GET /tags/\xff\xfe/feed.xml HTTP/1.1\r\nHost: x\r\n\r\n", "latin1"),
      "a space in the path": "GET /tags/a b/feed.xml HTTP/1.1\r\nHost: x\r\n\r\n",
      "a NUL in a header": "GET /feed.xml HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n",
      "a bare CR in a header": "GET /feed.xml HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n",
      "Content-Length with Transfer-Encoding": "GET /feed.xml HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "two Content-Lengths": "GET /feed.xml HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
      "no Host": "GET /feed.xml HTTP/1.1\r\n\r\n",
      "an unknown method": "FOO /feed.xml HTTP/1.1\r\nHost: x\r\n\r\n",
      "a header without a colon": "GET /feed.xml HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\n",
      "HTTP/9.9": "GET /feed.xml HTTP/9.9\r\nHost: x\r\n\r\n",
    };
    for (const [label, bytes] of Object.entries(cases)) {
      const answer = await rawExchange(port, bytes);
      expect(answer.text, label).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(answer.text, label).not.toMatch(STACK_TRACE);
      expect(answer.closed, `${label}: the connection is closed`).toBe(true);
    }
  });

  test("raw requests that parse but ask for nothing served: absolute-form traversal, *, malformed percent-encoding, CONNECT", async () => {
    const { port } = await start(LIMITS);
    const refused = {
      "absolute-form with ..": "GET http://evil.example/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "the asterisk form": "GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "OPTIONS *": "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "a lone %": "GET /tags/%/feed.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "a truncated escape": "GET /tags/%E3%81/feed.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "an escape of a non-hex": "GET /tags/%G0/atom.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "an overlong UTF-8 dot": "GET /tags/%C0%AE%C0%AE/feed.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "%00 in a segment": "GET /categories/notes%00/feed.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    };
    for (const [label, bytes] of Object.entries(refused)) {
      const answer = await rawExchange(port, bytes);
      expect(answer.text, label).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(answer.text, label).not.toMatch(STACK_TRACE);
      expect(answer.text, label).toMatch(/\r\nX-Content-Type-Options: nosniff\r\n/i);
      expect(answer.text.length, label).toBeLessThan(600);
    }
    // CONNECT is not for this server: Node closes the connection without an answer.
    const tunnel = await rawExchange(port, "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(tunnel).toEqual({ text: "", closed: true });
  });

  test("methods: unknown ones are refused by the parser, known but unsupported ones get 405", async () => {
    const { port } = await start(LIMITS);
    expect((await rawExchange(port, "FOO /feed.xml HTTP/1.1\r\nHost: x\r\n\r\n")).text).toMatch(/^HTTP\/1\.1 400 /);
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "TRACE"]) {
      const response = await rawRequest(port, "/feed.xml", { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.allow, method).toBe("GET, HEAD");
    }
  });

  test("Range is answered with the whole document; odd Accept-Encoding values are survived", async () => {
    const { port } = await start(LIMITS);
    const whole = await rawRequest(port, "/feed.xml");
    for (const range of ["bytes=0-10", "bytes=-5", "bytes=999999-", "bytes=a-b", "lines=1-2", "bytes=0-1,2-3,4-5"]) {
      const response = await rawRequest(port, "/feed.xml", { headers: { Range: range } });
      expect(response.status, range).toBe(200);
      expect(response.headers["accept-ranges"]).toBe("none");
      expect(response.body.equals(whole.body), range).toBe(true);
    }
    for (const encoding of ["gzip;q=nope", ";;;,,,", "*;q=", "br;q=0.5;q=1", `${"x".repeat(4000)}`, "identity;q=0, *;q=0", "gzip;q=1e999", "br;q=-1", "GZIP", " , br , "]) {
      for (const path of ["/feed.xml", "/tags/%6Fne/feed.xml"]) {
        const response = await rawRequest(port, path, { headers: { "Accept-Encoding": encoding } });
        const label = `${path} Accept-Encoding: ${encoding}`;
        expect([200, 301, 406], label).toContain(response.status);
        expect(response.text, label).not.toMatch(STACK_TRACE);
        // Whatever was sent, it is a coding that was offered, or none.
        expect([undefined, "gzip", "br"], label).toContain(response.headers["content-encoding"]);
      }
    }
    // identity refused and nothing else offered: 406, with the codings there are.
    const refused = await rawRequest(port, "/feed.xml", { headers: { "Accept-Encoding": "identity;q=0, *;q=0" } });
    expect(refused.status).toBe(406);
  });

  test("every answer carries nosniff and no X-Powered-By; the HTML page a strict Content-Security-Policy", async () => {
    const { port } = await start(LIMITS);
    const etag = String((await rawRequest(port, "/feed.xml")).headers.etag);
    const answers: [string, RawResponse][] = [];
    for (const path of ["/", "/feed.xml", "/atom.xml", "/feed.json", "/feeds.opml", "/feed.xsl", "/healthz", "/readyz", "/nope", "/tags/NOPE/feed.xml", "/tags/%zz/feed.xml", "/page/1/feed.xml", "/page/9/feed.xml"]) {
      answers.push([path, await rawRequest(port, path)]);
      answers.push([`HEAD ${path}`, await rawRequest(port, path, { method: "HEAD" })]);
    }
    answers.push(["304", await rawRequest(port, "/feed.xml", { headers: { "If-None-Match": etag } })]);
    answers.push(["406", await rawRequest(port, "/feed.xml", { headers: { "Accept-Encoding": "identity;q=0" } })]);
    answers.push(["405", await rawRequest(port, "/feed.xml", { method: "DELETE" })]);
    answers.push(["browser", await rawRequest(port, "/feed.xml", { headers: { Accept: "text/html" } })]);
    const statuses = new Set(answers.map(([, response]) => response.status));
    for (const status of [200, 301, 304, 400, 404, 405, 406]) expect(statuses, `a ${status} was checked`).toContain(status);
    for (const [label, response] of answers) {
      expect(response.headers["x-content-type-options"], label).toBe("nosniff");
      expect(response.headers["x-powered-by"], label).toBeUndefined();
    }
    const page = await rawRequest(port, "/");
    expect(page.headers["content-security-policy"]).toBe("default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  });
});

describe("limits", () => {
  test("a client that does not finish its headers in time is cut off with 408 by the server", async () => {
    // Far below the request timeout, so it is the headers timeout that acts.
    const { port } = await start({ ...LIMITS, headersTimeoutMs: 300, requestTimeoutMs: 60_000 });
    // The client would wait 20 s; `closed` is true only when the server closed the connection
    // (the client's own give-up resolves with closed: false). No clock is read here.
    const slow = await rawExchange(port, "GET /feed.xml HTTP/1.1\r\nHost: x\r\n", 20_000);
    expect(slow.closed).toBe(true);
    expect(slow.text).toMatch(/^HTTP\/1\.1 408 /);
  });

  test("connections that send nothing are closed long before the headers timeout, and free their slots", async () => {
    // The headers timeout is far away: only the idle-connection timeout can close these.
    const { port } = await start({ ...LIMITS, maxConnections: 20, headersTimeoutMs: 600_000, requestTimeoutMs: 600_000, idleConnectionTimeoutMs: 200 });
    const idle = Array.from({ length: 20 }, () => {
      const socket = connect(port, "127.0.0.1");
      socket.on("error", () => undefined);
      return new Promise<boolean>((resolve) => socket.on("close", () => resolve(true)));
    });
    // Every one is closed by the server (the test's own timeout is the only other way out).
    expect(await Promise.all(idle)).toEqual(Array.from({ length: 20 }, () => true));
    // The slots are free again, and a client that sends its request is answered.
    const answered = await rawExchange(port, "GET /feed.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 20_000);
    expect(answered.text).toMatch(/^HTTP\/1\.1 200 /u);
  });

  test("a client that has started its request is left to the headers timeout, not the idle one", async () => {
    const { port, server } = await start({ ...LIMITS, headersTimeoutMs: 600_000, requestTimeoutMs: 600_000, idleConnectionTimeoutMs: 200 });
    const socket = connect(port, "127.0.0.1");
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    socket.write("GET /feed.xml HTTP/1.1\r\nHost: x\r\n");
    // Past its idle timeout: a connection accepted after it and sending nothing has been closed
    // by its own idle timer, and timers of one duration fire in the order they were set.
    await untilConnections(server, 1);
    const silent = connect(port, "127.0.0.1");
    silent.on("error", () => undefined);
    await new Promise<void>((resolve) => silent.on("close", () => resolve()));
    expect(socket.destroyed).toBe(false);
    socket.end("Connection: close\r\n\r\n");
    await closed;
    expect(text).toMatch(/^HTTP\/1\.1 200 /u);
  });

  test("connections beyond max_connections are refused", async () => {
    // Held idle for longer than the test takes.
    const { port, server } = await start({ ...LIMITS, maxConnections: 2, idleConnectionTimeoutMs: 600_000 });
    const held = [connect(port, "127.0.0.1"), connect(port, "127.0.0.1")];
    try {
      await untilConnections(server, 2);
      const third = await rawExchange(port, "GET /feed.xml HTTP/1.1\r\nHost: x\r\n\r\n", 20_000);
      expect(third).toEqual({ text: "", closed: true });
    } finally {
      for (const socket of held) socket.destroy();
    }
  });

  test("the optional rate limit answers 429 with Retry-After, and never limits the probes", async () => {
    // One token a minute: no request of this test comes late enough to find a new one.
    const { port } = await start({ ...LIMITS, rateLimitPerMinute: 1, rateLimitBurst: 3 });
    const statuses: number[] = [];
    for (let index = 0; index < 5; index++) statuses.push((await rawRequest(port, "/feed.xml")).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await rawRequest(port, "/atom.xml");
    expect(limited.status).toBe(429);
    expect(limited.headers["x-content-type-options"]).toBe("nosniff");
    // The next token is up to a minute away.
    expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(60);
    for (let index = 0; index < 5; index++) expect((await rawRequest(port, "/healthz")).status).toBe(200);
    expect((await rawRequest(port, "/readyz")).status).toBe(200);
  });

  test("behind a trusted proxy, a client cannot escape the limit by writing its own X-Forwarded-For", async () => {
    // As nginx's $proxy_add_x_forwarded_for sends it: what the client wrote, then its address.
    const { port } = await start({ ...LIMITS, rateLimitPerMinute: 1, rateLimitBurst: 2, trustedProxyHops: 1 });
    const statuses: number[] = [];
    for (let index = 0; index < 4; index++) {
      statuses.push((await rawRequest(port, "/feed.xml", { headers: { "X-Forwarded-For": `10.9.${index}.1, 198.51.100.7` } })).status);
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    // Another client, as the proxy saw it, has its own bucket.
    expect((await rawRequest(port, "/feed.xml", { headers: { "X-Forwarded-For": "198.51.100.8" } })).status).toBe(200);
  });

  test("off by default: hundreds of requests from one address are all answered", async () => {
    const { port } = await start(LIMITS);
    for (let index = 0; index < 300; index++) expect((await rawRequest(port, "/feed.xml", { method: "HEAD" })).status).toBe(200);
  });
});
