// Renders post files, on worker threads when there are enough of them to be worth it.
//
// A cold build of thousands of posts is Markdown and HTML work that is pure and independent per
// post, so it is spread over a piscina pool of `config.workers` threads while the main thread
// keeps answering requests. A rescan that finds one edited post renders it on the main thread:
// waking a pool (each thread loads marked, sanitize-html, …) would cost more than the post.
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { SiteConfig } from "../config.js";
import type { LoadResult } from "./render-file.js";
import type { RenderTask } from "./render-worker.js";

export interface FileToRender {
  readonly sourcePath: string;
  readonly bytes: Uint8Array;
  readonly revision: string;
}

export interface PostRenderer {
  /** Results in the order of `files`. */
  render(files: readonly FileToRender[]): Promise<LoadResult[]>;
  close(): Promise<void>;
}

/** Below this many files the main thread renders them itself. */
const POOL_THRESHOLD = 64;
/** Files per message to a worker: large enough to amortize messaging, small enough to balance. */
const BATCH_SIZE = 32;
const WORKER_HEAP_MB = 96;
/** Idle threads are stopped after this long (and always once a large render is done). */
const IDLE_TIMEOUT_MS = 30_000;

export function createPostRenderer(site: SiteConfig, maxPostBytes: number, workers: number): PostRenderer {
  let pool: Piscina<RenderTask, LoadResult[]> | undefined;
  const inline = async (files: readonly FileToRender[]): Promise<LoadResult[]> => {
    if (files.length === 0) return [];
    // Loaded on first use: a warm restart renders nothing and need not load marked,
    // sanitize-html and gray-matter at all.
    const { renderPostBytes } = await import("./render-file.js");
    return files.map((file) => renderPostBytes(file.sourcePath, file.bytes, site, maxPostBytes, file.revision));
  };
  return {
    async render(files) {
      if (workers <= 0 || files.length < POOL_THRESHOLD) return inline(files);
      pool ??= createPool(Math.min(workers, availableParallelism() * 2));
      const running = pool;
      const batches: Promise<LoadResult[]>[] = [];
      for (let start = 0; start < files.length; start += BATCH_SIZE) {
        const batch = files.slice(start, start + BATCH_SIZE);
        batches.push(running.run({ site, maxPostBytes, files: batch }).catch((error: unknown) => renderAfterWorkerFailure(batch, error, inline)));
      }
      try {
        return (await Promise.all(batches)).flat();
      } finally {
        // Large renders are rare (a cold build); each thread holds tens of megabytes, which the
        // feeds built next need more. The next large render starts the threads again.
        if (pool === running) pool = undefined;
        await running.destroy();
      }
    },
    async close() {
      await pool?.destroy();
      pool = undefined;
    },
  };
}

/**
 * Hardening fix (hostile content): one post can need more than a worker's heap (WORKER_HEAP_MB) —
 * a 250 KB post of nested blockquotes does. The worker dies, and that used to fail every cold
 * build, so a single post kept `serve` from ever starting. A batch whose worker ran out of memory
 * is rendered again on the main thread, whose heap is the one an incremental rescan renders that
 * post with anyway: the results are the ones a single-threaded build gives. Any other failure (a
 * worker that exited or could not start) still fails the scan, and the last good feeds stay online.
 */
async function renderAfterWorkerFailure(batch: readonly FileToRender[], error: unknown, inline: (files: readonly FileToRender[]) => Promise<LoadResult[]>): Promise<LoadResult[]> {
  if ((error as NodeJS.ErrnoException | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY") return inline(batch);
  const reason = error instanceof Error ? error.message : String(error);
  const first = batch[0]?.sourcePath ?? "";
  const last = batch.at(-1)?.sourcePath ?? "";
  throw new Error(`content: a render worker failed (${reason}) while rendering ${batch.length} posts (${first}${batch.length > 1 ? ` … ${last}` : ""}); nothing from this scan is published, and the next scan tries again`, { cause: error });
}

function createPool(threads: number): Piscina<RenderTask, LoadResult[]> {
  // In development and tests this module is TypeScript run by tsx/vitest; the worker then needs
  // tsx too. The published build runs the compiled .js worker directly.
  const fromSource = import.meta.url.endsWith(".ts");
  const filename = new URL(`./render-worker.${fromSource ? "ts" : "js"}`, import.meta.url).href;
  return new Piscina<RenderTask, LoadResult[]>({
    filename,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: IDLE_TIMEOUT_MS,
    // A worker holds one batch at a time; a small heap makes V8 collect early instead of growing
    // (a cold build of 10,000 posts stays within the memory budget with room to spare).
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    execArgv: fromSource ? ["--import", "tsx"] : [],
  });
}
