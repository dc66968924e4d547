// The figures of one site's comparison and the targets issue 10 sets for them, as data and as
// the text `npm run compare:jekyll` prints.
import type { PostComparison, SameFields, SiteComparisonResult } from "./compare-posts.js";

/** Issue 10: "the text of at least 98% of items within 5% of Jekyll's (SequenceMatcher ratio >= 0.95)". */
export const TEXT_RATIO_THRESHOLD = 0.95;
export const ITEMS_WITHIN_THRESHOLD = 0.98;

export interface Target {
  readonly name: string;
  readonly pass: boolean;
  readonly detail: string;
}

export interface WorstText {
  readonly relativePath: string;
  readonly ratio: number;
  readonly jekyll: string;
  readonly feedwright: string;
}

export interface ComparisonSummary {
  readonly jekyllPosts: number;
  readonly feedwrightItems: number;
  readonly pairedByUrl: number;
  readonly pairedByTitleAndDate: number;
  readonly onlyJekyll: number;
  readonly onlyFeedwright: number;
  /** how many paired posts have each field as Jekyll has it */
  readonly same: Readonly<Record<keyof SameFields, number>>;
  readonly sameAsJekyllFeedTitle: number;
  /** paired posts by text ratio: 1, [0.99, 1), [0.95, 0.99), [0.9, 0.95), [0.8, 0.9), below 0.8 */
  readonly textRatios: Readonly<Record<(typeof RATIO_BUCKETS)[number]["name"], number>>;
  /** paired posts with a text ratio of at least TEXT_RATIO_THRESHOLD */
  readonly textWithinThreshold: number;
  readonly worstTexts: readonly WorstText[];
  /** items (paired or Feedwright's only) with Liquid or attribute-list markers beyond Jekyll's */
  readonly leftoverLiquidItems: number;
  readonly leftoverAttributeListItems: number;
  readonly jekyllPostsWithFootnotes: number;
  readonly footnotesMissing: number;
  readonly targets: readonly Target[];
}

const RATIO_BUCKETS = [
  { name: "1", min: 1 },
  { name: ">=0.99", min: 0.99 },
  { name: ">=0.95", min: 0.95 },
  { name: ">=0.9", min: 0.9 },
  { name: ">=0.8", min: 0.8 },
  { name: "<0.8", min: Number.NEGATIVE_INFINITY },
] as const;

const FIELDS: readonly (keyof SameFields)[] = ["url", "title", "date", "categories", "tags", "id"];

export function summarizeComparison(result: SiteComparisonResult): ComparisonSummary {
  const { posts } = result;
  const count = (test: (post: PostComparison) => boolean): number => posts.filter(test).length;
  const same = Object.fromEntries(FIELDS.map((field) => [field, count((post) => post.same[field])])) as Record<keyof SameFields, number>;
  const textRatios = Object.fromEntries(RATIO_BUCKETS.map((bucket) => [bucket.name, 0])) as Record<(typeof RATIO_BUCKETS)[number]["name"], number>;
  for (const post of posts) {
    const bucket = RATIO_BUCKETS.find((candidate) => post.textRatio >= candidate.min)!;
    textRatios[bucket.name]++;
  }
  const worstTexts = [...posts]
    .filter((post) => post.textRatio < 1)
    .sort((left, right) => left.textRatio - right.textRatio || left.relativePath.localeCompare(right.relativePath))
    .slice(0, 10)
    .map((post) => ({
      relativePath: post.relativePath,
      ratio: post.textRatio,
      jekyll: post.textDifference?.jekyll ?? "",
      feedwright: post.textDifference?.feedwright ?? "",
    }));
  const leftoverLiquidItems = count((post) => post.leftovers.liquid > 0) + result.onlyFeedwright.filter((item) => (item.leftovers?.liquid ?? 0) > 0).length;
  const leftoverAttributeListItems =
    count((post) => post.leftovers.attributeList > 0) + result.onlyFeedwright.filter((item) => (item.leftovers?.attributeList ?? 0) > 0).length;
  const textWithinThreshold = count((post) => post.textRatio >= TEXT_RATIO_THRESHOLD);
  const summary = {
    jekyllPosts: result.jekyllPosts,
    feedwrightItems: result.feedwrightItems,
    pairedByUrl: count((post) => post.pairedBy === "url"),
    pairedByTitleAndDate: count((post) => post.pairedBy === "title and date"),
    onlyJekyll: result.onlyJekyll.length,
    onlyFeedwright: result.onlyFeedwright.length,
    same,
    sameAsJekyllFeedTitle: count((post) => post.sameAsJekyllFeedTitle),
    textRatios,
    textWithinThreshold,
    worstTexts,
    leftoverLiquidItems,
    leftoverAttributeListItems,
    jekyllPostsWithFootnotes: count((post) => post.jekyllHasFootnotes),
    footnotesMissing: count((post) => post.footnotesMissing),
  };
  return { ...summary, targets: judgeTargets(summary) };
}

/**
 * Issue 10's targets. A post Jekyll publishes that Feedwright does not counts against every
 * field and against the text (as a ratio of 0): the denominators are Jekyll's posts.
 */
function judgeTargets(summary: Omit<ComparisonSummary, "targets">): Target[] {
  const all = summary.jekyllPosts;
  const everyPost = (field: keyof SameFields, what: string): Target => ({
    name: `every post Jekyll publishes has Jekyll's ${what}`,
    pass: summary.same[field] === all && all > 0,
    detail: `${summary.same[field]} of ${all}`,
  });
  const within = summary.textWithinThreshold / Math.max(1, all);
  return [
    { name: "every post Jekyll publishes is published", pass: summary.pairedByUrl + summary.pairedByTitleAndDate === all && all > 0, detail: `${summary.pairedByUrl + summary.pairedByTitleAndDate} of ${all} (${summary.onlyJekyll} missing)` },
    everyPost("url", "URL"),
    everyPost("title", "title"),
    everyPost("date", "date"),
    everyPost("categories", "categories"),
    everyPost("tags", "tags"),
    everyPost("id", "Atom id (jekyll-feed's <id>)"),
    {
      name: "no item has leftover Liquid ({% or {{ beyond Jekyll's)",
      pass: summary.leftoverLiquidItems === 0,
      detail: `${summary.leftoverLiquidItems} items`,
    },
    {
      name: "no item has leftover kramdown attribute lists ({: beyond Jekyll's)",
      pass: summary.leftoverAttributeListItems === 0,
      detail: `${summary.leftoverAttributeListItems} items`,
    },
    {
      // Only paired posts can be checked for footnotes, so a post not published at all fails this too.
      name: "footnotes wherever Jekyll has them",
      pass: summary.footnotesMissing === 0 && summary.onlyJekyll === 0,
      detail: `${summary.jekyllPostsWithFootnotes - summary.footnotesMissing} of ${summary.jekyllPostsWithFootnotes} paired posts with footnotes` + (summary.onlyJekyll > 0 ? `; ${summary.onlyJekyll} posts not published at all` : ""),
    },
    {
      name: `at least ${ITEMS_WITHIN_THRESHOLD * 100}% of items with text ratio >= ${TEXT_RATIO_THRESHOLD}`,
      pass: within >= ITEMS_WITHIN_THRESHOLD && all > 0,
      detail: `${summary.textWithinThreshold} of ${all} (${(within * 100).toFixed(1)}%)`,
    },
  ];
}

/** The summary as the lines `npm run compare:jekyll` prints for one site. */
export function formatSummary(site: string, summary: ComparisonSummary): string {
  const lines = [
    `== ${site}`,
    `posts Jekyll published: ${summary.jekyllPosts}; items Feedwright published: ${summary.feedwrightItems}`,
    `paired by URL: ${summary.pairedByUrl}; by title and date (URL differs): ${summary.pairedByTitleAndDate}; ` +
      `only Jekyll: ${summary.onlyJekyll}; only Feedwright: ${summary.onlyFeedwright}`,
    `identical (of ${summary.pairedByUrl + summary.pairedByTitleAndDate} paired): ` +
      FIELDS.map((field) => `${field} ${summary.same[field]}`).join(", ") +
      `; title as jekyll-feed's (smartified) ${summary.sameAsJekyllFeedTitle}`,
    `text ratio: ` + Object.entries(summary.textRatios).map(([bucket, count]) => `${bucket}: ${count}`).join(", ") +
      `; >= ${TEXT_RATIO_THRESHOLD}: ${summary.textWithinThreshold}`,
    `leftovers: Liquid in ${summary.leftoverLiquidItems} items, attribute lists in ${summary.leftoverAttributeListItems}; ` +
      `footnotes missing in ${summary.footnotesMissing} of ${summary.jekyllPostsWithFootnotes}`,
  ];
  if (summary.worstTexts.length > 0) {
    lines.push("worst texts (ratio, path, then Jekyll's and Feedwright's text from just before the first difference):");
    for (const worst of summary.worstTexts) {
      lines.push(`  ${worst.ratio.toFixed(3)} ${worst.relativePath}`, `      jekyll:     ${JSON.stringify(worst.jekyll)}`, `      feedwright: ${JSON.stringify(worst.feedwright)}`);
    }
  }
  for (const target of summary.targets) lines.push(`${target.pass ? "PASS" : "FAIL"} ${target.name}: ${target.detail}`);
  return lines.join("\n");
}
