import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    // Jekyll and nginx tests need those installed; load tests take minutes (`npm run test:load`).
    exclude: ["test/jekyll/**", "test/nginx/**", "test/load/**", "node_modules/**"],
    // A timeout ends a hang; it asserts no speed. Vitest's 5 s default failed tests that build
    // real sites (worker threads, 90 posts) when the machine was busy with other work.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A test that asserts nothing fails: it could not fail otherwise.
    expect: { requireAssertions: true },
  },
});
