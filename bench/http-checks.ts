// What `npm run bench:http` checks around every load: that a server answered the scenario's
// request with the status and content coding it asked for (one request read whole, before and
// after the load), and that the load as a whole got them too (wrk's count of non-2xx/3xx answers
// and the bytes it read per response). A figure measured on the wrong answer is not printed: the
// run stops with the reason.
import type { IncomingHttpHeaders } from "node:http";

export type Coding = "identity" | "gzip" | "br";

/** What one scenario must get from every server. */
export interface ExpectedAnswer {
  readonly status: 200 | 304 | 404;
  /** The Content-Encoding of a 200 (identity: none). */
  readonly coding: Coding;
  /** A 200's body, byte for byte (undefined: not compared, e.g. nginx's own 404 page). */
  readonly body: Buffer | undefined;
  /** The ETag a 304 repeats: the one the request sent. */
  readonly etag: string | undefined;
}

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Why `answer` is not what was expected, or undefined when it is. */
export function answerProblem(expected: ExpectedAnswer, answer: Answer): string | undefined {
  if (answer.status !== expected.status) return `status ${answer.status}, expected ${expected.status}`;
  const coding = answer.headers["content-encoding"] ?? "identity";
  if (expected.status === 304) {
    if (answer.headers.etag !== expected.etag) return `a 304 with ETag ${answer.headers.etag ?? "(none)"}, expected ${expected.etag ?? "(none)"}`;
    if (answer.body.length > 0) return `a 304 with a ${answer.body.length}-byte body`;
    return undefined;
  }
  if (coding !== expected.coding) return `Content-Encoding ${coding}, expected ${expected.coding}`;
  if (expected.body && !answer.body.equals(expected.body)) return `a ${answer.body.length}-byte body, not the expected ${expected.body.length} bytes`;
  return undefined;
}

/** What a load generator reports that says which answers it got. */
export interface LoadCounts {
  /** Responses received. */
  readonly requests: number;
  /** Responses with a status outside 2xx and 3xx. */
  readonly non2xx3xx: number;
  /** Bytes read, header lines included (wrk rounds this to 3 significant digits). */
  readonly bytesRead: number;
}

/**
 * The header lines of these answers are well under this many bytes (Feedwright's 200 has about
 * 450, nginx's fewer): a response larger than its body plus this is not the expected one.
 */
const HEADER_ALLOWANCE = 2048;
/** wrk prints the bytes read with two decimals of its unit (e.g. 1.83GB): up to 0.3% off. */
const BYTES_ROUNDING = 0.01;

/**
 * Why a whole load did not get what it asked for, or undefined. The bytes read per response tell
 * the codings apart (a 304 has no body; the identity /feed.xml is seven times its gzip form),
 * so this catches a server that changed its answer half-way through, at no cost to the load.
 */
export function loadProblem(expected: ExpectedAnswer, expectedBodyLength: number, counts: LoadCounts): string | undefined {
  if (counts.requests === 0) return "no response at all";
  const wantedErrors = expected.status === 404 ? counts.requests : 0;
  if (counts.non2xx3xx !== wantedErrors) return `${counts.non2xx3xx} of ${counts.requests} responses outside 2xx/3xx, expected ${wantedErrors}`;
  const perResponse = counts.bytesRead / counts.requests;
  const least = expectedBodyLength * (1 - BYTES_ROUNDING);
  const most = (expectedBodyLength + HEADER_ALLOWANCE) * (1 + BYTES_ROUNDING);
  if (perResponse < least || perResponse > most) {
    return `${Math.round(perResponse)} bytes read per response, expected a ${expectedBodyLength}-byte body plus header lines (${Math.round(least)} to ${Math.round(most)})`;
  }
  return undefined;
}

export interface WrkReport extends LoadCounts {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Connect/read/write errors and timeouts, summed. */
  readonly socketErrors: number;
}

const BYTE_UNITS: Readonly<Record<string, number>> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** Reads wrk 4's report: requests/s, the --latency percentiles, bytes read, error counts. */
export function parseWrk(output: string): WrkReport {
  const number = (pattern: RegExp): number | undefined => {
    const found = pattern.exec(output)?.[1];
    return found === undefined ? undefined : Number(found);
  };
  const latencyMs = (percent: string): number => {
    const found = new RegExp(`^\\s*${percent}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(output);
    if (!found) throw new Error(`bench: no ${percent}% latency in wrk's output:\n${output}`);
    const scale = found[2] === "us" ? 0.001 : found[2] === "s" ? 1000 : 1;
    return Number(found[1]) * scale;
  };
  const requestsPerSecond = number(/^Requests\/sec:\s+([\d.]+)/m);
  if (requestsPerSecond === undefined) throw new Error(`bench: no Requests/sec in wrk's output:\n${output}`);
  const summary = /^\s*(\d+) requests in [\d.]+\w+, ([\d.]+)([KMGT]?B) read/m.exec(output);
  if (!summary) throw new Error(`bench: no "N requests in …, … read" line in wrk's output:\n${output}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requestsPerSecond,
    p50Ms: latencyMs("50"),
    p99Ms: latencyMs("99"),
    requests: Number(summary[1]),
    bytesRead: Number(summary[2]) * (BYTE_UNITS[summary[3] ?? "B"] ?? 1),
    non2xx3xx: number(/Non-2xx or 3xx responses:\s+(\d+)/) ?? 0,
    socketErrors: socket ? socket.slice(1).reduce((sum, count) => sum + Number(count), 0) : 0,
  };
}
