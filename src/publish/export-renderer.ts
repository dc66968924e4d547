// Renders and compresses the static export's feed documents on every core: a cold export of
// 10,000 posts is about 11,000 feed documents (2 GB) to render, gzip and Brotli, work that is
// pure and independent per document. With no worker threads (`workers: 0`) the main thread does
// it, giving the same bytes.
import type { Piscina } from "piscina";
import { nextTurn } from "../time-slices.js";
import renderFeedDocumentFiles, { type FeedDocumentFiles, type FeedDocumentTask } from "./export-worker.js";

/**
 * Below this many feed documents to render, the main thread renders them: a thread takes about
 * 0.3 s to start and load the renderer, and a document 15 ms on the main thread (11 subscription
 * documents of a new post, 10,000-post corpus: 172 ms on the main thread, against about 0.4 s of
 * waiting for two threads).
 */
export const POOL_THRESHOLD = 32;

export interface FeedDocumentRenderer {
  render(task: FeedDocumentTask): Promise<FeedDocumentFiles>;
  /** How many tasks may wait at once: enough to keep every thread busy, few enough to bound memory. */
  readonly parallel: number;
  close(): Promise<void>;
}

/**
 * A document of 20 long posts is a few MB in three formats plus their compressed forms. A thread
 * holds one document at a time, and a small heap keeps the export's memory down; a document that
 * needs more (posts near max_post_bytes) is rendered on the main thread instead.
 */
const WORKER_HEAP_MB = 128;
const WORKER_YOUNG_HEAP_MB = 16;
const IDLE_TIMEOUT_MS = 1_000;

export function createFeedDocumentRenderer(threads: number, heapMb = WORKER_HEAP_MB): FeedDocumentRenderer {
  if (threads <= 0) {
    return {
      // A macrotask between documents, so signals and timers are seen during a long export.
      render: async (task) => {
        await nextTurn();
        return renderFeedDocumentFiles(task);
      },
      parallel: 1,
      close: () => Promise.resolve(),
    };
  }
  // Started with the first document to render: an export with nothing to render (nothing
  // changed) does not even load piscina.
  let pool: Promise<Piscina<FeedDocumentTask, FeedDocumentFiles>> | undefined;
  const started = (): Promise<Piscina<FeedDocumentTask, FeedDocumentFiles>> =>
    (pool ??= import("../worker-pool.js").then(({ startWorkerPool }) =>
      startWorkerPool<FeedDocumentTask, FeedDocumentFiles>(import.meta.url, "export-worker", {
        threads,
        heapMb,
        youngHeapMb: WORKER_YOUNG_HEAP_MB,
        idleTimeoutMs: IDLE_TIMEOUT_MS,
      }),
    ));
  return {
    render: async (task) => {
      try {
        return await (await started()).run(task);
      } catch (error) {
        if ((error as NodeJS.ErrnoException | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY") return renderFeedDocumentFiles(task);
        throw error;
      }
    },
    parallel: threads * 2,
    close: async () => {
      await (await pool)?.destroy();
      pool = undefined;
    },
  };
}
