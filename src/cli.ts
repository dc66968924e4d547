#!/usr/bin/env node
// feedwright serve | build --out DIR | check — the one place that wires configuration, the
// content and feeds stages, the scheduled job and the HTTP server together.
import { parseArgs } from "node:util";
import { ConfigError, loadConfig, type Config, type ConfigOverrides } from "./config.js";
import { loadPosts } from "./content/load-posts.js";
import { checkPostsFolder, PostsFolderError } from "./content/scan.js";
import { buildSite } from "./feeds/build-site.js";
import { createServer } from "./http/server.js";
import { consoleLogger, type Logger } from "./logger.js";
import { writeStaticSite } from "./publish/static-export.js";
import { formatProblem, Publisher } from "./publish/publisher.js";
import { WebSubNotifier } from "./publish/websub-notifier.js";

const USAGE = `Usage:
  feedwright serve [--posts DIR] [--config FILE] [--port N]   serve the feeds over HTTP, rescanning on the schedule
  feedwright build --out DIR [--posts DIR] [--config FILE]    write every document as static files under DIR
  feedwright check [--posts DIR] [--config FILE]              report every post that cannot be published; exit 1 if any

Environment: FEEDWRIGHT_CONFIG, POSTS_DIR, PORT, SITE_URL (flags win over them). Default config: config/site.yaml.`;

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
        config: { type: "string" },
        port: { type: "string" },
        out: { type: "string" },
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
  const overrides: ConfigOverrides = { configFile: values.config, postsDir: values.posts, port: values.port };

  switch (command) {
    case "serve":
      return serve(loadConfig(overrides), logger);
    case "build":
      if (!values.out) throw new UsageError("build needs --out DIR");
      return build(loadConfig(overrides), values.out, logger);
    case "check":
      return check(loadConfig(overrides), logger);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function serve(config: Config, logger: Logger): Promise<number> {
  // A missing posts folder stops start-up with one line (thrown to main), before anything runs.
  await checkPostsFolder(config.postsDir);
  const notifier = new WebSubNotifier({ hubs: config.websub.hubs, logger });
  const publisher = new Publisher(config, logger, () => new Date(), notifier);
  const first = await publisher.scan();
  if (!first.ok) {
    // Nothing to serve yet: stop with the reason rather than serve 503s forever.
    logger.error(`feedwright: ${first.error ?? "the first scan failed"}`);
    return 1;
  }
  const state = publisher.state;
  logger.info(
    `feedwright: ${state?.build.published.length ?? 0} posts published from ${config.postsDir}` +
      ` (${state?.content.problems.length ?? 0} skipped, ${state?.build.scheduled.length ?? 0} scheduled)`,
  );
  publisher.start();

  const server = createServer(publisher);
  server.listen(config.port, config.host);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
  } catch (error) {
    await publisher.stop();
    await notifier.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new StartupError(`cannot listen on ${config.host}:${config.port} (${code ?? String(error)}); choose another port with --port or PORT`);
  }
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  logger.info(`feedwright: serving on http://localhost:${port}/ (feeds at ${config.feed.url}/feed.xml)`);

  return new Promise<number>((resolve) => {
    const shutdown = (signal: string): void => {
      logger.info(`feedwright: ${signal}, shutting down`);
      void Promise.all([publisher.stop(), notifier.close()]).then(() => {
        server.close(() => resolve(0));
        server.closeIdleConnections();
      });
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });
}

async function build(config: Config, outDir: string, logger: Logger): Promise<number> {
  const content = await loadPosts(config);
  for (const problem of content.problems) logger.warn(`content: ${formatProblem(config.postsDir, problem)} (skipped)`);
  const site = buildSite(config, content, new Date());
  const written = await writeStaticSite(config, site, outDir);
  logger.info(`feedwright: wrote ${written} files to ${outDir} (${site.published.length} posts, ${content.problems.length} skipped)`);
  return 0;
}

async function check(config: Config, logger: Logger): Promise<number> {
  const content = await loadPosts(config);
  for (const problem of content.problems) console.log(formatProblem(config.postsDir, problem));
  for (const warning of content.warnings) console.log(`${formatProblem(config.postsDir, warning)} (warning)`);
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
    } else if (error instanceof ConfigError || error instanceof PostsFolderError || error instanceof StartupError) {
      console.error(`feedwright: ${error.message}`);
      process.exitCode = 1;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
