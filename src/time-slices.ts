// Long synchronous work (reading thousands of cache files, rendering hundreds of feeds, stat-ing
// a folder of 100,000 posts) is cut into slices of a few milliseconds with a turn of the event
// loop between them, so that requests keep being answered while it runs.

/** Resolves after the event loop has run what was waiting (I/O callbacks included). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Measures one run of work; `await slices.yieldIfDue()` between items. */
export class TimeSlices {
  readonly #sliceMs: number;
  #sliceStart = performance.now();

  /** `sliceMs`: the longest run of work between two turns of the event loop. */
  constructor(sliceMs: number) {
    this.#sliceMs = sliceMs;
  }

  /** A turn of the event loop once the current slice has run `sliceMs`; at once otherwise. */
  async yieldIfDue(): Promise<void> {
    if (performance.now() - this.#sliceStart <= this.#sliceMs) return;
    await nextTurn();
    this.#sliceStart = performance.now();
  }
}
