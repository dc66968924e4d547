// The scheduled job: rescan the posts folder, rebuild what changed, and swap the new set of
// documents in at once. Requests see the old set or the new one, never a mix: the new set is
// assembled aside and published by one assignment. A scan never overlaps another (a second
// request waits for the running one), and a scan that fails part-way publishes nothing, so the
// last good documents stay online.
//
// Besides the cron schedule, a one-off timer wakes the job at the next instant the feeds change
// by themselves — a future-dated post's date or an expiry — so such a post goes live within a
// second of its time instead of at the next tick.
import type { DiskCache } from "../cache/disk-cache.js";
import { withSiteSettings, type Config } from "../config.js";
import { bodyFrom, ContentLoader, type ContentChanges, type ContentLoad, type ContentSnapshot } from "../content/load-posts.js";
import type { PostBody, PostHead, PostProblem } from "../content/post.js";
import { formatProblem } from "../content/post-error.js";
import { ScanSchedule, type ScheduleClocks, type ScheduleLateness } from "./scan-schedule.js";
import { createPostRenderer, type PostRenderer } from "../content/render-pool.js";
import { Compressor } from "../delivery/compressor.js";
import { COMPRESSION_LEVELS, type CompressedForms } from "../delivery/served-document.js";
import { ServedSite, type CompressedStore } from "../delivery/served-site.js";
import { archivePageMaker } from "./archive-pages.js";
import { allFeeds, planSiteBuild, renderSiteBuild, type PlannedSite, type RenderedFeedStore, type SiteBuild } from "../feeds/build-site.js";
import { heldDocument, storedDocument, type FeedwrightDocument, type StoredDocument } from "../feeds/document.js";
import type { FeedFormat } from "../feeds/routes.js";
import type { Logger } from "../logger.js";
import { MAX_TIMER_MS } from "./max-timer.js";

export interface ScanReport {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** From the start of the scan until the new documents were live. */
  readonly durationMs: number;
  readonly ok: boolean;
  /** Why the scan failed (the previous documents stay online). */
  readonly error: string | undefined;
  /** A cold rebuild: every post read and rendered again, every cache ignored. */
  readonly full: boolean;
  readonly posts: ContentChanges | undefined;
  /** Feed pages rendered by this scan, and taken over unchanged. */
  readonly feeds: { readonly rendered: number; readonly reused: number } | undefined;
  /** Documents whose bytes changed and had to be prepared (compressed) again. */
  readonly documentsPrepared: number;
  /** Where the time went: reading posts, building feeds, preparing documents (ms). */
  readonly phases: { readonly contentMs: number; readonly feedsMs: number; readonly documentsMs: number } | undefined;
  /** First-page feed URLs whose bytes this scan changed (none for the first scan). */
  readonly changedFeedUrls: readonly string[];
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

export interface PublisherResources {
  /** The on-disk cache; none: every start is a cold build. */
  readonly cache?: DiskCache | undefined;
  /** Renders posts; by default a pool of config.workers threads. */
  readonly renderer?: PostRenderer;
  /** Called after every scan, good or failed (metrics). */
  readonly onScan?: (report: ScanReport, state: PublishedState | undefined) => void;
}

export type Clock = () => Date;

/** Bodies rendered per background batch: a scan waits at most for one batch. */
const BODY_CHECK_BATCH = 128;
/** How long a shutdown waits for compression under way. */
const STOP_COMPRESSION_WAIT_MS = 5_000;
/** How long after the first scan the renderer is loaded, if no edit needed it before. */
const RENDERER_PRELOAD_DELAY_MS = 2_000;
/** Plans of one scan before it gives up on a folder whose posts keep changing under it. */
const MAX_PLAN_ATTEMPTS = 3;


export class Publisher {
  #state: PublishedState | undefined;
  #lastScan: ScanReport | undefined;
  #running: Promise<ScanReport> | undefined;
  #schedule: ScanSchedule | undefined;
  #embargoTimer: NodeJS.Timeout | undefined;
  #checkTimer: NodeJS.Timeout | undefined;
  #checking: Promise<void> | undefined;
  /** A background check waits for its turn (see #bodyCheckTurn). */
  #checkWaiting = false;
  #rendererPreload: NodeJS.Timeout | undefined;
  #stopped = false;
  #reported = new Set<string>();
  readonly #loader: ContentLoader;
  readonly #compressor = new Compressor();
  readonly #cache: DiskCache | undefined;
  readonly #onScan: PublisherResources["onScan"];

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly clock: Clock = () => new Date(),
    private readonly changes?: ChangeListener,
    resources: PublisherResources = {},
  ) {
    this.#cache = resources.cache;
    this.#onScan = resources.onScan;
    const renderer = resources.renderer ?? createPostRenderer(config.maxPostBytes, config.workers);
    this.#loader = new ContentLoader(config, renderer, resources.cache);
  }

  /**
   * Ready for traffic: the first build is live, in its compressed forms too, so a replica that
   * joins a load balancer answers as the others do from its first request on.
   */
  get ready(): boolean {
    return this.#ready;
  }

  #ready = false;

  /** The documents being served, or undefined before the first successful scan. */
  get state(): PublishedState | undefined {
    return this.#state;
  }

  get lastScan(): ScanReport | undefined {
    return this.#lastScan;
  }

  /**
   * Scans now; if a scan is already running, returns that one instead of starting another.
   * `fresh`: the scan must begin after this call (POST /-/rebuild answers for a post written just
   * before it, which a scan already under way may have listed too early), so one is queued
   * after the running scan, and every request arriving before it starts shares it. A `full`
   * request always waits and then runs its own cold rebuild.
   */
  scan(options: { full?: boolean; fresh?: boolean } = {}): Promise<ScanReport> {
    const full = options.full === true;
    // A scan that has not begun yet sees every change made before it begins.
    if (!full && this.#waiting) return this.#waiting;
    if (this.#running && !full && options.fresh !== true) return this.#running;
    // A background body check holds the loader for one batch (a fraction of a second).
    const after = this.#running ?? this.#checking ?? Promise.resolve(undefined);
    const run = after.then(() => {
      if (this.#waiting === tracked) this.#waiting = undefined;
      return this.#scanOnce(full);
    });
    const tracked: Promise<ScanReport> = run.finally(() => {
      if (this.#running === tracked) this.#running = undefined;
    });
    this.#running = tracked;
    if (!full) this.#waiting = tracked;
    return tracked;
  }

  /** A scan queued and not begun yet. */
  #waiting: Promise<ScanReport> | undefined;

  /** Starts the schedule (node-cron syntax from the config). */
  start(clocks?: ScheduleClocks): void {
    this.#schedule = new ScanSchedule({
      expression: this.config.schedule,
      timezone: this.#state ? configFor(this.config, this.#state.content).site.timezone : this.config.site.timezone,
      run: () => this.scan(),
      // The embargo timer's delay was computed in the old time: a post due now must not wait it out.
      onStep: () => this.#armEmbargo(this.#state?.build.nextChangeAt),
      logger: this.logger,
      ...(clocks ? { clocks } : {}),
    });
    this.#schedule.start();
  }

  /** How late the schedule is (undefined before start()): /healthz reports a late one. */
  get scheduleLateness(): ScheduleLateness | undefined {
    return this.#schedule?.lateness();
  }

  /**
   * Resolves when no scan is running and the documents being served are in their compressed
   * forms too (they go live uncompressed first; see ServedSite.create).
   */
  async settled(): Promise<void> {
    await this.#running;
    await this.#state?.served.compressed;
  }

  /** Stops the schedule and the embargo timer, lets a running scan finish, stops the workers. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#embargoTimer);
    clearTimeout(this.#checkTimer);
    await this.#checking;
    await this.#schedule?.stop();
    this.#schedule = undefined;
    await this.#running;
    // The compressed forms still being made go to the disk cache too, so a restart has them
    // (waiting a few seconds at most: a shutdown is not held up by a backlog).
    const compressed = this.#state?.served.compressed;
    if (compressed) await Promise.race([compressed, new Promise((resolve) => setTimeout(resolve, STOP_COMPRESSION_WAIT_MS).unref())]);
    await this.#loader.close();
    await this.#cache?.flush();
  }

  async #scanOnce(full: boolean): Promise<ScanReport> {
    this.#cache?.hold();
    try {
      const report = await this.#scanHeld(full);
      this.#onScan?.(report, this.#state);
      return report;
    } finally {
      // Held on until the documents being served are compressed: compression and the cache's
      // writes share libuv's threads and the cores. On a cold start of 10,000 posts, /readyz
      // answered 2.7-3.4 s after /feed.xml with the hold, 4.3-4.6 s with eight writes at a time
      // beside the compression (4 alternating starts; 4.4-5.5 s of CPU in between against 7.1-7.6).
      // Released whichever way the compression ends, and with no rejection left unhandled.
      const release = (): void => this.#cache?.release();
      const compressed = this.#state?.served.compressed;
      if (compressed) void compressed.then(release, release);
      else release();
      this.#preloadRenderer();
      this.#scheduleBodyCheck();
    }
  }

  async #scanHeld(full: boolean): Promise<ScanReport> {
    const startedAt = this.clock();
    const started = performance.now();
    try {
      const loaded = await this.#loader.load({ full });
      const current = this.#state;
      const now = this.clock();
      if (!full && current && loaded.snapshot === current.content && !isDue(current.build.nextChangeAt, now)) {
        // Same posts, and no scheduled post or expiry has come due: the documents are the same.
        const phases = { contentMs: round(performance.now() - started), feedsMs: 0, documentsMs: 0 };
        this.#loader.commit();
        return this.#report({ startedAt, started, full, posts: loaded.changes, feeds: { rendered: 0, reused: allFeeds(current.build).length }, documentsPrepared: 0, changedFeedUrls: [], phases });
      }
      // A cold rebuild renders every page again, but a document whose bytes come out the same
      // keeps the one being served (and its compressed forms): never two copies of the site.
      const previous = full ? undefined : current;
      // Pages rendered by this scan, saved once their documents are compressed (see #renderedStore).
      const rendered: [string, Record<FeedFormat, FeedwrightDocument>][] = [];
      const { planned, bodies, changes } = await this.#planWithBodies(loaded, now, previous?.build, full ? undefined : this.#renderedStore(rendered));
      const contentDone = performance.now();
      // Each newly rendered document is compressed on the thread pool while the next feeds render.
      const onRendered = (document: FeedwrightDocument): void => {
        if (!current?.served.hasEtag(document.etag)) void this.#compressor.compress(document.etag, document.body);
      };
      // Compression gives way to the feed rendering (one thread instead of two) while it runs.
      this.#compressor.scanning = true;
      const siteConfig = configFor(this.config, loaded.snapshot);
      const incremental = await renderSiteBuild(siteConfig, planned, (head) => bodyFrom(bodies, head), onRendered, full ? undefined : this.#renderedStore(rendered), current?.build).finally(
        () => (this.#compressor.scanning = false),
      );
      const feedsDone = performance.now();
      const served = await ServedSite.create(siteConfig, incremental.build, current?.served, this.#compressedStore(full), archivePageMaker(siteConfig, this.#pageBodies), this.#compressor);
      const phases = { contentMs: round(contentDone - started), feedsMs: round(feedsDone - contentDone), documentsMs: round(performance.now() - feedsDone) };
      // The first scan has nothing to compare with: a restart does not notify every feed again.
      const changedFeedUrls = current ? served.changedFeedUrls(current.served) : [];
      const content = this.#loader.current();
      // Publication: one assignment, after which every request sees the new documents.
      this.#state = { build: incremental.build, content, builtAt: this.clock(), served, changedFeedUrls };
      this.#loader.commit();
      // Compression still waiting for documents this build no longer serves is dropped.
      this.#compressor.retain(served.interimEtags());
      if (!this.#ready) void served.compressed.then(() => (this.#ready = true));
      void served.compressed.then(() => this.#saveRendered(rendered));
      this.#loader.pinBodies(planned.firstPageItems, bodies);
      const report = this.#report({
        startedAt,
        started,
        full,
        posts: changes,
        feeds: { rendered: incremental.rendered, reused: incremental.reused },
        documentsPrepared: served.prepared,
        changedFeedUrls,
        phases,
      });
      // Hubs fetch the feeds at once: tell them when the compressed forms are there too.
      if (changedFeedUrls.length > 0) void served.compressed.then(() => this.changes?.notify(changedFeedUrls));
      this.#logScan(report);
      this.#logCompressed(served, started);
      this.#logNewProblems(content);
      this.#armEmbargo(incremental.build.nextChangeAt);
      this.#pruneCache(incremental.build);
      return report;
    } catch (error) {
      this.#loader.rollback();
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`publish: scan failed${this.#state ? ", the previous feeds stay online" : ""}: ${message}`, { event: "scan", ok: false, error: message });
      const report: ScanReport = {
        startedAt,
        finishedAt: this.clock(),
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        ok: false,
        error: message,
        full,
        posts: undefined,
        feeds: undefined,
        documentsPrepared: 0,
        changedFeedUrls: [],
        phases: undefined,
      };
      this.#lastScan = report;
      return report;
    }
  }

  #report(parts: Pick<ScanReport, "startedAt" | "full" | "posts" | "feeds" | "documentsPrepared" | "changedFeedUrls" | "phases"> & { started: number }): ScanReport {
    const { started, ...rest } = parts;
    const report: ScanReport = { ...rest, finishedAt: this.clock(), durationMs: round(performance.now() - started), ok: true, error: undefined };
    this.#lastScan = report;
    return report;
  }

  /**
   * Plans the build and gets the bodies its new pages need. A body that fails takes its post out
   * of the feeds, so the pages are planned again without it; a file that changed since its head
   * was read is read again first (a few times at most: a folder that never stops changing fails
   * the scan, and the next one tries again).
   */
  async #planWithBodies(loaded: ContentLoad, now: Date, previous: SiteBuild | undefined, store: RenderedFeedStore | undefined): Promise<{ planned: PlannedSite; bodies: Map<string, PostBody>; changes: ContentChanges }> {
    const bodies = new Map<string, PostBody>();
    let changes = loaded.changes;
    let content = loaded.snapshot;
    for (let attempt = 1; ; attempt++) {
      const planned = await planSiteBuild(configFor(this.config, content), content, now, previous, store);
      const result = await this.#loader.bodies(planned.needed.filter((head) => !bodies.has(head.revision)));
      if (!result.ok) {
        if (attempt >= MAX_PLAN_ATTEMPTS) throw new Error(`content: posts kept changing while they were read (${result.changedFiles.slice(0, 3).join(", ")}); the next scan reads them again`);
        const reloaded = await this.#loader.load();
        changes = mergeChanges(changes, reloaded.changes);
        content = reloaded.snapshot;
        continue;
      }
      for (const [revision, body] of result.bodies) bodies.set(revision, body);
      if (!result.snapshotChanged) return { planned, bodies, changes };
      content = this.#loader.current();
    }
  }

  /** Bodies for an archive page, rendered when it is first asked for. */
  readonly #pageBodies = async (heads: readonly PostHead[]): Promise<ReadonlyMap<string, PostBody> | undefined> => {
    const result = await this.#loader.bodies(heads);
    if (!result.ok || result.snapshotChanged) {
      // A post changed or failed to render since the build: the next scan fixes the pages.
      void this.scan();
      return undefined;
    }
    return result.bodies;
  };

  /**
   * A cold build publishes as soon as its first pages are rendered; the bodies no page needed yet
   * are rendered afterwards, a batch at a time whenever no scan is running, so that a post that
   * cannot be rendered is still found (and taken out of the feeds) and the disk cache is filled.
   */
  #scheduleBodyCheck(): void {
    if (this.#stopped || this.#checkTimer || this.#checkWaiting || this.#loader.bodiesPending === 0) return;
    this.#checkTimer = setTimeout(() => {
      this.#checkTimer = undefined;
      // A scan under way schedules the check again when it ends.
      if (this.#stopped || this.#running) return;
      // Waited for outside #checking, which a scan waits for: the wait never delays a scan.
      this.#checkWaiting = true;
      void this.#bodyCheckTurn().then(() => {
        this.#checkWaiting = false;
        if (this.#stopped || this.#running || this.#checking) return;
        const checking = this.#loader.checkBodies(BODY_CHECK_BATCH).then(
          (result) => {
            if (result.snapshotChanged || result.changedFiles.length > 0) void this.scan();
            else if (result.remaining === 0) this.logger.info("publish: every post's body is rendered and checked", { event: "bodies-checked" });
          },
          (error: unknown) => this.logger.warn(`publish: checking posts in the background failed (${error instanceof Error ? error.message : String(error)}); the next scan tries again`),
        );
        this.#checking = checking.finally(() => {
          this.#checking = undefined;
          this.#scheduleBodyCheck();
        });
      });
    }, 0);
    // The HTTP server keeps the process alive; this timer alone must not.
    this.#checkTimer.unref();
  }

  /**
   * Waits until the documents being served are compressed and the disk cache's queue is short:
   * the bodies checked in the background are the least urgent work there is, and each batch
   * adds its entries to that queue, which holds them in memory until they are written. Doing
   * both at once after a cold build made it the memory peak of the process.
   */
  async #bodyCheckTurn(): Promise<void> {
    await this.#state?.served.compressed;
    await this.#cache?.fewerWaitingThan(BODY_CHECK_BATCH);
  }

  /**
   * The first edit after a warm start renders its post on this thread: load the renderer (marked,
   * sanitize-html, YAML) once the service has been idle a moment, not while it starts serving.
   * Measured on 10,000 posts, the first edit of the newest post 3.5 s after a warm start: 411–495
   * ms with the preload (content stage 227–261 ms, 3 runs) and 497–607 ms without (337–392 ms, 5
   * runs).
   */
  #preloadRenderer(): void {
    if (this.#rendererPreload || this.#stopped) return;
    this.#rendererPreload = setTimeout(() => void import("../content/render-file.js"), RENDERER_PRELOAD_DELAY_MS);
    this.#rendererPreload.unref();
  }

  /** Posts whose Markdown no page has needed yet; the background check renders them. */
  get bodiesPending(): number {
    return this.#loader.bodiesPending;
  }

  /** Wakes the job when a scheduled post is due or a post expires (within a second of it). */
  #armEmbargo(next: Date | undefined): void {
    clearTimeout(this.#embargoTimer);
    this.#embargoTimer = undefined;
    if (!next || this.#stopped) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, next.getTime() - this.clock().getTime()));
    this.#embargoTimer = setTimeout(() => void this.scan(), delay);
    // The HTTP server keeps the process alive; this timer alone must not.
    this.#embargoTimer.unref();
  }

  /**
   * Rendered feed pages in the disk cache. What a scan renders is collected in `rendered` and
   * saved by #saveRendered once compressed, in its gzip form: a warm restart of 10,000 posts
   * then reads 20 MB of them instead of 146 MB.
   */
  #renderedStore(rendered: [string, Record<FeedFormat, FeedwrightDocument>][]): RenderedFeedStore | undefined {
    const cache = this.#cache;
    if (!cache) return undefined;
    return {
      getMany: async (keys) =>
        (await cache.getMany<Record<FeedFormat, StoredDocument>>("rendered", keys)).map(
          (documents) => documents && { rss: heldDocument(documents.rss), atom: heldDocument(documents.atom), json: heldDocument(documents.json) },
        ),
      put: (key, documents) => void rendered.push([key, documents]),
    };
  }

  #saveRendered(rendered: readonly [string, Record<FeedFormat, FeedwrightDocument>][]): void {
    const cache = this.#cache;
    if (!cache || rendered.length === 0) return;
    // Pages a later build already replaced are not worth saving (its prune has run).
    const live = new Set(this.#state ? allFeeds(this.#state.build).map((feed) => feed.key) : []);
    for (const [key, documents] of rendered) {
      if (live.has(key)) cache.put("rendered", key, { rss: storedDocument(documents.rss), atom: storedDocument(documents.atom), json: storedDocument(documents.json) });
    }
  }

  /** The disk cache's compressed forms (not looked up by a cold rebuild, which makes them again). */
  #compressedStore(full: boolean): CompressedStore | undefined {
    const cache = this.#cache;
    if (!cache) return undefined;
    return {
      getMany: async (etags) => (full ? [] : cache.getMany<CompressedForms>("compressed", etags.map(compressedKey))),
      put: (etag, forms) => cache.put("compressed", compressedKey(etag), forms),
    };
  }

  /** Drops cache entries the current build no longer uses, so the cache does not grow forever. */
  #pruneCache(build: SiteBuild): void {
    const cache = this.#cache;
    if (!cache) return;
    const feeds = allFeeds(build);
    cache.prune("rendered", new Set(feeds.map((feed) => feed.key)));
    const etags = new Set<string>();
    for (const feed of feeds) for (const document of Object.values(feed.documents)) etags.add(compressedKey(document.etag));
    for (const document of [build.index, build.opml, build.stylesheet]) etags.add(compressedKey(document.etag));
    cache.prune("compressed", etags);
  }

  /** When a scan published uncompressed documents: one line once their compressed forms are in place. */
  #logCompressed(served: ServedSite, started: number): void {
    const interim = served.prepared;
    if (interim === 0) return;
    void served.compressed.then(() => {
      const ms = round(performance.now() - started);
      this.logger.info(`publish: the ${interim} new documents are compressed ${ms} ms after the scan started`, { event: "compressed", documents: interim, sinceScanStartMs: ms });
    });
  }

  /** One line per scan that changed something (an unchanged scan every minute stays quiet). */
  #logScan(report: ScanReport): void {
    const posts = report.posts;
    const changedPosts = posts ? posts.added.length + posts.changed.length + posts.removed.length : 0;
    const feeds = report.feeds;
    if (changedPosts === 0 && (feeds?.rendered ?? 0) === 0 && report.documentsPrepared === 0) return;
    this.logger.info(
      `publish: ${report.full ? "full rebuild" : "scan"} in ${report.durationMs} ms: ` +
        `${posts?.added.length ?? 0} added, ${posts?.changed.length ?? 0} changed, ${posts?.removed.length ?? 0} removed posts ` +
        `(${posts?.rendered ?? 0} rendered, ${posts?.fromDiskCache ?? 0} from the cache); ` +
        `${feeds?.rendered ?? 0} feed pages rendered, ${feeds?.reused ?? 0} unchanged; ${report.documentsPrepared} documents prepared`,
      {
        event: "scan",
        ok: true,
        full: report.full,
        durationMs: report.durationMs,
        postsSeen: this.#state?.content.posts.length,
        postsAdded: posts?.added.length,
        postsChanged: posts?.changed.length,
        postsRemoved: posts?.removed.length,
        postsRendered: posts?.rendered,
        postsFromCache: posts?.fromDiskCache,
        postsSkipped: this.#state?.content.problems.length,
        feedsRebuilt: feeds?.rendered,
        feedsUnchanged: feeds?.reused,
        documentsPrepared: report.documentsPrepared,
        ...report.phases,
      },
    );
  }

  /** One log line per problem, when it first appears — not again at every scan. */
  #logNewProblems(content: ContentSnapshot): void {
    const current = new Set<string>();
    const report = (problem: PostProblem, level: "skipped" | "warning"): void => {
      const line = `content: ${formatProblem(content.source.root, problem)}${level === "skipped" ? " (skipped)" : ""}`;
      current.add(line);
      if (this.#reported.has(line)) return;
      const fields = { event: level === "skipped" ? "post-skipped" : "post-warning", file: problem.file, line: problem.line, problem: problem.message };
      if (level === "skipped") this.logger.warn(line, fields);
      else this.logger.info(line, fields);
    };
    for (const problem of content.problems) report(problem, "skipped");
    for (const warning of content.warnings) report(warning, "warning");
    this.#reported = current;
  }
}

/**
 * The disk cache's key of a first-page document's compressed forms: its ETag and the levels they
 * are made at, so that forms made at other levels are not served again.
 */
function compressedKey(etag: string): string {
  const { gzip, brotli } = COMPRESSION_LEVELS.subscription;
  return `${etag.slice(1, -1)}-g${gzip}b${brotli}`;
}

function mergeChanges(first: ContentChanges, second: ContentChanges): ContentChanges {
  const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])];
  return {
    added: union(first.added, second.added),
    changed: union(first.changed, second.changed),
    removed: union(first.removed, second.removed),
    read: first.read + second.read,
    rendered: first.rendered + second.rendered,
    fromDiskCache: first.fromDiskCache + second.fromDiskCache,
  };
}

function round(milliseconds: number): number {
  return Math.round(milliseconds * 10) / 10;
}

function isDue(next: Date | undefined, now: Date): boolean {
  return next !== undefined && next.getTime() <= now.getTime();
}

/** "posts/2025-11-04-x.md:3: message" — the form editors and `feedwright check` use. */
/**
 * The configuration a build applies: a Jekyll site's settings as this scan read them. The same
 * settings give the same object, so feed keys stay put while nothing changes.
 */
function configFor(config: Config, content: ContentSnapshot): Config {
  const source = content.source;
  let cached = effectiveConfigs.get(source);
  if (cached?.base !== config) {
    cached = { base: config, effective: withSiteSettings(config, source.settings.site, source.feedLimit) };
    effectiveConfigs.set(source, cached);
  }
  return cached.effective;
}

const effectiveConfigs = new WeakMap<object, { base: Config; effective: Config }>();
