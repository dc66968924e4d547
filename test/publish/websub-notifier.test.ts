// The WebSub publish pings against real stand-in hubs on 127.0.0.1: what each hub receives, how
// many requests are open at once, which answers are retried, and that the caller never waits.
import { execFile } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, test, vi } from "vitest";
import { silentLogger, type Logger } from "../../src/logger.js";
import { WebSubNotifier, type NotifierTimers, type WebSubNotifierOptions, type WebSubResult } from "../../src/publish/websub-notifier.js";

interface HubRequest {
  readonly method: string;
  readonly contentType: string | undefined;
  readonly userAgent: string | undefined;
  readonly form: URLSearchParams;
}

/** What the stand-in hub does with one request: answer (after an optional delay) or never answer. */
type HubAnswer = { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string; readonly delayMs?: number } | "never";

interface StandInHub {
  readonly url: string;
  readonly requests: HubRequest[];
  /** The most requests the hub was handling at the same moment. */
  readonly maxInFlight: () => number;
}

const execFileAsync = promisify(execFile);
const servers: Server[] = [];
const notifiers: WebSubNotifier[] = [];

afterEach(async () => {
  await Promise.all(notifiers.splice(0).map((notifier) => notifier.close()));
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  );
});

/** A hub on a free port; `answer` gets each request and its 0-based arrival index. */
async function startHub(answer: (request: HubRequest, index: number) => HubAnswer = () => ({ status: 204 })): Promise<StandInHub> {
  const requests: HubRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: HubRequest = {
        method: req.method ?? "",
        contentType: req.headers["content-type"],
        userAgent: req.headers["user-agent"],
        form: new URLSearchParams(Buffer.concat(chunks).toString("utf8")),
      };
      const reply = answer(request, requests.length);
      requests.push(request);
      if (reply === "never") return;
      const send = (): void => {
        inFlight -= 1;
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body ?? "");
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  servers.push(server);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/hub`, requests, maxInFlight: () => maxInFlight };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

/** A port nothing listens on: bound once by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Harness {
  readonly notifier: WebSubNotifier;
  readonly lines: Array<{ level: keyof Logger; message: string }>;
  readonly results: WebSubResult[];
}

function makeNotifier(options: Omit<WebSubNotifierOptions, "logger" | "onResult">): Harness {
  const lines: Harness["lines"] = [];
  const results: WebSubResult[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: (message) => lines.push({ level: "info", message }),
    warn: (message) => lines.push({ level: "warn", message }),
    error: (message) => lines.push({ level: "error", message }),
    enabled: () => true,
    flush: () => undefined,
    infoJson: () => undefined,
  };
  const notifier = new WebSubNotifier({ baseDelayMs: 10, maxDelayMs: 100, timeoutMs: 2000, ...options, logger, onResult: (result) => results.push(result) });
  notifiers.push(notifier);
  return { notifier, lines, results };
}

const feed = (name: string): string => `https://blog.example/${name}/feed.xml`;

/**
 * notify() only queues: it returns nothing to wait on, and nothing has been reported by the time
 * it returns, so the caller never waits for a hub.
 */
function expectNotifyReturnsAtOnce({ notifier, lines, results }: Harness, urls: readonly string[]): void {
  const returned: unknown = notifier.notify(urls);
  expect(returned).toBeUndefined();
  expect(results).toEqual([]);
  expect(lines).toEqual([]);
}

/** Real timers; `scheduled` resolves with the first delay `watched` picks out. */
function watchedTimers(watched: (ms: number) => boolean): { timers: NotifierTimers; scheduled: Promise<number> } {
  let report: (ms: number) => void = () => undefined;
  const scheduled = new Promise<number>((resolve) => (report = resolve));
  const timers: NotifierTimers = {
    setTimeout: (callback, ms) => {
      const timer = setTimeout(callback, ms);
      if (watched(ms)) report(ms);
      return timer;
    },
    clearTimeout: (timer) => clearTimeout(timer),
  };
  return { timers, scheduled };
}

/**
 * Real timers, except that the n-th request timeout (a wait of `timeoutMs`) fires only once the
 * hub has received n requests: on a busy machine a short timeout could otherwise end a request
 * before it was even sent.
 */
function timeoutsAfterArrival(hub: StandInHub, timeoutMs: number): NotifierTimers {
  let started = 0;
  return {
    setTimeout: (callback, ms) => {
      if (ms !== timeoutMs) return setTimeout(callback, ms);
      const attempt = ++started;
      return setTimeout(() => {
        void vi.waitFor(() => expect(hub.requests.length).toBeGreaterThanOrEqual(attempt), { timeout: 30_000, interval: 5 }).then(callback);
      }, ms);
    },
    clearTimeout: (timer) => clearTimeout(timer),
  };
}

describe("WebSubNotifier", () => {
  test("sends each notified URL once to each hub as a hub.mode=publish form", async () => {
    const [first, second] = await Promise.all([startHub(), startHub()]);
    const urls = [feed("a"), feed("b"), feed("c")];
    const { notifier, lines, results } = makeNotifier({ hubs: [first.url, second.url] });

    notifier.notify(urls);
    await notifier.idle();

    for (const hub of [first, second]) {
      expect(hub.requests.map((request) => request.form.get("hub.url")).sort()).toEqual(urls);
      for (const request of hub.requests) {
        expect(request.method).toBe("POST");
        expect(request.contentType).toBe("application/x-www-form-urlencoded");
        expect(request.userAgent).toBe("Feedwright (+WebSub publisher)");
        expect([...request.form.keys()]).toEqual(["hub.mode", "hub.url"]);
        expect(request.form.get("hub.mode")).toBe("publish");
      }
    }
    expect(results).toHaveLength(6);
    expect(results.every((result) => result.ok && result.attempts === 1 && result.status === 204)).toBe(true);
    expect(lines).toEqual([{ level: "info", message: "websub: notified 3 feed URLs to 2 hubs (6 ok, 0 failed)" }]);
  });

  test("a URL notified again while still queued is sent once; each notify gets its summary", async () => {
    const hub = await startHub(() => ({ status: 202, delayMs: 20 }));
    const { notifier, lines } = makeNotifier({ hubs: [hub.url], concurrency: 1, userAgent: "test-agent/1" });

    // Concurrency 1: a is sent at once, b waits in the queue when the second call names it again.
    notifier.notify([feed("a"), feed("b"), feed("b")]);
    notifier.notify([feed("b"), feed("c")]);
    await notifier.idle();

    expect(hub.requests.map((request) => request.form.get("hub.url"))).toEqual([feed("a"), feed("b"), feed("c")]);
    expect(hub.requests[0]?.userAgent).toBe("test-agent/1");
    expect(lines.map((line) => line.message)).toEqual([
      "websub: notified 2 feed URLs to 1 hub (2 ok, 0 failed)",
      "websub: notified 2 feed URLs to 1 hub (2 ok, 0 failed)",
    ]);
  });

  test("600 URLs reach the hub with at most `concurrency` requests open at once", async () => {
    const hub = await startHub(() => ({ status: 204, delayMs: 5 }));
    const urls = Array.from({ length: 600 }, (_, index) => feed(`tag-${index}`));
    const harness = makeNotifier({ hubs: [hub.url], concurrency: 4 });
    const { notifier, lines } = harness;

    expectNotifyReturnsAtOnce(harness, urls);
    await notifier.idle();

    const sent = hub.requests.map((request) => request.form.get("hub.url"));
    expect(sent).toHaveLength(600);
    expect(new Set(sent)).toEqual(new Set(urls));
    expect(hub.maxInFlight()).toBeLessThanOrEqual(4);
    expect(hub.maxInFlight()).toBeGreaterThan(1);
    expect(lines.at(-1)?.message).toBe("websub: notified 600 feed URLs to 1 hub (600 ok, 0 failed)");
  }, 20_000);

  test("503 is retried, and Retry-After: 0 replaces the back-off", async () => {
    const hub = await startHub((_, index) => (index < 2 ? { status: 503, headers: { "Retry-After": "0" } } : { status: 204 }));
    // A back-off of a minute: the test only finishes in time if Retry-After is honoured.
    const { notifier, results } = makeNotifier({ hubs: [hub.url], baseDelayMs: 60_000, maxDelayMs: 60_000 });

    notifier.notify([feed("a")]);
    await notifier.idle();

    expect(hub.requests).toHaveLength(3);
    expect(results).toEqual([{ hub: hub.url, url: feed("a"), ok: true, attempts: 3, status: 204 }]);
  });

  test("a long Retry-After on 429 is capped by maxDelayMs", async () => {
    const hub = await startHub((_, index) => (index === 0 ? { status: 429, headers: { "Retry-After": "3600" } } : { status: 204 }));
    const { notifier, results } = makeNotifier({ hubs: [hub.url], maxDelayMs: 20 });

    notifier.notify([feed("a")]);
    await notifier.idle();

    expect(results).toEqual([{ hub: hub.url, url: feed("a"), ok: true, attempts: 2, status: 204 }]);
  });

  test("400 is a permanent failure: not retried, reported with the status, hub and URL", async () => {
    const hub = await startHub(() => ({ status: 400, body: "Invalid hub.url" }));
    const { notifier, lines, results } = makeNotifier({ hubs: [hub.url] });

    notifier.notify([feed("a")]);
    await notifier.idle();

    expect(hub.requests).toHaveLength(1);
    expect(results).toEqual([{ hub: hub.url, url: feed("a"), ok: false, attempts: 1, status: 400, error: "Invalid hub.url" }]);
    expect(lines).toEqual([
      { level: "warn", message: `websub: hub ${hub.url} was not notified of ${feed("a")} after 1 attempt: HTTP 400: Invalid hub.url` },
      { level: "warn", message: "websub: notified 1 feed URL to 1 hub (0 ok, 1 failed)" },
    ]);
  });

  test("a redirect is reported, not followed (a followed 301 would turn the POST into a GET)", async () => {
    const hub = await startHub(() => ({ status: 301, headers: { Location: "https://hub.example/" } }));
    const { notifier, results } = makeNotifier({ hubs: [hub.url] });

    notifier.notify([feed("a")]);
    await notifier.idle();

    expect(hub.requests).toHaveLength(1);
    expect(results[0]).toMatchObject({ ok: false, attempts: 1, status: 301 });
    expect(results[0]?.error).toContain("https://hub.example/");
  });

  test("a hub that is down: notify() returns at once, failure reported after maxAttempts", async () => {
    const hubUrl = `http://127.0.0.1:${await closedPort()}/hub`;
    const harness = makeNotifier({ hubs: [hubUrl], maxAttempts: 3 });
    const { notifier, lines, results } = harness;

    expectNotifyReturnsAtOnce(harness, [feed("a")]);
    await notifier.idle();

    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ hub: hubUrl, url: feed("a"), ok: false, attempts: 3 });
    expect(results[0]?.status).toBeUndefined();
    expect(results[0]?.error).toMatch(/ECONNREFUSED/);
    expect(lines[0]?.message).toContain(`websub: hub ${hubUrl} was not notified of ${feed("a")} after 3 attempts:`);
  });

  test("a hub that never answers times out on each attempt, then idle() resolves", async () => {
    const hub = await startHub(() => "never");
    const harness = makeNotifier({ hubs: [hub.url], maxAttempts: 2, timeoutMs: 50, timers: timeoutsAfterArrival(hub, 50) });
    const { notifier, results } = harness;

    expectNotifyReturnsAtOnce(harness, [feed("a")]);
    await notifier.idle();

    expect(hub.requests).toHaveLength(2);
    expect(results).toEqual([{ hub: hub.url, url: feed("a"), ok: false, attempts: 2, error: "no answer within 50 ms" }]);
    expect(results[0]).not.toHaveProperty("status");
  });

  test("close() aborts a request in flight and drops the queue", async () => {
    // The first request is never answered; later ones (the probe's) are.
    const hub = await startHub((_, index) => (index === 0 ? "never" : { status: 204 }));
    // A request timeout far beyond the test's own (60 s): close() that waited for it would fail
    // the test by its timeout; no clock is read.
    const { notifier, lines, results } = makeNotifier({ hubs: [hub.url], concurrency: 1, timeoutMs: 600_000 });

    notifier.notify([feed("a"), feed("b")]);
    await vi.waitFor(() => expect(hub.requests).toHaveLength(1));
    await notifier.close();

    notifier.notify([feed("c")]);
    await notifier.idle();
    // Had c been sent, its request would have reached the hub before the probe's, which has been
    // answered since.
    const probe = makeNotifier({ hubs: [hub.url] });
    probe.notifier.notify([feed("probe")]);
    await probe.notifier.idle();
    expect(probe.results).toMatchObject([{ url: feed("probe"), ok: true }]);
    expect(hub.requests.map((request) => request.form.get("hub.url"))).toEqual([feed("a"), feed("probe")]);
    expect(results).toEqual([]);
    expect(lines.map((line) => line.message)).toEqual([
      "websub: closed with 2 hub notifications not sent",
      "websub: notify() after close(): 1 feed URL not sent",
    ]);
  });

  test("close() cancels a pending retry", async () => {
    const hub = await startHub(() => ({ status: 503 }));
    // Every wait but the request's own timeout is the retry's.
    const { timers, scheduled } = watchedTimers((ms) => ms !== 2000);
    // A 10-minute retry: close() that waited for it would fail the test by its timeout.
    const { notifier, results } = makeNotifier({ hubs: [hub.url], baseDelayMs: 600_000, maxDelayMs: 600_000, timeoutMs: 2000, timers });

    notifier.notify([feed("a")]);
    // The 503 has been read and the retry is sleeping (the back-off takes up to 20% off).
    const retryMs = await scheduled;
    expect(retryMs).toBeGreaterThanOrEqual(480_000);
    expect(retryMs).toBeLessThanOrEqual(600_000);
    await notifier.close();

    expect(hub.requests).toHaveLength(1);
    expect(results).toEqual([]);
  });

  test("with no hubs, notify() does nothing", async () => {
    const { notifier, lines } = makeNotifier({ hubs: [] });
    notifier.notify([feed("a")]);
    await notifier.idle();
    expect(lines).toEqual([]);
  });

  test("bad options are refused at construction, naming the option", () => {
    const logger: Logger = silentLogger;
    expect(() => new WebSubNotifier({ hubs: ["hub.example"], logger })).toThrow(/^websub: hubs\[0\] "hub.example" is not an absolute URL/);
    expect(() => new WebSubNotifier({ hubs: ["ftp://hub.example/"], logger })).toThrow(/^websub: hubs\[0\].*http: or https:/);
    expect(() => new WebSubNotifier({ hubs: [], logger, concurrency: 0 })).toThrow(/^websub: concurrency must be a whole number/);
    expect(() => new WebSubNotifier({ hubs: [], logger, timeoutMs: Number.NaN })).toThrow(/^websub: timeoutMs must be/);
  });

  // A process that only has a sleeping retry left must be free to exit; one waiting on idle() must
  // not, whether the retry was scheduled before or after idle() was called. The child runs the
  // module through tsx and never uses top-level await for idle(): a pending top-level await keeps
  // a tsx process alive on its own, which would hide the bug this test is for. Its timers are
  // the real ones, watched: `onRetrySleeping` runs once a retry has begun to sleep.
  test("retry timers do not keep the process alive unless idle() is awaited", async () => {
    const answer = (_: HubRequest, index: number): HubAnswer => (index === 0 ? { status: 503 } : { status: 204 });
    const [leftAlone, idleFirst, idleLater] = await Promise.all([startHub(answer), startHub(answer), startHub(answer)]);
    const moduleUrl = new URL("../../src/publish/websub-notifier.ts", import.meta.url).href;
    const script = (hubUrl: string, retryMs: number, then: string): string => `
      const { WebSubNotifier } = await import(${JSON.stringify(moduleUrl)});
      const quiet = { info() {}, warn() {}, error() {} };
      const requestTimeoutMs = 10000;
      let onRetrySleeping = () => {};
      const timers = {
        setTimeout: (callback, ms) => {
          const timer = setTimeout(callback, ms);
          if (ms !== requestTimeoutMs) queueMicrotask(() => onRetrySleeping());
          return timer;
        },
        clearTimeout: (timer) => clearTimeout(timer),
      };
      const notifier = new WebSubNotifier({ hubs: [${JSON.stringify(hubUrl)}], logger: quiet, baseDelayMs: ${retryMs}, maxDelayMs: ${retryMs}, timeoutMs: requestTimeoutMs, timers,
        onResult: (result) => console.log("result", result.ok, result.attempts) });
      notifier.notify(["https://blog.example/feed.xml"]);
      const waitForIdle = () => void notifier.idle().then(() => console.log("idle"));
      ${then}
    `;
    const run = async (code: string): Promise<string> => {
      const cwd = fileURLToPath(new URL("../..", import.meta.url));
      const { stdout } = await execFileAsync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { cwd, timeout: 15_000 });
      return stdout;
    };

    const [leftAloneOut, idleFirstOut, idleLaterOut] = await Promise.all([
      // Left alone with a 10-minute retry pending, the child exits by itself: one kept alive by
      // the timer would be killed by execFile's timeout, which rejects.
      run(script(leftAlone.url, 600_000, "")),
      // idle() called before the 503 arrives: the retry is scheduled while someone waits.
      run(script(idleFirst.url, 300, "waitForIdle();")),
      // idle() called once the retry already sleeps.
      run(script(idleLater.url, 300, "onRetrySleeping = waitForIdle;")),
    ]);
    expect(leftAloneOut).toBe("");
    expect(leftAlone.requests).toHaveLength(1);
    expect(idleFirstOut).toBe("result true 2\nidle\n");
    expect(idleLaterOut).toBe("result true 2\nidle\n");
  }, 30_000);
});
