// Tells WebSub hubs which feeds changed, so subscribed readers get them pushed instead of polling.
//
// WebSub (W3C Recommendation, https://www.w3.org/TR/websub/) §6 "Publishing" only says that "the
// publisher MUST inform the hubs it previously designated when a topic has been updated. The hub and
// the publisher can agree on any mechanism". Its note names the convention public hubs accept, and
// the one used here: a form POST with hub.mode=publish and hub.url=<the updated URL>. So a hub's
// answer is that hub's API, not the spec's: 2xx is success, 429 / 5xx / no answer are worth
// retrying, any other status is the hub turning the request down.
//
// Sending happens in the background: notify() only queues, and nothing here throws into or waits
// on the scan that called it, because serving feeds must never depend on a hub being up.
import type { Logger } from "../logger.js";
import { MAX_TIMER_MS } from "./max-timer.js";

export interface WebSubResult {
  readonly hub: string;
  readonly url: string;
  readonly ok: boolean;
  /** Requests sent for this URL, the last one included. */
  readonly attempts: number;
  /** The hub's last HTTP status, when it answered at all. */
  readonly status?: number;
  /** Why the last attempt failed, when it did. */
  readonly error?: string;
}

export interface WebSubNotifierOptions {
  /** Hub endpoints, absolute http(s) URLs. None: notify() does nothing. */
  readonly hubs: readonly string[];
  readonly logger: Logger;
  /** Requests open at once per hub (default 4); the rest wait in that hub's queue. */
  readonly concurrency?: number;
  /** Requests per URL before giving up, the first included (default 5). */
  readonly maxAttempts?: number;
  /** Wait before the 2nd attempt; doubles each time after (default 1000 ms). */
  readonly baseDelayMs?: number;
  /** Longest wait between attempts, Retry-After included (default 5 minutes). */
  readonly maxDelayMs?: number;
  /** Per request, from connecting to the end of the hub's answer (default 10000 ms). */
  readonly timeoutMs?: number;
  readonly userAgent?: string;
  /** Called once per hub and URL with the final outcome (for metrics); it must not throw. */
  readonly onResult?: (result: WebSubResult) => void;
  /** What retries and request timeouts wait on (default: the global setTimeout); a test passes its own. */
  readonly timers?: NotifierTimers;
}

/** Schedules and cancels the notifier's waits; the timers it returns are unref()'d and ref()'d. */
export interface NotifierTimers {
  readonly setTimeout: (callback: () => void, ms: number) => NodeJS.Timeout;
  readonly clearTimeout: (timer: NodeJS.Timeout) => void;
}

const GLOBAL_TIMERS: NotifierTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer),
};

const DEFAULT_USER_AGENT = "Feedwright (+WebSub publisher)";
const BODY_SNIPPET_CHARS = 200;

/** One notify() call, so its summary line can be written once every hub has answered for every URL. */
interface Batch {
  readonly urls: number;
  readonly hubs: number;
  remaining: number;
  ok: number;
  failed: number;
}

/** One URL waiting for (or being sent to) one hub, and every notify() call it answers for. */
interface Job {
  readonly url: string;
  readonly batches: Batch[];
}

interface HubQueue {
  readonly hub: string;
  /** Not yet started, oldest first; keyed by URL so a URL notified again while waiting is sent once. */
  readonly waiting: Map<string, Job>;
  /** Jobs taken from `waiting` and not yet finished: sending, or sleeping before a retry. */
  running: number;
}

type Attempt =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly retry: boolean; readonly status?: number; readonly error: string; readonly retryAfterMs?: number };

interface RetryTimer {
  readonly timer: NodeJS.Timeout;
  readonly wake: () => void;
}

export class WebSubNotifier {
  readonly #queues: readonly HubQueue[];
  readonly #logger: Logger;
  readonly #concurrency: number;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  readonly #onResult: ((result: WebSubResult) => void) | undefined;
  readonly #timers: NotifierTimers;
  /** Aborted by close(): cancels every request in flight. */
  readonly #closing = new AbortController();
  readonly #retryTimers = new Set<RetryTimer>();
  #idleWaiters: Array<() => void> = [];

  constructor(options: WebSubNotifierOptions) {
    const hubs = [...new Set(options.hubs)];
    hubs.forEach((hub, index) => checkHubUrl(hub, index));
    this.#queues = hubs.map((hub) => ({ hub, waiting: new Map<string, Job>(), running: 0 }));
    this.#logger = options.logger;
    this.#concurrency = wholeNumber("concurrency", options.concurrency ?? 4, 1);
    this.#maxAttempts = wholeNumber("maxAttempts", options.maxAttempts ?? 5, 1);
    this.#baseDelayMs = milliseconds("baseDelayMs", options.baseDelayMs ?? 1000, 0);
    this.#maxDelayMs = milliseconds("maxDelayMs", options.maxDelayMs ?? 5 * 60_000, 0);
    this.#timeoutMs = milliseconds("timeoutMs", options.timeoutMs ?? 10_000, 1);
    this.#userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.#onResult = options.onResult;
    this.#timers = options.timers ?? GLOBAL_TIMERS;
  }

  /**
   * Queues a publish ping to every hub for each URL, and returns at once. Pass exactly the feed
   * URLs whose bytes changed; the outcome goes to the logger and onResult, never to the caller.
   */
  notify(feedUrls: readonly string[]): void {
    if (this.#queues.length === 0) return;
    const urls = [...new Set(feedUrls)];
    if (urls.length === 0) return;
    if (this.#closing.signal.aborted) {
      this.#logger.warn(`websub: notify() after close(): ${countOf(urls.length, "feed URL")} not sent`);
      return;
    }
    const batch: Batch = { urls: urls.length, hubs: this.#queues.length, remaining: urls.length * this.#queues.length, ok: 0, failed: 0 };
    for (const queue of this.#queues) {
      for (const url of urls) {
        const job = queue.waiting.get(url);
        if (job) job.batches.push(batch);
        else queue.waiting.set(url, { url, batches: [batch] });
      }
      this.#startWorkers(queue);
    }
  }

  /** Resolves once every queue is empty and no request or retry is pending. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    // While someone waits for the work to finish, the retry timers must keep the process alive.
    if (this.#idleWaiters.length === 0) for (const { timer } of this.#retryTimers) timer.ref();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops for good: later notify() calls are ignored, queued URLs are dropped, retries are not
   * waited for and requests in flight are aborted. Resolves when nothing is left running.
   */
  async close(): Promise<void> {
    if (!this.#closing.signal.aborted) {
      let dropped = 0;
      for (const queue of this.#queues) {
        dropped += queue.waiting.size + queue.running;
        queue.waiting.clear();
      }
      this.#closing.abort(new Error("websub: notifier closed"));
      for (const retry of this.#retryTimers) {
        this.#timers.clearTimeout(retry.timer);
        retry.wake();
      }
      this.#retryTimers.clear();
      if (dropped > 0) this.#logger.warn(`websub: closed with ${countOf(dropped, "hub notification")} not sent`);
    }
    await this.idle();
  }

  #startWorkers(queue: HubQueue): void {
    while (queue.running < this.#concurrency) {
      const next = queue.waiting.values().next();
      if (next.done) break;
      const job = next.value;
      queue.waiting.delete(job.url);
      queue.running += 1;
      void this.#deliver(queue.hub, job)
        .catch((error: unknown) => this.#logger.error(`websub: internal error while notifying ${queue.hub}: ${describeError(error)}`))
        .finally(() => {
          queue.running -= 1;
          this.#startWorkers(queue);
          this.#checkIdle();
        });
    }
  }

  /**
   * Sends one URL to one hub until it succeeds, fails for good or runs out of attempts. The job
   * keeps its worker slot while it waits to retry, so a struggling hub gets fewer requests at
   * once instead of the next URLs in the queue.
   */
  async #deliver(hub: string, job: Job): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.#send(hub, job.url);
      if (this.#closing.signal.aborted) return;
      if (outcome.ok) return this.#finish(job, { hub, url: job.url, ok: true, attempts: attempt, status: outcome.status });
      if (!outcome.retry || attempt >= this.#maxAttempts) {
        const status = outcome.status === undefined ? {} : { status: outcome.status };
        return this.#finish(job, { hub, url: job.url, ok: false, attempts: attempt, ...status, error: outcome.error });
      }
      await this.#sleep(outcome.retryAfterMs ?? this.#backoffMs(attempt));
      if (this.#closing.signal.aborted) return;
    }
  }

  /** One publish request; never rejects. */
  async #send(hub: string, url: string): Promise<Attempt> {
    const timeout = new AbortController();
    const timer = this.#timers.setTimeout(() => timeout.abort(new DOMException(`no answer within ${this.#timeoutMs} ms`, "TimeoutError")), this.#timeoutMs);
    // The request itself keeps the process alive while it is under way; its timeout need not.
    timer.unref();
    const signal = AbortSignal.any([this.#closing.signal, timeout.signal]);
    try {
      const response = await fetch(hub, {
        method: "POST",
        headers: {
          // The WHATWG URL Standard registers this media type with no parameters, so no charset.
          "Content-Type": "application/x-www-form-urlencoded",
          "User-Agent": this.#userAgent,
        },
        body: new URLSearchParams({ "hub.mode": "publish", "hub.url": url }),
        // Followed, a 301/302/303 would turn the POST into a GET of some page that answers 200:
        // a success that notified nobody. A moved hub is reported so its URL gets fixed.
        redirect: "manual",
        signal,
      });
      // Read the answer to the end so the connection can be reused; its start explains a refusal.
      const body = await response.text().catch(() => "");
      return classify(response, body, this.#maxDelayMs);
    } catch (error) {
      if (this.#closing.signal.aborted) return { ok: false, retry: false, error: "websub: notifier closed" };
      if (error instanceof Error && error.name === "TimeoutError") {
        return { ok: false, retry: true, error: `no answer within ${this.#timeoutMs} ms` };
      }
      return { ok: false, retry: true, error: describeError(error) };
    } finally {
      this.#timers.clearTimeout(timer);
    }
  }

  /** baseDelayMs * 2^(attempt-1), capped, less up to 20% so many URLs failing together spread out. */
  #backoffMs(attempt: number): number {
    const delay = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1));
    return Math.round(delay * (0.8 + 0.2 * Math.random()));
  }

  /** Waits `ms`, or less if close() is called. Does not keep the process alive unless idle() is awaited. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const retry: RetryTimer = {
        timer: this.#timers.setTimeout(() => {
          this.#retryTimers.delete(retry);
          resolve();
        }, ms),
        wake: resolve,
      };
      if (this.#idleWaiters.length === 0) retry.timer.unref();
      this.#retryTimers.add(retry);
    });
  }

  #finish(job: Job, result: WebSubResult): void {
    if (!result.ok) {
      const status = result.status === undefined ? "" : `HTTP ${result.status}: `;
      this.#logger.warn(
        `websub: hub ${result.hub} was not notified of ${result.url} after ${countOf(result.attempts, "attempt")}: ${status}${result.error ?? "failed"}`,
      );
    }
    try {
      this.#onResult?.(result);
    } catch (error) {
      this.#logger.error(`websub: onResult callback threw for ${result.url}: ${describeError(error)}`);
    }
    for (const batch of job.batches) {
      if (result.ok) batch.ok += 1;
      else batch.failed += 1;
      batch.remaining -= 1;
      if (batch.remaining === 0) {
        const line = `websub: notified ${countOf(batch.urls, "feed URL")} to ${countOf(batch.hubs, "hub")} (${batch.ok} ok, ${batch.failed} failed)`;
        if (batch.failed === 0) this.#logger.info(line);
        else this.#logger.warn(line);
      }
    }
  }

  #isIdle(): boolean {
    return this.#queues.every((queue) => queue.waiting.size === 0 && queue.running === 0);
  }

  #checkIdle(): void {
    if (this.#idleWaiters.length === 0 || !this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** What one hub answer means. */
function classify(response: Response, body: string, maxDelayMs: number): Attempt {
  const { status } = response;
  if (status >= 200 && status < 300) return { ok: true, status };
  const snippet = body.replace(/\s+/g, " ").trim().slice(0, BODY_SNIPPET_CHARS);
  if (status >= 300 && status < 400) {
    const location = response.headers.get("location");
    return { ok: false, retry: false, status, error: `hub redirected to ${location ?? "(no Location)"}; configure the hub's final URL` };
  }
  // 408 is the hub's own timeout, so it is retried like ours.
  const retry = status === 408 || status === 429 || status >= 500;
  const error = snippet === "" ? (response.statusText || "request refused") : snippet;
  if (!retry) return { ok: false, retry, status, error };
  // RFC 9110 §10.2.3 (with 503) and RFC 6585 §4 (with 429): how long to wait before asking again.
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(response.headers.get("retry-after")) : undefined;
  return { ok: false, retry, status, error, retryAfterMs: retryAfterMs === undefined ? undefined : Math.min(retryAfterMs, maxDelayMs) };
}

/** Retry-After is delay-seconds or an HTTP-date (RFC 9110 §10.2.3); anything else is ignored. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function checkHubUrl(hub: string, index: number): void {
  let protocol: string;
  try {
    protocol = new URL(hub).protocol;
  } catch (error) {
    throw new Error(`websub: hubs[${index}] "${hub}" is not an absolute URL; give the hub's full http(s) address`, { cause: error });
  }
  if (protocol !== "http:" && protocol !== "https:") {
    throw new Error(`websub: hubs[${index}] "${hub}" must be an http: or https: URL`);
  }
}

function wholeNumber(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`websub: ${name} must be a whole number of at least ${min} (got ${value})`);
  return value;
}

function milliseconds(name: string, value: number, min: number): number {
  if (!Number.isFinite(value) || value < min || value > MAX_TIMER_MS) {
    throw new Error(`websub: ${name} must be between ${min} and ${MAX_TIMER_MS} milliseconds (got ${value})`);
  }
  return value;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici rejects with "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND, ...) in cause.
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    const detail = cause.message || code || cause.name;
    return `${error.message} (${detail})`;
  }
  return error.message;
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
