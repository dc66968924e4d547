// A render worker that dies: for test/hostile/faults.test.ts, which swaps it in for
// src/content/render-worker.ts. A batch holding a post with the marker below makes the worker
// thread exit at once, as a native crash or an abort would; every other batch is rendered by the
// real worker code.
import renderBatch, { type RenderTask, type RenderTaskResult } from "../../src/content/render-worker.js";

export const CRASH_MARKER = "CRASH-THE-RENDER-WORKER";

export default function crashingRenderBatch(task: RenderTask): RenderTaskResult {
  const marker = Buffer.from(CRASH_MARKER);
  if (task.files.some((file) => Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength).includes(marker))) process.exit(70);
  return renderBatch(task);
}
