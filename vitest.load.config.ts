// The vitest part of `npm run test:load`: tests that load the machine for most of a minute
// (test/load/*.test.ts). Kept apart from vitest.config.ts so that `npm test` stays quick.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/load/**/*.test.ts"],
    // A timeout ends a hang; it asserts no speed.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    expect: { requireAssertions: true },
  },
});
