// Scans and the embargo timer must not depend on the wall clock moving steadily forward. With
// fake timers the wall clock can be stepped (vi.setSystemTime) while the monotonic clock that
// timers run on does not move, which is what `date -s` or a bad NTP step does to a server.
// Nothing here measures elapsed time: fake time is advanced, and scans are counted.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { healthReport } from "../../src/http/health.js";
import { silentLogger } from "../../src/logger.js";
import { Publisher } from "../../src/publish/publisher.js";
import { post, testConfig } from "../helpers/site-fixture.js";
import { useScratch } from "../helpers/scratch.js";

const { afterTest, folderWith } = useScratch("feedwright-clock-steps-");
const DAY = 24 * 60 * 60 * 1000;
const START = new Date("2030-06-01T12:00:00.200Z");

beforeEach(() => {
  // Real setImmediate and I/O: scans read real files; timers, Date and performance are fake.
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"], now: START });
});
afterEach(() => {
  vi.useRealTimers();
});

function counting(files: Record<string, string>, schedule: string): { publisher: Publisher; scans: () => number } {
  const folder = folderWith(files);
  let scans = 0;
  const publisher = new Publisher({ ...testConfig({ postsDir: folder.dir }), schedule }, silentLogger, () => new Date(), undefined, { onScan: () => void scans++ });
  afterTest(() => publisher.stop());
  return { publisher, scans: () => scans };
}

/** Fake time forward by `ms`, letting every scan it starts finish (their I/O is real). */
async function advance(publisher: Publisher, ms: number): Promise<void> {
  for (let step = 0; step < ms; step += 500) {
    await vi.advanceTimersByTimeAsync(Math.min(500, ms - step));
    await publisher.settled();
  }
}

describe("the schedule when the system clock is set", () => {
  it.each([
    ["back two minutes", -2 * 60 * 1000],
    ["back a day", -DAY],
    ["forward a day", DAY],
  ])("keeps scanning after the clock is set %s", async (_label, stepMs) => {
    const { publisher, scans } = counting({ "2025-01-01-a.md": post("title: A") }, "*/5 * * * * *");
    await publisher.scan();
    publisher.start();
    await advance(publisher, 11_000);
    const before = scans();
    expect(before).toBeGreaterThanOrEqual(2);
    vi.setSystemTime(Date.now() + stepMs);
    await advance(publisher, 21_000);
    expect(scans() - before).toBeGreaterThanOrEqual(3);
    expect(healthReport(publisher).status).toBe("ok");
  });

  it("publishes a scheduled post when a forward step passes its date, without waiting for the next tick", async () => {
    const due = new Date(START.getTime() + 60 * 60 * 1000);
    const { publisher } = counting(
      { "2025-01-01-a.md": post("title: A"), "2099-01-01-later.md": post(`title: Later\ndate: ${due.toISOString()}`) },
      // Once a day: only the embargo timer can publish it in time.
      "0 0 3 * * *",
    );
    await publisher.scan();
    publisher.start();
    expect(publisher.state?.build.published.map((entry) => entry.title)).toEqual(["A"]);
    vi.setSystemTime(due.getTime() + 1000);
    await advance(publisher, 3_000);
    expect(publisher.state?.build.published.map((entry) => entry.title)).toEqual(["Later", "A"]);
  });

  it("says at /healthz when the schedule has not run for longer than it should", async () => {
    const { publisher } = counting({ "2025-01-01-a.md": post("title: A") }, "*/5 * * * * *");
    await publisher.scan();
    publisher.start();
    expect(healthReport(publisher).schedule).toMatchObject({ late: false, expectedEveryS: 5 });
    // Ticks that never come (the event loop held, say) are seen from the monotonic clock.
    vi.spyOn(performance, "now").mockReturnValue(performance.now() + 120_000);
    expect(healthReport(publisher).schedule?.late).toBe(true);
    expect(healthReport(publisher).status).toBe("degraded");
  });
});
