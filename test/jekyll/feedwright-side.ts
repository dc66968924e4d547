// The Feedwright side of comparing Feedwright with Jekyll on a whole site: `feedwright build`
// (the compiled CLI, as a user runs it) writes the static export, and every item is read back
// from its Atom documents (test/compare/exported-atom-items.ts).
import { execFile } from "node:child_process";
import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { readExportedItems, type ExportedItems } from "../compare/exported-atom-items.js";
import { jekyllSourceFolder, type JekyllConfig } from "./jekyll-side.js";

const run = promisify(execFile);

export const REPOSITORY_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLI = path.join(REPOSITORY_ROOT, "dist", "cli.js");

/** The most items per document Feedwright allows: few documents to read, and most sites fit in one. */
const FEED_LIMIT = 1000;

/**
 * How Feedwright is pointed at the site. "site": `--site SITE_DIR`, Feedwright reads
 * `_config.yml` itself. "posts": `--posts SITE_DIR/_posts` with a configuration carrying the
 * site's settings, copied from `_config.yml` as a user of `--posts` copies them by hand; only
 * the posts of the root `_posts` folder are seen.
 */
export type FeedwrightInput = "site" | "posts";

export interface FeedwrightSideResult extends ExportedItems {
  /** the arguments given to dist/cli.js */
  readonly command: readonly string[];
  /** the generated configuration file's content */
  readonly config: string;
  /** what `feedwright build` printed */
  readonly output: string;
  readonly buildMilliseconds: number;
}

export interface FeedwrightSideOptions {
  readonly siteDir: string;
  readonly workDir: string;
  readonly input: FeedwrightInput;
  /** the site's configuration as Jekyll reads it */
  readonly jekyllConfig: JekyllConfig;
  /** the URL the Jekyll side used (the site's, or a stand-in when it has none) */
  readonly siteUrl: string;
  /** the time zone the Jekyll side used */
  readonly timezone: string;
}

/** Builds the site with Feedwright into `workDir`/export and reads every item back. */
export async function buildWithFeedwright(options: FeedwrightSideOptions): Promise<FeedwrightSideResult> {
  if (!(await stat(CLI).catch(() => undefined))) {
    throw new Error(`compare: ${path.relative(process.cwd(), CLI) || CLI} is missing; run \`npm run build\` first`);
  }
  await mkdir(options.workDir, { recursive: true });
  const out = path.join(options.workDir, "export");
  const configFile = path.join(options.workDir, "feedwright.yaml");
  const config = `${JSON.stringify(feedwrightConfig(options))}\n`; // JSON is YAML
  await writeFile(configFile, config);
  const source =
    options.input === "site" ? ["--site", options.siteDir] : ["--posts", path.join(options.siteDir, jekyllSourceFolder(options.jekyllConfig), "_posts")];
  const command = ["build", ...source, "--out", out, "--no-cache", "--config", configFile];
  const started = performance.now();
  let output: string;
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...command], { cwd: options.workDir, maxBuffer: 256 * 1024 * 1024 });
    output = `${stdout}${stderr}`;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`compare: feedwright ${command.join(" ")} failed:\n${stdout ?? ""}${stderr ?? ""}`, { cause: error });
  }
  const buildMilliseconds = Math.round(performance.now() - started);
  return { command, config, ...(await readExportedItems(out)), output, buildMilliseconds };
}

/**
 * The configuration Feedwright gets. With --site only what the comparison needs (every post in
 * few documents; a URL where the site has none), so that everything else comes from
 * `_config.yml`. With --posts, the site's settings as Feedwright's config keys.
 */
function feedwrightConfig(options: FeedwrightSideOptions): Record<string, unknown> {
  const { jekyllConfig, siteUrl } = options;
  const feed = { limit: FEED_LIMIT };
  if (options.input === "site") {
    return jekyllConfig.url === siteUrl ? { feed } : { site: { url: siteUrl }, feed };
  }
  const site: Record<string, unknown> = {
    url: joinUrl(siteUrl, typeof jekyllConfig.baseurl === "string" ? jekyllConfig.baseurl : ""),
    timezone: options.timezone,
    permalink: postsPermalink(jekyllConfig),
  };
  const title = stringSetting(jekyllConfig.title) ?? stringSetting(jekyllConfig.name);
  if (title !== undefined) site.title = title;
  const description = stringSetting(jekyllConfig.description);
  if (description !== undefined) site.description = description;
  const language = stringSetting(jekyllConfig.lang);
  // Jekyll sites write "ja_JP" as often as "ja-JP"; BCP 47 has only the hyphen.
  if (language !== undefined) site.language = language.replace(/_/g, "-");
  const author = authorSetting(jekyllConfig.author);
  if (author !== undefined) site.author = author;
  return { site, feed };
}

/** The posts collection's permalink, else the site's (Jekyll::Collection#url_template), else "date". */
function postsPermalink(config: JekyllConfig): string {
  const collections = config.collections as Record<string, { permalink?: unknown } | null> | unknown[] | undefined;
  const posts = collections !== undefined && !Array.isArray(collections) ? collections.posts : undefined;
  return stringSetting(posts?.permalink) ?? stringSetting(config.permalink) ?? "date";
}

function authorSetting(value: unknown): string | Record<string, string> | undefined {
  const text = stringSetting(value);
  if (text !== undefined) return text;
  if (value === null || typeof value !== "object") return undefined;
  const fields = value as Record<string, unknown>;
  const name = stringSetting(fields.name);
  if (name === undefined) return undefined;
  const author: Record<string, string> = { name };
  const email = stringSetting(fields.email);
  if (email !== undefined) author.email = email;
  const url = stringSetting(fields.url) ?? stringSetting(fields.uri);
  if (url !== undefined && /^https?:\/\//.test(url)) author.url = url;
  return author;
}

function stringSetting(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** site.url + site.baseurl, as Jekyll's absolute_url joins them, without a trailing slash. */
function joinUrl(url: string, baseurl: string): string {
  const base = baseurl.replace(/^\/+|\/+$/g, "");
  return `${url.replace(/\/+$/, "")}${base === "" ? "" : `/${base}`}`;
}
