// Schedules the compression of documents on libuv's thread pool, a few at a time, once per
// document (by ETag) however many builds ask for it.
//
// Builds go live before their documents are compressed (served-site.ts). When scans follow each
// other faster than compression keeps up, retain() drops the waiting jobs no build being served
// needs any more, so that work for replaced documents does not pile up, each job holding a
// document's bytes. At most JOBS_AT_ONCE documents are compressed at once: each compressor
// allocates its window (megabytes for Brotli) when it starts, and the pool has few threads.
// While a scan renders feeds on the main thread (`scanning`), one job runs at a time, so that
// compression does not compete with rendering for the cores; between scans it is JOBS_AT_ONCE
// again, so that compression keeps up when scans come back to back. Measured on 10,000 posts
// (2 cores, 3 runs of 5 edits each way, alternating): an edit of the newest post took 154–188 ms
// with these limits (its 27 documents rendered in 55–65 ms) and 320–353 ms with every job started
// at once (188–230 ms). The p99 of 304s during a cold rebuild did not tell them apart (32–70 ms
// with the limits, 25–93 ms without, 5 runs each).
//
// Only first pages (and the index page, OPML and stylesheet) come here, so every job is
// compressed at the subscription levels of served-document.ts; archive pages are compressed
// where they are rendered (served-site.ts).
import { compressInBackground, type CompressedForms } from "./served-document.js";

const JOBS_AT_ONCE = 2;
const JOBS_WHILE_SCANNING = 1;

interface Job {
  readonly etag: string;
  readonly body: Buffer;
  readonly resolve: (forms: CompressedForms | undefined) => void;
}

export class Compressor {
  /** Every job not finished, waiting or running, by ETag: asking twice shares one. */
  readonly #jobs = new Map<string, Promise<CompressedForms | undefined>>();
  #waiting: Job[] = [];
  #running = 0;
  #scanning = false;

  /** A scan is rendering feeds (true) or is done with them (false): fewer jobs at once meanwhile. */
  set scanning(value: boolean) {
    this.#scanning = value;
    if (!value) this.#pump();
  }

  /** The document's compressed forms; undefined when the job was dropped by retain(). */
  compress(etag: string, body: Buffer): Promise<CompressedForms | undefined> {
    let job = this.#jobs.get(etag);
    if (!job) {
      job = new Promise((resolve) => this.#waiting.push({ etag, body, resolve }));
      this.#jobs.set(etag, job);
      this.#pump();
    }
    return job;
  }

  /** Drops the waiting jobs of documents not in `etags` (those still wanted); running ones finish. */
  retain(etags: ReadonlySet<string>): void {
    const kept: Job[] = [];
    for (const job of this.#waiting) {
      if (etags.has(job.etag)) kept.push(job);
      else {
        this.#jobs.delete(job.etag);
        job.resolve(undefined);
      }
    }
    this.#waiting = kept;
  }

  #pump(): void {
    while (this.#running < (this.#scanning ? JOBS_WHILE_SCANNING : JOBS_AT_ONCE)) {
      const job = this.#waiting.shift();
      if (!job) return;
      this.#running++;
      // While scanning, gzip then Brotli: one thread of the pool, not two.
      compressInBackground(job.body, "subscription", { oneThread: this.#scanning }).then(
        (forms) => this.#finish(job, forms),
        // A compression that fails leaves the document uncompressed; it is still served.
        () => this.#finish(job, undefined),
      );
    }
  }

  #finish(job: Job, forms: CompressedForms | undefined): void {
    this.#running--;
    this.#jobs.delete(job.etag);
    job.resolve(forms);
    this.#pump();
  }
}
