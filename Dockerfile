# syntax=docker/dockerfile:1
# Feedwright in a container: build with the dev dependencies, run with the production ones only,
# as the unprivileged "node" user. Posts, config and cache are volumes; see docs/deployment.md.

FROM node:26-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:26-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The sample posts and config make the image serve real feeds as it is; mount your own over them.
COPY config ./config
COPY posts ./posts
# The disk cache of rendered posts and documents: a volume makes restarts warm.
ENV FEEDWRIGHT_CACHE_DIR=/app/cache
RUN mkdir -p /app/cache && chown node:node /app/cache
USER node
EXPOSE 3000
VOLUME ["/app/posts", "/app/config", "/app/cache"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/cli.js", "serve"]
