// `npm run test:jekyll`: compares Feedwright with a real Jekyll 4.3 (apt-get install jekyll).
// Kept apart from vitest.config.ts so that the normal test run needs no Ruby.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/jekyll/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
