import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    exclude: ["test/jekyll/**", "test/nginx/**", "node_modules/**"],
  },
});
