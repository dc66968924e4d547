// The cron schedule of scans, kept going whatever the wall clock does. node-cron plans its next
// tick in wall-clock time: after the clock is set back a day it waits for the day to come round
// again, and after a jump forward the embargo timer (a delay computed before the jump) still
// waits out its delay. Timers themselves run on the monotonic clock, so a watch compares the two
// clocks every second: when the wall clock stepped, the cron task is made again (planning from
// the new time) and `onStep` re-arms whatever else was planned in wall-clock time.
//
// It also knows when the schedule is late: a tick is expected by the time cron said, measured on
// the monotonic clock; /healthz reports a schedule that has not ticked well past that.
import cron, { type ScheduledTask } from "node-cron";

/** How far the two clocks may drift apart between two checks before it counts as a step. */
const STEP_TOLERANCE_MS = 2_000;
const CHECK_EVERY_MS = 1_000;
/** A tick later than expected by more than this (and than the expected gap itself) is late. */
const LATE_GRACE_MS = 30_000;

export interface ScheduleClocks {
  /** Wall-clock time (ms since the epoch): what cron expressions and post dates are in. */
  readonly wall: () => number;
  /** A clock that never steps (ms). */
  readonly monotonic: () => number;
}

export const SYSTEM_CLOCKS: ScheduleClocks = { wall: () => Date.now(), monotonic: () => performance.now() };

export interface ScheduleLateness {
  /** Monotonic ms since the schedule last ticked (or started). */
  readonly sinceLastTickMs: number;
  /** The gap cron planned after that tick. */
  readonly expectedGapMs: number;
  readonly late: boolean;
}

export interface ScanScheduleOptions {
  readonly expression: string;
  readonly timezone: string;
  /** Called on every tick; the schedule does not overlap runs (a tick during a run is skipped). */
  readonly run: () => Promise<unknown>;
  /** The wall clock stepped by `stepMs` (negative: set back). */
  readonly onStep: (stepMs: number) => void;
  readonly logger: { debug: (message: string) => void; warn: (message: string) => void; error: (message: string) => void };
  readonly clocks?: ScheduleClocks;
}

export class ScanSchedule {
  readonly #options: ScanScheduleOptions;
  readonly #clocks: ScheduleClocks;
  #task: ScheduledTask | undefined;
  #watch: NodeJS.Timeout | undefined;
  #lastWall = 0;
  #lastMonotonic = 0;
  #lastTickMonotonic = 0;
  #expectedGapMs = 0;

  constructor(options: ScanScheduleOptions) {
    this.#options = options;
    this.#clocks = options.clocks ?? SYSTEM_CLOCKS;
  }

  start(): void {
    this.#lastWall = this.#clocks.wall();
    this.#lastMonotonic = this.#clocks.monotonic();
    this.#planned(this.#lastMonotonic);
    this.#task = this.#createTask();
    this.#watch = setInterval(() => this.check(), CHECK_EVERY_MS);
    // The HTTP server keeps the process alive; the schedule alone must not.
    this.#watch.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#watch);
    this.#watch = undefined;
    const task = this.#task;
    this.#task = undefined;
    await task?.destroy();
  }

  /** Compares the clocks (every second, and on demand): a step makes the cron task again. */
  check(): void {
    const wall = this.#clocks.wall();
    const monotonic = this.#clocks.monotonic();
    const stepMs = wall - this.#lastWall - (monotonic - this.#lastMonotonic);
    this.#lastWall = wall;
    this.#lastMonotonic = monotonic;
    if (Math.abs(stepMs) <= STEP_TOLERANCE_MS || !this.#task) return;
    this.#options.logger.warn(`schedule: the system clock was set ${stepMs < 0 ? "back" : "forward"} by ${Math.round(Math.abs(stepMs) / 1000)} s; the schedule is planned again from the new time`);
    const old = this.#task;
    this.#task = this.#createTask();
    void old.destroy();
    this.#planned(monotonic);
    this.#options.onStep(stepMs);
  }

  /** How late the schedule is, or undefined when it is not running. */
  lateness(): ScheduleLateness | undefined {
    if (!this.#task) return undefined;
    const sinceLastTickMs = this.#clocks.monotonic() - this.#lastTickMonotonic;
    const allowed = Math.max(2 * this.#expectedGapMs, this.#expectedGapMs + LATE_GRACE_MS);
    return { sinceLastTickMs, expectedGapMs: this.#expectedGapMs, late: sinceLastTickMs > allowed };
  }

  #createTask(): ScheduledTask {
    const describe = (message: string | Error): string => (message instanceof Error ? message.message : message);
    const { logger } = this.#options;
    return cron.schedule(
      this.#options.expression,
      () => {
        this.#planned(this.#clocks.monotonic());
        return this.#options.run();
      },
      {
        name: "feedwright-scan",
        noOverlap: true,
        timezone: this.#options.timezone,
        // node-cron writes its own plain lines otherwise (a tick that finds a scan still running is
        // expected with a seconds schedule, so it is debug); ours keep the log one JSON line each.
        logger: {
          debug: (message) => logger.debug(`schedule: ${describe(message)}`),
          info: (message) => logger.debug(`schedule: ${message}`),
          warn: (message) => logger.debug(`schedule: ${message}`),
          error: (message) => logger.error(`schedule: ${describe(message)}`),
        },
      },
    );
  }

  /** A tick (or a start) at `monotonic`: the next is expected after cron's next gap. */
  #planned(monotonic: number): void {
    this.#lastTickMonotonic = monotonic;
    const wall = this.#clocks.wall();
    const next = nextTickAfter(this.#options.expression, this.#options.timezone, wall);
    this.#expectedGapMs = next === undefined ? 0 : Math.max(0, next - wall);
  }
}

/** The wall time of the first tick after `wall` (node-cron's own computation), if any. */
function nextTickAfter(expression: string, timezone: string, wall: number): number | undefined {
  const probe = cron.createTask(expression, () => undefined, { timezone });
  try {
    // getNextRuns() plans from the current time; the gap, not the instant, is what is kept.
    const next = probe.getNextRuns(1)[0];
    return next === undefined ? undefined : next.getTime() - Date.now() + wall;
  } finally {
    void probe.destroy();
  }
}
