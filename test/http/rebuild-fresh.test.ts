// POST /-/rebuild answers for what was on disk when it was sent. A request arriving while a scan
// runs used to get that scan's result, which had listed the folder before the caller wrote its
// post: "ok", without the post. It must wait for a scan that begins after it arrived.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test, vi } from "vitest";
import { createPostRenderer, type PostRenderer } from "../../src/content/render-pool.js";
import { createServer } from "../../src/http/server.js";
import { silentLogger } from "../../src/logger.js";
import { Publisher } from "../../src/publish/publisher.js";
import { closeServer, listenOnFreePort, rawRequest } from "../helpers/http.js";
import { post, testConfig } from "../helpers/site-fixture.js";
import { useScratch } from "../helpers/scratch.js";

const TOKEN = "s3cret-token-for-tests-0123456789";
const { afterTest, folderWith } = useScratch("feedwright-rebuild-fresh-");

/** The real renderer, whose heads() can be held (the scan has listed the folder by then). */
function holdableRenderer(): { renderer: PostRenderer; hold: () => { entered: Promise<void>; release: () => void } } {
  const inner = createPostRenderer(1024 * 1024, 0);
  let gate: { entered: () => void; released: Promise<void> } | undefined;
  return {
    renderer: {
      heads: async (files, settings) => {
        const current = gate;
        gate = undefined;
        if (current) {
          current.entered();
          await current.released;
        }
        return inner.heads(files, settings);
      },
      bodies: (files, settings, options) => inner.bodies(files, settings, options),
      close: () => inner.close(),
    },
    hold: () => {
      let entered!: () => void;
      let release!: () => void;
      const enteredPromise = new Promise<void>((resolve) => (entered = resolve));
      gate = { entered, released: new Promise<void>((resolve) => (release = resolve)) };
      return { entered: enteredPromise, release };
    },
  };
}

describe("POST /-/rebuild during a scan", () => {
  test("answers with a scan that began after the request, so the post written just before it is live", async () => {
    const folder = folderWith({ "2025-01-01-alpha.md": post("title: Alpha") });
    const { renderer, hold } = holdableRenderer();
    const publisher = new Publisher(testConfig({ postsDir: folder.dir, rebuildToken: TOKEN }), silentLogger, undefined, undefined, { renderer });
    afterTest(() => publisher.stop());
    await publisher.scan();
    const server = createServer(publisher, { rebuildToken: TOKEN });
    const port = await listenOnFreePort(server);
    afterTest(() => closeServer(server));

    // A scheduled scan lists the folder and is held while it reads what changed.
    writeFileSync(path.join(folder.dir, "2025-01-02-beta.md"), post("title: Beta"));
    const held = hold();
    const scheduled = publisher.scan();
    await held.entered;
    // Now a post is written and a rebuild asked for, as a git hook does.
    writeFileSync(path.join(folder.dir, "2025-01-03-gamma.md"), post("title: Gamma"));
    const asked = vi.spyOn(publisher, "scan");
    const answer = rawRequest(port, "/-/rebuild", { method: "POST", headers: { Authorization: `Bearer ${TOKEN}` } });
    // The request has reached the server, and asked for its scan, before the held scan goes on.
    await vi.waitFor(() => expect(asked).toHaveBeenCalledWith({ full: false, fresh: true }), { timeout: 30_000, interval: 10 });
    held.release();
    await scheduled;
    const response = await answer;
    expect(response.status).toBe(200);
    expect(publisher.state?.content.posts.map((entry) => entry.title)).toEqual(["Gamma", "Beta", "Alpha"]);
  });

  test("requests that arrive before the queued scan begins share it", async () => {
    const folder = folderWith({ "2025-01-01-alpha.md": post("title: Alpha") });
    const publisher = new Publisher(testConfig({ postsDir: folder.dir }), silentLogger);
    afterTest(() => publisher.stop());
    const running = publisher.scan();
    // It has begun (listing the folder) by the next turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    expect(publisher.scan()).toBe(running);
    const first = publisher.scan({ fresh: true });
    const second = publisher.scan({ fresh: true });
    expect(first).not.toBe(running);
    expect(second).toBe(first);
    await Promise.all([running, first]);
  });
});
