// The HTTP layer: the whole route table, choosing among documents that are already built.
// Nothing here renders a feed; it looks one up and sends its bytes.
import express, { type NextFunction, type Request, type Response } from "express";
import type { SiteBuild } from "../feeds/build-site.js";
import type { FeedwrightDocument } from "../feeds/document.js";
import type { FeedFormat } from "../feeds/feed-spec.js";
import { FEED_FILE_NAMES } from "../feeds/feed-spec.js";
import type { TermKind } from "../feeds/taxonomy.js";
import { healthReport } from "./health.js";
import { findTerm } from "./term-lookup.js";
import type { Publisher } from "../publish/publisher.js";

const FORMAT_BY_FILE_NAME = new Map<string, FeedFormat>(Object.entries(FEED_FILE_NAMES).map(([format, file]) => [file, format as FeedFormat]));
const KIND_BY_SEGMENT: Readonly<Record<string, TermKind>> = { categories: "category", tags: "tag" };

export function createApp(publisher: Publisher): express.Express {
  const app = express();
  /** Runs `handle` with the documents being served, or answers 503 before the first scan. */
  const withBuild = (_req: Request, res: Response, handle: (build: SiteBuild) => void): void => {
    const state = publisher.state;
    if (!state) {
      res.status(503).setHeader("Retry-After", "5");
      res.type("text/plain").send("Feedwright is reading the posts; try again in a few seconds.\n");
      return;
    }
    handle(state.build);
  };
  app.disable("x-powered-by");
  // Documents carry their own strong ETag, computed once when they were built.
  app.disable("etag");

  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    next();
  });

  app.get("/healthz", (_req, res) => {
    const report = healthReport(publisher);
    res.setHeader("Cache-Control", "no-store");
    res.status(report.status === "starting" ? 503 : 200).json(report);
  });

  app.get("/", (req, res) => withBuild(req, res, (build) => sendDocument(res, build.index)));
  app.get("/feeds.opml", (req, res) => withBuild(req, res, (build) => sendDocument(res, build.opml)));

  app.get("/:file", (req, res, next) => {
    const format = FORMAT_BY_FILE_NAME.get(req.params.file);
    if (!format) return next();
    return withBuild(req, res, (build) => sendDocument(res, build.site.documents[format]));
  });

  app.get("/:kind/:segment/:file", (req, res, next) => {
    const kind = KIND_BY_SEGMENT[req.params.kind];
    const format = FORMAT_BY_FILE_NAME.get(req.params.file);
    if (!kind || !format) return next();
    return withBuild(req, res, (build) => {
      const found = findTerm(build.terms[kind], req.params.segment);
      if (!found) return notFound(res);
      if (found.redirect) {
        // The name in another spelling (case, NFD, spaces): one canonical URL per feed.
        const query = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?")) : "";
        return res.redirect(301, `/${req.params.kind}/${found.canonicalSegment}/${req.params.file}${query}`);
      }
      return sendDocument(res, found.feed.documents[format]);
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

function sendDocument(res: Response, document: FeedwrightDocument): void {
  res.setHeader("Content-Type", document.contentType);
  res.setHeader("ETag", document.etag);
  // The newest item's change, not the scan time: replicas built from the same posts send the same
  // validators. The strong ETag is what catches every change (a back-dated post included).
  res.setHeader("Last-Modified", document.lastModified.toUTCString());
  res.setHeader("Cache-Control", "public, max-age=60");
  // Feeds are public: browser-based readers fetch them from other origins.
  res.setHeader("Access-Control-Allow-Origin", "*");
  // res.send answers 304 when the request's validators match (req.fresh) and omits the body for HEAD.
  res.send(document.body);
}

function notFound(res: Response): void {
  res.status(404).type("text/plain").send("No feed here. Every feed Feedwright serves is listed at /\n");
}
