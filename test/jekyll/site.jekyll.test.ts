// Issue 10 on a whole Jekyll site: test/fixtures/jekyll-site is built by real Jekyll 4.3 with
// jekyll-feed 0.17 (`npm run test:jekyll`; Debian: apt-get install jekyll ruby-jekyll-feed) and by
// Feedwright (`feedwright build --site`), and every post is compared: URL, title, date,
// categories, tags, Atom id (against jekyll-feed's), text (difflib ratio >= 0.95), leftover
// Liquid or attribute lists, footnotes.
//
// The first describe checks the fixture itself against Jekyll's output, so that a change to the
// fixture cannot quietly stop exercising a feature. The second is the comparison; each of its
// tests lists the posts that differ, with both values. FEEDWRIGHT_COMPARE_INPUT=posts runs
// Feedwright with --posts on the root _posts folder instead of --site (the site's settings copied
// into its configuration), to see the comparison with a Feedwright that has no --site.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { comparePosts, type JekyllPublishedPost, type SameFields, type SiteComparisonResult } from "../compare/compare-posts.js";
import { formatSummary, summarizeComparison, TEXT_RATIO_THRESHOLD } from "../compare/comparison-report.js";
import { hasFootnotes } from "../compare/html-text.js";
import { buildWithFeedwright, REPOSITORY_ROOT } from "./feedwright-side.js";
import { buildWithJekyll, type JekyllSideResult } from "./jekyll-side.js";
import { requireJekyll } from "./jekyll-site.js";

const FIXTURE_SITE = fileURLToPath(new URL("../fixtures/jekyll-site", import.meta.url));
const INPUT = process.env.FEEDWRIGHT_COMPARE_INPUT === "posts" ? "posts" : "site";

let workDir: string | undefined;
let jekyll: JekyllSideResult | undefined;

beforeAll(async () => {
  requireJekyll();
  workDir = await mkdtemp(path.join(tmpdir(), "feedwright-site-test-"));
  jekyll = await buildWithJekyll(FIXTURE_SITE, path.join(workDir, "jekyll"));
  // Feedwright is run as users run it: the compiled CLI.
  execFileSync("npm", ["run", "build", "--silent"], { cwd: REPOSITORY_ROOT, stdio: "inherit" });
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function builtByJekyll(): JekyllSideResult {
  if (!jekyll) throw new Error("test/jekyll: Jekyll did not build the fixture site (see beforeAll)");
  return jekyll;
}

function jekyllPost(relativePath: string): JekyllPublishedPost {
  const post = builtByJekyll().posts.find((candidate) => candidate.relativePath === relativePath);
  if (!post) throw new Error(`test/jekyll: Jekyll did not publish ${relativePath}`);
  return post;
}

describe("the fixture site, as Jekyll 4.3 and jekyll-feed build it", () => {
  test("builds with Debian's Jekyll as it is, nothing stripped", () => {
    expect(builtByJekyll().adjustments).toEqual([]);
    expect(builtByJekyll().jekyllVersion).toMatch(/^4\.3\./);
  });

  test("publishes the posts of every posts folder, and no draft, future or unpublished post", () => {
    const paths = builtByJekyll().posts.map((post) => post.relativePath).sort();
    expect(paths).toHaveLength(19);
    expect(new Set(paths.map((file) => file.slice(0, file.lastIndexOf("/"))))).toEqual(
      new Set(["_posts", "ja/news/_posts", "blog/_posts/2024", "blog/_posts/2025"]),
    );
    expect(paths.filter((file) => /unfinished|letter-to-the-future|unpublished/.test(file))).toEqual([]);
  });

  test("folder categories come before front matter's, and a folder's defaults apply", () => {
    expect(jekyllPost("ja/news/_posts/2024-10-01-東京jekyll勉強会.md").categories).toEqual(["ja", "news", "イベント"]);
    expect(jekyllPost("blog/_posts/2025/2025-01-05-new-year.md").categories).toEqual(["blog", "news", "engineering"]);
    expect(jekyllPost("_posts/2024-10-20-string-tags.md")).toMatchObject({ categories: ["Feed Readers"], tags: ["rss", "atom", "json-feed"] });
    expect(jekyllPost("ja/news/_posts/2024-10-01-東京jekyll勉強会.md").url).toBe(
      "https://example.com/site/ja/news/%E3%82%A4%E3%83%99%E3%83%B3%E3%83%88/2024/10/01/%E6%9D%B1%E4%BA%ACjekyll%E5%8B%89%E5%BC%B7%E4%BC%9A/",
    );
  });

  test("dates in each form, read in Asia/Tokyo", () => {
    const dates = Object.fromEntries(builtByJekyll().posts.map((post) => [post.relativePath.replace(/^.*\//, ""), post.xmlschema]));
    expect(dates).toMatchObject({
      "2024-02-14-kramdown-tour.md": "2024-02-14T18:30:00+09:00", // quoted, no offset: the site's zone
      "2024-05-05-utc-time.md": "2024-05-05T19:00:00+09:00", // unquoted, no offset: YAML reads UTC
      "2024-04-01-links.md": "2024-04-01T21:00:00+09:00", // RFC 3339 in UTC
      "2024-03-01-releases.md": "2024-03-01T00:00:00+09:00", // a date alone
      "2024-07-07-hard-wraps.md": "2024-07-07T00:00:00+09:00", // no date: the file name's
      "2023-01-29-odd-date.md": "2023-01-29T18:30:22+09:00", // "2023-01-29 18:30:22 2023 -0800", as Time.parse reads it
    });
  });

  // Each feature issue 10 lists, and a sign of it in Jekyll's rendering of the post that uses it.
  const FEATURES: readonly [feature: string, post: string, sign: RegExp | ((html: string) => boolean)][] = [
    ["footnotes", "_posts/2024-01-10-welcome.md", hasFootnotes],
    ["footnotes in Japanese", "ja/news/_posts/2024-10-01-東京jekyll勉強会.md", hasFootnotes],
    ["footnotes numbered in reference order", "blog/_posts/2025/2025-03-03-footnotes-and-quotes.md", /<li id="fn:first"[^]*<li id="fn:second"/],
    ["highlight with line numbers", "_posts/2024-01-20-highlighting.md", /class="rouge-table"[^]*class="lineno"/],
    ["highlight: a comment stays code", "_posts/2024-01-20-highlighting.md", /<span class="c1"># a comment, not an h1<\/span>/],
    ["raw", "_posts/2024-01-20-highlighting.md", /\{\{ page\.title \}\}/],
    ["include with parameters, nested include", "ja/news/_posts/2024-10-01-東京jekyll勉強会.md", /class="note note-warning"[^]*icon-warning[^]*注意/],
    ["YAML data through an include", "_posts/2024-03-01-releases.md", /<code>0a1b2c3d4e5f6071/],
    ["assign and for building reference links", "_posts/2024-03-01-releases.md", /<a href="https:\/\/example\.com\/downloads\/fixture-2\.0\.1\.tar\.gz">Version 2\.0\.1<\/a>/],
    ["JSON data", "_posts/2024-08-08-authors-and-meetups.md", /Sam Rivera/],
    ["CSV data in a table", "_posts/2024-08-08-authors-and-meetups.md", /<td>Fukuoka<\/td>/],
    ["post_url", "ja/news/_posts/2024-11-03-リリース.md", /href="\/site\/2024\/03\/01\/releases\/"/],
    ["link to a page", "_posts/2024-04-01-links.md", /href="\/site\/about\/"/],
    ["link to a post in a category folder", "_posts/2024-04-01-links.md", /href="\/site\/blog\/engineering\/2024\/06\/15\/tables\/"/],
    ["block attribute list", "_posts/2024-02-14-kramdown-tour.md", /<p class="lead" id="intro">/],
    ["span attribute list", "_posts/2024-02-14-kramdown-tour.md", /<em class="highlight">/],
    ["attribute list on an image", "_posts/2024-02-14-kramdown-tour.md", /<img [^>]*width="70"/],
    ["attribute list definition", "_posts/2024-02-14-kramdown-tour.md", /<p class="callout" title="Careful">/],
    ["table of contents", "_posts/2024-02-14-kramdown-tour.md", /<ul id="markdown-toc">/],
    ["automatic heading ids", "_posts/2024-02-14-kramdown-tour.md", /<h2 id="a-table-without-a-header-row">/],
    ["definition list", "ja/news/_posts/2024-12-25-年末のお知らせ.md", /<dt>休業期間<\/dt>/],
    ["abbreviations", "_posts/2024-02-14-kramdown-tour.md", /<abbr title="Extensible Markup Language">XML<\/abbr>/],
    ["table without a header row", "blog/_posts/2024/2024-06-15-tables.md", (html) => /<table>\s*<tbody>/.test(html) && /<thead>/.test(html)],
    ["attribute list on a table", "blog/_posts/2024/2024-06-15-tables.md", /<table class="feeds">/],
    ["comment and nomarkdown extensions", "_posts/2024-02-14-kramdown-tour.md", /<!-- This text is a comment[^]*<p class="raw">Left \*as is\*\.<\/p>/],
    ["markdown inside HTML", "_posts/2024-02-14-kramdown-tour.md", /<div class="box">\s*<p>Markdown <em>inside<\/em>/],
    ["smart quotes and dashes", "blog/_posts/2025/2025-03-03-footnotes-and-quotes.md", /“Typographic quotes” – and en dashes — and em dashes/],
    ["GFM hard line breaks", "_posts/2024-07-07-hard-wraps.md", /paragraph<br \/>\s*ends where/],
    ["render_with_liquid: false", "_posts/2024-06-01-no-liquid.md", /\{\{ page\.title \}\} stays as written and so does \{% include note\.html %\}/],
  ];

  test.each(FEATURES)("%s (%s)", (_feature, post, sign) => {
    const html = jekyllPost(post).contentHtml;
    expect(typeof sign === "function" ? sign(html) : sign.test(html)).toBe(true);
  });

  test("summaries: the excerpt before the separator, front-matter excerpt, description", () => {
    expect(jekyllPost("_posts/2024-01-10-welcome.md").summaryHtml).not.toContain("The rest of this post");
    expect(jekyllPost("_posts/2024-04-01-links.md").summaryHtml).toBe("How posts link to each other with post_url and link.");
    expect(jekyllPost("ja/news/_posts/2024-12-25-年末のお知らせ.md").summaryHtml).toBe("年末年始の休業期間と、フィードの更新についてのお知らせです。");
  });

  test("a Japanese title and tags", () => {
    expect(jekyllPost("ja/news/_posts/2025-02-03-節分.md")).toMatchObject({ titleHtml: "節分とフィードの「豆知識」", tags: ["豆知識", "フィード"] });
  });
});

describe(`Feedwright (--${INPUT}) publishes the fixture site as Jekyll does`, () => {
  let comparison: SiteComparisonResult | undefined;

  test(`feedwright build --${INPUT} builds the site`, async () => {
    const built = builtByJekyll();
    const feedwright = await buildWithFeedwright({
      siteDir: FIXTURE_SITE,
      workDir: path.join(workDir!, "feedwright"),
      input: INPUT,
      jekyllConfig: built.config,
      siteUrl: built.siteUrl,
      timezone: built.timezone,
    });
    comparison = comparePosts(built.posts, feedwright.items);
    // The whole report, for whoever reads a failure below.
    console.log(formatSummary(`test/fixtures/jekyll-site (feedwright --${INPUT})`, summarizeComparison(comparison)));
    expect(feedwright.items.length).toBeGreaterThan(0);
  });

  function compared(): SiteComparisonResult {
    if (!comparison) throw new Error(`test/jekyll: no comparison, because feedwright build --${INPUT} failed (see the test above)`);
    return comparison;
  }

  test("every post Jekyll publishes, and no other", () => {
    const { onlyJekyll, onlyFeedwright } = compared();
    expect({ onlyJekyll, onlyFeedwright }).toEqual({ onlyJekyll: [], onlyFeedwright: [] });
  });

  const FIELDS: readonly (keyof SameFields)[] = ["url", "title", "date", "categories", "tags", "id"];
  test.each(FIELDS)("every post has Jekyll's %s", (field) => {
    const differing = compared()
      .posts.filter((post) => !post.same[field])
      .map((post) => ({ post: post.relativePath, jekyll: post.jekyll[field], feedwright: post.feedwright[field] }));
    expect(differing).toEqual([]);
  });

  test(`every post's text within 5% of Jekyll's (SequenceMatcher ratio >= ${TEXT_RATIO_THRESHOLD})`, () => {
    const differing = compared()
      .posts.filter((post) => post.textRatio < TEXT_RATIO_THRESHOLD)
      .map((post) => ({ post: post.relativePath, ratio: post.textRatio, ...post.textDifference }));
    expect(differing).toEqual([]);
  });

  test("no item with leftover Liquid or kramdown attribute lists", () => {
    const leftovers = compared()
      .posts.filter((post) => post.leftovers.liquid > 0 || post.leftovers.attributeList > 0)
      .map((post) => ({ post: post.relativePath, ...post.leftovers }));
    expect(leftovers).toEqual([]);
  });

  test("footnotes wherever Jekyll has them", () => {
    const withFootnotes = builtByJekyll().posts.filter((post) => hasFootnotes(post.contentHtml));
    expect(withFootnotes).toHaveLength(3);
    const byPath = new Map(compared().posts.map((post) => [post.relativePath, post]));
    const missing = withFootnotes
      .map((post) => post.relativePath)
      .filter((relativePath) => byPath.get(relativePath)?.footnotesMissing ?? true);
    expect(missing).toEqual([]);
  });
});
