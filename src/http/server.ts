// The HTTP server: a fast path for the documents themselves in front of the Express application.
//
// Nearly every request a feed service gets is a poll for a document that is already built. For
// those, Express's per-request work (router matching, its request/response prototypes, res.send's
// freshness and ETag logic) costs far more than the answer itself, so the fast path looks the
// raw path up in the current build and writes the prebuilt bytes and header lines directly.
// It answers the liveness and readiness probes too (http/probes.ts), and the 404 of a path no
// route can match. Everything else — /metrics, redirects to canonical URLs, other methods,
// archive pages not rendered yet — goes to Express (http/app.ts), which answers documents the
// same way.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { cachedEncodingChooser } from "../delivery/accept-encoding.js";
import { isDocumentRoute, parseRoute } from "../feeds/routes.js";
import type { Publisher } from "../publish/publisher.js";
import { unobserved } from "../ops/request-observer.js";
import type { HttpLimits } from "../config.js";
import type { AppOptions } from "./app.js";
import { clientAddress, RateLimiter } from "./rate-limit.js";
import { fastProbeOf, sendProbe } from "./probes.js";
import { routeOfRequest } from "./route-of-request.js";
import { sendServedDocument } from "./send-document.js";

const STARTING_BODY = Buffer.from("Feedwright is reading the posts; try again in a few seconds.\n");
const STARTING_HEADERS = ["Content-Type", "text/plain; charset=utf-8", "Content-Length", String(STARTING_BODY.length), "Retry-After", "5", "X-Content-Type-Options", "nosniff"];
/**
 * Express (and everything http/app.ts brings) takes tens of milliseconds to load, a fifth of a warm
 * start: it is loaded when a request first needs it, or this long after the server is created.
 * Measured on 10,000 posts: the first request Express answers (a redirect, /metrics) took 6–10 ms
 * with the preload done, 57–62 ms without (bench/README.md, "What each speed mechanism buys").
 */
const APP_PRELOAD_DELAY_MS = 3_000;
const NOT_FOUND_BODY = Buffer.from("No feed here. Every feed Feedwright serves is listed at /\n");
const NOT_FOUND_HEADERS = ["Content-Type", "text/plain; charset=utf-8", "Content-Length", String(NOT_FOUND_BODY.length), "X-Content-Type-Options", "nosniff"];

export interface ServerOptions extends AppOptions {
  /** Timeouts, connection cap and rate limit; Node's defaults when absent (tests). */
  readonly limits?: HttpLimits | undefined;
}

export function createServer(publisher: Publisher, options: ServerOptions = {}): Server {
  const chooseEncoding = cachedEncodingChooser();
  const observer = options.observer ?? unobserved;
  type Handler = (req: IncomingMessage, res: ServerResponse) => void;
  let app: Handler | undefined;
  let loadingApp: Promise<Handler> | undefined;
  const loadApp = (): Promise<Handler> =>
    (loadingApp ??= import("./app.js").then(({ createApp }) => {
      const created = createApp(publisher, chooseEncoding, options);
      app = (req, res) => void created(req, res);
      return app;
    }));
  const preload = setTimeout(() => void loadApp(), APP_PRELOAD_DELAY_MS);
  preload.unref();
  const limits = options.limits;
  const limiter = limits && limits.rateLimitPerMinute > 0 ? new RateLimiter(limits.rateLimitPerMinute, limits.rateLimitBurst) : undefined;
  // Node checks request and header timeouts on this interval (30 s by default, longer than the
  // timeouts themselves): check often enough for the configured ones to mean what they say.
  const checkingInterval = limits ? Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 2))) : undefined;
  const server = createHttpServer(checkingInterval ? { connectionsCheckingInterval: checkingInterval } : {}, (req, res) => {
    const started = performance.now();
    if (limiter && !isProbe(req.url)) {
      const wait = limiter.take(clientAddress(req, limits?.trustedProxyHops ?? 0));
      if (wait > 0) {
        res.writeHead(429, ["Content-Type", "text/plain; charset=utf-8", "Content-Length", String(TOO_MANY_BODY.length), "Retry-After", String(wait), "X-Content-Type-Options", "nosniff"]);
        res.end(req.method === "HEAD" ? undefined : TOO_MANY_BODY);
        observer.observe(req, { route: "other", format: "none", status: 429, bytes: TOO_MANY_BODY.length, encoding: "identity" }, performance.now() - started);
        return;
      }
    }
    if (req.method === "GET" || req.method === "HEAD") {
      const served = publisher.state?.served;
      const url = req.url ?? "/";
      const query = url.indexOf("?");
      const path = query === -1 ? url : url.slice(0, query);
      const document = served?.lookup(path);
      if (document) {
        observer.observe(req, sendServedDocument(req, res, document, chooseEncoding), performance.now() - started);
        return;
      }
      const probe = fastProbeOf(req, path);
      if (probe) {
        observer.observe(req, sendProbe(req, res, probe, publisher), performance.now() - started);
        return;
      }
      // Before the first build only: once it is live, a miss is parsed once, below.
      const startingRoute = served ? undefined : parseRoute(path);
      if (startingRoute && isDocumentRoute(startingRoute)) {
        const head = req.method === "HEAD";
        res.writeHead(503, STARTING_HEADERS);
        res.end(head ? undefined : STARTING_BODY);
        observer.observe(req, { route: "other", format: "none", status: 503, bytes: head ? 0 : STARTING_BODY.length, encoding: "identity" }, performance.now() - started);
        return;
      }
      // A path no route can match (scanners probing /wp-login.php …) is a 404 without Express;
      // a Jekyll site's old feed paths are redirected there. Percent-encoded paths go to Express,
      // which looks them up decoded among those old paths.
      if (!path.includes("%") && !routeOfRequest(path) && !served?.build.moved.has(path.normalize("NFC"))) {
        const head = req.method === "HEAD";
        res.writeHead(404, NOT_FOUND_HEADERS);
        res.end(head ? undefined : NOT_FOUND_BODY);
        observer.observe(req, { route: "not-found", format: "none", status: 404, bytes: head ? 0 : NOT_FOUND_BODY.length, encoding: "identity" }, performance.now() - started);
        return;
      }
    }
    if (app) app(req, res);
    else
      loadApp().then(
        (handler) => handler(req, res),
        () => {
          res.writeHead(500, ["Content-Type", "text/plain; charset=utf-8", "X-Content-Type-Options", "nosniff"]);
          res.end("Internal error: the HTTP application could not be loaded.\n");
        },
      );
  });
  server.on("close", () => clearTimeout(preload));
  if (limits) {
    // Explicit, not Node's defaults: a client that sends its headers a byte a minute (slowloris)
    // is cut off, idle keep-alive connections are closed, and connections beyond the cap refused.
    server.headersTimeout = limits.headersTimeoutMs;
    server.requestTimeout = limits.requestTimeoutMs;
    server.keepAliveTimeout = limits.keepAliveTimeoutMs;
    server.maxConnections = limits.maxConnections;
    // A connection that sends nothing at all is closed sooner than the headers timeout: 4,200
    // such sockets held every slot for about 12 s. One that has sent a byte is a client being
    // slow, which headersTimeout bounds.
    const idleMs = limits.idleConnectionTimeoutMs;
    server.on("connection", (socket) => {
      const timer = setTimeout(() => {
        if (socket.bytesRead === 0) socket.destroy();
      }, idleMs);
      timer.unref();
      socket.once("close", () => clearTimeout(timer));
    });
  }
  return server;
}

const TOO_MANY_BODY = Buffer.from("Too many requests from this address; wait for the time in Retry-After.\n");

/** Health and metrics probes come from the orchestrator and are never rate limited. */
function isProbe(url: string | undefined): boolean {
  const kind = parseRoute(url ?? "")?.kind;
  return kind === "health" || kind === "ready" || kind === "metrics";
}
