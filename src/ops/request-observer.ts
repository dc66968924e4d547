// One place that sees every answered request: the request log line (method, path, status,
// bytes, duration, 304 or not) and the request metrics. The fast path and Express both report
// here, so the log and /metrics count the same requests.
import type { IncomingMessage } from "node:http";
import type { Logger } from "../logger.js";
import type { Metrics, RequestSample } from "./metrics.js";

export interface RequestObserver {
  observe(req: IncomingMessage, sample: RequestSample, durationMs: number): void;
}

/** Longest path written to the log: a hostile 64 KB URL must not become a 64 KB log line. */
const MAX_LOGGED_PATH = 512;

/** The method as a JSON string: the two the fast path answers are written as they are. */
function methodJson(method: string | undefined): string {
  if (method === "GET") return '"GET"';
  if (method === "HEAD") return '"HEAD"';
  return JSON.stringify(method ?? "");
}

export function createRequestObserver(logger: Logger, metrics: Metrics | undefined, logRequests: boolean): RequestObserver {
  // Decided once: the level does not change while the process runs.
  const logging = logRequests && logger.enabled("info");
  return {
    observe(req, sample, durationMs) {
      metrics?.recordRequest(sample);
      if (!logging) return;
      const url = req.url ?? "";
      const path = url.length > MAX_LOGGED_PATH ? `${url.slice(0, MAX_LOGGED_PATH)}…` : url;
      // Serialized by hand: this runs for every request, and a log object per request costs
      // more than the fast path itself. Only the path (and method) come from the client, so only
      // they need JSON escaping.
      logger.infoJson(
        "request",
        `"method":${methodJson(req.method)},"path":${JSON.stringify(path)},"status":${sample.status},"bytes":${sample.bytes},` +
          `"ms":${Math.round(durationMs * 100) / 100},"notModified":${sample.status === 304},"route":"${sample.route}"` +
          (sample.encoding !== "identity" ? `,"encoding":"${sample.encoding}"` : ""),
      );
    },
  };
}

export const unobserved: RequestObserver = { observe: () => undefined };
