// Configuration: defaults < config file < environment < command-line flags, read and validated
// once at start-up. Every error names the key (or variable, or flag) and where it came from, so
// `feedwright serve` can stop with one line that says what to fix.
import { readFileSync } from "node:fs";
import { validEmail } from "./text/email.js";
import { availableParallelism } from "node:os";
import path from "node:path";
import { IANAZone } from "luxon";
import cron from "node-cron";
import { z } from "zod";
import { parseYamlSource, YamlSyntaxError } from "./yaml-source.js";
import { LOG_LEVELS, type LogLevel } from "./logger.js";
import { cleanText } from "./text/clean-text.js";

/** A person credited in the feeds: the site's author, and the author of a post that names none. */
export interface Author {
  readonly name: string;
  readonly email?: string | undefined;
  readonly url?: string | undefined;
}

/**
 * `feed.max_terms_per_post` when not set: far above any real post's (content/term-limit.ts says
 * what the limit protects against).
 */
export const DEFAULT_MAX_TERMS_PER_POST = 100;

export interface SiteConfig {
  readonly title: string;
  readonly description: string;
  /** Absolute http(s) URL of the blog, without a trailing slash. */
  readonly url: string;
  readonly language: string;
  readonly timezone: string;
  readonly author: Author;
  readonly permalink: string;
}

export interface Config {
  /**
   * The site's settings. For a Jekyll site (`siteDir`) these are Feedwright's defaults and
   * explicit settings only; the content stage merges them with the site's _config.yml at every
   * scan (content/site-source.ts), keys set here winning.
   */
  readonly site: SiteConfig;
  /** The `site.*` keys set explicitly (config file, environment, flags): they win over _config.yml. */
  readonly siteExplicit: Partial<SiteConfig>;
  readonly feed: {
    readonly limit: number;
    /** Whether `feed.limit` was set explicitly (else a Jekyll site's `feed.posts_limit` applies). */
    readonly limitExplicit: boolean;
    /** Absolute URL where Feedwright's own documents are reachable, without a trailing slash. */
    readonly url: string;
    /** Whether `feed.url` was set (else it follows the site's URL). */
    readonly urlExplicit: boolean;
    /** Categories, and tags, a post may have: the first ones are used, the rest reported. */
    readonly maxTermsPerPost: number;
  };
  /**
   * Absolute path of the folder posts are read from, which every post's path is relative to:
   * the posts folder, or the root of the Jekyll site when `siteDir` is set.
   */
  readonly postsDir: string;
  /** Absolute path of a Jekyll site's root (`--site`), whose _config.yml and `_posts` folders are read. */
  readonly siteDir: string | undefined;
  /** Posts larger than this are skipped with an error (protects memory and the event loop). */
  readonly maxPostBytes: number;
  /** Folder of the on-disk cache of rendered posts and documents; undefined: no disk cache. */
  readonly cacheDir: string | undefined;
  /** Threads that render posts (and compress documents) during a build. */
  readonly workers: number;
  /** Bearer token of POST /-/rebuild; undefined: the endpoint is disabled. */
  readonly rebuildToken: string | undefined;
  readonly log: {
    readonly level: LogLevel;
    /** One log line per request (method, path, status, bytes, duration). */
    readonly requests: boolean;
  };
  /** Bearer token /metrics asks for; undefined: /metrics is open (bind it to a private network). */
  readonly metricsToken: string | undefined;
  readonly schedule: string;
  readonly http: HttpLimits & {
    /** Cache-Control max-age of every document, in seconds (RSS <ttl> follows it). */
    readonly maxAge: number;
  };
  readonly websub: {
    /** Hubs every feed advertises and notifies after a scan that changed it. */
    readonly hubs: readonly string[];
  };
  readonly port: number;
  readonly host: string;
  /** The config file that was read, if any (for messages). */
  readonly configFile: string | undefined;
}

/** How much one client and all clients together may take from the server. */
export interface HttpLimits {
  /** Open connections at most; further ones are refused until some close. */
  readonly maxConnections: number;
  /** A client must send its request headers within this time (slowloris). */
  readonly headersTimeoutMs: number;
  /** ... and the whole request within this time. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this time. */
  readonly keepAliveTimeoutMs: number;
  /** A connection that has sent no byte by then is closed: idle sockets must not hold every slot. */
  readonly idleConnectionTimeoutMs: number;
  /** Requests per minute per client address; 0 turns rate limiting off. */
  readonly rateLimitPerMinute: number;
  /** Requests a client may send at once beyond its rate. */
  readonly rateLimitBurst: number;
  /**
   * Proxies in front that append to X-Forwarded-For (`http.trust_proxy`: true is 1): the client
   * is the address the outermost of them added, counted from the right. 0: the socket's address.
   */
  readonly trustedProxyHops: number;
}

export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`config: ${message}`, options);
    this.name = "ConfigError";
  }
}

/** What the command line gave; undefined means "not given". */
export interface ConfigOverrides {
  readonly configFile?: string | undefined;
  readonly postsDir?: string | undefined;
  readonly siteDir?: string | undefined;
  readonly port?: string | undefined;
  readonly siteUrl?: string | undefined;
  readonly cacheDir?: string | undefined;
  /** --no-cache: a cold build, with no disk cache read or written. */
  readonly noCache?: boolean | undefined;
}

export const DEFAULT_CONFIG_FILE = "config/site.yaml";

const httpUrl = z
  .string()
  .refine((value) => isHttpUrl(value), "must be an absolute http:// or https:// URL, e.g. https://blog.example.com");

const authorSchema = z.union([
  z.string().trim().min(1, "must not be empty"),
  z
    .object({
      name: z.string().trim().min(1, "must not be empty"),
      email: z
        .string()
        .trim()
        .min(1)
        .refine((value) => validEmail(value) !== undefined, "must be an e-mail address such as me@example.com, without control characters")
        .optional(),
      url: httpUrl.optional(),
    })
    .strict(),
]);

const fileSchema = z
  .object({
    site: z
      .object({
        title: z.string().trim().min(1, "must not be empty").default("My blog"),
        description: z.string().default(""),
        // Absent: http://localhost:<port> (see loadConfig), for trying Feedwright out locally.
        url: httpUrl.optional(),
        language: z
          .string()
          .refine((value) => isLanguageTag(value), "must be a BCP 47 language tag such as en, ja or pt-BR")
          .default("en"),
        timezone: z
          .string()
          .refine((value) => IANAZone.isValidZone(value), "must be an IANA time zone such as UTC or Asia/Tokyo")
          .default("UTC"),
        author: authorSchema.default("Anonymous"),
        permalink: z
          .string()
          .refine(
            (value) => ["date", "pretty", "ordinal", "weekdate", "none"].includes(value) || value.includes(":") || value.startsWith("/"),
            "must be date, pretty, ordinal, weekdate, none, or a pattern such as /:year/:month/:title/",
          )
          .default("date"),
      })
      .strict()
      .prefault({}),
    feed: z
      .object({
        limit: z.number().int().min(1).max(1000, "must be at most 1000").default(20),
        url: httpUrl.optional(),
        // A post in N feeds lists its N names in each: its cost grows with N squared.
        max_terms_per_post: z.number().int().min(1).max(10_000).default(DEFAULT_MAX_TERMS_PER_POST),
      })
      .strict()
      .prefault({}),
    posts_dir: z.string().min(1).default("posts"),
    site_dir: z.string().min(1).optional(),
    max_post_bytes: z.number().int().min(1024).default(1024 * 1024),
    cache_dir: z.string().min(1).default(".feedwright-cache"),
    workers: z.union([z.literal("auto"), z.number().int().min(0).max(64)]).default("auto"),
    log: z
      .object({
        level: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
        requests: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    metrics: z
      .object({
        token: z.string().min(16, "must be at least 16 characters; generate one with: openssl rand -hex 24").optional(),
      })
      .strict()
      .prefault({}),
    rebuild: z
      .object({
        token: z.string().min(16, "must be at least 16 characters; generate one with: openssl rand -hex 24").optional(),
      })
      .strict()
      .prefault({}),
    schedule: z
      .string()
      .refine((value) => cron.validate(value), "must be a cron expression such as \"* * * * *\" (every minute)")
      .default("* * * * *"),
    http: z
      .object({
        max_age: z.number().int().min(0).max(31_536_000).optional(),
        max_connections: z.number().int().min(1).max(1_000_000).default(4096),
        headers_timeout_ms: z.number().int().min(100).max(600_000).default(10_000),
        request_timeout_ms: z.number().int().min(100).max(3_600_000).default(30_000),
        keep_alive_timeout_ms: z.number().int().min(100).max(600_000).default(5_000),
        idle_connection_timeout_ms: z.number().int().min(100).max(600_000).default(2_000),
        rate_limit: z
          .object({
            requests_per_minute: z.number().int().min(0).default(0),
            burst: z.number().int().min(1).default(60),
          })
          .strict()
          .prefault({}),
        // true: one proxy (nginx) appends the client's address; a number: that many proxies in a row.
        trust_proxy: z.union([z.boolean(), z.number().int().min(1).max(16)]).default(false),
      })
      .strict()
      .prefault({}),
    websub: z
      .object({
        hubs: z.array(httpUrl).default([]),
      })
      .strict()
      .prefault({}),
    port: z.number().int().min(0).max(65535).default(3000),
    host: z.string().min(1).default("0.0.0.0"),
  })
  .strict();

type FileConfig = z.infer<typeof fileSchema>;

/**
 * Builds the Config from the file named by the flag, FEEDWRIGHT_CONFIG or the default path,
 * then applies environment variables and flags. Throws ConfigError.
 */
export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const explicitFile = overrides.configFile ?? nonEmpty(env.FEEDWRIGHT_CONFIG);
  const configFile = explicitFile ?? DEFAULT_CONFIG_FILE;
  const absoluteFile = path.resolve(cwd, configFile);
  const raw = readConfigFile(absoluteFile, configFile, explicitFile !== undefined);

  const parsed = fileSchema.safeParse(raw.value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue ? describePath(issue) : "";
    const keyPath = issue ? [...issue.path.map((part) => (typeof part === "number" ? part : String(part))), ...(issue.code === "unrecognized_keys" ? issue.keys.slice(0, 1) : [])] : [];
    const line = raw.lineOfPath ? raw.lineOfPath(keyPath) : undefined;
    const where = raw.exists ? `${configFile}${line ? `:${line}` : ""}: ` : "";
    const message = issue?.code === "unrecognized_keys" ? "" : `: ${issue?.message ?? "invalid"}`;
    throw new ConfigError(`${where}${key}${message}`);
  }
  const file: FileConfig = parsed.data;

  const siteUrl = pick(overrides.siteUrl, "--site-url", env.SITE_URL, "SITE_URL");
  if (siteUrl && !isHttpUrl(siteUrl.value)) {
    throw new ConfigError(`${siteUrl.source}=${siteUrl.value}: must be an absolute http:// or https:// URL`);
  }
  const port = pick(overrides.port, "--port", env.PORT, "PORT");
  const portNumber = port ? parsePort(port.value, port.source) : file.port;
  const postsFlag = pick(overrides.postsDir, "--posts", env.POSTS_DIR, "POSTS_DIR");
  const siteFlag = pick(overrides.siteDir, "--site", env.SITE_DIR, "SITE_DIR");
  if (postsFlag && siteFlag) {
    throw new ConfigError(`${postsFlag.source} and ${siteFlag.source} are both given; use ${siteFlag.source} for a Jekyll site's root, or ${postsFlag.source} for a folder of posts`);
  }
  // A flag or variable chooses over the file; in the file, site_dir wins over posts_dir (which has a default).
  const siteDirGiven = siteFlag?.value ?? (postsFlag ? undefined : file.site_dir);
  const siteDir = siteDirGiven === undefined ? undefined : path.resolve(cwd, siteDirGiven);
  const postsDir = siteDir ?? path.resolve(cwd, postsFlag?.value ?? file.posts_dir);

  // The default config file describes the sample posts: a Jekyll site given by --site or SITE_DIR
  // takes its title, URL, author, permalink and feed settings from its own _config.yml unless a
  // config file is named (--config, FEEDWRIGHT_CONFIG) or the file itself sets site_dir.
  const siteKeysFromFile = siteDir === undefined || explicitFile !== undefined || siteFlag === undefined;
  const siteSection = siteKeysFromFile ? file.site : fileSchema.shape.site.parse(undefined);
  const url = withoutTrailingSlash(siteUrl?.value ?? siteSection.url ?? localUrl(portNumber));
  // Config text goes into every document, like post text: same cleaning (text/clean-text.ts).
  const author = typeof siteSection.author === "string" ? { name: cleanText(siteSection.author) } : { ...siteSection.author, name: cleanText(siteSection.author.name) };
  const config: Config = {
    site: {
      title: cleanText(siteSection.title),
      description: cleanText(siteSection.description),
      url,
      language: siteSection.language,
      timezone: siteSection.timezone,
      author,
      permalink: siteSection.permalink,
    },
    siteExplicit: explicitSiteKeys(siteKeysFromFile ? raw.value : undefined, { url: siteUrl === undefined ? undefined : url }),
    feed: {
      limit: siteKeysFromFile ? file.feed.limit : fileSchema.shape.feed.parse(undefined).limit,
      limitExplicit: siteKeysFromFile && hasKey(raw.value, ["feed", "limit"]),
      url: withoutTrailingSlash((siteKeysFromFile ? file.feed.url : undefined) ?? url),
      urlExplicit: siteKeysFromFile && file.feed.url !== undefined,
      maxTermsPerPost: file.feed.max_terms_per_post,
    },
    postsDir,
    siteDir,
    maxPostBytes: file.max_post_bytes,
    cacheDir: overrides.noCache ? undefined : path.resolve(cwd, pick(overrides.cacheDir, "--cache-dir", env.FEEDWRIGHT_CACHE_DIR, "FEEDWRIGHT_CACHE_DIR")?.value ?? file.cache_dir),
    // One per core: the main thread only waits while they render (2 cores here -> 2 workers).
    workers: file.workers === "auto" ? availableParallelism() : file.workers,
    rebuildToken: secretToken(env, "FEEDWRIGHT_REBUILD_TOKEN", file.rebuild.token),
    log: { level: logLevel(env, file.log.level), requests: file.log.requests },
    metricsToken: secretToken(env, "FEEDWRIGHT_METRICS_TOKEN", file.metrics.token),
    schedule: file.schedule,
    http: {
      maxAge: file.http.max_age ?? scheduleInterval(file.schedule, file.site.timezone),
      maxConnections: file.http.max_connections,
      headersTimeoutMs: file.http.headers_timeout_ms,
      requestTimeoutMs: Math.max(file.http.request_timeout_ms, file.http.headers_timeout_ms),
      keepAliveTimeoutMs: file.http.keep_alive_timeout_ms,
      idleConnectionTimeoutMs: file.http.idle_connection_timeout_ms,
      rateLimitPerMinute: file.http.rate_limit.requests_per_minute,
      rateLimitBurst: file.http.rate_limit.burst,
      trustedProxyHops: file.http.trust_proxy === true ? 1 : file.http.trust_proxy === false ? 0 : file.http.trust_proxy,
    },
    websub: { hubs: file.websub.hubs.map((hub) => new URL(hub).href) },
    port: portNumber,
    host: file.host,
    configFile: raw.exists ? absoluteFile : undefined,
  };
  return deepFreeze(config);
}

/**
 * The `site.*` values the config file (or the environment, `fromEnvironment`) sets explicitly,
 * cleaned as the rest of the config is: for a Jekyll site, these win over its _config.yml.
 */
function explicitSiteKeys(raw: unknown, fromEnvironment: { url: string | undefined }): Partial<SiteConfig> {
  const site = isRecord(raw) && isRecord(raw.site) ? raw.site : {};
  const explicit: { -readonly [K in keyof SiteConfig]?: SiteConfig[K] } = {};
  if (typeof site.title === "string") explicit.title = cleanText(site.title);
  if (typeof site.description === "string") explicit.description = cleanText(site.description);
  if (typeof site.url === "string") explicit.url = withoutTrailingSlash(site.url);
  if (fromEnvironment.url !== undefined) explicit.url = fromEnvironment.url;
  if (typeof site.language === "string") explicit.language = site.language;
  if (typeof site.timezone === "string") explicit.timezone = site.timezone;
  if (typeof site.author === "string") explicit.author = { name: cleanText(site.author) };
  else if (isRecord(site.author) && typeof site.author.name === "string") {
    explicit.author = { name: cleanText(site.author.name), email: typeof site.author.email === "string" ? site.author.email : undefined, url: typeof site.author.url === "string" ? site.author.url : undefined };
  }
  if (typeof site.permalink === "string") explicit.permalink = site.permalink;
  return explicit;
}

function hasKey(raw: unknown, keyPath: readonly string[]): boolean {
  let node = raw;
  for (const key of keyPath) {
    if (!isRecord(node) || !(key in node)) return false;
    node = node[key];
  }
  return true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The address of a server on this machine: what links use when no public URL is set. */
export function localUrl(port: number): string {
  return `http://localhost:${port}`;
}

/**
 * The configuration of a server that listens on `port` (the one the system chose, for port 0):
 * without a public URL, links lead to it.
 */
export function listeningOn(config: Config, port: number): Config {
  if (config.siteExplicit.url !== undefined || config.port === port) return config;
  const url = localUrl(port);
  return { ...config, port, site: { ...config.site, url }, feed: { ...config.feed, url: config.feed.urlExplicit ? config.feed.url : url } };
}

/**
 * The configuration as one scan applies it: `site` as the content stage resolved it (a Jekyll
 * site's _config.yml under the explicit settings), `feed.limit` and `feed.url` following it
 * unless set explicitly.
 */
export function withSiteSettings(config: Config, site: SiteConfig, feedLimit: number): Config {
  if (config.site === site && config.feed.limit === feedLimit) return config;
  return { ...config, site, feed: { ...config.feed, limit: feedLimit, url: config.feed.urlExplicit ? config.feed.url : site.url } };
}

interface RawConfig {
  readonly exists: boolean;
  readonly value: unknown;
  readonly lineOfPath?: (path: readonly (string | number)[]) => number | undefined;
}

function readConfigFile(absoluteFile: string, shownName: string, required: boolean): RawConfig {
  let text: string;
  try {
    text = readFileSync(absoluteFile, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && !required) return { exists: false, value: {} };
    throw new ConfigError(`${shownName}: cannot read the config file (${code ?? String(error)}); check the path given by --config or FEEDWRIGHT_CONFIG`, { cause: error });
  }
  try {
    const source = parseYamlSource(text);
    if (source.value !== null && (typeof source.value !== "object" || Array.isArray(source.value))) {
      throw new ConfigError(`${shownName}: the file must be a YAML mapping of keys such as site: and feed:`);
    }
    return { exists: true, value: source.value, lineOfPath: (keyPath) => source.lineOfPath(keyPath) };
  } catch (error) {
    if (error instanceof YamlSyntaxError) {
      throw new ConfigError(`${shownName}${error.line ? `:${error.line}` : ""}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function describePath(issue: z.core.$ZodIssue): string {
  const base = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((key) => (base ? `${base}.${key}` : key));
    return `unknown key ${keys.join(", ")} (check its spelling; see README.md for the keys)`;
  }
  return base || "(top level)";
}

function pick(flag: string | undefined, flagName: string, envValue: string | undefined, envName: string): { value: string; source: string } | undefined {
  if (flag !== undefined) return { value: flag, source: flagName };
  const fromEnv = nonEmpty(envValue);
  if (fromEnv !== undefined) return { value: fromEnv, source: envName };
  return undefined;
}

/**
 * The shortest time between two runs of the schedule, in seconds: documents cannot change more
 * often than that, so it is the default Cache-Control max-age (every minute -> 60).
 */
export function scheduleInterval(schedule: string, timezone: string): number {
  const task = cron.createTask(schedule, () => undefined, { timezone });
  try {
    const runs = task.getNextRuns(8).map((date) => date.getTime());
    const gaps = runs.slice(1).map((time, index) => time - (runs[index] ?? time));
    return Math.max(1, Math.round(Math.min(...gaps) / 1000));
  } finally {
    void task.destroy();
  }
}

function secretToken(env: NodeJS.ProcessEnv, variable: string, fromFile: string | undefined): string | undefined {
  const fromEnv = nonEmpty(env[variable]);
  if (fromEnv !== undefined && fromEnv.length < 16) {
    throw new ConfigError(`${variable}: must be at least 16 characters; generate one with: openssl rand -hex 24`);
  }
  return fromEnv ?? fromFile;
}

function logLevel(env: NodeJS.ProcessEnv, fromFile: LogLevel): LogLevel {
  const fromEnv = nonEmpty(env.LOG_LEVEL)?.toLowerCase();
  if (fromEnv === undefined) return fromFile;
  if (!(LOG_LEVELS as readonly string[]).includes(fromEnv)) throw new ConfigError(`LOG_LEVEL=${fromEnv}: must be one of ${LOG_LEVELS.join(", ")}`);
  return fromEnv as LogLevel;
}

function parsePort(value: string, source: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new ConfigError(`${source}=${value}: must be a port number from 0 to 65535`);
  }
  return Number(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "" && !url.search && !url.hash;
  } catch {
    return false;
  }
}

function isLanguageTag(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

function withoutTrailingSlash(url: string): string {
  return new URL(url).href.replace(/\/+$/, "");
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
