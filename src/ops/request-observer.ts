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

export function createRequestObserver(logger: Logger, metrics: Metrics | undefined, logRequests: boolean): RequestObserver {
  return {
    observe(req, sample, durationMs) {
      metrics?.recordRequest(sample);
      if (!logRequests || !logger.enabled("info")) return;
      const url = req.url ?? "";
      const path = url.length > MAX_LOGGED_PATH ? `${url.slice(0, MAX_LOGGED_PATH)}…` : url;
      // Serialized by hand: this runs for every request, and a log object per request costs
      // more than the fast path itself. Only the path (and method) come from the client, so only
      // they need JSON escaping.
      logger.infoJson(
        "request",
        `"method":${JSON.stringify(req.method ?? "")},"path":${JSON.stringify(path)},"status":${sample.status},"bytes":${sample.bytes},` +
          `"ms":${Math.round(durationMs * 100) / 100},"notModified":${sample.status === 304},"route":"${sample.route}"` +
          (sample.encoding !== "identity" ? `,"encoding":"${sample.encoding}"` : ""),
      );
    },
  };
}

export const unobserved: RequestObserver = { observe: () => undefined };
