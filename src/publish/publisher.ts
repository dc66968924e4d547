// The scheduled job: rescan the posts folder, rebuild every document, and swap the new set in
// at once. A scan never runs twice at the same time (a second request waits for the running
// one), and a scan that fails keeps the last good documents online.
import path from "node:path";
import cron, { type ScheduledTask } from "node-cron";
import type { Config } from "../config.js";
import { loadPosts, type ContentSnapshot } from "../content/load-posts.js";
import type { PostProblem } from "../content/post.js";
import { ServedSite } from "../delivery/served-site.js";
import { buildSite, type SiteBuild } from "../feeds/build-site.js";
import type { Logger } from "../logger.js";

export interface ScanReport {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly ok: boolean;
  /** Why the scan failed (the previous documents stay online). */
  readonly error: string | undefined;
}

export interface PublishedState {
  readonly build: SiteBuild;
  readonly content: ContentSnapshot;
  readonly builtAt: Date;
  /** The same documents, compressed and indexed by path, as the server sends them. */
  readonly served: ServedSite;
  /** First-page feed URLs whose bytes this scan changed (empty for the first scan). */
  readonly changedFeedUrls: readonly string[];
}

/** Whom to tell that feeds changed (the WebSub notifier). */
export interface ChangeListener {
  notify(feedUrls: readonly string[]): void;
}

export type Clock = () => Date;

export class Publisher {
  #state: PublishedState | undefined;
  #lastScan: ScanReport | undefined;
  #running: Promise<ScanReport> | undefined;
  #task: ScheduledTask | undefined;
  #reported = new Set<string>();

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly clock: Clock = () => new Date(),
    private readonly changes?: ChangeListener,
  ) {}

  /** The documents being served, or undefined before the first successful scan. */
  get state(): PublishedState | undefined {
    return this.#state;
  }

  get lastScan(): ScanReport | undefined {
    return this.#lastScan;
  }

  /** Scans now; if a scan is already running, returns that one instead of starting another. */
  scan(): Promise<ScanReport> {
    this.#running ??= this.#scanOnce().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Starts the schedule (node-cron syntax from the config). */
  start(): void {
    this.#task = cron.schedule(this.config.schedule, () => this.scan(), { name: "feedwright-scan", noOverlap: true, timezone: this.config.site.timezone });
  }

  async stop(): Promise<void> {
    await this.#task?.destroy();
    this.#task = undefined;
    await this.#running;
  }

  async #scanOnce(): Promise<ScanReport> {
    const startedAt = this.clock();
    try {
      const content = await loadPosts(this.config);
      const build = buildSite(this.config, content, this.clock());
      const previous = this.#state;
      const served = new ServedSite(this.config, build, previous?.served);
      // The first scan has nothing to compare with: a restart does not notify every feed again.
      const changedFeedUrls = previous ? served.changedFeedUrls(previous.served) : [];
      this.#state = { build, content, builtAt: this.clock(), served, changedFeedUrls };
      if (changedFeedUrls.length > 0) this.changes?.notify(changedFeedUrls);
      this.#logNewProblems(content);
      const report: ScanReport = { startedAt, finishedAt: this.clock(), ok: true, error: undefined };
      this.#lastScan = report;
      return report;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`publish: scan failed${this.#state ? ", the previous feeds stay online" : ""}: ${message}`);
      const report: ScanReport = { startedAt, finishedAt: this.clock(), ok: false, error: message };
      this.#lastScan = report;
      return report;
    }
  }

  /** One log line per problem, when it first appears — not again at every scan. */
  #logNewProblems(content: ContentSnapshot): void {
    const current = new Set<string>();
    const report = (problem: PostProblem, level: "skipped" | "warning"): void => {
      const line = `content: ${formatProblem(this.config.postsDir, problem)}${level === "skipped" ? " (skipped)" : ""}`;
      current.add(line);
      if (this.#reported.has(line)) return;
      if (level === "skipped") this.logger.warn(line);
      else this.logger.info(line);
    };
    for (const problem of content.problems) report(problem, "skipped");
    for (const warning of content.warnings) report(warning, "warning");
    this.#reported = current;
  }
}

/** "posts/2025-11-04-x.md:3: message" — the form editors and `feedwright check` use. */
export function formatProblem(postsDir: string, problem: PostProblem): string {
  const relative = path.relative(process.cwd(), postsDir) || ".";
  // Relative when the folder is under the working directory (as editors expect), absolute otherwise.
  const shownDir = relative.startsWith("..") ? postsDir : relative;
  const file = path.posix.join(shownDir.split(path.sep).join("/"), problem.file);
  return `${file}${problem.line ? `:${problem.line}` : ""}: ${problem.message}`;
}
