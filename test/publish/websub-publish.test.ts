// After a scan, each hub hears about exactly the feeds whose bytes changed: a stand-in hub on
// loopback records every publish notification the real Publisher + WebSubNotifier send.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { silentLogger } from "../../src/logger.js";
import { Publisher } from "../../src/publish/publisher.js";
import { WebSubNotifier } from "../../src/publish/websub-notifier.js";
import { closeServer, listenOnFreePort } from "../helpers/http.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

const BASE = "https://blog.example.com";
const formats = (path: string): string[] => ["feed.xml", "atom.xml", "feed.json"].map((file) => `${BASE}${path}/${file}`);

let hub: Server;
let hubUrl: string;
const received: string[] = [];
let folder: PostsFolder;
let notifier: WebSubNotifier;
let publisher: Publisher;

beforeAll(async () => {
  hub = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const form = new URLSearchParams(body);
      if (form.get("hub.mode") === "publish") received.push(form.get("hub.url") ?? "");
      res.writeHead(204).end();
    });
  });
  hubUrl = `http://127.0.0.1:${await listenOnFreePort(hub)}/`;
  folder = makePostsFolder({
    "2025-01-01-alpha.md": post("title: Alpha\ncategories: [Notes]\ntags: [one]"),
    "2025-01-02-beta.md": post("title: Beta\ncategories: [Notes]\ntags: [two]"),
    "2025-01-03-gamma.md": post("title: Gamma\ncategories: [Essays]\ntags: [three]"),
  });
  notifier = new WebSubNotifier({ hubs: [hubUrl], logger: silentLogger, baseDelayMs: 10 });
  publisher = new Publisher(testConfig({ postsDir: folder.dir, hubs: [hubUrl] }), silentLogger, () => new Date("2026-01-01T00:00:00Z"), notifier);
});

afterAll(async () => {
  await notifier.close();
  await closeServer(hub);
  folder.remove();
});

async function scanAndCollect(): Promise<string[]> {
  received.length = 0;
  expect((await publisher.scan()).ok).toBe(true);
  // Hubs are told once the new documents' compressed forms are in place too.
  await publisher.settled();
  await notifier.idle();
  return [...received].sort();
}

describe("WebSub publish notifications", () => {
  test("the first scan notifies nothing: there is nothing to compare with", async () => {
    expect(await scanAndCollect()).toEqual([]);
  });

  test("an unchanged rescan notifies nothing", async () => {
    expect(await scanAndCollect()).toEqual([]);
  });

  test("editing one post notifies exactly the site feed and its category's and tag's feeds, in every format", async () => {
    folder.write("2025-01-02-beta.md", post("title: Beta, edited\ncategories: [Notes]\ntags: [two]"));
    expect(await scanAndCollect()).toEqual([...formats(""), ...formats("/categories/notes"), ...formats("/tags/two")].sort());
  });

  test("a new tag's feeds are notified along with the feeds that changed", async () => {
    folder.write("2025-01-04-delta.md", post("title: Delta\ncategories: [Essays]\ntags: [four]"));
    expect(await scanAndCollect()).toEqual([...formats(""), ...formats("/categories/essays"), ...formats("/tags/four")].sort());
  });

  test("the hub is advertised by the feeds it is notified for", () => {
    const atom = publisher.state?.build.site.documents.atom.body.toString() ?? "";
    expect(atom).toContain(`<link rel="hub" href="${hubUrl}"/>`);
  });
});

describe("a hub that does not answer", () => {
  test("never holds up a scan or the documents it publishes", async () => {
    let reached!: () => void;
    const notified = new Promise<void>((resolve) => (reached = resolve));
    const silentHub = createServer(() => reached()); // never answers
    const silentUrl = `http://127.0.0.1:${await listenOnFreePort(silentHub)}/`;
    const posts = makePostsFolder({ "2025-01-01-alpha.md": post("title: Alpha") });
    const slowNotifier = new WebSubNotifier({ hubs: [silentUrl], logger: silentLogger, timeoutMs: 60_000 });
    const slowPublisher = new Publisher(testConfig({ postsDir: posts.dir, hubs: [silentUrl] }), silentLogger, () => new Date("2026-01-01T00:00:00Z"), slowNotifier);
    try {
      await slowPublisher.scan();
      posts.write("2025-01-01-alpha.md", post("title: Alpha, edited"));
      const report = await slowPublisher.scan();
      expect(report.ok).toBe(true);
      expect(slowPublisher.state?.build.site.documents.rss.body.toString()).toContain("Alpha, edited");
      // The scan is done and published; the hub, which never answers, has been notified all the
      // same (a notification never sent ends this test by its timeout).
      await notified;
    } finally {
      await slowNotifier.close();
      silentHub.closeAllConnections();
      await closeServer(silentHub);
      posts.remove();
    }
  });
});
