// README.md and docs/deployment.md link deploy/nginx.conf, the configuration these tests run,
// instead of quoting it: each link must lead to that file, and no copy of it may be pasted into
// the documentation, where it could drift from what is tested.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { ROOT } from "./processes.js";

const TESTED_CONFIG = path.join(ROOT, "deploy", "nginx.conf");

test.each([
  ["README.md", "deploy/nginx.conf"],
  ["docs/deployment.md", "../deploy/nginx.conf"],
])("%s links deploy/nginx.conf, the file these tests run, and pastes no copy", (document, link) => {
  const file = path.join(ROOT, document);
  const text = readFileSync(file, "utf8");
  expect(text).toContain(`](${link})`);
  expect(path.resolve(path.dirname(file), link)).toBe(TESTED_CONFIG);
  expect(existsSync(TESTED_CONFIG)).toBe(true);
  expect(text).not.toContain("```nginx");
});
