// Posts folders and temporary folders a test file makes, removed after each test together with
// whatever else it registered (publishers to stop, servers to close), last registered first.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach } from "vitest";
import { makePostsFolder, type PostsFolder } from "./site-fixture.js";

export interface Scratch {
  /** Runs `cleanup` after the current test. */
  readonly afterTest: (cleanup: () => void | Promise<void>) => void;
  /** A posts folder with these files, removed after the test. */
  readonly folderWith: (files: Readonly<Record<string, string>>) => PostsFolder;
  /** An empty temporary folder, removed after the test. */
  readonly temporaryDir: () => string;
}

/** Call at the top level of a test file: it registers the afterEach hook that cleans up. */
export function useScratch(prefix: string): Scratch {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const afterTest = (cleanup: () => void | Promise<void>): void => void cleanups.push(cleanup);
  return {
    afterTest,
    folderWith: (files) => {
      const folder = makePostsFolder(files);
      afterTest(() => folder.remove());
      return folder;
    },
    temporaryDir: () => {
      const dir = mkdtempSync(path.join(tmpdir(), prefix));
      afterTest(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
  };
}
