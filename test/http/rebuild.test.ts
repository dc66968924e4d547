// POST /-/rebuild: a git hook or CI publishes at once. Disabled without a token; 401 without
// credentials, 403 with the wrong token; with the right one it answers once the new documents
// are live, saying what changed.
import { appendFileSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createServer } from "../../src/http/server.js";
import { silentLogger } from "../../src/logger.js";
import { Publisher } from "../../src/publish/publisher.js";
import { closeServer, listenOnFreePort, rawRequest } from "../helpers/http.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

const TOKEN = "s3cret-token-for-tests-0123456789";

let folder: PostsFolder;
let server: Server;
let disabled: Server;
let port: number;
let disabledPort: number;
let publisher: Publisher;

beforeAll(async () => {
  folder = makePostsFolder({ "2025-01-01-alpha.md": post("title: Alpha\ntags: [one]"), "2025-01-02-beta.md": post("title: Beta\ntags: [two]") });
  publisher = new Publisher(testConfig({ postsDir: folder.dir, rebuildToken: TOKEN }), silentLogger);
  await publisher.scan();
  server = createServer(publisher, { rebuildToken: TOKEN });
  port = await listenOnFreePort(server);
  disabled = createServer(publisher, {});
  disabledPort = await listenOnFreePort(disabled);
});

afterAll(async () => {
  await closeServer(server);
  await closeServer(disabled);
  await publisher.stop();
  folder.remove();
});

function rebuild(headers: Record<string, string> = {}, query = ""): ReturnType<typeof rawRequest> {
  return rawRequest(port, `/-/rebuild${query}`, { method: "POST", headers });
}

describe("POST /-/rebuild", () => {
  test("is not there when no token is configured", async () => {
    const response = await rawRequest(disabledPort, "/-/rebuild", { method: "POST", headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(404);
  });

  test("asks for credentials without an Authorization header, refuses a wrong token", async () => {
    const missing = await rebuild();
    expect(missing.status).toBe(401);
    expect(missing.headers["www-authenticate"]).toBe('Bearer realm="feedwright"');
    expect((await rebuild({ Authorization: "Basic dXNlcjpwYXNz" })).status).toBe(401);
    expect((await rebuild({ Authorization: "Bearer wrong-token-of-some-length" })).status).toBe(403);
    expect((await rebuild({ Authorization: `Bearer ${TOKEN}x` })).status).toBe(403);
    expect((await rebuild({ Authorization: `Bearer ${TOKEN.slice(0, -1)}` })).status).toBe(403);
  });

  test("publishes an edit before it answers, and says what changed", async () => {
    appendFileSync(path.join(folder.dir, "2025-01-02-beta.md"), "\nA new paragraph.\n");
    const response = await rebuild({ Authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-store");
    const report = JSON.parse(response.text) as { ok: boolean; posts: { changed: string[] }; feeds: { rendered: number }; changedFeedUrls: string[]; durationMs: number };
    expect(report.ok).toBe(true);
    expect(report.posts.changed).toEqual(["2025-01-02-beta.md"]);
    expect(report.feeds.rendered).toBe(2);
    expect(report.changedFeedUrls).toContain("https://blog.example.com/tags/two/feed.xml");
    expect(typeof report.durationMs).toBe("number");
    // Live by the time the answer came.
    expect((await rawRequest(port, "/tags/two/feed.json")).text).toContain("A new paragraph.");
  });

  test("?full=1 is a cold rebuild: every post rendered again, same bytes", async () => {
    const before = await rawRequest(port, "/feed.xml");
    const response = await rebuild({ Authorization: `Bearer ${TOKEN}` }, "?full=1");
    const report = JSON.parse(response.text) as { full: boolean; posts: { rendered: number }; changedFeedUrls: string[] };
    expect(report.full).toBe(true);
    expect(report.posts.rendered).toBe(2);
    expect(report.changedFeedUrls).toEqual([]);
    expect((await rawRequest(port, "/feed.xml")).headers.etag).toBe(before.headers.etag);
  });
});
