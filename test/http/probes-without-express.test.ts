// A server that only serves documents and probes never hands a request to Express (see
// http/probes.ts for why that matters). http/app.ts is replaced here by an application that
// records every request it is given and answers 418, so a probe that reached it would show.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { createServer } from "../../src/http/server.js";
import { silentLogger } from "../../src/logger.js";
import { Publisher } from "../../src/publish/publisher.js";
import { closeServer, listenOnFreePort, rawRequest } from "../helpers/http.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

const { handedToExpress } = vi.hoisted(() => ({ handedToExpress: [] as string[] }));

vi.mock("../../src/http/app.js", () => ({
  createApp: () => (req: IncomingMessage, res: ServerResponse) => {
    handedToExpress.push(`${req.method} ${req.url}`);
    res.writeHead(418).end();
  },
}));

let folder: PostsFolder;
let publisher: Publisher;
let server: Server;
let port: number;

beforeAll(async () => {
  folder = makePostsFolder({ "2025-01-01-alpha.md": post("title: Alpha") });
  publisher = new Publisher(testConfig({ postsDir: folder.dir }), silentLogger, () => new Date("2025-06-01T00:00:00Z"));
  server = createServer(publisher);
  port = await listenOnFreePort(server);
});

afterAll(async () => {
  await closeServer(server);
  await publisher.stop();
  folder.remove();
});

test("probes before and after the first build, and documents, are answered without Express", async () => {
  for (const method of ["GET", "HEAD"]) {
    expect((await rawRequest(port, "/healthz", { method })).status).toBe(503);
    expect((await rawRequest(port, "/readyz", { method })).status).toBe(503);
  }
  await publisher.scan();
  await publisher.settled();
  for (const method of ["GET", "HEAD"]) {
    expect((await rawRequest(port, "/healthz", { method })).status).toBe(200);
    expect((await rawRequest(port, "/readyz?probe=kubelet", { method })).status).toBe(200);
    expect((await rawRequest(port, "/feed.xml", { method, headers: { "Accept-Encoding": "gzip" } })).status).toBe(200);
  }
  expect(handedToExpress).toEqual([]);
});

test("a request the fast path does not answer reaches the replaced application", async () => {
  expect((await rawRequest(port, "/healthz/")).status).toBe(418);
  expect(handedToExpress.at(-1)).toBe("GET /healthz/");
});
