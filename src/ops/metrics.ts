// Prometheus metrics (prom-client) for /metrics: scans, posts, feeds, documents rebuilt,
// requests by route kind, status and format, 304s, bytes sent, WebSub notifications, plus Node's
// process metrics. Requests are counted in plain fields (request-tallies.ts) and handed to
// prom-client only when /metrics is scraped: its own inc() builds and checks the label set on
// every call, which cost more than a 304 of the fast path spends on its own work.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type CounterConfiguration } from "prom-client";
import { TalliesByThreeLabels } from "./request-tallies.js";

/**
 * What metrics count of a scan. Declared here, not imported from publish/, so that ops/ depends on
 * no stage: publish/publisher.ts's ScanReport has these fields.
 */
export interface ScanOutcome {
  readonly ok: boolean;
  readonly full: boolean;
  readonly durationMs: number;
  readonly feeds: { readonly rendered: number } | undefined;
  readonly documentsPrepared: number;
}

/** What metrics count of the state served after a scan: publish/publisher.ts's PublishedState has these. */
export interface ServedCounts {
  readonly build: {
    readonly published: readonly unknown[];
    readonly scheduled: readonly unknown[];
    readonly terms: { readonly category: { readonly size: number }; readonly tag: { readonly size: number } };
  };
  readonly content: { readonly problems: readonly unknown[]; readonly unpublished: readonly unknown[] };
}

/** Route kinds: what a request was for, whatever its exact path. */
export type RouteKind =
  | "site-feed"
  | "category-feed"
  | "tag-feed"
  | "archive-page"
  | "index"
  | "opml"
  | "stylesheet"
  | "health"
  | "ready"
  | "metrics"
  | "rebuild"
  | "redirect"
  | "not-found"
  | "other";

/**
 * Routes that answer with a built document, the only answers a client can revalidate: the 304
 * ratio is over these, so health probes and metrics scrapes (200 every time) do not dilute it.
 */
const DOCUMENT_ROUTES: ReadonlySet<RouteKind> = new Set(["site-feed", "category-feed", "tag-feed", "archive-page", "index", "opml", "stylesheet"]);

export interface RequestSample {
  readonly route: RouteKind;
  /** rss, atom, json, html, opml, xsl, or "none". */
  readonly format: string;
  readonly status: number;
  /** Body bytes sent (0 for 304 and HEAD). */
  readonly bytes: number;
  /** Content coding of the body: br, gzip, identity. */
  readonly encoding: string;
}

export class Metrics {
  readonly registry = new Registry();
  readonly #requests = new TalliesByThreeLabels<RouteKind, number, string>(["route", "status", "format"]);
  readonly #bytes = new TalliesByThreeLabels<RouteKind, string, string>(["route", "format", "encoding"]);
  readonly #scanDuration: Histogram<"result" | "kind">;
  readonly #posts: Gauge<"state">;
  readonly #feeds: Gauge<"kind">;
  readonly #feedsRendered: Counter;
  readonly #documentsPrepared: Counter;
  readonly #websub: Counter<"result">;
  #notModified = 0;
  #conditionalAnswered = 0;

  constructor() {
    const counter = <T extends string>(config: CounterConfiguration<T>): Counter<T> => new Counter({ ...config, registers: [this.registry] });
    const requests = this.#requests;
    const bytes = this.#bytes;
    counter({
      name: "feedwright_http_requests_total",
      help: "HTTP requests answered, by route kind, status and format",
      labelNames: ["route", "status", "format"],
      collect() {
        requests.copyInto(this);
      },
    });
    counter({
      name: "feedwright_http_response_body_bytes_total",
      help: "Body bytes sent, by route kind, format and content coding",
      labelNames: ["route", "format", "encoding"],
      collect() {
        bytes.copyInto(this);
      },
    });
    this.#feedsRendered = counter({ name: "feedwright_feed_pages_rendered_total", help: "Feed pages rendered by scans (each in RSS, Atom and JSON Feed)" });
    this.#documentsPrepared = counter({ name: "feedwright_documents_rebuilt_total", help: "Documents whose bytes changed and were prepared (compressed) again" });
    this.#websub = counter({ name: "feedwright_websub_notifications_total", help: "WebSub publish notifications by final result", labelNames: ["result"] });
    this.#scanDuration = new Histogram({
      name: "feedwright_scan_duration_seconds",
      help: "Time from the start of a scan until its documents were live",
      labelNames: ["result", "kind"],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [this.registry],
    });
    this.#posts = new Gauge({ name: "feedwright_posts", help: "Posts by state in the documents being served", labelNames: ["state"], registers: [this.registry] });
    this.#feeds = new Gauge({ name: "feedwright_feeds", help: "Feeds served (each in three formats), by kind", labelNames: ["kind"], registers: [this.registry] });
    const notModifiedRatio = (): number => (this.#conditionalAnswered === 0 ? 0 : this.#notModified / this.#conditionalAnswered);
    new Gauge({
      name: "feedwright_http_not_modified_ratio",
      help: "Share of document requests answered 200 or 304 that were 304 Not Modified, since start",
      registers: [this.registry],
      // Computed when scraped, from the counts kept in recordRequest.
      collect() {
        this.set(notModifiedRatio());
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: "feedwright_" });
  }

  recordRequest(sample: RequestSample): void {
    this.#requests.at(sample.route, sample.status, sample.format).value++;
    if ((sample.status === 200 || sample.status === 304) && DOCUMENT_ROUTES.has(sample.route)) {
      this.#conditionalAnswered++;
      if (sample.status === 304) this.#notModified++;
    }
    if (sample.bytes > 0) this.#bytes.at(sample.route, sample.format, sample.encoding).value += sample.bytes;
  }

  recordScan(report: ScanOutcome, state: ServedCounts | undefined): void {
    this.#scanDuration.labels(report.ok ? "ok" : "failed", report.full ? "full" : "incremental").observe(report.durationMs / 1000);
    if (report.feeds) this.#feedsRendered.inc(report.feeds.rendered);
    this.#documentsPrepared.inc(report.documentsPrepared);
    if (!state) return;
    this.#posts.labels("published").set(state.build.published.length);
    this.#posts.labels("scheduled").set(state.build.scheduled.length);
    this.#posts.labels("skipped").set(state.content.problems.length);
    this.#posts.labels("unpublished").set(state.content.unpublished.length);
    this.#feeds.labels("site").set(1);
    this.#feeds.labels("category").set(state.build.terms.category.size);
    this.#feeds.labels("tag").set(state.build.terms.tag.size);
  }

  recordWebSub(ok: boolean): void {
    this.#websub.labels(ok ? "ok" : "failed").inc();
  }
}
