// The server's memory during the load. Two kinds of figure, because they answer two questions:
//
// - Resident set size (VmRSS, from /proc) once a second: what the machine sees. It cannot tell a
//   leak from a plateau: V8 lets the heap grow between major collections and gives pages back
//   lazily, and the C allocator keeps the pages of freed Buffers (documents, their gzip and
//   Brotli forms, zlib's state) for reuse, so RSS rises to the high-water mark of a burst of
//   work and stays there with nothing leaked.
// - Retained memory: the V8 heap and the memory held by Buffers (external) right after a full
//   collection, asked of the server through a probe it loads at start (below). That is what the
//   program really holds; a leak makes it grow without bound, a plateau levels off.
//
// The probe: `node --expose-gc --import <probe>` on the server, talking over an IPC channel
// that the test opens when it spawns the server. Asked { probe: "memory" }, it runs a full GC and
// answers process.memoryUsage(); asked { probe: "snapshot", file }, it writes a heap snapshot
// there. It is plain JavaScript, written into the run's folder, because the server runs compiled
// code under plain node; nothing of it is in Feedwright itself. The channel is unref'd, so it
// never keeps the server from exiting on SIGTERM.
import { writeFileSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { fetchText, residentBytes } from "./server-process.js";

const PROBE_SOURCE = `// Written by test/load/memory.ts for one load-test run.
import { writeHeapSnapshot } from "node:v8";
if (process.channel) {
  process.on("message", (message) => {
    if (message === null || typeof message !== "object" || typeof message.id !== "number") return;
    if (message.probe === "memory") {
      // Twice: V8 frees the bytes of dead Buffers on a background thread after a collection, so
      // external memory read right after the first one still counts some of them.
      globalThis.gc();
      setTimeout(() => {
        globalThis.gc();
        process.send({ id: message.id, usage: process.memoryUsage() });
      }, 100);
    } else if (message.probe === "snapshot" && typeof message.file === "string") {
      process.send({ id: message.id, file: writeHeapSnapshot(message.file) });
    }
  });
  // After the listener: adding a "message" listener refs the channel again.
  process.channel.unref();
}
`;

/** Writes the probe into `dir`; returns the node flags that load it into the server. */
export function installProbe(dir: string): string[] {
  const file = path.join(dir, "memory-probe.mjs");
  writeFileSync(file, PROBE_SOURCE);
  return ["--expose-gc", "--import", file];
}

export interface RetainedMemory {
  /** process.memoryUsage() right after a full collection. */
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly rss: number;
}

interface ProbeAnswer {
  readonly id: number;
  readonly usage?: RetainedMemory;
  readonly file?: string;
}

/** Asks the server's probe and waits for its answer (undefined after `timeoutMs`). */
export class Probe {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<number, (answer: ProbeAnswer | undefined) => void>();
  #next = 1;

  constructor(child: ChildProcess) {
    this.#child = child;
    child.on("message", (message: ProbeAnswer) => {
      this.#waiting.get(message.id)?.(message);
      this.#waiting.delete(message.id);
    });
  }

  /** Heap and external memory after a full GC in the server. */
  async retained(timeoutMs = 10_000): Promise<RetainedMemory | undefined> {
    return (await this.#ask({ probe: "memory" }, timeoutMs))?.usage;
  }

  /** Writes a heap snapshot of the server to `file` (the server stops for seconds meanwhile). */
  async snapshot(file: string, timeoutMs = 120_000): Promise<string | undefined> {
    return (await this.#ask({ probe: "snapshot", file }, timeoutMs))?.file;
  }

  #ask(request: Record<string, unknown>, timeoutMs: number): Promise<ProbeAnswer | undefined> {
    const id = this.#next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.#waiting.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      try {
        this.#child.send({ ...request, id });
      } catch {
        clearTimeout(timer);
        this.#waiting.delete(id);
        resolve(undefined);
      }
    });
  }
}

export interface RssSample {
  /** Whole seconds since the load started. */
  readonly second: number;
  readonly bytes: number | undefined;
}

/** RSS once a second (from /proc: it costs the server nothing) until stopped. */
export class RssSampler {
  readonly #pid: number;
  readonly #started = performance.now();
  readonly #samples: RssSample[] = [];
  #stopped = false;
  readonly #done: Promise<void>;

  constructor(pid: number) {
    this.#pid = pid;
    this.#done = this.#run();
  }

  async stop(): Promise<readonly RssSample[]> {
    this.#stopped = true;
    await this.#done;
    return this.#samples;
  }

  async #run(): Promise<void> {
    for (let second = 1; !this.#stopped; second++) {
      await sleepUntil(this.#started + second * 1000);
      if (this.#stopped) break;
      this.#samples.push({ second, bytes: residentBytes(this.#pid) });
    }
  }
}

export interface Checkpoint {
  /** How long the posts stood still until a scan that started after the pause had finished. */
  readonly waitedMs: number;
  /** The smallest of the probes (taken back to back right after that scan). */
  readonly heapUsed: number;
  readonly external: number;
  readonly retained: number;
  readonly probes: readonly RetainedMemory[];
}

/** Probes at a checkpoint, back to back; the smallest is kept (what they differ by is transient). */
const PROBES_PER_CHECKPOINT = 3;
const SCAN_POLL_MS = 100;

/**
 * Retained memory at one moment that is alike all through a run, whatever the machine's speed:
 * right after a scan has published the posts as they stood. The caller's mutator is paused
 * (`pause(true)`), then this waits until a scan that started after the pause has finished, probes
 * once its documents are compressed too (they go live uncompressed first; /healthz says how many
 * are left), and resumes the mutator. At that moment the new documents are live, the old ones are
 * garbage, no compression is under way, and the cache's writes of that scan are just queued (a
 * backlog of them is counted, not drained). Probed at random moments instead, a figure depends
 * on whether a scan — two builds, a dozen Brotli compressors — happens to be running: ±20 MB
 * here, more than a leak of 1 MB/s adds in a 20 s run.
 */
export async function checkpoint(port: number, probe: Probe, pause: (paused: boolean) => void, deadlineMs: number): Promise<Checkpoint | { readonly error: string }> {
  pause(true);
  const paused = performance.now();
  // The server's clock, as /healthz reports it: the same machine's.
  const pausedAt = Date.now();
  try {
    for (;;) {
      if (performance.now() - paused > deadlineMs) return { error: `no scan started after the posts stood still and finished within ${deadlineMs / 1000} s` };
      await sleepUntil(performance.now() + SCAN_POLL_MS);
      const health = await healthOf(port);
      if (health.started !== undefined && health.started >= pausedAt && health.compressionPending === 0) break;
    }
    const waitedMs = performance.now() - paused;
    const probes: RetainedMemory[] = [];
    for (let index = 0; index < PROBES_PER_CHECKPOINT; index++) {
      const usage = await probe.retained();
      if (usage) probes.push(usage);
    }
    // Whatever the probes differ by was in flight (a request's buffers, a cache write); a leak
    // raises the smallest as much as the others.
    const smallest = probes.reduce<RetainedMemory | undefined>((least, usage) => (!least || usage.heapUsed + usage.external < least.heapUsed + least.external ? usage : least), undefined);
    if (!smallest) return { error: "the server's memory probe did not answer" };
    return { waitedMs, heapUsed: smallest.heapUsed, external: smallest.external, retained: smallest.heapUsed + smallest.external, probes };
  } finally {
    pause(false);
  }
}

/** From /healthz: when the last finished scan started (ms since the epoch), and how many documents still wait for compression. */
async function healthOf(port: number): Promise<{ started: number | undefined; compressionPending: number | undefined }> {
  try {
    const health = JSON.parse((await fetchText(port, "/healthz", 5000)).text) as { lastScan?: { startedAt?: string } | null; documents?: { compressionPending?: number } };
    const started = health.lastScan?.startedAt;
    return { started: started === undefined ? undefined : Date.parse(started), compressionPending: health.documents?.compressionPending };
  } catch {
    return { started: undefined, compressionPending: undefined };
  }
}

const sleepUntil = (at: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));

/** Mean RSS of the samples whose second is in (fromSecond, toSecond], and how many there were. */
export function rssWindow(samples: readonly RssSample[], fromSecond: number, toSecond: number): { readonly mean: number | undefined; readonly samples: number } {
  const bytes = samples.flatMap((sample) => (sample.second > fromSecond && sample.second <= toSecond && sample.bytes !== undefined ? [sample.bytes] : []));
  return { mean: bytes.length === 0 ? undefined : bytes.reduce((total, value) => total + value, 0) / bytes.length, samples: bytes.length };
}

export const megabytes = (bytes: number | undefined): string => (bytes === undefined ? "?" : `${(bytes / 1_048_576).toFixed(1)} MB`);
