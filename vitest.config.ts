import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    // Jekyll and nginx tests need those installed; load tests take minutes (`npm run test:load`).
    exclude: ["test/jekyll/**", "test/nginx/**", "test/load/**", "node_modules/**"],
    // One test file per core, in forked processes (vitest's default pool: tests send signals,
    // start child processes and worker threads). Vitest's default of one worker less than the
    // cores runs the files one after another on 2 cores, while much of the suite waits on child
    // processes, sockets and worker threads: two at once take about 60% of the time.
    pool: "forks",
    maxWorkers: availableParallelism(),
    // A timeout ends a hang; it asserts no speed. Vitest's 5 s default failed tests that build
    // real sites (worker threads, 90 posts) when the machine was busy with other work.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A test that asserts nothing fails: it could not fail otherwise.
    expect: { requireAssertions: true },
  },
});
