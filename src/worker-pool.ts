// A piscina pool of worker threads running one module, as both pools of Feedwright start them:
// the post renderer (content/render-pool.ts) and the static export's feed renderer
// (publish/export-renderer.ts).
import { Piscina } from "piscina";

export interface WorkerPoolOptions {
  readonly threads: number;
  /** Each thread's old-generation heap: a small one makes V8 collect early instead of growing. */
  readonly heapMb: number;
  readonly youngHeapMb: number;
  /** Threads stop after this long without work. */
  readonly idleTimeoutMs: number;
}

/**
 * A pool running the module `workerName` that lies beside `callerUrl` (the caller's
 * import.meta.url). In development and tests the caller is TypeScript run by tsx or vitest, and
 * the worker then needs tsx too; the published build runs the compiled .js worker directly.
 */
export function startWorkerPool<Task, Result>(callerUrl: string, workerName: string, options: WorkerPoolOptions): Piscina<Task, Result> {
  const fromSource = callerUrl.endsWith(".ts");
  return new Piscina<Task, Result>({
    filename: new URL(`./${workerName}.${fromSource ? "ts" : "js"}`, callerUrl).href,
    minThreads: 0,
    maxThreads: options.threads,
    idleTimeout: options.idleTimeoutMs,
    resourceLimits: { maxOldGenerationSizeMb: options.heapMb, maxYoungGenerationSizeMb: options.youngHeapMb },
    execArgv: fromSource ? ["--import", "tsx"] : [],
  });
}
