// The Express application: the whole route table for what the fast path (http/server.ts) does
// not answer by itself — probes spelled otherwise or conditional, /metrics, redirects from other
// spellings to canonical URLs, pages past the end, 404, 405, and 503 before the first scan. Nothing here renders a feed: documents are
// looked up in the current build and sent by sendServedDocument, exactly as the fast path does.
import { createHash, timingSafeEqual } from "node:crypto";
import express, { type NextFunction, type Request, type Response } from "express";
import { cachedEncodingChooser } from "../delivery/accept-encoding.js";
import type { ServedDocument } from "../delivery/served-document.js";
import { PageUnavailableError, type ServedSite } from "../delivery/served-site.js";
import { oldPageTarget } from "../feeds/build-site.js";
import { formatRoute, isDocumentRoute, type DocumentRoute, type FeedScope } from "../feeds/routes.js";
import type { Publisher } from "../publish/publisher.js";
import type { Metrics, RouteKind } from "../ops/metrics.js";
import { unobserved, type RequestObserver } from "../ops/request-observer.js";
import { healthAnswer, readinessAnswer } from "./probes.js";
import { sendServedDocument, type EncodingChooser } from "./send-document.js";
import { routeOfRequest } from "./route-of-request.js";
import { findTerm } from "./term-lookup.js";

export interface AppOptions {
  /** Bearer token of POST /-/rebuild; undefined disables the endpoint. */
  readonly rebuildToken?: string | undefined;
  /** Prometheus metrics served at /metrics (none: /metrics is 404). */
  readonly metrics?: Metrics | undefined;
  /** Bearer token /metrics asks for; undefined: /metrics is open. */
  readonly metricsToken?: string | undefined;
  /** Sees every answered request (log line and metrics). */
  readonly observer?: RequestObserver | undefined;
}

export function createApp(publisher: Publisher, chooseEncoding: EncodingChooser = cachedEncodingChooser(), options: AppOptions = {}): express.Express {
  const app = express();
  app.disable("x-powered-by");
  // Documents carry their own strong ETags, computed once when they were built.
  app.disable("etag");

  /** Runs `handle` with the documents being served, or answers 503 before the first scan. */
  const withServed = (res: Response, handle: (served: ServedSite) => void): void => {
    const served = publisher.state?.served;
    if (!served) {
      res.status(503).setHeader("Retry-After", "5");
      res.type("text/plain").send("Feedwright is reading the posts; try again in a few seconds.\n");
      return;
    }
    handle(served);
  };
  /**
   * Sends the document at a canonical path, or 404 when there is none (an archive past the newest). An
   * archive page is rendered when first asked for; one whose posts changed since the build
   * answers 503 until the next scan has rebuilt it.
   */
  const sendPath = (req: Request, res: Response, served: ServedSite, path: string, next: NextFunction): void => {
    const send = (document: ServedDocument | undefined): void => {
      if (!document) return notFound(res);
      res.locals.route = document.kind;
      res.locals.format = document.format;
      sendServedDocument(req, res, document, chooseEncoding);
    };
    const document = served.lookup(path);
    if (document) return send(document);
    served.archivePage(path).then(send, (error: unknown) => {
      if (!(error instanceof PageUnavailableError)) return next(error);
      res.status(503).setHeader("Retry-After", "5");
      res.type("text/plain").send("This page is being rebuilt; try again in a few seconds.\n");
    });
  };
  /** 301 to the canonical form of the requested URL, keeping its query string. */
  const redirect = (req: Request, res: Response, path: string): void => {
    const query = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?")) : "";
    res.redirect(301, `${path}${query}`);
  };

  const observer = options.observer ?? unobserved;
  app.use((req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    const started = performance.now();
    res.on("finish", () => {
      const locals = res.locals as { route?: RouteKind; format?: string };
      const status = res.statusCode;
      const route: RouteKind = locals.route ?? (status === 404 ? "not-found" : status === 301 ? "redirect" : "other");
      const length = Number(res.getHeader("content-length") ?? 0);
      const bytes = req.method === "HEAD" || status === 304 || !Number.isFinite(length) ? 0 : length;
      const encoding = String(res.getHeader("content-encoding") ?? "identity");
      observer.observe(req, { route, format: locals.format ?? "none", status, bytes, encoding }, performance.now() - started);
    });
    next();
  });

  // The probes, spelled otherwise than the fast path takes them (http/probes.ts) or conditional.
  app.get(formatRoute({ kind: "health" }), (_req, res) => {
    res.locals.route = "health";
    res.setHeader("Cache-Control", "no-store");
    const answer = healthAnswer(publisher);
    res.status(answer.status).type(answer.type).send(answer.body);
  });
  app.get(formatRoute({ kind: "ready" }), (_req, res) => {
    res.locals.route = "ready";
    res.setHeader("Cache-Control", "no-store");
    const answer = readinessAnswer(publisher);
    res.status(answer.status).type(answer.type).send(answer.body);
  });

  app.get(formatRoute({ kind: "metrics" }), (req, res, next) => {
    const metrics = options.metrics;
    if (!metrics) return next();
    res.locals.route = "metrics";
    res.setHeader("Cache-Control", "no-store");
    if (options.metricsToken !== undefined) {
      const access = checkBearer(req.headers.authorization, options.metricsToken);
      if (access === "missing") {
        res.setHeader("WWW-Authenticate", 'Bearer realm="feedwright-metrics"');
        return res.status(401).type("text/plain").send("Send the metrics token as: Authorization: Bearer <token>\n");
      }
      if (access === "wrong") return res.status(403).type("text/plain").send("That token does not allow reading metrics.\n");
    }
    void metrics.registry.metrics().then((text) => res.type(metrics.registry.contentType).send(text));
  });

  // The RFC 5005 §3 pages counted from the newest post (/page/<n>/feed.xml), which archives
  // replaced: each leads to the document that holds its newest post now, so a reader or crawler
  // that kept the URL finds those posts again; a page past the oldest post is gone.
  app.use((req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const route = routeOfRequest(req.path);
    if (route?.kind !== "old-page") return next();
    withServed(res, (served) => {
      const scope = canonicalScope(served, route.scope);
      const target = scope ? oldPageTarget(served.build, { ...route, scope }) : undefined;
      if (!target) return notFound(res);
      res.locals.route = "redirect";
      redirect(req, res, formatRoute(target));
    });
  });

  // Documents reach Express only before the first scan, when spelled unusually, or as archive
  // pages not rendered yet. Another spelling of a category, tag or archive number is redirected to
  // the canonical one, so that each document has one URL; the site's own feeds, whose path names
  // nothing but the format, are served under any spelling that decodes to it.
  app.use((req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    if (!isWellEncoded(req.path)) return next(new BadRequestError("malformed percent-encoding"));
    const route = routeOfRequest(req.path);
    if (!route || !isDocumentRoute(route)) return next();
    withServed(res, (served) => {
      const canonical = canonicalRoute(served, route);
      if (!canonical) return notFound(res);
      const path = formatRoute(canonical);
      if (path !== req.path && !(isSiteFirstPage(canonical) && decodeURIComponent(req.path).replace(/(.)\/$/, "$1") === path)) return redirect(req, res, path);
      sendPath(req, res, served, path, next);
    });
  });

  // A Jekyll site's old jekyll-feed URLs lead to the same feed here.
  app.use((req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const moved = publisher.state?.served.build.moved;
    if (!moved || moved.size === 0) return next();
    const target = moved.get(decodedPath(req.path));
    if (target === undefined) return next();
    res.locals.route = "redirect";
    redirect(req, res, target);
  });

  // A git hook or CI publishes at once: rescan now, answer when the new documents are live.
  app.post(formatRoute({ kind: "rebuild" }), (req, res) => {
    res.locals.route = "rebuild";
    res.setHeader("Cache-Control", "no-store");
    const access = checkBearer(req.headers.authorization, options.rebuildToken);
    if (access === "disabled") return notFound(res);
    if (access === "missing") {
      res.setHeader("WWW-Authenticate", 'Bearer realm="feedwright"');
      return res.status(401).type("text/plain").send("Send the rebuild token as: Authorization: Bearer <token>\n");
    }
    if (access === "wrong") return res.status(403).type("text/plain").send("That token does not allow rebuilds.\n");
    const full = req.query.full === "1" || req.query.full === "true";
    // A scan that begins after this request: one already under way may have missed the post
    // the caller has just written.
    void publisher.scan({ full, fresh: true }).then((report) => {
      res.status(report.ok ? 200 : 500).json({
        ok: report.ok,
        ...(report.error ? { error: report.error } : {}),
        full: report.full,
        durationMs: report.durationMs,
        posts: report.posts,
        feeds: report.feeds,
        documentsPrepared: report.documentsPrepared,
        phases: report.phases,
        changedFeedUrls: report.changedFeedUrls,
      });
    });
  });

  // Everything here is read-only: other methods get 405 with the ones that work.
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    res.setHeader("Allow", "GET, HEAD");
    res.status(405).type("text/plain").send("Only GET and HEAD are supported.\n");
  });
  app.use((_req, res) => notFound(res));

  // Malformed percent-encoding and the like: a short 400, never a stack trace.
  app.use((error: Error & { status?: number; statusCode?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = error.status ?? error.statusCode ?? 500;
    res.status(status >= 400 && status < 600 ? status : 500).type("text/plain").send(status < 500 ? "Bad request.\n" : "Internal error.\n");
  });

  return app;
}

/**
 * Compares the bearer token in constant time: both sides are hashed to equal-length digests
 * first, so neither the comparison nor the length check tells an attacker how close a guess is.
 */
function checkBearer(header: string | undefined, token: string | undefined): "disabled" | "missing" | "wrong" | "ok" {
  if (token === undefined) return "disabled";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) return "missing";
  const given = createHash("sha256").update(match[1] ?? "").digest();
  const expected = createHash("sha256").update(token).digest();
  return timingSafeEqual(given, expected) ? "ok" : "wrong";
}

/** A request for this gets a short 400 from the error handler. */
class BadRequestError extends Error {
  readonly status = 400;
}

function isWellEncoded(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

function isSiteFirstPage(route: DocumentRoute): boolean {
  return route.kind === "feed" && route.scope.kind === "site" && route.archive === 0;
}

/**
 * The route with the category or tag resolved to the feed it names (another spelling of its
 * name included), or undefined when there is no such feed.
 */
function canonicalRoute(served: ServedSite, route: DocumentRoute): DocumentRoute | undefined {
  if (route.kind !== "feed") return route;
  const scope = canonicalScope(served, route.scope);
  return scope ? { ...route, scope } : undefined;
}

/** The scope with its category or tag resolved to the feed it names, or undefined when there is none. */
function canonicalScope(served: ServedSite, scope: FeedScope): FeedScope | undefined {
  if (scope.kind === "site") return scope;
  const slug = findTerm(served.build.terms[scope.kind], scope.slug);
  return slug === undefined ? undefined : { kind: scope.kind, slug };
}

/** A request path percent-decoded and NFC, as names are kept; "" when it does not decode. */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path).normalize("NFC");
  } catch {
    return "";
  }
}

function notFound(res: Response): void {
  res.status(404).type("text/plain").send("No feed here. Every feed Feedwright serves is listed at /\n");
}
