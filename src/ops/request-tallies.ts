// Counts by three labels, kept where the request path can bump them for the price of three map
// lookups on values it already holds (no key string built, no label object checked), and copied
// into a prom-client counter when /metrics is scraped.
import type { Counter } from "prom-client";

/** One label set's running total. */
export interface Tally {
  value: number;
}

interface LabelledTally extends Tally {
  readonly labels: Readonly<Record<string, string>>;
}

export class TalliesByThreeLabels<A extends string, B extends string | number, C extends string> {
  readonly #names: readonly [string, string, string];
  readonly #index = new Map<A, Map<B, Map<C, LabelledTally>>>();
  readonly #all: LabelledTally[] = [];

  constructor(names: readonly [string, string, string]) {
    this.#names = names;
  }

  /** The tally of this label set, created at 0 the first time. */
  at(a: A, b: B, c: C): Tally {
    let byB = this.#index.get(a);
    if (byB === undefined) {
      byB = new Map();
      this.#index.set(a, byB);
    }
    let byC = byB.get(b);
    if (byC === undefined) {
      byC = new Map();
      byB.set(b, byC);
    }
    let tally = byC.get(c);
    if (tally === undefined) {
      const [nameA, nameB, nameC] = this.#names;
      tally = { labels: { [nameA]: a, [nameB]: String(b), [nameC]: c }, value: 0 };
      byC.set(c, tally);
      this.#all.push(tally);
    }
    return tally;
  }

  /** Sets `counter` to these totals (its collect(), called when /metrics is scraped). */
  copyInto(counter: Counter<string>): void {
    counter.reset();
    for (const tally of this.#all) counter.inc(tally.labels, tally.value);
  }
}
