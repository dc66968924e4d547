// The liveness and readiness probes, /healthz and /readyz: what they answer, and how the fast
// path (http/server.ts) sends it without Express.
//
// An orchestrator polls them every few seconds for the life of the process. Routed to Express,
// every poll would pay for its router and res.send, and Express gives each request it handles
// its own prototypes (Object.setPrototypeOf on req and res), so Node's HTTP code would see request
// and response objects of two shapes where the fast path alone gives it one. Answered here, a
// server that serves only documents and probes never hands a request to Express. The Express
// routes (http/app.ts) answer the same from the same functions, for the spellings and the
// conditional requests this leaves to them.
import type { IncomingMessage, ServerResponse } from "node:http";
import { formatRoute } from "../feeds/routes.js";
import type { RequestSample } from "../ops/metrics.js";
import type { Publisher } from "../publish/publisher.js";
import { healthReport } from "./health.js";

export type ProbeKind = "health" | "ready";

export interface ProbeAnswer {
  readonly status: number;
  /** Without charset: Express adds "; charset=utf-8", and so does sendProbe. */
  readonly type: "application/json" | "text/plain";
  readonly body: string;
}

/**
 * Liveness: the process answers. It stays 200 while the last good documents are served after a
 * failed scan ("degraded" in the body); 503 only before anything was published.
 */
export function healthAnswer(publisher: Publisher): ProbeAnswer {
  const report = healthReport(publisher);
  return { status: report.status === "starting" ? 503 : 200, type: "application/json", body: JSON.stringify(report) };
}

/** Readiness: documents are published (and compressed) and requests can be routed here. */
export function readinessAnswer(publisher: Publisher): ProbeAnswer {
  return publisher.ready ? { status: 200, type: "text/plain", body: "ready\n" } : { status: 503, type: "text/plain", body: "starting: the first build is not live (and compressed) yet\n" };
}

const HEALTH_PATH = formatRoute({ kind: "health" });
const READY_PATH = formatRoute({ kind: "ready" });

/**
 * The probe the fast path answers for this request, if any: GET or HEAD of exactly /healthz or
 * /readyz (query aside) without validators. Express takes the rest — other spellings its router
 * matches (/HEALTHZ, /healthz/), and If-None-Match or If-Modified-Since, which res.send evaluates.
 */
export function fastProbeOf(req: IncomingMessage, path: string): ProbeKind | undefined {
  const kind = path === HEALTH_PATH ? "health" : path === READY_PATH ? "ready" : undefined;
  if (kind === undefined) return undefined;
  const headers = req.headers;
  return headers["if-none-match"] === undefined && headers["if-modified-since"] === undefined ? kind : undefined;
}

/** Sends the probe's answer with the header lines Express sends for it; returns what was sent. */
export function sendProbe(req: IncomingMessage, res: ServerResponse, kind: ProbeKind, publisher: Publisher): RequestSample {
  const answer = kind === "health" ? healthAnswer(publisher) : readinessAnswer(publisher);
  const body = Buffer.from(answer.body);
  res.writeHead(answer.status, [
    "X-Content-Type-Options", "nosniff",
    "Cache-Control", "no-store",
    "Content-Type", `${answer.type}; charset=utf-8`,
    "Content-Length", String(body.length),
  ]);
  const head = req.method === "HEAD";
  res.end(head ? undefined : body);
  return { route: kind, format: "none", status: answer.status, bytes: head ? 0 : body.length, encoding: "identity" };
}
