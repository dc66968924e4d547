// Compares, post by post, what Feedwright publishes for a Jekyll site with what Jekyll 4.3 and
// jekyll-feed 0.17 publish for it (issue 10): builds the site both ways, pairs the posts by URL
// and summarizes the differences against the targets. Used by `npm run compare:jekyll`
// (compare-site-cli.ts) and by test/jekyll/site.jekyll.test.ts.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { comparePosts, type SiteComparisonResult } from "../compare/compare-posts.js";
import { summarizeComparison, type ComparisonSummary } from "../compare/comparison-report.js";
import { buildWithFeedwright, type FeedwrightInput, type FeedwrightSideResult } from "./feedwright-side.js";
import { buildWithJekyll, type JekyllSideResult } from "./jekyll-side.js";

export interface CompareSiteOptions {
  /** the root of the Jekyll site (where _config.yml is) */
  readonly siteDir: string;
  /** how Feedwright reads the site; "site" unless told otherwise */
  readonly input?: FeedwrightInput;
  /** keep the work folder (the site's copy, both builds) instead of deleting it */
  readonly keep?: boolean;
}

export interface SiteComparison {
  readonly siteDir: string;
  /** the work folder, when kept */
  readonly workDir: string | undefined;
  readonly jekyll: Omit<JekyllSideResult, "posts" | "config">;
  readonly feedwright: Omit<FeedwrightSideResult, "items">;
  readonly result: SiteComparisonResult;
  readonly summary: ComparisonSummary;
}

/** Builds the site with Jekyll, then with Feedwright (given what Jekyll read of _config.yml), and compares them. */
export async function compareSite(options: CompareSiteOptions): Promise<SiteComparison> {
  const siteDir = path.resolve(options.siteDir);
  const workDir = await mkdtemp(path.join(tmpdir(), "feedwright-compare-"));
  try {
    const jekyll = await buildWithJekyll(siteDir, path.join(workDir, "jekyll"));
    const feedwright = await buildWithFeedwright({
      siteDir,
      workDir: path.join(workDir, "feedwright"),
      input: options.input ?? "site",
      jekyllConfig: jekyll.config,
      siteUrl: jekyll.siteUrl,
      timezone: jekyll.timezone,
    });
    const result = comparePosts(jekyll.posts, feedwright.items);
    return {
      siteDir,
      workDir: options.keep ? workDir : undefined,
      jekyll: omit(jekyll, ["posts", "config"]),
      feedwright: omit(feedwright, ["items"]),
      result,
      summary: summarizeComparison(result),
    };
  } finally {
    if (!options.keep) await rm(workDir, { recursive: true, force: true });
  }
}

/** The Jekyll side alone: what it takes to build the site, and how many posts jekyll-feed lists. */
export async function buildSiteWithJekyll(siteDirectory: string, keep = false): Promise<JekyllSideResult & { workDir: string | undefined }> {
  const workDir = await mkdtemp(path.join(tmpdir(), "feedwright-compare-"));
  try {
    return { ...(await buildWithJekyll(path.resolve(siteDirectory), path.join(workDir, "jekyll"))), workDir: keep ? workDir : undefined };
  } finally {
    if (!keep) await rm(workDir, { recursive: true, force: true });
  }
}

/** `value` without `keys`: the facts of a build without the bulk already in the comparison. */
export function omit<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Omit<T, K> {
  const copy: Partial<T> = { ...value };
  for (const key of keys) delete copy[key];
  return copy as Omit<T, K>;
}
