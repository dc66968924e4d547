// jekyllPermalink and its helpers. The recorded cases come from real Jekyll 4.3 builds
// (test/fixtures/jekyll-permalinks.json, written by `RECORD=1 npm run test:jekyll`); the unit tests
// below pin the edge cases that a reader of src/content/permalink.ts should not have to rediscover.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  escapeJekyllPath,
  JEKYLL_URL_PLACEHOLDERS,
  jekyllPermalink,
  jekyllSlugify,
  permalinkTemplate,
  postFileName,
  rubyDowncase,
  sanitizeJekyllUrl,
  titleizeSlug,
  type JekyllSlugifyMode,
  type PermalinkInput,
} from "../../src/content/permalink.js";
import type { RecordedJekyllAnswers } from "../jekyll/jekyll-site.js";

const recorded = JSON.parse(
  readFileSync(new URL("../fixtures/jekyll-permalinks.json", import.meta.url), "utf8"),
) as RecordedJekyllAnswers;

describe("agrees with the URLs recorded from real Jekyll builds", () => {
  test("the recording covers every style, both time zones and the sample posts", () => {
    const styles = new Set(recorded.permalinks.map((entry) => entry.input.style));
    expect([...styles]).toEqual(expect.arrayContaining(["date", "pretty", "ordinal", "weekdate", "none"]));
    expect(styles.size).toBeGreaterThanOrEqual(7);
    expect(new Set(recorded.permalinks.map((entry) => entry.input.timezone))).toEqual(new Set(["Asia/Tokyo", "UTC"]));
    expect(recorded.permalinks.map((entry) => entry.name)).toContain("pretty | Asia/Tokyo | 2025-11-20-東京勉強会レポート.md");
    expect(recorded.jekyll).toMatch(/^4\.3\./);
  });

  test.each(recorded.permalinks.map((entry) => [entry.name, entry] as const))("%s", (_name, entry) => {
    expect(jekyllPermalink({ ...entry.input, date: new Date(entry.input.date) })).toBe(entry.url);
  });

  test("escapeJekyllPath matches Jekyll::URL.escape_path (null: Jekyll raises)", () => {
    const differences = recorded.escapePath
      .map(([value, expected]) => {
        let ours: string | null;
        try {
          ours = escapeJekyllPath(value);
        } catch {
          ours = null;
        }
        return { value, expected, ours };
      })
      .filter(({ expected, ours }) => expected !== ours);
    expect(differences).toEqual([]);
  });

  test("jekyllSlugify matches Jekyll::Utils.slugify", () => {
    const differences = recorded.slugify
      .map(([text, mode, cased, expected]) => ({ text, mode, cased, expected, ours: jekyllSlugify(text, mode as JekyllSlugifyMode, cased) }))
      .filter(({ expected, ours }) => expected !== ours);
    expect(differences).toEqual([]);
  });

  test("titleizeSlug matches Jekyll::Utils.titleize_slug", () => {
    const differences = recorded.titleizeSlug
      .map(([slug, expected]) => ({ slug, expected, ours: titleizeSlug(slug) }))
      .filter(({ expected, ours }) => expected !== ours);
    expect(differences).toEqual([]);
  });
});

const base: PermalinkInput = {
  style: "date",
  categories: ["AI導入戦略"],
  date: new Date("2025-11-04T00:15:00Z"),
  timezone: "Asia/Tokyo",
  slug: "cloud-gpu-inference-cost",
  extension: ".md",
};

describe("jekyllPermalink", () => {
  test("the default style: lower-cased, percent-encoded categories, then the date in the site's time zone", () => {
    expect(jekyllPermalink(base)).toBe("/ai%E5%B0%8E%E5%85%A5%E6%88%A6%E7%95%A5/2025/11/04/cloud-gpu-inference-cost.html");
    expect(jekyllPermalink({ ...base, timezone: "America/Los_Angeles" })).toBe(
      "/ai%E5%B0%8E%E5%85%A5%E6%88%A6%E7%95%A5/2025/11/03/cloud-gpu-inference-cost.html",
    );
  });

  test("the built-in styles", () => {
    const input = { ...base, categories: ["Engineering"], slug: "welcome" };
    expect(jekyllPermalink({ ...input, style: "pretty" })).toBe("/engineering/2025/11/04/welcome/");
    expect(jekyllPermalink({ ...input, style: "ordinal" })).toBe("/engineering/2025/308/welcome.html");
    expect(jekyllPermalink({ ...input, style: "weekdate" })).toBe("/engineering/2025/W45/Tue/welcome.html");
    expect(jekyllPermalink({ ...input, style: "none" })).toBe("/engineering/welcome.html");
    expect(permalinkTemplate("date")).toBe("/:categories/:year/:month/:day/:title:output_ext");
    expect(permalinkTemplate("/:title/")).toBe("/:title/");
  });

  test("Japanese slugs keep their letters, percent-encoded as UTF-8 with upper-case hex", () => {
    expect(jekyllPermalink({ ...base, categories: ["イベント"], slug: "東京勉強会レポート", style: "pretty" })).toBe(
      "/%E3%82%A4%E3%83%99%E3%83%B3%E3%83%88/2025/11/04/%E6%9D%B1%E4%BA%AC%E5%8B%89%E5%BC%B7%E4%BC%9A%E3%83%AC%E3%83%9D%E3%83%BC%E3%83%88/",
    );
  });

  test(":title keeps case and URL-safe punctuation; :slug lower-cases and keeps only letters and digits", () => {
    const input = { ...base, categories: [], style: "/:title/:slug/" };
    expect(jekyllPermalink({ ...input, slug: "What's New?" })).toBe("/What's-New/what-s-new/");
    expect(jekyllPermalink({ ...input, slug: "C++" })).toBe("/C++/c/");
    expect(jekyllPermalink({ ...input, slug: "C#" })).toBe("/C/c/");
    expect(jekyllPermalink({ ...input, slug: "100%" })).toBe("/100/100/");
  });

  test("categories are lower-cased and de-duplicated but not slugified; :slugified_categories is", () => {
    const input = { ...base, categories: ["C#", "c#", "Machine Learning", "what?"] };
    expect(jekyllPermalink({ ...input, style: "/:categories/" })).toBe("/c%23/machine%20learning/what?/");
    expect(jekyllPermalink({ ...input, style: "/:slugified_categories/" })).toBe("/c/machine-learning/what/");
  });

  test("no categories leave no empty segment: slashes are squeezed", () => {
    expect(jekyllPermalink({ ...base, categories: [] })).toBe("/2025/11/04/cloud-gpu-inference-cost.html");
    expect(jekyllPermalink({ ...base, style: "//a///:title//" })).toBe("/a/cloud-gpu-inference-cost/");
  });

  test('".." becomes "/" and "./" disappears, in patterns and in values', () => {
    expect(jekyllPermalink({ ...base, frontMatterPermalink: "/../up/./here//there/../x/" })).toBe("/up/here/there/x/");
    expect(jekyllPermalink({ ...base, frontMatterPermalink: "/:title/", slug: "..secret" })).toBe("/secret/");
    expect(sanitizeJekyllUrl("a/.../b")).toBe("/a/b");
  });

  test("a front-matter permalink replaces the style, may use placeholders, and gains a leading slash", () => {
    expect(jekyllPermalink({ ...base, frontMatterPermalink: "/custom/literal-path/" })).toBe("/custom/literal-path/");
    expect(jekyllPermalink({ ...base, frontMatterPermalink: "no-leading-slash/:slug.html" })).toBe("/no-leading-slash/cloud-gpu-inference-cost.html");
    expect(jekyllPermalink({ ...base, frontMatterPermalink: "" })).toBe("/");
    // the style is not even read, so an unknown placeholder in it does not matter
    expect(jekyllPermalink({ ...base, style: "/:nope/", frontMatterPermalink: "/a/" })).toBe("/a/");
  });

  test("the pattern's own text is not escaped, only placeholder values are", () => {
    expect(jekyllPermalink({ ...base, frontMatterPermalink: "/日本語/ページ 1/:categories/" })).toBe(
      "/日本語/ページ 1/ai%E5%B0%8E%E5%85%A5%E6%88%A6%E7%95%A5/",
    );
  });

  test(":output_ext is the front-matter permalink's own extension, else .html for Markdown", () => {
    expect(jekyllPermalink({ ...base, frontMatterPermalink: "/exts/:title:output_ext" })).toBe("/exts/cloud-gpu-inference-cost.html");
    expect(jekyllPermalink({ ...base, frontMatterPermalink: "/feeds/:title.json" })).toBe("/feeds/cloud-gpu-inference-cost.json");
    expect(jekyllPermalink({ ...base, extension: ".markdown", categories: [] })).toBe("/2025/11/04/cloud-gpu-inference-cost.html");
  });

  test("a trailing underscore ends a placeholder and stays in the URL", () => {
    expect(jekyllPermalink({ ...base, style: "/:year_:month_:day/:title_/" })).toBe("/2025_11_04/cloud-gpu-inference-cost_/");
    expect(jekyllPermalink({ ...base, style: "/:i_month/:y_day/" })).toBe("/11/308/");
  });

  test("every date placeholder, in the site's time zone", () => {
    const style = "/:year/:month/:day/:hour/:minute/:second/:i_day/:i_month/:short_month/:long_month/:short_year/:y_day/:week/:w_year/:w_day/:short_day/:long_day/";
    // 2025-12-29 is Monday of ISO week 1 of 2026
    expect(jekyllPermalink({ ...base, style, date: new Date("2025-12-28T15:04:05Z") })).toBe(
      "/2025/12/29/00/04/05/29/12/Dec/December/25/363/01/2026/1/Mon/Monday/",
    );
  });

  test(":collection, :name and :path (which needs sourcePath)", () => {
    const input = { ...base, sourcePath: "2024/2024-12-24-Year End.md", style: "/:collection/:name/:path/" };
    expect(jekyllPermalink(input)).toBe("/posts/2024-12-24-year-end/2024/2024-12-24-Year%20End/");
    expect(() => jekyllPermalink({ ...input, sourcePath: undefined })).toThrow(/:name placeholder needs the post's file path \(PermalinkInput\.sourcePath\)/);
  });

  test("an unknown placeholder names itself and lists the supported ones", () => {
    const call = (): string => jekyllPermalink({ ...base, style: "/:categories/:foo/:title/" });
    expect(call).toThrow(/unknown placeholder ":foo" in "\/:categories\/:foo\/:title\/"/);
    expect(call).toThrow(/supports :output_ext :path :collection :name :title :slug :categories :slugified_categories :year .* :y_day/);
    // Jekyll reads [a-z_]+ greedily, so a word after "_" makes the whole name unknown
    expect(() => jekyllPermalink({ ...base, style: "/:month_day/" })).toThrow(/":month_day"/);
    expect(() => jekyllPermalink({ ...base, style: "/:i_/" })).toThrow(/":i_" \(nor ":i" followed by "_"\)/);
    expect(() => jekyllPermalink({ ...base, style: "/:constructor/:__proto__/" })).toThrow(/":constructor"/);
    expect(JEKYLL_URL_PLACEHOLDERS).toHaveLength(25);
  });

  test("a colon not followed by a lower-case letter is literal text", () => {
    expect(jekyllPermalink({ ...base, style: "/:Title/a:1/:title/" })).toBe("/:Title/a:1/cloud-gpu-inference-cost/");
  });

  test("a value that Jekyll cannot encode throws, as the Jekyll build would", () => {
    expect(() => jekyllPermalink({ ...base, categories: [":)"] })).toThrow(/cannot percent-encode ":\)"/);
    expect(() => jekyllPermalink({ ...base, categories: ["日本:x"] })).toThrow(/not a valid URI scheme/);
  });

  test("an unknown time zone throws", () => {
    expect(() => jekyllPermalink({ ...base, timezone: "Mars/Olympus_Mons" })).toThrow(/time zone "Mars\/Olympus_Mons"/);
  });

  test("does not change its input", () => {
    const input = Object.freeze({ ...base, categories: Object.freeze(["B", "a", "B"]) });
    jekyllPermalink(input);
    expect(input.categories).toEqual(["B", "a", "B"]);
  });

  test("always a path: one leading slash, no empty segment, no '..'", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.array(fc.string({ unit: "binary" }), { maxLength: 3 }), fc.string({ unit: "binary" }), (slug, categories, permalink) => {
        for (const frontMatterPermalink of [undefined, permalink.replace(/:/g, "")]) {
          let url: string;
          try {
            url = jekyllPermalink({ ...base, slug, categories, frontMatterPermalink });
          } catch (error) {
            expect((error as Error).message).toMatch(/cannot percent-encode/); // only values Jekyll rejects too
            continue;
          }
          expect(url.startsWith("/")).toBe(true);
          expect(url).not.toMatch(/\/\/|\.\./);
        }
      }),
    );
  });
});

describe("helpers", () => {
  test("escapeJekyllPath", () => {
    expect(escapeJekyllPath("plain/path-1.html")).toBe("plain/path-1.html");
    expect(escapeJekyllPath("AI導入戦略")).toBe("AI%E5%B0%8E%E5%85%A5%E6%88%A6%E7%95%A5");
    expect(escapeJekyllPath("c#")).toBe("c%23");
    expect(escapeJekyllPath("a#b#c")).toBe("a%23b%23c");
    expect(escapeJekyllPath("what?")).toBe("what?");
    expect(escapeJekyllPath("100%")).toBe("100%25");
    expect(escapeJekyllPath("re:zero")).toBe("re:zero");
  });

  test("jekyllSlugify, with Jekyll's documented examples", () => {
    expect(jekyllSlugify("The _config.yml file")).toBe("the-config-yml-file");
    expect(jekyllSlugify("The _config.yml file", "pretty")).toBe("the-_config.yml-file");
    expect(jekyllSlugify("The _config.yml file", "pretty", true)).toBe("The-_config.yml-file");
    expect(jekyllSlugify("The _config.yml file", "ascii")).toBe("the-config-yml-file");
    expect(jekyllSlugify("The _config.yml file", "raw")).toBe("the-_config.yml-file");
    expect(jekyllSlugify("Keep  AS is", "none")).toBe("keep  as is");
    expect(jekyllSlugify("AI導入戦略 イベント")).toBe("ai導入戦略-イベント");
    expect(jekyllSlugify("日本語", "ascii")).toBe("");
  });

  test("titleizeSlug, which gives an untitled post its title", () => {
    expect(titleizeSlug("no-title")).toBe("No Title");
    expect(titleizeSlug("iphone-TIPS")).toBe("Iphone Tips");
    expect(titleizeSlug("東京勉強会レポート")).toBe("東京勉強会レポート");
    expect(titleizeSlug("a--b-")).toBe("A  B");
    expect(titleizeSlug("straße-ǆungla")).toBe("Straße ǅungla");
  });

  test("rubyDowncase has no final-sigma rule", () => {
    expect(rubyDowncase("ΟΔΟΣ")).toBe("οδοσ");
    expect("ΟΔΟΣ".toLowerCase()).toBe("οδος");
  });

  test("postFileName", () => {
    expect(postFileName("2025-11-04-cloud-gpu-inference-cost.md")).toEqual({ date: "2025-11-04", slug: "cloud-gpu-inference-cost", extension: ".md" });
    expect(postFileName("2024/2024-12-24-year-end-notes.md")).toEqual({ date: "2024-12-24", slug: "year-end-notes", extension: ".md" });
    expect(postFileName("2025-09-09-ends-with-dots...md")).toEqual({ date: "2025-09-09", slug: "ends-with-dots", extension: ".md" });
    expect(postFileName("2025-11-20-東京勉強会レポート.markdown")).toEqual({ date: "2025-11-20", slug: "東京勉強会レポート", extension: ".markdown" });
    expect(postFileName("about-this-blog.md")).toEqual({ date: undefined, slug: "about-this-blog", extension: ".md" });
    expect(postFileName("README")).toEqual({ date: undefined, slug: "README", extension: "" });
  });
});
