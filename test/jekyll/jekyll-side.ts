// The Jekyll side of comparing Feedwright with Jekyll on a whole site: a copy of the site made to
// build with Debian's Jekyll 4.3 and jekyll-feed 0.17 (no network, no other gems), built, and
// read back post by post.
//
// What is changed in the copy, and only there, is recorded in `adjustments`:
// - `theme`, `remote_theme` and every plugin but jekyll-feed are taken out of the configuration
//   (through a second configuration file given after the site's, so the site's own YAML is read
//   by Jekyll as it is), Gemfile, Gemfile.lock and the plugins folder are deleted;
// - jekyll-feed writes to a path of ours, with `posts_limit` high enough to list every post
//   (the site's other `feed:` keys are kept);
// - a layout the posts name that does not exist becomes a stand-in that only prints the content
//   (feed content never includes the layout: jekyll-feed prints `post.content`);
// - if the build still fails outside the posts (a layout or page that needs the stripped theme or
//   a plugin), every layout becomes such a stand-in and the bodies of pages and of documents of
//   other collections are emptied (their front matter, which decides their URLs for `{% link %}`,
//   is kept), and the site is built again. A failure in a post itself (a tag only a plugin
//   defines, an include the theme had) is never worked around: the build fails with Jekyll's
//   message.
// A report page (Liquid) then lists what Jekyll made of every post, and jekyll-feed's feed gives
// each post's Atom id, title and summary.
import { execFile } from "node:child_process";
import { cp, mkdir, open, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { parse as parseYaml } from "yaml";
import { readAtomDocument, type AtomEntry } from "../compare/atom-entries.js";
import type { JekyllPublishedPost } from "../compare/compare-posts.js";

const run = promisify(execFile);

/** Where the copy's jekyll-feed writes; a name no site uses, so the site's own feed.xml never replaces it. */
export const JEKYLL_FEED_PATH = "feedwright-compare/jekyll-feed.xml";
const REPORT_PATH = "feedwright-compare/report.json";
const REPORT_PAGE_FILE = "feedwright-compare-report.json";

/** The URL given to a site whose configuration has none: Jekyll then writes relative ids, Feedwright needs an absolute URL. */
export const STAND_IN_SITE_URL = "https://example.invalid";

/** The site's `_config.yml` as Jekyll reads it (Jekyll::Configuration#safe_load_file), before any change of ours. */
export type JekyllConfig = Readonly<Record<string, unknown>>;

export interface JekyllSideResult {
  /** `jekyll --version` */
  readonly jekyllVersion: string;
  readonly config: JekyllConfig;
  /** what was changed in the copy to make it build, one sentence each */
  readonly adjustments: readonly string[];
  /** the time zone Jekyll ran in: the site's `timezone`, or UTC when it sets none */
  readonly timezone: string;
  /** the site URL the comparison uses: the site's `url`, or STAND_IN_SITE_URL */
  readonly siteUrl: string;
  /** the posts jekyll-feed lists, newest first */
  readonly posts: readonly JekyllPublishedPost[];
  /** posts in `site.posts` that jekyll-feed leaves out (drafts) */
  readonly notInFeed: readonly string[];
  /** Jekyll's warnings ("Build Warning: …"), one a line */
  readonly warnings: readonly string[];
  readonly buildMilliseconds: number;
}

/** A build Jekyll refused; `message` names the file Jekyll blamed and quotes its error. */
export class JekyllBuildError extends Error {
  constructor(
    message: string,
    readonly adjustments: readonly string[],
    readonly output: string,
  ) {
    super(message);
    this.name = "JekyllBuildError";
  }
}

// Printed by Liquid, so every value goes through jsonify. post.content is the rendered post
// without its layout (Jekyll::Renderer#run sets it before place_in_layout), which is what
// jekyll-feed prints; post.excerpt is the rendered excerpt.
const REPORT_PAGE = `---
layout: null
permalink: /${REPORT_PATH}
sitemap: false
---
{"jekyll": {{ jekyll.version | jsonify }}, "posts": [{% for post in site.posts %}
{"relative_path": {{ post.relative_path | jsonify }}, "url": {{ post.url | jsonify }}, "absolute_url": {{ post.url | absolute_url | jsonify }}, "id": {{ post.id | jsonify }}, "absolute_id": {{ post.id | absolute_url | jsonify }}, "title": {{ post.title | jsonify }}, "epoch_seconds": {{ post.date | date: "%s" }}, "date": {{ post.date | date_to_xmlschema | jsonify }}, "categories": {{ post.categories | jsonify }}, "tags": {{ post.tags | jsonify }}, "content": {{ post.content | jsonify }}, "excerpt": {{ post.excerpt | append: "" | jsonify }}}{% unless forloop.last %},{% endunless %}{% endfor %}
]}
`;

interface ReportedPost {
  readonly relative_path: string;
  readonly url: string;
  readonly absolute_url: string;
  readonly id: string;
  readonly absolute_id: string;
  readonly title: unknown;
  readonly epoch_seconds: number;
  readonly date: string;
  readonly categories: readonly unknown[] | null;
  readonly tags: readonly unknown[] | null;
  readonly content: string;
  readonly excerpt: string;
}

// Never copied: version control, Jekyll's output and caches, installed dependencies.
const NOT_COPIED = new Set([".git", "_site", ".jekyll-cache", ".jekyll-metadata", ".sass-cache", "node_modules", ".bundle"]);

/**
 * Copies the site at `siteDir` into `workDir`/copy, builds it with Jekyll into
 * `workDir`/site and reads back every post. Throws JekyllBuildError when Jekyll fails.
 */
export async function buildWithJekyll(siteDir: string, workDir: string): Promise<JekyllSideResult> {
  const copy = path.join(workDir, "copy");
  const destination = path.join(workDir, "site");
  await cp(siteDir, copy, {
    recursive: true,
    filter: (from) => !NOT_COPIED.has(path.basename(from)) || path.resolve(from) === path.resolve(siteDir),
  });
  const configFile = await findConfigFile(copy);
  const config = configFile ? await readJekyllConfig(configFile) : {};
  const adjustments: string[] = [];
  if (!configFile) adjustments.push("the site has no _config.yml");
  // `source:` names the folder Jekyll reads, relative to the one holding _config.yml.
  const source = path.resolve(copy, jekyllSourceFolder(config));

  const overrides = await stripForDebianJekyll(copy, source, config, adjustments);
  const overridesFile = path.join(workDir, "jekyll-overrides.yml");
  await writeFile(overridesFile, `${JSON.stringify(overrides)}\n`); // JSON is YAML
  await addLayoutStandIns(source, config, adjustments);
  await writeFile(path.join(source, REPORT_PAGE_FILE), REPORT_PAGE);

  const timezone = typeof config.timezone === "string" && config.timezone !== "" ? config.timezone : "UTC";
  if (timezone !== config.timezone) adjustments.push("the site sets no timezone: built in UTC");
  const configFiles = [...(configFile ? [configFile] : []), overridesFile].join(",");
  const started = performance.now();
  let output: string;
  try {
    output = await runJekyllBuild(source, destination, configFiles, timezone);
  } catch (error) {
    const firstOutput = buildOutput(error, source);
    const blamed = blamedFile(firstOutput);
    if (blamed !== undefined && isPostPath(blamed)) {
      throw new JekyllBuildError(`jekyll: the build fails in a post, ${blamed}:\n${errorLines(firstOutput)}`, adjustments, firstOutput);
    }
    const inert = await makeLayoutsAndPagesInert(source, config);
    adjustments.push(
      `the build failed in ${blamed ?? "a file it did not name"} (${firstErrorLine(firstOutput)}); so every layout was made a stand-in ` +
        `and the bodies of ${inert.pages} pages and ${inert.documents} documents of other collections were emptied`,
    );
    try {
      output = await runJekyllBuild(source, destination, configFiles, timezone);
    } catch (secondError) {
      const secondOutput = buildOutput(secondError, source);
      throw new JekyllBuildError(
        `jekyll: the build fails in ${blamedFile(secondOutput) ?? "a file it does not name"} even with inert layouts and pages:\n${errorLines(secondOutput)}`,
        adjustments,
        secondOutput,
      );
    }
  }
  const buildMilliseconds = Math.round(performance.now() - started);

  const report = JSON.parse(await readFile(path.join(destination, REPORT_PATH), "utf8")) as { jekyll: string; posts: ReportedPost[] };
  const feedFile = path.join(destination, JEKYLL_FEED_PATH);
  const feed = readAtomDocument(await readFile(feedFile, "utf8"), "jekyll-feed's feed");
  // jekyll-feed's id is not always unique (Document#id is the URL's folder and the slug, so two
  // posts with one slug under /:categories/:year-:month-:day-:title.html share it); its link is
  // `post.url | absolute_url`, computed as the report page computes absolute_url.
  const entries = new Map<string, AtomEntry[]>();
  for (const entry of feed.entries) {
    const key = `${entry.id ?? ""} ${entry.link ?? ""}`;
    entries.set(key, [...(entries.get(key) ?? []), entry]);
  }
  const posts: JekyllPublishedPost[] = [];
  const notInFeed: string[] = [];
  for (const post of report.posts) {
    const entry = entries.get(`${post.absolute_id} ${post.absolute_url}`)?.shift();
    if (!entry) {
      notInFeed.push(post.relative_path);
      continue;
    }
    posts.push({
      relativePath: post.relative_path,
      url: post.absolute_url,
      id: entry.id ?? "",
      titleHtml: stringOf(post.title),
      feedTitleHtml: entry.titleHtml,
      epochSeconds: post.epoch_seconds,
      xmlschema: post.date,
      categories: (post.categories ?? []).map(stringOf),
      tags: (post.tags ?? []).map(stringOf),
      contentHtml: post.content,
      summaryHtml: entry.summaryHtml,
    });
  }
  const leftOver = [...entries.values()].flat();
  if (leftOver.length > 0) {
    throw new Error(`jekyll: jekyll-feed lists ${leftOver.length} entries that site.posts does not, e.g. ${leftOver[0]?.id ?? ""} at ${leftOver[0]?.link ?? ""}`);
  }
  return {
    jekyllVersion: report.jekyll,
    config,
    adjustments,
    timezone,
    siteUrl: typeof config.url === "string" && config.url !== "" ? config.url : STAND_IN_SITE_URL,
    posts,
    notInFeed,
    warnings: output.split("\n").filter((line) => /warning/i.test(line)).map((line) => line.trim()),
    buildMilliseconds,
  };
}

/** The site's `source` setting: the folder Jekyll reads, relative to the site's root ("." by default). */
export function jekyllSourceFolder(config: JekyllConfig): string {
  return typeof config.source === "string" && config.source !== "" ? config.source : ".";
}

/** Jekyll's default configuration file: _config.yml, else _config.yaml (Jekyll::Configuration#config_files). */
async function findConfigFile(source: string): Promise<string | undefined> {
  for (const name of ["_config.yml", "_config.yaml"]) {
    const file = path.join(source, name);
    if (await exists(file)) return file;
  }
  return undefined;
}

/** The configuration file as Jekyll reads it (Jekyll::Configuration#safe_load_file), as JSON. */
async function readJekyllConfig(file: string): Promise<JekyllConfig> {
  const script = 'require "jekyll"; require "json"; puts JSON.generate(Jekyll::Configuration.new.safe_load_file(ARGV[0]))';
  try {
    const { stdout } = await run("ruby", ["-e", script, file], { maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout) as JekyllConfig;
  } catch (error) {
    throw new Error(`jekyll: cannot read ${path.basename(file)} as Jekyll does:\n${buildOutput(error, path.dirname(file))}`, { cause: error });
  }
}

/**
 * Takes out of the build what Debian's Jekyll cannot run offline, recording each change. Returns
 * the configuration to give after the site's own (Jekyll deep-merges the files in order, so a
 * key set here replaces the site's, and `feed:` keeps the site's other keys).
 */
async function stripForDebianJekyll(copy: string, source: string, config: JekyllConfig, adjustments: string[]): Promise<Record<string, unknown>> {
  const overrides: Record<string, unknown> = {
    plugins: ["jekyll-feed"],
    // --safe loads only whitelisted gems (Jekyll::PluginManager#plugin_allowed?).
    whitelist: ["jekyll-feed"],
    feed: { path: JEKYLL_FEED_PATH, posts_limit: 1_000_000 },
  };
  for (const key of ["theme", "remote_theme"]) {
    if (config[key] !== undefined && config[key] !== null) {
      overrides[key] = null;
      adjustments.push(`${key}: ${JSON.stringify(config[key])} removed`);
    }
  }
  for (const key of ["plugins", "gems"]) {
    const listed = Array.isArray(config[key]) ? (config[key] as unknown[]).map(String) : [];
    const removed = listed.filter((name) => name !== "jekyll-feed");
    if (removed.length > 0) adjustments.push(`${key}: ${removed.join(", ")} removed`);
  }
  if (!Array.isArray(config.plugins) || !(config.plugins as unknown[]).includes("jekyll-feed")) {
    adjustments.push("jekyll-feed added (the site does not use it)");
  }
  if (typeof config.url !== "string" || config.url === "") {
    overrides.url = STAND_IN_SITE_URL;
    adjustments.push(`the site sets no url: ${STAND_IN_SITE_URL} given`);
  }
  for (const name of ["Gemfile", "Gemfile.lock", "gems.rb", "gems.locked"]) {
    if (await exists(path.join(copy, name))) {
      await rm(path.join(copy, name));
      adjustments.push(`${name} deleted`);
    }
  }
  const pluginsDir = path.join(source, typeof config.plugins_dir === "string" ? config.plugins_dir : "_plugins");
  if (await exists(pluginsDir)) {
    const files = (await listFiles(pluginsDir)).length;
    await rm(pluginsDir, { recursive: true });
    adjustments.push(`${path.relative(copy, pluginsDir)}/ deleted (${files} files)`);
  }
  return overrides;
}

/** A layout that only prints its content: what a post looks like in a feed. */
const STAND_IN_LAYOUT = "{{ content }}\n";

/**
 * Writes a stand-in for every layout that posts, the configuration's defaults or other layouts
 * name and the site does not have (a theme's, mostly).
 */
async function addLayoutStandIns(source: string, config: JekyllConfig, adjustments: string[]): Promise<void> {
  const layoutsDir = path.join(source, typeof config.layouts_dir === "string" ? config.layouts_dir : "_layouts");
  const named = new Set<string>();
  const defaults = Array.isArray(config.defaults) ? (config.defaults as unknown[]) : [];
  for (const entry of defaults) {
    const layout = (entry as { values?: { layout?: unknown } } | null)?.values?.layout;
    if (typeof layout === "string") named.add(layout);
  }
  const files = await listFiles(source);
  for (const file of files) {
    const relative = path.relative(source, file).split(path.sep);
    const isPost = relative.some((segment) => segment === "_posts" || segment === "_drafts");
    const isLayout = file.startsWith(layoutsDir + path.sep);
    if (!isPost && !isLayout) continue;
    const layout = frontMatterOf(await readFile(file, "utf8"))?.layout;
    if (typeof layout === "string") named.add(layout);
  }
  const existing = new Set((await exists(layoutsDir) ? await readdir(layoutsDir) : []).map((name) => name.replace(/\.[^.]*$/, "")));
  const missing = [...named].filter((name) => name !== "" && name !== "none" && name !== "null" && !existing.has(name)).sort();
  if (missing.length === 0) return;
  await mkdir(layoutsDir, { recursive: true });
  for (const name of missing) await writeFile(path.join(layoutsDir, `${name}.html`), STAND_IN_LAYOUT);
  adjustments.push(`stand-in layouts added (they print the content only): ${missing.join(", ")}`);
}

/**
 * Every layout becomes a stand-in; pages (files with front matter outside underscore folders)
 * and documents of collections other than posts keep their front matter and lose their body.
 * Posts, drafts, includes and data are left as they are.
 */
async function makeLayoutsAndPagesInert(source: string, config: JekyllConfig): Promise<{ pages: number; documents: number }> {
  const layoutsDir = typeof config.layouts_dir === "string" ? config.layouts_dir : "_layouts";
  const collections = new Set(Object.keys((config.collections as Record<string, unknown> | undefined) ?? {}).map((name) => `_${name}`));
  let pages = 0;
  let documents = 0;
  for (const file of await listFiles(source)) {
    const segments = path.relative(source, file).split(path.sep);
    const relative = segments.join("/");
    if (relative === REPORT_PAGE_FILE || segments.some((segment) => segment.startsWith("."))) continue;
    if (relative.startsWith(`${layoutsDir}/`)) {
      await writeFile(file, STAND_IN_LAYOUT);
      continue;
    }
    if (!(await hasFrontMatter(file))) continue;
    const frontMatter = FRONT_MATTER.exec(await readFile(file, "utf8"))?.[0] ?? "---\n---\n";
    const underscoreFolder = segments.slice(0, -1).find((folder) => folder.startsWith("_"));
    if (underscoreFolder === undefined && !segments.at(-1)!.startsWith("_")) {
      await writeFile(file, frontMatter);
      pages++;
    } else if (underscoreFolder !== undefined && collections.has(underscoreFolder) && underscoreFolder !== "_posts" && underscoreFolder !== "_drafts") {
      await writeFile(file, frontMatter);
      documents++;
    }
  }
  return { pages, documents };
}

function runJekyllBuild(source: string, destination: string, configFiles: string, timezone: string): Promise<string> {
  const args = ["build", "--safe", "--disable-disk-cache", "--source", source, "--destination", destination, "--config", configFiles];
  return run("jekyll", args, {
    cwd: source,
    maxBuffer: 256 * 1024 * 1024,
    env: {
      ...process.env,
      JEKYLL_ENV: "production",
      // Jekyll sets TZ from `timezone` itself (Jekyll.set_timezone); this covers a site without one.
      TZ: timezone,
      // Without a Gemfile Bundler is not used anyway; this keeps it so if one is found higher up.
      JEKYLL_NO_BUNDLER_REQUIRE: "true",
      LANG: "C.UTF-8",
      LC_ALL: "C.UTF-8",
    },
  }).then(({ stdout, stderr }) => withoutColors(`${stdout}${stderr}`));
}

/** What a failed build printed, with the copy's paths made relative to the site. */
function buildOutput(error: unknown, source: string): string {
  const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message?: string };
  return withoutColors(`${stdout ?? ""}${stderr ?? ""}` || String(message)).replaceAll(`${source}${path.sep}`, "");
}

/** Jekyll's logger colours its lines (colorator) when it thinks it may. */
function withoutColors(text: string): string {
  // eslint-disable-next-line no-control-regex -- the escape that starts an ANSI colour sequence
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

/** The file Jekyll names in its error ("Liquid Exception: … in _posts/x.md"), relative to the site. */
function blamedFile(output: string): string | undefined {
  const liquid = /(?:Liquid Exception|Error):.*? in (\/?\S+?)\s*$/m.exec(output);
  const conversion = /while converting '([^']+)'/.exec(output);
  const found = liquid?.[1] ?? conversion?.[1];
  if (found === undefined) return undefined;
  return found.replace(/^\//, "");
}

function isPostPath(file: string): boolean {
  return /(^|\/)_(posts|drafts)\//.test(file);
}

function errorLines(output: string): string {
  return output
    .split("\n")
    .filter((line) => /error|exception/i.test(line))
    .map((line) => `  ${line.trim()}`)
    .join("\n");
}

function firstErrorLine(output: string): string {
  return errorLines(output).split("\n")[0]?.trim() ?? "no message";
}

// Jekyll::Document::YAML_FRONT_MATTER_REGEXP: "---" on the first line, up to a line of "---" or
// "..." ((?<![\s\S]) is Ruby's \A: the start of the text, not of a line).
const FRONT_MATTER = /(?<![\s\S])(---\s*\n[\s\S]*?\n?)^((?:---|\.\.\.)\s*$\n?)/m;

/** Jekyll::Utils.has_yaml_header?: the first line is "---" (trailing spaces allowed). */
async function hasFrontMatter(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    return /^---[ \t]*\r?\n/.test(buffer.subarray(0, bytesRead).toString("latin1"));
  } finally {
    await handle.close();
  }
}

/** The front matter as a plain object, or undefined when there is none or it is not YAML we can read. */
function frontMatterOf(text: string): Record<string, unknown> | undefined {
  const match = FRONT_MATTER.exec(text);
  if (!match) return undefined;
  try {
    const value = parseYaml(match[1]!.replace(/^---\s*\n/, "")) as unknown;
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function stringOf(value: unknown): string {
  return typeof value === "string" ? value : value === null || value === undefined ? "" : JSON.stringify(value);
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}
