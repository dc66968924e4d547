// Reads and renders post files, on worker threads when there are enough of them to be worth it.
//
// A cold build of thousands of posts is YAML, Markdown and HTML work that is pure and independent
// per post, so it is spread over a piscina pool of `config.workers` threads while the main thread
// keeps answering requests. A rescan that finds one edited post handles it on the main thread:
// waking a pool (each thread loads marked, sanitize-html, …) would cost more than the post.
import { availableParallelism } from "node:os";
import type { Piscina } from "piscina";
import type { ContentSettings } from "./settings.js";
import type { LiquidSiteData } from "./jekyll/liquid-site.js";
import type { BodyResult, HeadResult } from "./render-file.js";
import type { BodyToRender, HeadToRead, RenderTask, RenderTaskResult } from "./render-worker.js";
import { TimeSlices } from "../time-slices.js";

export type { BodyToRender, HeadToRead } from "./render-worker.js";

export interface PostRenderer {
  /** Heads of `files` (front matter only), in their order. */
  heads(files: readonly HeadToRead[], settings: ContentSettings): Promise<HeadResult[]>;
  /**
   * Bodies of `files` (rendered Markdown), in their order. `background`: work that nothing waits
   * for, done one batch at a time on one thread.
   */
  bodies(files: readonly BodyToRender[], settings: ContentSettings, options?: { readonly background?: boolean; readonly liquid?: LiquidSiteData | undefined }): Promise<BodyResult[]>;
  close(): Promise<void>;
}

/** Below this many files the main thread does them itself. */
const POOL_THRESHOLD = 64;
/** Longest run of rendering on the main thread between two yields to the event loop. */
const INLINE_SLICE_MS = 8;
/** Files per message to a worker: large enough to amortize messaging, small enough to balance. */
const BATCH_SIZE = 32;
const WORKER_HEAP_MB = 96;
/**
 * A worker's young generation: a batch's garbage is short-lived, and V8's default (tens of MB per
 * thread) only made each thread's memory larger (about 50 MB less at the peak of a cold build of
 * 10,000 posts with 8, for no measurable loss of speed).
 */
const WORKER_YOUNG_HEAP_MB = 8;
/**
 * Threads stop after this long without work. A cold build keeps them busy from one phase to the
 * next (heads, first-page bodies, the other bodies); each holds tens of megabytes, so they do not
 * linger once it is done.
 */
const IDLE_TIMEOUT_MS = 3_000;

export function createPostRenderer(maxPostBytes: number, workers: number): PostRenderer {
  let pool: Promise<Piscina<RenderTask, RenderTaskResult>> | undefined;
  let backgroundPool: Promise<Piscina<RenderTask, RenderTaskResult>> | undefined;
  // Loaded on first use: a warm restart renders nothing and need not load marked,
  // sanitize-html and gray-matter at all.
  const inline = async (task: RenderTask): Promise<RenderTaskResult> => {
    const { default: renderBatch } = await import("./render-worker.js");
    // A few milliseconds at a time, yielding to the event loop between slices: a folder of
    // 100,000 files read on this thread (workers: 0) stalled every request for seconds.
    const results: RenderTaskResult[number][] = [];
    const slices = new TimeSlices(INLINE_SLICE_MS);
    for (let index = 0; index < task.files.length; index++) {
      await slices.yieldIfDue();
      results.push(...renderBatch({ ...task, files: task.files.slice(index, index + 1) } as RenderTask));
    }
    return results as RenderTaskResult;
  };
  const run = async (task: RenderTask, background = false): Promise<RenderTaskResult> => {
    if (task.files.length === 0) return [];
    if (workers <= 0 || task.files.length < POOL_THRESHOLD) return inline(task);
    // Background work has a pool of one thread of its own: the other threads of a cold build
    // stop once idle, and one thread's memory is what the background check adds.
    const running = await (background ? (backgroundPool ??= createPool(1)) : (pool ??= createPool(Math.min(workers, availableParallelism() * 2))));
    const runBatch = (batch: RenderTask): Promise<RenderTaskResult> => running.run(batch).catch((error: unknown) => runAfterWorkerFailure(batch, error, inline));
    const batches: RenderTask[] = [];
    for (let start = 0; start < task.files.length; start += BATCH_SIZE) batches.push({ ...task, files: task.files.slice(start, start + BATCH_SIZE) } as RenderTask);
    if (!background) return (await Promise.all(batches.map(runBatch))).flat() as RenderTaskResult;
    const results: RenderTaskResult[] = [];
    for (const batch of batches) results.push(await runBatch(batch));
    return results.flat() as RenderTaskResult;
  };
  return {
    heads: async (files, settings) => (await run({ kind: "heads", settings, maxPostBytes, files })) as HeadResult[],
    bodies: async (files, settings, options) => (await run({ kind: "bodies", settings, maxPostBytes, files, liquid: options?.liquid }, options?.background)) as BodyResult[],
    async close() {
      await Promise.all([pool?.then((started) => started.destroy()), backgroundPool?.then((started) => started.destroy())]);
      pool = undefined;
      backgroundPool = undefined;
    },
  };
}

/**
 * One post can need more than a worker's heap (WORKER_HEAP_MB): a 250 KB post of nested
 * blockquotes does, and the worker dies. Failing the scan for that would let a single post keep
 * `serve` from ever starting, so a batch whose worker ran out of memory is done again on the main
 * thread, whose heap is the one an incremental rescan uses for that post anyway: the results are
 * the ones a single-threaded build gives. Any other failure (a worker that exited or could not
 * start) fails the scan, and the last good feeds stay online.
 */
async function runAfterWorkerFailure(batch: RenderTask, error: unknown, inline: (task: RenderTask) => Promise<RenderTaskResult>): Promise<RenderTaskResult> {
  if ((error as NodeJS.ErrnoException | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY") return inline(batch);
  const reason = error instanceof Error ? error.message : String(error);
  const first = batch.files[0]?.sourcePath ?? "";
  const last = batch.files.at(-1)?.sourcePath ?? "";
  const doing = batch.kind === "heads" ? "reading the front matter of" : "rendering";
  throw new Error(`content: a render worker failed (${reason}) while ${doing} ${batch.files.length} posts (${first}${batch.files.length > 1 ? ` … ${last}` : ""}); nothing from this scan is published, and the next scan tries again`, { cause: error });
}

/** piscina is loaded with the first pool: a scan that renders nothing (a warm restart, an unchanged `build`) never loads it. */
async function createPool(threads: number): Promise<Piscina<RenderTask, RenderTaskResult>> {
  const { startWorkerPool } = await import("../worker-pool.js");
  // A worker holds one batch at a time; its small heap keeps a cold build of 10,000 posts within
  // the memory budget with room to spare.
  return startWorkerPool<RenderTask, RenderTaskResult>(import.meta.url, "render-worker", {
    threads,
    heapMb: WORKER_HEAP_MB,
    youngHeapMb: WORKER_YOUNG_HEAP_MB,
    idleTimeoutMs: IDLE_TIMEOUT_MS,
  });
}
