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
    // Handed over as a string, Node encodes it straight into the write: a Buffer made first
    // costs another copy of the chunk (202 against 329 ns per 230-byte request line, writing
    // to /dev/null, in a micro-benchmark).
    const written = this.#tryWrite(text);
    const length = Buffer.byteLength(text, "utf8");
    if (written === length) return;
    // A pipe took part of it (or none, when full): the rest goes out as bytes from where it stopped.
    const bytes = Buffer.from(text, "utf8");
    let offset = written;
    while (offset < bytes.length && !this.#broken) offset += this.#tryWrite(bytes, offset);
  }

  /** One write: the count of bytes written, 0 when a non-blocking pipe is full (after a wait). */
  #tryWrite(chunk: string | Buffer, offset = 0): number {
    try {
      return typeof chunk === "string" ? writeSync(this.#fd, chunk) : writeSync(this.#fd, chunk, offset, chunk.length - offset);
    } catch (error) {
      // Standard output set non-blocking (a pipe Node opened) and full: the reader will drain it.
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") Atomics.wait(this.#sleeper, 0, 0, RETRY_WAIT_MS);
      else this.#fail(error as Error);
      return 0;
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
