// Exact embargo: a future-dated post goes live at its time without waiting for the next cron
// tick, and a post with `expires` leaves every feed at its time. Real timers, short delays: what
// is checked is that the one-off timer fires at all, not how fast.
import { afterEach, expect, test, vi } from "vitest";
import { silentLogger } from "../../src/logger.js";
import { Publisher } from "../../src/publish/publisher.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

async function publisherFor(files: Record<string, string>): Promise<{ publisher: Publisher; folder: PostsFolder }> {
  const folder = makePostsFolder(files);
  // The schedule (cron) is never started here: only the embargo timer can publish.
  const publisher = new Publisher(testConfig({ postsDir: folder.dir }), silentLogger);
  cleanups.push(async () => {
    await publisher.stop();
    folder.remove();
  });
  expect((await publisher.scan()).ok).toBe(true);
  return { publisher, folder };
}

function titles(publisher: Publisher): string[] {
  return publisher.state?.build.published.map((entry) => entry.title) ?? [];
}

test("a future-dated post is published by the embargo timer once its time comes", async () => {
  const due = new Date(Date.now() + 1500);
  const { publisher } = await publisherFor({
    "2025-01-01-now.md": post("title: Already out"),
    "2099-01-01-soon.md": post(`title: Embargoed\ndate: ${iso(due)}`),
  });
  expect(titles(publisher)).toEqual(["Already out"]);
  expect(publisher.state?.build.nextChangeAt?.getTime()).toBe(Math.floor(due.getTime() / 1000) * 1000);
  await vi.waitFor(() => expect(titles(publisher)).toEqual(["Embargoed", "Already out"]), { timeout: 5000, interval: 50 });
  expect(publisher.lastScan?.finishedAt.getTime()).toBeGreaterThanOrEqual(Math.floor(due.getTime() / 1000) * 1000);
});

test("a post with expires leaves the feeds at its time", async () => {
  const expires = new Date(Date.now() + 1500);
  const { publisher } = await publisherFor({
    "2025-01-01-stays.md": post("title: Stays"),
    "2025-01-02-offer.md": post(`title: Limited offer\nexpires: ${iso(expires)}`),
    "2025-01-03-gone.md": post("title: Long gone\nexpiry_date: 2025-02-01"),
  });
  expect(titles(publisher)).toEqual(["Limited offer", "Stays"]);
  await vi.waitFor(() => expect(titles(publisher)).toEqual(["Stays"]), { timeout: 5000, interval: 50 });
});

test("an expiry that is not after the post's date is an error that names the key", async () => {
  const { publisher } = await publisherFor({ "2025-01-05-bad.md": post("title: Bad\nexpires: 2025-01-01") });
  expect(publisher.state?.content.problems).toEqual([
    { file: "2025-01-05-bad.md", line: 3, message: expect.stringMatching(/^expires is not after the post's date/) as string },
  ]);
});
