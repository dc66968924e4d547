// Where the JSON log lines go on their way to standard output: kept in memory and written out
// in large chunks, so a request's log line costs a string concatenation (V8 links the strings
// and copies them once, when the chunk is written), not a system call. Writes are synchronous:
// whatever was appended is on the file descriptor once flush() returns, so the lines written
// just before an exit (the shutdown, a fatal error) are never lost, and a reader that falls
// behind slows the writer down instead of letting the buffer grow without bound.
import { writeSync } from "node:fs";

/** One write per 64 Ki characters of lines: a few hundred request lines. */
const DEFAULT_CHUNK_CHARACTERS = 64 * 1024;
/** How long to wait before trying again when a non-blocking pipe is full (EAGAIN). */
const RETRY_WAIT_MS = 1;

export class BatchedLineWriter {
  readonly #fd: number;
  readonly #chunkCharacters: number;
  #pending = "";
  #broken = false;
  readonly #sleeper = new Int32Array(new SharedArrayBuffer(4));

  constructor(fd: number, chunkCharacters = DEFAULT_CHUNK_CHARACTERS) {
    this.#fd = fd;
    this.#chunkCharacters = chunkCharacters;
  }

  /**
   * Appends `text` (one or more whole lines), and writes out everything appended once that is a
   * chunk. Returns true, as a stream's write does when it takes more.
   */
  write(text: string): boolean {
    this.#pending += text;
    if (this.#pending.length >= this.#chunkCharacters) this.flush();
    return true;
  }

  /** Writes out everything appended so far, now. */
  flush(): void {
    if (this.#pending.length === 0) return;
    const text = this.#pending;
    this.#pending = "";
    this.#writeAll(text);
  }

  #writeAll(text: string): void {
    const bytes = Buffer.from(text, "utf8");
    let offset = 0;
    // A pipe may take part of it at a time.
    while (offset < bytes.length && !this.#broken) {
      try {
        offset += writeSync(this.#fd, bytes, offset, bytes.length - offset);
      } catch (error) {
        // Standard output set non-blocking (a pipe Node opened) and full: the reader will drain it.
        if ((error as NodeJS.ErrnoException).code === "EAGAIN") Atomics.wait(this.#sleeper, 0, 0, RETRY_WAIT_MS);
        else this.#fail(error as Error);
      }
    }
  }

  /** The output is gone (a closed pipe, a full disk): say so once on standard error and stop writing. */
  #fail(error: Error): void {
    this.#broken = true;
    try {
      writeSync(2, `feedwright: log lines can no longer be written (${error.message}); they are dropped from now on\n`);
    } catch {
      // Standard error is gone too: nothing is left to tell.
    }
  }
}
