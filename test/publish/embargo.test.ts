// Exact embargo: a future-dated post goes live at its time without waiting for the next cron
// tick, and a post with `expires` leaves every feed at its time. The clock is fake (Date and
// timers), so the embargo timer fires exactly when fake time reaches it and never early; the
// scans it starts read real files.
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { silentLogger } from "../../src/logger.js";
import { Publisher } from "../../src/publish/publisher.js";
import { post, testConfig } from "../helpers/site-fixture.js";
import { useScratch } from "../helpers/scratch.js";

const { afterTest, folderWith } = useScratch("feedwright-embargo-");
/** Between two whole seconds, as a real clock would be: front-matter dates have whole seconds. */
const START = new Date("2030-06-01T12:00:00.200Z");
/** When the embargoed post is due and the offer expires: the next whole second but one. */
const DUE = new Date("2030-06-01T12:00:02Z");

beforeEach(() => {
  // Real setImmediate and I/O: scans read real files; timers and Date are fake.
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"], now: START });
});
afterEach(() => {
  vi.useRealTimers();
});

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

async function publisherFor(files: Record<string, string>): Promise<Publisher> {
  const folder = folderWith(files);
  // The schedule (cron) is never started here: only the embargo timer can publish.
  const publisher = new Publisher(testConfig({ postsDir: folder.dir }), silentLogger);
  afterTest(() => publisher.stop());
  expect((await publisher.scan()).ok).toBe(true);
  return publisher;
}

function titles(publisher: Publisher): string[] {
  return publisher.state?.build.published.map((entry) => entry.title) ?? [];
}

/** Fake time forward to just before `at`, then to `at`, letting any scan the timer starts finish. */
async function advanceTo(publisher: Publisher, at: Date): Promise<void> {
  await vi.advanceTimersByTimeAsync(at.getTime() - Date.now());
  await publisher.settled();
}

test("a future-dated post is published by the embargo timer once its time comes, not before", async () => {
  const publisher = await publisherFor({
    "2025-01-01-now.md": post("title: Already out"),
    "2099-01-01-soon.md": post(`title: Embargoed\ndate: ${iso(DUE)}`),
  });
  expect(titles(publisher)).toEqual(["Already out"]);
  expect(publisher.state?.build.nextChangeAt?.getTime()).toBe(DUE.getTime());
  const scansBefore = publisher.lastScan;

  await advanceTo(publisher, new Date(DUE.getTime() - 1));
  expect(titles(publisher)).toEqual(["Already out"]);
  expect(publisher.lastScan).toBe(scansBefore);

  await advanceTo(publisher, DUE);
  expect(titles(publisher)).toEqual(["Embargoed", "Already out"]);
  expect(publisher.lastScan?.finishedAt.getTime()).toBeGreaterThanOrEqual(DUE.getTime());
});

test("a post with expires leaves the feeds at its time, not before", async () => {
  const publisher = await publisherFor({
    "2025-01-01-stays.md": post("title: Stays"),
    "2025-01-02-offer.md": post(`title: Limited offer\nexpires: ${iso(DUE)}`),
    "2025-01-03-gone.md": post("title: Long gone\nexpiry_date: 2025-02-01"),
  });
  expect(titles(publisher)).toEqual(["Limited offer", "Stays"]);

  await advanceTo(publisher, new Date(DUE.getTime() - 1));
  expect(titles(publisher)).toEqual(["Limited offer", "Stays"]);

  await advanceTo(publisher, DUE);
  expect(titles(publisher)).toEqual(["Stays"]);
});

test("an expiry that is not after the post's date is an error that names the key", async () => {
  const publisher = await publisherFor({ "2025-01-05-bad.md": post("title: Bad\nexpires: 2025-01-01") });
  expect(publisher.state?.content.problems).toEqual([
    { file: "2025-01-05-bad.md", line: 3, message: expect.stringMatching(/^expires is not after the post's date/) as string },
  ]);
});
