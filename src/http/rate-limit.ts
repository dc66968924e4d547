// Optional per-client rate limiting (off by default): a token bucket per client address, refilled
// at the configured rate, holding at most `burst` tokens. Feed readers poll politely; this is
// for the client that does not, so it answers 429 with Retry-After instead of taking the server.
import type { IncomingMessage } from "node:http";

/** Buckets kept at most; beyond, the oldest are forgotten (a forgotten client starts full). */
const MAX_CLIENTS = 100_000;

interface Bucket {
  tokens: number;
  updated: number;
}

export class RateLimiter {
  readonly #perMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(perMinute: number, burst: number, now: () => number = () => performance.now()) {
    this.#perMs = perMinute / 60_000;
    this.#burst = burst;
    this.#now = now;
  }

  /** 0 when the request may go ahead, else the seconds to wait before the next one will. */
  take(client: string): number {
    const now = this.#now();
    let bucket = this.#buckets.get(client);
    if (!bucket) {
      if (this.#buckets.size >= MAX_CLIENTS) {
        const oldest = this.#buckets.keys().next().value;
        if (oldest !== undefined) this.#buckets.delete(oldest);
      }
      bucket = { tokens: this.#burst, updated: now };
      this.#buckets.set(client, bucket);
    } else {
      bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.updated) * this.#perMs);
      bucket.updated = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1000));
  }
}

/** Longer than any IPv6 address with a zone: a longer "address" is cut, so keys stay small. */
const MAX_ADDRESS_CHARS = 64;

/**
 * The client's address: the socket's, or behind `trustedHops` proxies the one the outermost of
 * them appended to X-Forwarded-For, counted from the right. Whatever is left of it the client
 * wrote itself (nginx's $proxy_add_x_forwarded_for appends to the header the client sent), so
 * the first hop would let every request choose its own address and escape the limit.
 */
export function clientAddress(req: IncomingMessage, trustedHops: number): string {
  if (trustedHops > 0) {
    const header = req.headers["x-forwarded-for"];
    const hops = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").map((hop) => hop.trim());
    // Fewer hops than proxies: the request skipped one, so the nearest one's view is all there is.
    const added = hops.length >= trustedHops ? hops[hops.length - trustedHops] : hops[0];
    if (added) return added.slice(0, MAX_ADDRESS_CHARS);
  }
  return req.socket.remoteAddress ?? "unknown";
}
