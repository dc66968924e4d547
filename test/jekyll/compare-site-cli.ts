// `npm run compare:jekyll -- SITE_DIR... [--json OUT] [--keep] [--posts-mode] [--jekyll-only]`
//
// Compares, post by post, what Feedwright publishes for each Jekyll site with what Jekyll 4.3 and
// jekyll-feed 0.17 publish for it, and prints the figures and issue 10's targets (PASS/FAIL).
// Needs Debian's jekyll and ruby-jekyll-feed, and a built Feedwright (the npm script builds it).
// Exit status: 0 when every target passes on every site, 1 when one fails, 2 when a site cannot
// be built or compared.
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { formatSummary } from "../compare/comparison-report.js";
import { buildSiteWithJekyll, compareSite, omit, type SiteComparison } from "./compare-site.js";
import { requireJekyll } from "./jekyll-site.js";

const USAGE = `usage: npm run compare:jekyll -- SITE_DIR... [--json OUT] [--keep] [--posts-mode] [--jekyll-only]

  SITE_DIR       the root of a Jekyll site (the folder with _config.yml)
  --json OUT     write every post's comparison (or, with --jekyll-only, every build's facts) to OUT
  --keep         keep each work folder (the site's copy, Jekyll's and Feedwright's output) and print where
  --posts-mode   run Feedwright with --posts SITE_DIR/_posts and the site's settings copied into its
                 configuration, instead of --site SITE_DIR (only the root _posts folder is read)
  --jekyll-only  only build each site with Jekyll: what had to be stripped, how many posts it publishes`;

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      json: { type: "string" },
      keep: { type: "boolean" },
      "posts-mode": { type: "boolean" },
      "jekyll-only": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  console.log(`jekyll ${requireJekyll()}`);
  let status = 0;
  const reports: unknown[] = [];
  for (const siteDir of positionals) {
    try {
      if (values["jekyll-only"]) {
        const built = await buildSiteWithJekyll(siteDir, values.keep);
        const { posts } = built;
        const facts = omit(built, ["posts", "config"]);
        console.log(
          [
            `== ${siteDir}`,
            `posts jekyll-feed lists: ${posts.length}; in site.posts but not in the feed: ${facts.notInFeed.length}; built in ${facts.buildMilliseconds} ms`,
            `adjustments:${facts.adjustments.length === 0 ? " none" : ""}`,
            ...facts.adjustments.map((adjustment) => `  - ${adjustment}`),
            `warnings: ${facts.warnings.length}`,
            ...(facts.workDir ? [`kept: ${facts.workDir}`] : []),
          ].join("\n"),
        );
        reports.push({ siteDir, ...facts, posts: posts.map((post) => omit(post, ["contentHtml"])) });
        continue;
      }
      const comparison = await compareSite({ siteDir, input: values["posts-mode"] ? "posts" : "site", keep: values.keep });
      console.log(describeBuilds(comparison));
      console.log(formatSummary(siteDir, comparison.summary));
      if (comparison.summary.targets.some((target) => !target.pass)) status = Math.max(status, 1);
      reports.push(comparison);
    } catch (error) {
      console.error(`== ${siteDir}\n${error instanceof Error ? error.message : String(error)}`);
      reports.push({ siteDir, error: error instanceof Error ? error.message : String(error) });
      status = 2;
    }
  }
  if (values.json) {
    await writeFile(values.json, `${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
    console.log(`wrote ${values.json}`);
  }
  return status;
}

function describeBuilds(comparison: SiteComparison): string {
  const { jekyll, feedwright } = comparison;
  const lines = [
    `jekyll: built in ${jekyll.buildMilliseconds} ms, time zone ${jekyll.timezone}, ${jekyll.warnings.length} warnings; ` +
      `adjustments: ${jekyll.adjustments.length === 0 ? "none" : jekyll.adjustments.join("; ")}`,
    `feedwright: ${feedwright.command.join(" ")} (${feedwright.buildMilliseconds} ms, ${feedwright.documents.length} Atom documents read)`,
    `feedwright said: ${summaryLine(feedwright.output)}`,
  ];
  const skipped = feedwright.output.split("\n").filter((line) => line.includes("(skipped)"));
  if (skipped.length > 0) lines.push(`feedwright skipped ${skipped.length} posts, e.g. ${messageOf(skipped[0]!)}`);
  if (feedwright.unknownCategorySchemes.length > 0) lines.push(`feedwright categories of unknown scheme: ${feedwright.unknownCategorySchemes.length}, e.g. ${feedwright.unknownCategorySchemes[0]}`);
  if (comparison.workDir) lines.push(`kept: ${comparison.workDir}`);
  return lines.join("\n");
}

/** The line where `feedwright build` says what it wrote, else its last line. */
function summaryLine(output: string): string {
  const lines = output.trim().split("\n");
  return messageOf(lines.find((line) => line.includes("feedwright: wrote")) ?? lines.at(-1) ?? "");
}

/** A line Feedwright printed: its message when it is a JSON log line (pino, when not on a terminal). */
function messageOf(line: string): string {
  try {
    const parsed = JSON.parse(line) as { msg?: unknown };
    return typeof parsed.msg === "string" ? parsed.msg : line;
  } catch {
    return line;
  }
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
