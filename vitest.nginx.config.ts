// `npm run test:nginx`: Feedwright behind nginx (the Debian package; Brotli from
// libnginx-mod-http-brotli-static when installed): two replicas behind nginx as load balancer and
// cache, and the static export served with deploy/nginx.conf. Kept apart from vitest.config.ts so
// that the normal test run needs no nginx. The global setup builds dist/ when it is older than src/.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/nginx/**/*.test.ts"],
    globalSetup: ["test/nginx/global-setup.ts"],
    // Every skipped assertion is listed with its reason.
    reporters: ["verbose"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
