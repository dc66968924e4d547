// How far one post's Liquid may go. Jekyll has no limits (Liquid's resource limits are off in
// Jekyll 4.3): a post that loops forever hangs `jekyll build`. Feedwright renders posts on
// worker threads in one batch, so a hostile post must stop, at the same point on every machine.
import type { LiquidLimits } from "./types.js";

export const DEFAULT_LIQUID_LIMITS: LiquidLimits = Object.freeze({
  // 4 M characters: post bodies run to a few hundred KB at most, include files to a few KB;
  // liquidjs parses this much in well under a second. A 10 MB include is refused.
  maxTemplateChars: 4_000_000,
  // 16 M characters (32 MB of UTF-16): far beyond any post, small enough that a capture that
  // doubles itself stops long before memory runs short.
  maxOutputChars: 16_000_000,
  // 1 M nodes: a loop over 1,000 posts with 50 nodes in its body is 50,000; liquidjs renders
  // about half a million simple nodes a second, so an endless nest of loops stops in about 2 s.
  maxRenderedNodes: 1_000_000,
  // 100: Liquid's Block::MAX_DEPTH, where Jekyll itself stops ("Nesting too deep"); a recursive
  // include stops here.
  maxIncludeDepth: 100,
  maxNesting: 100,
  // 10 M: liquidjs builds a range as an array (8 bytes an element), so (1..100000000) is
  // refused before it takes 800 MB; string building in real templates charges far less.
  maxMemory: 10_000_000,
  // 10 s: only for what the counts above miss (a slow regular expression in a filter, say).
  maxMilliseconds: 10_000,
});

/** Thrown when a limit is reached; the renderer reports it with the line where it happened. */
export class LiquidLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LiquidLimitError";
  }
}

/** The counters of one render: nodes rendered and characters written. */
export class RenderBudget {
  #nodes = 0;
  #outputChars = 0;
  readonly #limits: LiquidLimits;

  constructor(limits: LiquidLimits) {
    this.#limits = limits;
  }

  chargeNodes(count: number): void {
    this.#nodes += count;
    if (this.#nodes > this.#limits.maxRenderedNodes) {
      throw new LiquidLimitError(`rendering stopped after ${this.#limits.maxRenderedNodes.toLocaleString("en-US")} Liquid nodes (a loop that runs too long?)`);
    }
  }

  chargeOutput(count: number): void {
    this.#outputChars += count;
    if (this.#outputChars > this.#limits.maxOutputChars) {
      throw new LiquidLimitError(`rendering stopped after writing ${this.#limits.maxOutputChars.toLocaleString("en-US")} characters (output, or {% capture %}, growing without bound?)`);
    }
  }
}
