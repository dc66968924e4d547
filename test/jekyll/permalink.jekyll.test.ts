// jekyllPermalink against real Jekyll 4.3: `npm run test:jekyll` (needs `apt-get install jekyll`).
//
// Builds one throwaway site per permalink style and time zone with `jekyll build --safe`, reads
// each post's `url` from a Liquid page, and checks that jekyllPermalink gives the same URL from
// the inputs written out by hand in POSTS below. It also checks that table against what Jekyll
// made of each post's front matter (categories, slug, date), and compares the escaping and
// slug helpers with Jekyll's own Ruby methods on a fixed corpus.
//
// Recording: `RECORD=1 npm run test:jekyll` rewrites test/fixtures/jekyll-permalinks.json from
// Jekyll's answers (never from ours); test/content/permalink.test.ts replays it in the normal
// `npx vitest run`, which needs no Jekyll. Without RECORD, the last test fails when the file is
// out of date with Jekyll or with the tables here.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DateTime } from "luxon";
import { beforeAll, describe, expect, test } from "vitest";
import {
  escapeJekyllPath,
  jekyllPermalink,
  jekyllSlugify,
  postFileName,
  rubyExtname,
  sanitizeJekyllUrl,
  titleizeSlug,
  type JekyllSlugifyMode,
  type PermalinkInput,
} from "../../src/content/permalink.js";
import {
  buildJekyllSite,
  formatRecordedAnswers,
  RECORDED_ANSWERS_FILE,
  requireJekyll,
  runJekyllRuby,
  type JekyllPost,
  type JekyllSite,
  type RecordedJekyllAnswers,
  type RecordedPermalink,
  type SitePost,
} from "./jekyll-site.js";

/** When Jekyll dates a post: an instant, or midnight in the site's time zone (date-only front matter, or the file name's date). */
type PostDate = { readonly instant: string } | { readonly midnight: string };

interface PostCase {
  /** path under _posts */
  readonly file: string;
  /** front-matter lines as written in the file; absent for the sample posts, which are copied from posts/ */
  readonly frontMatter?: string;
  // What the caller of jekyllPermalink resolves from the front matter and file name, by hand:
  readonly categories: readonly string[];
  readonly slug: string;
  readonly date: PostDate;
  readonly permalink?: string;
}

// Synthetic posts; each has its own date so that no two share a URL under any style.
const FIXTURE_POSTS: readonly PostCase[] = [
  {
    file: "2025-01-05-plain-post.md",
    frontMatter: 'categories: [Engineering, "Feed Readers"]\ndate: 2025-01-05 10:00:00 +0900',
    categories: ["Engineering", "Feed Readers"],
    slug: "plain-post",
    date: { instant: "2025-01-05T01:00:00Z" },
  },
  {
    // a categories string is split on whitespace
    file: "2025-02-14-ai-strategy.md",
    frontMatter: "categories: AI導入戦略 イベント\ndate: 2025-02-14 18:30:00 +09:00",
    categories: ["AI導入戦略", "イベント"],
    slug: "ai-strategy",
    date: { instant: "2025-02-14T09:30:00Z" },
  },
  {
    // a singular category is taken whole
    file: "2025-03-01-single-category.md",
    frontMatter: "category: Machine Learning\ndate: 2025-03-01T12:00:00Z",
    categories: ["Machine Learning"],
    slug: "single-category",
    date: { instant: "2025-03-01T12:00:00Z" },
  },
  {
    // YAML reads a time without a zone as UTC, so this is 2025-03-03 in Tokyo
    file: "2025-03-02-no-zone-late.md",
    frontMatter: 'categories: ["AI導入戦略", "イベント"]\ndate: 2025-03-02 23:30:00',
    categories: ["AI導入戦略", "イベント"],
    slug: "no-zone-late",
    date: { instant: "2025-03-02T23:30:00Z" },
  },
  {
    file: "2025-04-01-イベント告知.md",
    frontMatter: "category: イベント\ndate: 2025-04-01",
    categories: ["イベント"],
    slug: "イベント告知",
    date: { midnight: "2025-04-01" },
  },
  {
    file: "2025-04-02-slug-override.md",
    frontMatter: "slug: \"what's new?\"\ncategories: [News]\ndate: 2025-04-02 09:00:00 +0900",
    categories: ["News"],
    slug: "what's new?",
    date: { instant: "2025-04-02T00:00:00Z" },
  },
  {
    file: "2025-04-03-csharp.md",
    frontMatter: 'slug: "C#"\ncategories: ["C#", "Q&A", "100%"]\ndate: 2025-04-03 09:00:00 +0900',
    categories: ["C#", "Q&A", "100%"],
    slug: "C#",
    date: { instant: "2025-04-03T00:00:00Z" },
  },
  {
    file: "2025-04-04-cpp.md",
    frontMatter: 'slug: "C++"\ncategories: [Engineering]\ndate: 2025-04-04 09:00:00 +0900',
    categories: ["Engineering"],
    slug: "C++",
    date: { instant: "2025-04-04T00:00:00Z" },
  },
  {
    file: "2025-04-05-percent.md",
    frontMatter: 'slug: "100%"\ncategories: ["what?", "Re:Zero"]\ndate: 2025-04-05 09:00:00 +0900',
    categories: ["what?", "Re:Zero"],
    slug: "100%",
    date: { instant: "2025-04-05T00:00:00Z" },
  },
  {
    file: "2025-04-06-hello world.md",
    frontMatter: "title: Hello",
    categories: [],
    slug: "hello world",
    date: { midnight: "2025-04-06" },
  },
  {
    file: "2025-04-07-q&a-c#-(draft)!.md",
    frontMatter: "title: Punctuation in the file name",
    categories: [],
    slug: "q&a-c#-(draft)!",
    date: { midnight: "2025-04-07" },
  },
  {
    file: "2025-05-01-literal-permalink.md",
    frontMatter: "permalink: /custom/literal-path/\ncategories: [Engineering]\ndate: 2025-05-01 09:00:00 +0900",
    categories: ["Engineering"],
    slug: "literal-permalink",
    date: { instant: "2025-05-01T00:00:00Z" },
    permalink: "/custom/literal-path/",
  },
  {
    file: "2025-05-02-placeholder-permalink.md",
    frontMatter: 'permalink: "/:categories/:year/:title/"\ncategories: [AI導入戦略]\ndate: 2025-05-02 08:00:00 +0900',
    categories: ["AI導入戦略"],
    slug: "placeholder-permalink",
    date: { instant: "2025-05-01T23:00:00Z" },
    permalink: "/:categories/:year/:title/",
  },
  {
    file: "2025-05-03-relative-permalink.md",
    frontMatter: 'permalink: "no-leading-slash/:slug.html"',
    categories: [],
    slug: "relative-permalink",
    date: { midnight: "2025-05-03" },
    permalink: "no-leading-slash/:slug.html",
  },
  {
    file: "2025-05-04-json-permalink.md",
    frontMatter: 'permalink: "/data/:slug.json"',
    categories: [],
    slug: "json-permalink",
    date: { midnight: "2025-05-04" },
    permalink: "/data/:slug.json",
  },
  {
    file: "2025-05-05-output-ext-permalink.md",
    frontMatter: 'permalink: "/exts/:title:output_ext"',
    categories: [],
    slug: "output-ext-permalink",
    date: { midnight: "2025-05-05" },
    permalink: "/exts/:title:output_ext",
  },
  {
    file: "2025-05-06-dotdot-permalink.md",
    frontMatter: 'permalink: "/../up/./here//there/../x/"',
    categories: [],
    slug: "dotdot-permalink",
    date: { midnight: "2025-05-06" },
    permalink: "/../up/./here//there/../x/",
  },
  {
    file: "2025-05-07-japanese-permalink.md",
    frontMatter: 'permalink: "/日本語/ページ 1/"',
    categories: [],
    slug: "japanese-permalink",
    date: { midnight: "2025-05-07" },
    permalink: "/日本語/ページ 1/",
  },
  {
    file: "2025-05-08-underscore-permalink.md",
    frontMatter: 'permalink: "/:year_:month_:day/:title_/"\ndate: 2025-05-08 09:00:00 +0900',
    categories: [],
    slug: "underscore-permalink",
    date: { instant: "2025-05-08T00:00:00Z" },
    permalink: "/:year_:month_:day/:title_/",
  },
  {
    file: "2025-05-09-empty-permalink.md",
    frontMatter: 'permalink: ""',
    categories: [],
    slug: "empty-permalink",
    date: { midnight: "2025-05-09" },
    permalink: "",
  },
  {
    // 2025-06-02 08:30 in Tokyo
    file: "2025-06-01-late-utc.md",
    frontMatter: "date: 2025-06-01 23:30:00 +0000",
    categories: [],
    slug: "late-utc",
    date: { instant: "2025-06-01T23:30:00Z" },
  },
  {
    // 2025-06-01 15:30 in UTC
    file: "2025-06-02-early-tokyo.md",
    frontMatter: "date: 2025-06-02 00:30:00 +0900",
    categories: [],
    slug: "early-tokyo",
    date: { instant: "2025-06-01T15:30:00Z" },
  },
  {
    file: "2025-07-01-markdown-ext.markdown",
    frontMatter: "categories: [Engineering]\ndate: 2025-07-01 12:00:00 +0900",
    categories: ["Engineering"],
    slug: "markdown-ext",
    date: { instant: "2025-07-01T03:00:00Z" },
  },
  {
    // ISO week 2026-W01
    file: "2025-12-29-iso-week-next-year.md",
    frontMatter: "date: 2025-12-29 12:00:00 +0900",
    categories: [],
    slug: "iso-week-next-year",
    date: { instant: "2025-12-29T03:00:00Z" },
  },
  {
    // ISO week 2026-W53
    file: "2027-01-01-iso-week-previous-year.md",
    frontMatter: "date: 2027-01-01 12:00:00 +0900",
    categories: [],
    slug: "iso-week-previous-year",
    date: { instant: "2027-01-01T03:00:00Z" },
  },
  {
    file: "2024-02-29-leap-day.md",
    frontMatter: "date: 2024-02-29",
    categories: [],
    slug: "leap-day",
    date: { midnight: "2024-02-29" },
  },
  {
    file: "2025-08-08-no-date.md",
    frontMatter: "title: No date in the front matter",
    categories: [],
    slug: "no-date",
    date: { midnight: "2025-08-08" },
  },
  {
    file: "2025-09-09-ends-with-dots...md",
    frontMatter: "title: Trailing dots leave the slug",
    categories: [],
    slug: "ends-with-dots",
    date: { midnight: "2025-09-09" },
  },
  {
    // a folder inside _posts is not a category, but it is part of :path
    file: "2024/2024-10-10-in-subdir.md",
    frontMatter: "categories: [Engineering]\ndate: 2024-10-10 10:10:10 +0900",
    categories: ["Engineering"],
    slug: "in-subdir",
    date: { instant: "2024-10-10T01:10:10Z" },
  },
  {
    file: "2025-10-10-japanese-slug.md",
    frontMatter: 'slug: "Feedwright入門 Part 2"\ndate: 2025-10-10 09:00:00 +0900',
    categories: [],
    slug: "Feedwright入門 Part 2",
    date: { instant: "2025-10-10T00:00:00Z" },
  },
  {
    file: "2025-10-12-Upper-Case-Name.md",
    frontMatter: "date: 2025-10-12 09:00:00 +0900",
    categories: [],
    slug: "Upper-Case-Name",
    date: { instant: "2025-10-12T00:00:00Z" },
  },
  {
    // :categories lower-cases first, then drops duplicates
    file: "2025-10-13-duplicate-categories.md",
    frontMatter: "categories: [Engineering, engineering, ENGINEERING, Feed Readers]\ndate: 2025-10-13 09:00:00 +0900",
    categories: ["Engineering", "engineering", "ENGINEERING", "Feed Readers"],
    slug: "duplicate-categories",
    date: { instant: "2025-10-13T00:00:00Z" },
  },
  {
    // with both keys Jekyll keeps both: `categories`, then `category`
    file: "2025-10-14-both-category-keys.md",
    frontMatter: "category: Solo\ncategories: [Alpha, Beta]\ndate: 2025-10-14 09:00:00 +0900",
    categories: ["Alpha", "Beta", "Solo"],
    slug: "both-category-keys",
    date: { instant: "2025-10-14T00:00:00Z" },
  },
  {
    // Ruby's downcase has no final-sigma rule: οδοσ, not οδος
    file: "2025-10-15-greek-category.md",
    frontMatter: "categories: [ΟΔΟΣ]\ndate: 2025-10-15 09:00:00 +0900",
    categories: ["ΟΔΟΣ"],
    slug: "greek-category",
    date: { instant: "2025-10-15T00:00:00Z" },
  },
];

// The project's sample posts (posts/), copied as they are. about-this-blog.md has no date in its
// name, so Jekyll does not read it as a post.
const SAMPLE_POSTS_DIR = fileURLToPath(new URL("../../posts/", import.meta.url));
const SAMPLE_POSTS: readonly PostCase[] = [
  // no zone: Jekyll (Psych) reads 17:00 UTC, which is 2024-12-25 in Tokyo
  { file: "2024/2024-12-24-year-end-notes.md", categories: ["Engineering"], slug: "year-end-notes", date: { instant: "2024-12-24T17:00:00Z" } },
  { file: "2025-08-30-csharp-cpp-and-c.markdown", categories: ["Engineering"], slug: "csharp-cpp-and-c", date: { instant: "2025-08-30T21:00:00Z" } },
  { file: "2025-09-15-welcome.md", categories: ["Announcements"], slug: "welcome", date: { midnight: "2025-09-15" } },
  { file: "2025-10-01-static-feeds-with-jekyll.md", categories: ["Engineering"], slug: "static-feeds-with-jekyll", date: { instant: "2025-10-01T08:00:00Z" } },
  { file: "2025-10-20-rag-checklist.md", categories: ["AI導入戦略"], slug: "rag-checklist", date: { instant: "2025-10-20T09:30:00Z" } },
  { file: "2025-11-04-cloud-gpu-inference-cost.md", categories: ["AI導入戦略"], slug: "cloud-gpu-inference-cost", date: { instant: "2025-11-04T00:15:00Z" } },
  { file: "2025-11-20-東京勉強会レポート.md", categories: ["イベント"], slug: "東京勉強会レポート", date: { instant: "2025-11-20T11:00:00Z" } },
  { file: "2025-12-01-roadmap-draft.md", categories: ["イベント"], slug: "roadmap-draft", date: { instant: "2025-12-01T01:00:00Z" } },
  { file: "2099-01-01-letter-to-the-future.md", categories: ["Announcements"], slug: "letter-to-the-future", date: { instant: "2099-01-01T00:00:00Z" } },
];

const CUSTOM_STYLES = [
  "/:categories/:year/:i_month/:i_day/:slug:output_ext",
  "/blog/:y_day/:short_year/:title/",
  "/:collection/:slugified_categories/:w_year-W:week-:w_day/:short_day/:long_day/:short_month-:long_month/:hour:minute:second/:year_:month_:day_/:name/:path:output_ext",
];
const STYLES = ["date", "pretty", "ordinal", "weekdate", "none", ...CUSTOM_STYLES];
const TIME_ZONES = ["Asia/Tokyo", "UTC"];

interface SiteCase extends JekyllSite {
  readonly cases: readonly PostCase[];
}

/** The sample posts go into the sites for these styles in Asia/Tokyo, the project's own setting. */
function casesFor(permalink: string, timezone: string): readonly PostCase[] {
  return (permalink === "date" || permalink === "pretty") && timezone === "Asia/Tokyo" ? [...FIXTURE_POSTS, ...SAMPLE_POSTS] : FIXTURE_POSTS;
}

async function siteCases(): Promise<SiteCase[]> {
  const sites: SiteCase[] = [];
  for (const permalink of STYLES) {
    for (const timezone of TIME_ZONES) {
      const cases = casesFor(permalink, timezone);
      sites.push({ permalink, timezone, cases, posts: await Promise.all(cases.map(sitePost)) });
    }
  }
  return sites;
}

async function sitePost(post: PostCase): Promise<SitePost> {
  const text = post.frontMatter === undefined
    ? await readFile(path.join(SAMPLE_POSTS_DIR, ...post.file.split("/")), "utf8")
    : `---\n${post.frontMatter}\n---\n\nBody of ${post.file}.\n`;
  return { file: post.file, text };
}

function instantOf(date: PostDate, timezone: string): Date {
  if ("instant" in date) return new Date(date.instant);
  return DateTime.fromISO(date.midnight, { zone: timezone }).toJSDate();
}

function permalinkInput(post: PostCase, site: JekyllSite): PermalinkInput {
  return {
    style: site.permalink,
    frontMatterPermalink: post.permalink,
    categories: post.categories,
    date: instantOf(post.date, site.timezone),
    timezone: site.timezone,
    slug: post.slug,
    extension: path.posix.extname(post.file),
    sourcePath: post.file,
  };
}

/** "date | UTC | 2025-01-05-plain-post.md"; custom patterns are named "custom 1" etc. to keep names short */
function caseName(site: JekyllSite, post: PostCase): string {
  const custom = CUSTOM_STYLES.indexOf(site.permalink);
  return `${custom === -1 ? site.permalink : `custom ${custom + 1}`} | ${site.timezone} | ${post.file}`;
}

// ---------------------------------------------------------------------------------------------

const STYLE_NAMES = STYLES.map((style) => TIME_ZONES.map((timezone) => ({ style, timezone }))).flat();
// Checked while the file loads, so that a machine without Jekyll fails the run outright instead
// of reporting the tests below as skipped.
const jekyllVersion = requireJekyll();
let sites: SiteCase[] = [];
const jekyllAnswers = new Map<string, JekyllPost[]>();

function answersFor(site: JekyllSite): JekyllPost[] {
  const answers = jekyllAnswers.get(`${site.permalink} | ${site.timezone}`);
  if (!answers) throw new Error(`no Jekyll build for ${site.permalink} | ${site.timezone}`);
  return answers;
}

function jekyllPostFor(site: JekyllSite, post: PostCase): JekyllPost {
  const found = answersFor(site).find((answer) => answer.path === `_posts/${post.file}`);
  if (!found) throw new Error(`Jekyll did not build _posts/${post.file} for ${site.permalink} | ${site.timezone}`);
  return found;
}

beforeAll(async () => {
  sites = await siteCases();
  const built = await Promise.all(sites.map((site) => buildJekyllSite(site)));
  sites.forEach((site, index) => jekyllAnswers.set(`${site.permalink} | ${site.timezone}`, built[index] ?? []));
}, 300_000);

test("Jekyll 4.3 is the version these rules were ported from", () => {
  expect(jekyllVersion).toMatch(/^4\.3\./);
});

describe.each(STYLE_NAMES)("permalink $style in $timezone", ({ style, timezone }) => {
  const siteOf = (): SiteCase => {
    const site = sites.find((candidate) => candidate.permalink === style && candidate.timezone === timezone);
    if (!site) throw new Error(`no site for ${style} | ${timezone}`);
    return site;
  };

  test("Jekyll builds every post in the table, and only those", () => {
    const site = siteOf();
    expect(answersFor(site).map((answer) => answer.path).sort()).toEqual(site.cases.map((post) => `_posts/${post.file}`).sort());
  });

  test.each(casesFor(style, timezone).map((post) => post.file))("%s", (file) => {
    const site = siteOf();
    const post = site.cases.find((candidate) => candidate.file === file);
    if (!post) throw new Error(`no case for ${file}`);
    const jekyll = jekyllPostFor(site, post);
    // The hand-written inputs are what Jekyll itself resolved from the front matter...
    expect({ categories: jekyll.categories, slug: jekyll.slug, date: new Date(jekyll.epochSeconds * 1000).toISOString() }).toEqual({
      categories: post.categories,
      slug: post.slug,
      date: instantOf(post.date, timezone).toISOString(),
    });
    if (!/^slug:/m.test(post.frontMatter ?? "")) expect(postFileName(post.file).slug).toBe(jekyll.slug);
    // ...and from them we compute Jekyll's URL.
    expect(jekyllPermalink(permalinkInput(post, site))).toBe(jekyll.url);
  });
});

// ---------------------------------------------------------------------------------------------
// Jekyll's helpers, called directly in Ruby, on a fixed corpus

const CURATED_TEXTS = [
  "", "plain", "Hello World", "what's new?", "C#", "C++", "C", ".NET", "100%", "Q&A", "a/b", "CI/CD",
  "AI導入戦略", "イベント", "東京勉強会レポート：フィード配信の現在 🚀", "Feedwright入門 Part 2", "Machine Learning",
  "ΟΔΟΣ", "Straße", "ǆungla", "ﬁne", "Ærøskøbing café", "naïve", "emoji 🎉 party", "tab\there", "line\nbreak",
  "a#b#c", "q?x#y", "Re:Zero", ":)", "日本:x", "http:", "//host/path", "//u:p@h:080/p", "//h:0/", "[x]", "%41%ZZ",
  "  spaced  out  ", "--dashes--", "The _config.yml file", "under_score", "dots...", "...lead", "$&'()+,;=@!~",
  "<script>", "\"quoted\"", "back\\slash", "pipe|caret^", "no-title", "iphone-TIPS", "-leading", "trailing-", "a--b",
];

function seededTexts(count: number): string[] {
  const alphabet = [..."aZ09:/?#@[]%. -_~!$&'()*+,;=\"<>{}\\|^`", "\n", "\t", "日", "本", "é", "ß", "ǆ", "Σ", "http:", "//", "c#", ":80", "%41", "%FF", "\u00A0", "\u3000"];
  let seed = 20251104;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return Array.from({ length: count }, () => {
    let text = "";
    const length = 1 + Math.floor(next() * 8);
    for (let index = 0; index < length; index += 1) text += alphabet[Math.floor(next() * alphabet.length)] ?? "";
    return text;
  });
}

const SLUGIFY_MODES: readonly JekyllSlugifyMode[] = ["raw", "default", "pretty", "ascii", "none"];
const RECORDED_RANDOM_TEXTS = seededTexts(120);
const LIVE_ONLY_TEXTS = seededTexts(3000);

interface RubyAnswers {
  escape: (string | null)[];
  slugify: string[];
  titleize: string[];
  sanitize: string[];
  extname: string[];
}

function askRuby(texts: readonly string[], slugifyCases: readonly (readonly [string, JekyllSlugifyMode, boolean])[]): RubyAnswers {
  const script = `
escape = INPUT["texts"].map { |s| Jekyll::URL.escape_path(s) rescue nil }
slugify = INPUT["slugify"].map { |s, mode, cased| Jekyll::Utils.slugify(s, mode: mode, cased: cased) }
titleize = INPUT["texts"].map { |s| Jekyll::Utils.titleize_slug(s) }
sanitize = INPUT["texts"].map { |s| Jekyll::URL.new(permalink: s).send(:sanitize_url, s) }
extname = INPUT["texts"].map { |s| File.extname(s) }
puts JSON.generate({ "escape" => escape, "slugify" => slugify, "titleize" => titleize, "sanitize" => sanitize, "extname" => extname })`;
  return runJekyllRuby(script, { texts, slugify: slugifyCases }) as RubyAnswers;
}

function ourEscape(text: string): string | null {
  try {
    return escapeJekyllPath(text);
  } catch {
    return null;
  }
}

function slugifyCases(texts: readonly string[], everyCombination: boolean): [string, JekyllSlugifyMode, boolean][] {
  if (everyCombination) return texts.flatMap((text) => SLUGIFY_MODES.flatMap((mode) => [false, true].map((cased): [string, JekyllSlugifyMode, boolean] => [text, mode, cased])));
  return texts.map((text, index): [string, JekyllSlugifyMode, boolean] => [text, SLUGIFY_MODES[index % SLUGIFY_MODES.length] ?? "default", index % 2 === 0]);
}

test("escapeJekyllPath, jekyllSlugify, titleizeSlug, sanitizeJekyllUrl and rubyExtname agree with Jekyll's Ruby", () => {
  const texts = [...CURATED_TEXTS, ...RECORDED_RANDOM_TEXTS, ...LIVE_ONLY_TEXTS];
  const slugify = slugifyCases(texts, false);
  const ruby = askRuby(texts, slugify);
  const differences = [
    ...texts.map((text, index) => ["escape_path", text, ruby.escape[index], ourEscape(text)] as const),
    ...slugify.map(([text, mode, cased], index) => [`slugify ${mode}${cased ? " cased" : ""}`, text, ruby.slugify[index], jekyllSlugify(text, mode, cased)] as const),
    ...texts.map((text, index) => ["titleize_slug", text, ruby.titleize[index], titleizeSlug(text)] as const),
    ...texts.map((text, index) => ["sanitize_url", text, ruby.sanitize[index], sanitizeJekyllUrl(text)] as const),
    ...texts.map((text, index) => ["File.extname", text, ruby.extname[index], rubyExtname(text)] as const),
  ].filter(([, , theirs, ours]) => theirs !== ours);
  expect(differences).toEqual([]);
});

// ---------------------------------------------------------------------------------------------

test("test/fixtures/jekyll-permalinks.json holds Jekyll's current answers (RECORD=1 rewrites it)", async () => {
  const permalinks: RecordedPermalink[] = sites.flatMap((site) =>
    site.cases.map((post) => {
      const { date, frontMatterPermalink, ...input } = permalinkInput(post, site);
      return {
        name: caseName(site, post),
        input: { ...input, ...(frontMatterPermalink === undefined ? {} : { frontMatterPermalink }), date: date.toISOString(), sourcePath: post.file },
        url: jekyllPostFor(site, post).url,
      };
    }),
  );
  const recordedTexts = [...CURATED_TEXTS, ...RECORDED_RANDOM_TEXTS];
  const slugify = slugifyCases(CURATED_TEXTS, true).concat(slugifyCases(RECORDED_RANDOM_TEXTS, false));
  const ruby = askRuby(recordedTexts, slugify);
  const answers: RecordedJekyllAnswers = {
    comment: "Recorded from real Jekyll by `RECORD=1 npm run test:jekyll` (test/jekyll/permalink.jekyll.test.ts); do not edit by hand.",
    jekyll: jekyllVersion,
    permalinks,
    escapePath: recordedTexts.map((text, index) => [text, ruby.escape[index] ?? null] as const),
    slugify: slugify.map(([text, mode, cased], index) => [text, mode, cased, ruby.slugify[index] ?? ""] as const),
    titleizeSlug: recordedTexts.map((text, index) => [text, ruby.titleize[index] ?? ""] as const),
  };
  const formatted = formatRecordedAnswers(answers);
  if (process.env.RECORD === "1") {
    await mkdir(new URL(".", RECORDED_ANSWERS_FILE), { recursive: true });
    await writeFile(RECORDED_ANSWERS_FILE, formatted);
    return;
  }
  const recorded = await readFile(RECORDED_ANSWERS_FILE, "utf8").catch(() => undefined);
  if (recorded === undefined) throw new Error("test/fixtures/jekyll-permalinks.json is missing: run `RECORD=1 npm run test:jekyll`");
  expect(recorded, "the recording is stale: run `RECORD=1 npm run test:jekyll` and review the diff").toBe(formatted);
});
