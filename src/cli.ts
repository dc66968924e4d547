#!/usr/bin/env node
// feedwright serve | build --out DIR | check — the one place that wires configuration, the
// content and feeds stages, the scheduled job and the HTTP server together.
import { parseArgs } from "node:util";
import { createServer as createNetServer } from "node:net";
import { ConfigError, listeningOn, loadConfig, withSiteSettings, type Config, type ConfigOverrides } from "./config.js";
import type { SourceState } from "./content/site-source.js";
import { checkPostsFolder, PostsFolderError } from "./content/scan.js";
import { SiteConfigError } from "./content/jekyll/site-config.js";
import { formatProblem } from "./content/post-error.js";
import { consoleLogger, createLogger, type Logger } from "./logger.js";
import { StaticExportError } from "./publish/export-error.js";
import { holdTickObjectMaps } from "./http/tick-object-maps.js";

// Each command loads the modules it runs when it starts (`build` never loads the HTTP server and
// metrics, `serve` never the export): the start-up of a command is mostly module loading.
const USAGE = `Usage:
  feedwright serve [--site DIR | --posts DIR] [--config FILE] [--port N]   serve the feeds over HTTP, rescanning on the schedule
  feedwright build --out DIR [--site DIR | --posts DIR] [--config FILE]    write every document (with .gz and .br) as static files under DIR
  feedwright check [--site DIR | --posts DIR] [--config FILE]              report every post that cannot be published; exit 1 if any

  --site DIR        the root of a Jekyll site: its _config.yml and every _posts folder are read
  --posts DIR       a folder of posts (a Jekyll _posts folder)
  --cache-dir DIR   on-disk cache of rendered posts and documents (default .feedwright-cache)
  --no-cache        cold build: neither read nor write the disk cache

Environment: FEEDWRIGHT_CONFIG, SITE_DIR, POSTS_DIR, PORT, SITE_URL, FEEDWRIGHT_CACHE_DIR, FEEDWRIGHT_REBUILD_TOKEN
(flags win over them). Default config: config/site.yaml.`;

class UsageError extends Error {}
class StartupError extends Error {}

async function main(argv: string[], logger: Logger): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        posts: { type: "string" },
        site: { type: "string" },
        config: { type: "string" },
        port: { type: "string" },
        out: { type: "string" },
        "cache-dir": { type: "string" },
        "no-cache": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const command = positionals[0] ?? "serve";
  if (values.help || command === "help") {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const overrides: ConfigOverrides = {
    configFile: values.config,
    postsDir: values.posts,
    siteDir: values.site,
    port: values.port,
    cacheDir: values["cache-dir"],
    noCache: values["no-cache"],
  };

  switch (command) {
    case "serve":
      return serve(loadConfig(overrides));
    case "build":
      if (!values.out) throw new UsageError("build needs --out DIR");
      return build(loadConfig(overrides), values.out, logger);
    case "check":
      return check(loadConfig(overrides), logger);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function serve(configured: Config): Promise<number> {
  // First, before a scan has made garbage: see http/tick-object-maps.ts.
  holdTickObjectMaps();
  // A missing posts folder stops start-up with one line (thrown to main), before anything runs.
  await checkPostsFolder(configured.postsDir);
  const [{ DiskCache }, { formatRoute, SITE_SCOPE }, { createServer }, { Metrics }, { createRequestObserver }, { Publisher }, { WebSubNotifier }] = await Promise.all([
    import("./cache/disk-cache.js"),
    import("./feeds/routes.js"),
    import("./http/server.js"),
    import("./ops/metrics.js"),
    import("./ops/request-observer.js"),
    import("./publish/publisher.js"),
    import("./publish/websub-notifier.js"),
  ]);
  // Without a public URL links lead to this server, so for port 0 the port is chosen first.
  const config = listeningOn(configured, configured.port === 0 && configured.siteExplicit.url === undefined ? await freePort(configured.host) : configured.port);
  const logger = createLogger({ level: config.log.level });
  // A fatal error ends the process as Node ends it (the stack on standard error, exit code 1);
  // the JSON log says so too, after every line buffered before it.
  process.on("uncaughtExceptionMonitor", (error: unknown, origin) => {
    const what = origin === "unhandledRejection" ? "unhandled rejection" : "uncaught exception";
    logger.error(`feedwright: fatal ${what}: ${error instanceof Error ? error.message : String(error)}`, { event: "fatal", stack: error instanceof Error ? error.stack : undefined });
    logger.flush();
  });
  const metrics = new Metrics();
  const cache = config.cacheDir ? await DiskCache.open(config.cacheDir, logger) : undefined;
  const notifier = new WebSubNotifier({ hubs: config.websub.hubs, logger, onResult: (result) => metrics.recordWebSub(result.ok) });
  const publisher = new Publisher(config, logger, () => new Date(), notifier, { cache, onScan: (report, state) => metrics.recordScan(report, state) });

  // Listen first: until the first build is published, documents answer 503 with Retry-After and
  // /healthz says "starting", so an orchestrator sees a live process that is not ready yet.
  const server = createServer(publisher, {
    limits: config.http,
    rebuildToken: config.rebuildToken,
    metrics,
    metricsToken: config.metricsToken,
    observer: createRequestObserver(logger, metrics, config.log.requests),
  });
  server.listen(config.port, config.host);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
  } catch (error) {
    await Promise.all([publisher.stop(), notifier.close()]);
    const code = (error as NodeJS.ErrnoException).code;
    throw new StartupError(`cannot listen on ${config.host}:${config.port} (${code ?? String(error)}); choose another port with --port or PORT`);
  }
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;

  let shuttingDown = false;
  const stopped = new Promise<number>((resolve) => {
    const shutdown = (signal: string): void => {
      if (shuttingDown) return;
      shuttingDown = true;
      logger.info(`feedwright: ${signal}, shutting down`);
      // Stop accepting connections; requests in flight finish, idle keep-alive connections close.
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      // A client that never finishes its request does not hold the shutdown for ever.
      const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      force.unref();
      void Promise.all([publisher.stop(), notifier.close(), closed]).then(() => {
        // The request lines of the last answers are written now, not left to the exit.
        logger.flush();
        resolve(0);
      });
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
    // The daemon convention for "reload" (systemd's ExecReload, kill -HUP): scan again at once,
    // which reads the posts and a site's _config.yml anew. Without a handler Node exits at once,
    // dropping requests in flight and the cache's waiting writes; a terminal that closes on a
    // server started with nohup would now only cause a scan.
    process.on("SIGHUP", () => {
      if (shuttingDown) return;
      logger.info("feedwright: SIGHUP, scanning the posts again");
      void publisher.scan({ fresh: true });
    });
  });

  const first = await publisher.scan();
  if (!first.ok) {
    // Nothing to serve: stop with the reason rather than serve 503s forever.
    logger.error(`feedwright: ${first.error ?? "the first scan failed"}`);
    server.close();
    await Promise.all([publisher.stop(), notifier.close()]);
    return 1;
  }
  const state = publisher.state;
  if (!hasPublicUrl(config, state?.content.source)) {
    logger.warn(
      `feedwright: no public URL is set, so item links point to this machine (${config.site.url}/); set site.url in the config, SITE_URL,` +
        ` or url: in the site's _config.yml to the blog's address before anyone subscribes`,
    );
  }
  logger.info(
    `feedwright: ${state?.build.published.length ?? 0} posts published from ${config.postsDir} in ${first.durationMs} ms` +
      ` (${state?.content.problems.length ?? 0} skipped, ${state?.build.scheduled.length ?? 0} scheduled;` +
      ` ${first.posts?.rendered ?? 0} rendered, ${first.posts?.fromDiskCache ?? 0} from the cache)`,
  );
  if (!shuttingDown) publisher.start();
  logger.info(`feedwright: serving on http://localhost:${port}/ (feeds at ${config.feed.url}${formatRoute({ kind: "feed", scope: SITE_SCOPE, format: "rss", archive: 0 })})`);
  logger.flush();
  return stopped;
}

/** Whether links use an address the configuration gives: Feedwright's own, or a Jekyll site's `url`. */
function hasPublicUrl(config: Config, source: SourceState | undefined): boolean {
  return config.siteExplicit.url !== undefined || source?.jekyll?.url !== undefined;
}

/** A port nobody listens on now, on `host`. */
async function freePort(host: string): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, host, resolve);
  });
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

/** How long a shutdown waits for requests in flight before closing their connections. */
const SHUTDOWN_GRACE_MS = 10_000;

async function build(config: Config, outDir: string, logger: Logger): Promise<number> {
  const [{ DiskCache }, { ContentLoader }, { createPostRenderer }, { loaderInput, writeStaticSite }] = await Promise.all([
    import("./cache/disk-cache.js"),
    import("./content/load-posts.js"),
    import("./content/render-pool.js"),
    import("./publish/static-export.js"),
  ]);
  const cache = config.cacheDir ? await DiskCache.open(config.cacheDir, logger) : undefined;
  // The posts are read as `serve` reads them: heads first, then the bodies of only the documents
  // the export must render (from the disk cache where it has them).
  const renderer = createPostRenderer(config.maxPostBytes, config.workers);
  const loader = new ContentLoader(config, renderer, cache, { scansOnce: true });
  try {
    const { snapshot } = await loader.load();
    const siteConfig = withSiteSettings(config, snapshot.source.settings.site, snapshot.source.feedLimit);
    const report = await writeStaticSite(siteConfig, loaderInput(loader, new Date(), () => renderer.close()), outDir, { threads: config.workers });
    const content = loader.current();
    for (const problem of content.problems) logger.warn(`content: ${formatProblem(content.source.root, problem)} (skipped)`);
    const posts = `${report.published} posts, ${content.problems.length} skipped`;
    if (report.unchanged) logger.info(`feedwright: ${outDir} is up to date: nothing changed (${report.files} files; ${posts})`);
    else {
      logger.info(
        `feedwright: exported to ${outDir}: ${report.written} files written (${(report.writtenBytes / 1e6).toFixed(1)} MB), ${report.linked} unchanged (linked), ` +
          `${report.removed} removed; ${report.rendered} of ${report.feedDocuments} feed documents rendered; ${report.files} files (${posts})`,
      );
    }
    return 0;
  } finally {
    await loader.close();
    await cache?.flush();
  }
}

async function check(config: Config, logger: Logger): Promise<number> {
  const { loadPosts } = await import("./content/load-posts.js");
  const content = await loadPosts(config);
  for (const problem of content.problems) console.log(formatProblem(content.source.root, problem));
  for (const warning of content.warnings) console.log(`${formatProblem(content.source.root, warning)} (warning)`);
  const total = content.posts.length + content.problems.length + content.unpublished.length;
  logger.info(
    `feedwright: ${total} post files: ${content.posts.length} publishable, ${content.unpublished.length} drafts or unpublished, ` +
      `${content.problems.length} with errors, ${content.warnings.length} warnings`,
  );
  return content.problems.length > 0 ? 1 : 0;
}

main(process.argv.slice(2), consoleLogger).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`feedwright: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (error instanceof ConfigError || error instanceof PostsFolderError || error instanceof SiteConfigError || error instanceof StartupError || error instanceof StaticExportError) {
      console.error(`feedwright: ${error.message}`);
      process.exitCode = 1;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
