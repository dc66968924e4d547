// Before the nginx tests: they run `node dist/cli.js` as a user would, so dist/ must be built
// from the current src/. `npm run build` runs when dist/cli.js is missing or older than any file
// in src/; and nginx must be installed (the tests say how when it is not).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { requireNginx } from "./nginx.js";
import { CLI, ROOT } from "./processes.js";

function newestSource(): number {
  let newest = 0;
  for (const entry of readdirSync(path.join(ROOT, "src"), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const install = requireNginx();
  console.log(`test/nginx: ${install.version} (${install.binary}); Brotli: ${install.noBrotliReason === undefined ? `brotli_static from ${install.brotliModule}` : `not available, ${install.noBrotliReason}`}`);
  const stale = !existsSync(CLI) || statSync(CLI).mtimeMs < newestSource();
  if (!stale) return;
  console.log("test/nginx: dist/ is missing or older than src/; npm run build");
  const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
  if (build.status !== 0) throw new Error(`test/nginx: npm run build failed (${build.status ?? build.signal ?? build.error?.message}):\n${build.stdout}${build.stderr}`);
}
