// /healthz: is the service serving, when did it last scan, and which posts were skipped and why.
import type { Publisher } from "../publish/publisher.js";
import type { PostProblem } from "../content/post.js";

export interface HealthReport {
  /**
   * "ok"; "degraded" when the last scan failed (older feeds are served) or the schedule has not
   * run for much longer than it should; "starting" before the first scan.
   */
  readonly status: "ok" | "degraded" | "starting";
  readonly lastScan: {
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly durationMs: number;
    readonly ok: boolean;
    readonly error?: string;
    /** Posts added, changed and removed by that scan, and feed pages it rendered. */
    readonly added?: number;
    readonly changed?: number;
    readonly removed?: number;
    readonly feedsRendered?: number;
  } | null;
  /**
   * The schedule: seconds since it last ran, the gap it planned after that, and whether it is
   * late (null when there is no schedule, as in `feedwright build`).
   */
  readonly schedule: { readonly sinceLastRunS: number; readonly expectedEveryS: number; readonly late: boolean } | null;
  /** When the documents being served were built. */
  readonly builtAt: string | null;
  readonly posts: {
    readonly published: number;
    readonly scheduled: number;
    readonly unpublished: number;
    readonly skipped: number;
    /**
     * Posts whose Markdown no page has needed yet: a cold build publishes the first pages first
     * and renders the others in the background, and only then can a post whose body cannot be
     * rendered be listed as skipped.
     */
    readonly renderPending: number;
  };
  readonly feeds: { readonly categories: number; readonly tags: number };
  /** First-page documents still served uncompressed while their gzip and Brotli forms are made. */
  readonly documents: { readonly compressionPending: number };
  /** The next future-dated post's date, if any. */
  readonly nextScheduled: string | null;
  readonly skipped: readonly HealthProblem[];
  readonly warnings: readonly HealthProblem[];
}

export interface HealthProblem {
  readonly file: string;
  readonly line: number | null;
  readonly message: string;
}

export function healthReport(publisher: Publisher): HealthReport {
  const state = publisher.state;
  const scan = publisher.lastScan;
  const problem = (entry: PostProblem): HealthProblem => ({ file: entry.file, line: entry.line ?? null, message: entry.message });
  const schedule = publisher.scheduleLateness;
  return {
    status: !state ? "starting" : (scan && !scan.ok) || schedule?.late === true ? "degraded" : "ok",
    lastScan: scan
      ? {
          startedAt: scan.startedAt.toISOString(),
          finishedAt: scan.finishedAt.toISOString(),
          durationMs: scan.durationMs,
          ok: scan.ok,
          ...(scan.error ? { error: scan.error } : {}),
          ...(scan.posts ? { added: scan.posts.added.length, changed: scan.posts.changed.length, removed: scan.posts.removed.length } : {}),
          ...(scan.feeds ? { feedsRendered: scan.feeds.rendered } : {}),
        }
      : null,
    schedule: schedule ? { sinceLastRunS: Math.round(schedule.sinceLastTickMs / 1000), expectedEveryS: Math.round(schedule.expectedGapMs / 1000), late: schedule.late } : null,
    builtAt: state ? state.builtAt.toISOString() : null,
    posts: {
      published: state?.build.published.length ?? 0,
      scheduled: state?.build.scheduled.length ?? 0,
      unpublished: state?.content.unpublished.length ?? 0,
      skipped: state?.content.problems.length ?? 0,
      renderPending: state ? publisher.bodiesPending : 0,
    },
    feeds: { categories: state?.build.terms.category.size ?? 0, tags: state?.build.terms.tag.size ?? 0 },
    documents: { compressionPending: state ? state.served.interimEtags().size : 0 },
    nextScheduled: state?.build.scheduled[0]?.date.toISOString() ?? null,
    skipped: state?.content.problems.map(problem) ?? [],
    warnings: state?.content.warnings.map(problem) ?? [],
  };
}
