// README.md ("Running at scale") quotes deploy/nginx.conf, the configuration these tests run: the
// quote must be the file itself, so the documentation never drifts from what is tested.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { ROOT } from "./processes.js";

test("README.md quotes deploy/nginx.conf exactly", () => {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const config = readFileSync(path.join(ROOT, "deploy", "nginx.conf"), "utf8");
  expect(readme).toContain(`\`\`\`nginx\n${config}\`\`\`\n`);
});
