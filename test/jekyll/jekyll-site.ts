// Helpers for test/jekyll: build a throwaway Jekyll site with real `jekyll build` and read back
// what Jekyll made of each post, and run snippets of Jekyll's own Ruby code.
import { execFile, execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const INSTALL_HINT =
  "install it with `apt-get install jekyll ruby-jekyll-feed` (Debian/Ubuntu; Jekyll 4.3 and jekyll-feed from the distribution, no Gemfile needed)";

/** Jekyll's version ("4.3.1"). Throws, naming the fix, when `jekyll` or `ruby` is not on PATH. */
export function requireJekyll(): string {
  let version: string;
  try {
    version = execFileSync("jekyll", ["--version"], { encoding: "utf8" }).trim().replace(/^jekyll\s+/, "");
  } catch (error) {
    throw new Error(`test/jekyll: cannot run \`jekyll --version\`; ${INSTALL_HINT}`, { cause: error });
  }
  try {
    execFileSync("ruby", ["-e", 'require "jekyll"'], { encoding: "utf8" });
  } catch (error) {
    throw new Error(`test/jekyll: \`ruby -e 'require "jekyll"'\` fails; ${INSTALL_HINT}`, { cause: error });
  }
  return version;
}

export interface SitePost {
  /** path under `_posts`, "/"-separated: "2024/2024-12-24-year-end-notes.md" */
  readonly file: string;
  /** the whole file: front matter and body */
  readonly text: string;
}

export interface JekyllSite {
  /** the site-wide `permalink` setting */
  readonly permalink: string;
  /** the site's `timezone` */
  readonly timezone: string;
  readonly posts: readonly SitePost[];
}

/** What Jekyll reports for one post, read from a Liquid page in the built site. */
export interface JekyllPost {
  /** "_posts/2024/2024-12-24-year-end-notes.md" (Document#relative_path) */
  readonly path: string;
  /** `post.url` */
  readonly url: string;
  /** `post.date` as Unix seconds */
  readonly epochSeconds: number;
  /** `post.categories` after Jekyll resolved `category` / `categories` */
  readonly categories: readonly string[];
  /** `post.slug`: front-matter `slug` or the file-name slug */
  readonly slug: string;
}

// Printed by Liquid, so every value goes through `jsonify`.
const REPORT_PAGE = `---
layout: null
---
[{% for post in site.posts %}
{"path": {{ post.path | jsonify }}, "url": {{ post.url | jsonify }}, "epochSeconds": {{ post.date | date: "%s" }}, "categories": {{ post.categories | jsonify }}, "slug": {{ post.slug | jsonify }}}{% unless forloop.last %},{% endunless %}{% endfor %}
]
`;

const REPORT_FILE = "feedwright-post-urls.json";

/**
 * Writes the site into a new temp directory, runs `jekyll build --safe`, and returns Jekyll's
 * answers for every post. `future: true` so that a post dated 2099 is built too.
 */
export async function buildJekyllSite(site: JekyllSite): Promise<JekyllPost[]> {
  const root = await mkdtemp(path.join(tmpdir(), "feedwright-jekyll-"));
  try {
    const source = path.join(root, "src");
    const destination = path.join(root, "site");
    await mkdir(path.join(source, "_posts"), { recursive: true });
    // JSON is YAML, and it quotes the pattern safely.
    const config = { permalink: site.permalink, timezone: site.timezone, future: true, markdown: "kramdown" };
    await writeFile(path.join(source, "_config.yml"), `${JSON.stringify(config)}\n`);
    await writeFile(path.join(source, REPORT_FILE), REPORT_PAGE);
    for (const post of site.posts) {
      const file = path.join(source, "_posts", ...post.file.split("/"));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, post.text);
    }
    try {
      await run("jekyll", ["build", "--safe", "--quiet", "-s", source, "-d", destination], { maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const stderr = (error as { stderr?: unknown }).stderr;
      throw new Error(`test/jekyll: jekyll build failed for permalink "${site.permalink}", timezone ${site.timezone}:\n${String(stderr)}`, { cause: error });
    }
    return JSON.parse(await readFile(path.join(destination, REPORT_FILE), "utf8")) as JekyllPost[];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Runs a Ruby script with Jekyll loaded: `input` arrives as JSON in `INPUT`, and the script must
 * print JSON, which is returned.
 */
export function runJekyllRuby(script: string, input: unknown): unknown {
  const program = `require "jekyll"\nrequire "json"\nINPUT = JSON.parse(STDIN.read)\n${script}`;
  const output = execFileSync("ruby", ["-e", program], {
    input: JSON.stringify(input),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["pipe", "pipe", "ignore"], // Jekyll warns on stderr about every empty slug
  });
  return JSON.parse(output) as unknown;
}

/** test/fixtures/jekyll-permalinks.json, written by `RECORD=1 npm run test:jekyll`. */
export const RECORDED_ANSWERS_FILE = new URL("../fixtures/jekyll-permalinks.json", import.meta.url);

/** One post URL from a real Jekyll build, with the jekyllPermalink input that must reproduce it. */
export interface RecordedPermalink {
  /** "<permalink style> | <time zone> | <file under _posts>" */
  readonly name: string;
  readonly input: {
    readonly style: string;
    readonly frontMatterPermalink?: string;
    readonly categories: readonly string[];
    /** ISO 8601 instant */
    readonly date: string;
    readonly timezone: string;
    readonly slug: string;
    readonly extension: string;
    readonly sourcePath: string;
  };
  readonly url: string;
}

export interface RecordedJekyllAnswers {
  readonly comment: string;
  readonly jekyll: string;
  readonly permalinks: readonly RecordedPermalink[];
  /** [value, Jekyll::URL.escape_path(value)], or null where Jekyll raises */
  readonly escapePath: readonly (readonly [string, string | null])[];
  /** [text, mode, cased, Jekyll::Utils.slugify(text, mode:, cased:)] */
  readonly slugify: readonly (readonly [string, string, boolean, string])[];
  /** [slug, Jekyll::Utils.titleize_slug(slug)] */
  readonly titleizeSlug: readonly (readonly [string, string])[];
}

/** JSON with one array element per line, so that a re-recording reviews as a readable diff. */
export function formatRecordedAnswers(answers: RecordedJekyllAnswers): string {
  const lines = Object.entries(answers).map(([key, value]) => {
    if (!Array.isArray(value)) return `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`;
    const rows = value.map((row) => `    ${JSON.stringify(row)}`).join(",\n");
    return `  ${JSON.stringify(key)}: [\n${rows}\n  ]`;
  });
  return `{\n${lines.join(",\n")}\n}\n`;
}
