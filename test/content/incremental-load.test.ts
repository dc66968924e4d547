// A long-lived ContentLoader takes shortcuts on rescans (it compares only the files that were
// touched, and patches its last snapshot when no post moves); after any sequence of edits, adds
// and deletes it must find exactly what a fresh load of the same folder finds.
import { rmSync, unlinkSync, utimesSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { ContentLoader, loadPosts, type ContentSnapshot } from "../../src/content/load-posts.js";
import type { PostHead } from "../../src/content/post.js";
import { createPostRenderer } from "../../src/content/render-pool.js";
import { makePostsFolder, post, testConfig, type PostsFolder } from "../helpers/site-fixture.js";

let folder: PostsFolder | undefined;
afterEach(() => {
  folder?.remove();
  folder = undefined;
});

const FILES = ["2024-01-01-a.md", "2024-01-02-b.md", "2024-01-03-c.md", "2024-01-04-d.md", "2024-01-05-e.md"];

type Step =
  | { readonly kind: "body"; readonly file: number; readonly text: string }
  | { readonly kind: "date"; readonly file: number; readonly day: number }
  | { readonly kind: "permalink"; readonly file: number; readonly shared: boolean }
  | { readonly kind: "broken"; readonly file: number }
  | { readonly kind: "delete"; readonly file: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("body" as const), file: fc.nat(FILES.length - 1), text: fc.string({ maxLength: 20 }) }),
  fc.record({ kind: fc.constant("date" as const), file: fc.nat(FILES.length - 1), day: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ kind: fc.constant("permalink" as const), file: fc.nat(FILES.length - 1), shared: fc.boolean() }),
  fc.record({ kind: fc.constant("broken" as const), file: fc.nat(FILES.length - 1) }),
  fc.record({ kind: fc.constant("delete" as const), file: fc.nat(FILES.length - 1) }),
);

function writePost(target: PostsFolder, file: string, front: { day: number; permalink?: string }, body: string, tick: number): void {
  const written = target.write(file, post(`title: ${file}\ndate: 2024-02-0${front.day} 10:00:00 +0900${front.permalink ? `\npermalink: ${front.permalink}` : ""}`, body));
  // A distinct modification time per write, as an editor saving gives: a rescan notices it.
  const time = new Date(Date.UTC(2024, 0, 1) + tick * 1000);
  utimesSync(written, time, time);
}

/** What a snapshot says, in a form toEqual compares (heads by their fields, in order). */
function summary(snapshot: ContentSnapshot<PostHead>): unknown {
  return {
    posts: snapshot.posts.map((head) => ({ sourcePath: head.sourcePath, id: head.id, title: head.title, date: head.date.toISOString(), revision: head.revision })),
    problems: snapshot.problems,
    warnings: snapshot.warnings,
    unpublished: snapshot.unpublished,
  };
}

describe("ContentLoader rescans", () => {
  it("find exactly what a fresh load finds, after any sequence of edits, adds and deletes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        folder?.remove();
        folder = makePostsFolder();
        const target = folder;
        const state = FILES.map((_, index) => ({ day: index + 1, permalink: undefined as string | undefined, body: "Body.", present: true }));
        let tick = 0;
        state.forEach((entry, index) => writePost(target, FILES[index] ?? "", entry, entry.body, tick++));
        const config = testConfig({ postsDir: target.dir });
        const loader = new ContentLoader(config, createPostRenderer(config.maxPostBytes, 0));
        try {
          await loader.load();
          loader.commit();
          for (const change of steps) {
            const file = FILES[change.file] ?? "";
            const entry = state[change.file];
            if (!entry) continue;
            if (change.kind === "delete") {
              if (entry.present) unlinkSync(path.join(target.dir, file));
              entry.present = false;
            } else if (change.kind === "broken") {
              target.write(file, "---\ntitle: [unclosed\n---\nBody.\n");
              utimesSync(path.join(target.dir, file), new Date(tick * 1000), new Date(tick++ * 1000));
              entry.present = true;
              entry.body = "";
            } else {
              if (change.kind === "body") entry.body = `Body ${change.text}`;
              if (change.kind === "date") entry.day = change.day;
              if (change.kind === "permalink") entry.permalink = change.shared ? "/same/" : `/own/${change.file}/`;
              if (!entry.body) entry.body = "Body.";
              entry.present = true;
              writePost(target, file, entry, entry.body, tick++);
            }
            const { snapshot } = await loader.load();
            loader.commit();
            const fresh = await loadPosts(config);
            expect(summary(snapshot)).toEqual(summary(fresh));
          }
        } finally {
          await loader.close();
        }
      }),
      { seed: 20261201, numRuns: 40 },
    );
  });

  it("take a post's new date into account: the order changes", async () => {
    folder = makePostsFolder();
    writePost(folder, "2024-01-01-a.md", { day: 1 }, "A", 1);
    writePost(folder, "2024-01-02-b.md", { day: 2 }, "B", 2);
    const config = testConfig({ postsDir: folder.dir });
    const loader = new ContentLoader(config, createPostRenderer(config.maxPostBytes, 0));
    try {
      const first = await loader.load();
      loader.commit();
      expect(first.snapshot.posts.map((head) => head.sourcePath)).toEqual(["2024-01-02-b.md", "2024-01-01-a.md"]);
      writePost(folder, "2024-01-01-a.md", { day: 3 }, "A", 3);
      const second = await loader.load();
      expect(second.changes.changed).toEqual(["2024-01-01-a.md"]);
      expect(second.snapshot.posts.map((head) => head.sourcePath)).toEqual(["2024-01-01-a.md", "2024-01-02-b.md"]);
      // Only the body edited: same place, and the snapshot holds the new head.
      writePost(folder, "2024-01-02-b.md", { day: 2 }, "B edited", 4);
      const third = await loader.load();
      expect(third.changes.changed).toEqual(["2024-01-02-b.md"]);
      expect(third.snapshot.posts.map((head) => head.sourcePath)).toEqual(["2024-01-01-a.md", "2024-01-02-b.md"]);
      expect(third.snapshot.posts[1]?.revision).not.toBe(second.snapshot.posts[1]?.revision);
    } finally {
      await loader.close();
      rmSync(folder.dir, { recursive: true, force: true });
    }
  });
});
