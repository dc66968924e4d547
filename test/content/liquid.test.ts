// src/content/liquid: Liquid in posts, rendered as Jekyll 4.3 renders it. The recorded cases come
// from real Jekyll (test/fixtures/jekyll-liquid.json, written by `RECORD=1 npm run test:jekyll`);
// the tests below pin the rules a reader of the module should not have to rediscover, and the
// hostile templates, which must stop quickly with a clear error.
import { readFileSync } from "node:fs";
import { describe, expect, test, vi } from "vitest";
import {
  analyzeLiquid,
  DEFAULT_LIQUID_LIMITS,
  hasLiquid,
  LiquidError,
  renderLiquid,
  type LiquidPost,
  type LiquidResult,
  type LiquidSite,
} from "../../src/content/liquid/index.js";
import { compareRubyHelpers, compareWithJekyll, LIQUID_FIXTURE_FILE, type RecordedLiquidFixture } from "../helpers/liquid-fixture.js";

const recorded = JSON.parse(readFileSync(LIQUID_FIXTURE_FILE, "utf8")) as RecordedLiquidFixture;

describe("agrees with the outputs recorded from real Jekyll", () => {
  test("the recording comes from Jekyll 4.3 and covers outputs, failures and plugins' tags and filters", () => {
    expect(recorded.jekyll).toMatch(/^4\.3\./);
    const kinds = new Set(recorded.cases.map((recordedCase) => recordedCase.expect));
    expect([...kinds].sort()).toEqual(["error", "output", "plugin-filter", "plugin-tag"]);
    expect(recorded.cases.length).toBeGreaterThanOrEqual(70);
  });

  test.each(recorded.cases.map((recordedCase) => [recordedCase.name, recordedCase] as const))("%s", (_name, recordedCase) => {
    compareWithJekyll(recorded, recordedCase);
  });

  test("Time#strftime (every flag and conversion, five zones), Time.parse and Addressable agree with Ruby's answers", () => {
    expect(recorded.ruby.strftime.length * recorded.ruby.formats.length).toBeGreaterThan(3000);
    expect(compareRubyHelpers(recorded.ruby)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// A small site for the rules below

function site(overrides: Partial<LiquidSite> = {}, includes: Record<string, string> = {}): LiquidSite {
  return {
    config: { title: "Test Site", url: "https://example.com", baseurl: "/blog", timezone: "Asia/Tokyo" },
    data: { people: [{ name: "Ann" }, { name: "Bob" }] },
    posts: [
      { title: "Newer", url: "/2025/02/01/newer.html", relative_path: "_posts/2025-02-01-newer.md", path: "_posts/2025-02-01-newer.md", slug: "newer", date: new Date("2025-02-01T00:00:00Z"), categories: ["News"], tags: ["a"] },
      { title: "Older", url: "/2025/01/01/older.html", relative_path: "_posts/2025-01-01-older.md", path: "_posts/2025-01-01-older.md", slug: "older", date: new Date("2025-01-01T00:00:00Z"), categories: [], tags: ["a", "b"] },
    ],
    time: new Date("2025-06-01T03:00:00Z"),
    files: {
      include: (name) => includes[name],
      includeRelative: () => undefined,
      linkUrl: (path) => (path === "about.md" ? "/about/" : undefined),
    },
    markdownify: (text) => `<p>${text}</p>\n`,
    smartify: (text) => text.replaceAll("\"", "“"),
    ...overrides,
  };
}

function post(source: string, page: Record<string, unknown> = {}, firstLine = 5): LiquidPost {
  return { source, path: "_posts/2025-01-01-older.md", firstLine, page: { title: "Older", date: new Date("2025-01-01T00:00:00Z"), url: "/2025/01/01/older.html", ...page } };
}

function render(source: string, options: { site?: LiquidSite; page?: Record<string, unknown>; firstLine?: number } = {}): LiquidResult {
  return renderLiquid(post(source, options.page, options.firstLine), options.site ?? site());
}

function failure(source: string, options: { site?: LiquidSite; limits?: Parameters<typeof renderLiquid>[2] } = {}): LiquidError {
  try {
    renderLiquid(post(source), options.site ?? site(), options.limits);
  } catch (error) {
    if (error instanceof LiquidError) return error;
    throw error;
  }
  throw new Error("expected a LiquidError");
}

// "Stops quickly": each limit is reached in well under a second on an idle machine; the bound
// is generous so that a busy machine does not fail the test, and still far from a hang.
const BOUNDED_MS = 10_000;

function timed<T>(work: () => T): { value: T; milliseconds: number } {
  const start = performance.now();
  const value = work();
  return { value, milliseconds: performance.now() - start };
}

// ---------------------------------------------------------------------------------------------

describe("hasLiquid", () => {
  test.each([
    ["plain Markdown", "# Title\n\nText with { braces } and 100% and a % sign.", false],
    ["an output", "Hello {{ page.title }}", true],
    ["a tag", "{% include x.html %}", true],
    ["a lone brace pair is not Liquid", "{ {not} }", false],
  ])("%s", (_name, source, expected) => {
    expect(hasLiquid(source)).toBe(expected);
  });
});

describe("each render has its own scope", () => {
  test("an assign in one post is not seen by the next", () => {
    expect(render("{% assign secret = 'x' %}{{ secret }}").output).toBe("x");
    expect(render("[{{ secret }}]").output).toBe("[]");
  });

  test("a template cannot change what the next post sees through site data", () => {
    const shared = site();
    expect(() => renderLiquid(post("{% assign p = site.posts %}{{ p.pop }}{{ p | pop }}"), shared)).not.toThrow();
    expect(renderLiquid(post("{{ site.posts | size }}|{{ site.posts.pop }}|{{ site.data.people.first.name }}"), shared).output).toBe("2||Ann");
  });
});

describe("Jekyll's page and site", () => {
  test("dates print as Ruby Times in the site's time zone, and 'now' is site.time", () => {
    const { output } = render("{{ page.date }}|{{ site.time }}|{{ 'now' | date: '%F %H:%M' }}|{{ page.date | date: '%Z %z' }}");
    expect(output).toBe("2025-01-01 09:00:00 +0900|2025-06-01 12:00:00 +0900|2025-06-01 12:00|JST +0900");
  });

  test("without a timezone the site is in UTC, whatever the machine's zone", () => {
    const utc = site({ config: { baseurl: "" } });
    expect(render("{{ page.date }}", { site: utc }).output).toBe("2025-01-01 00:00:00 +0000");
  });

  test("site.categories and site.tags list posts newest first; page.next is the newer post", () => {
    const { output } = render("{{ site.tags.a | map: 'title' | join: ',' }}|{{ site.categories.News[0].title }}|{{ page.next.title }}|[{{ page.previous.title }}]|{{ site.related_posts | map: 'title' | join }}", { page: { path: "_posts/2025-01-01-older.md" } });
    expect(output).toBe("Newer,Older|Newer|Newer|[]|Newer");
  });

  test("page.content is the body as written; jekyll.environment defaults to development", () => {
    expect(render("{{ page.content | size }}|{{ jekyll.environment }}").output).toBe("50|development");
    expect(render("{{ jekyll.environment }}", { site: site({ environment: "production" }) }).output).toBe("production");
  });
});

describe("a site plugin's tags and filters", () => {
  test("an unknown tag warns with the file line and renders as nothing; the rest renders", () => {
    const result = render("one\n{% youtube abc %}\n{{ page.title }}", { firstLine: 7 });
    expect(result.output).toBe("one\n\nOlder");
    expect(result.warnings).toEqual([{ line: 8, message: "unknown Liquid tag 'youtube' (a site plugin's?): rendered as nothing" }]);
  });

  test("an unknown block tag takes its body with it", () => {
    const result = render("a{% mermaid %}graph {{ x }}{% endmermaid %}b");
    expect(result.output).toBe("ab");
    expect(result.warnings.map((warning) => warning.message)).toEqual(["unknown Liquid tag 'mermaid' (a site plugin's?): rendered as nothing"]);
  });

  test("an unknown filter's result is nil: the output is empty, default still applies", () => {
    const result = render("[{{ page.title | my_filter }}][{{ page.title | my_filter | default: 'd' }}]");
    expect(result.output).toBe("[][d]");
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]?.message).toMatch(/unknown Liquid filter 'my_filter'/);
  });

  test("the same template warns every time it is rendered (the engine keeps no plugin names)", () => {
    expect(render("{% youtube a %}").warnings).toHaveLength(1);
    expect(render("{% youtube a %}").warnings).toHaveLength(1);
  });

  test("inside an include, the warning names the include's line and sits at the post's include line", () => {
    const withInclude = site({}, { "video.html": "text\n{% youtube x %}" });
    const first = render("a\n{% include video.html %}", { site: withInclude, firstLine: 3 });
    expect(first.warnings).toEqual([{ line: 4, message: "_includes/video.html:2: unknown Liquid tag 'youtube' (a site plugin's?): rendered as nothing" }]);
    // a second render uses the parsed include from the cache and warns the same
    expect(render("a\n{% include video.html %}", { site: withInclude, firstLine: 3 }).warnings).toEqual(first.warnings);
  });

  test("a syntax error is an error with the file line, not a warning", () => {
    const error = failure("ok\n\n{% if %}\nno end");
    expect(error.line).toBe(7);
    expect(error.message).toMatch(/^content: _posts\/2025-01-01-older\.md:7: Liquid syntax error: /);
  });
});

describe("the sandbox", () => {
  test("an include name that leaves _includes never reaches the caller", () => {
    const include = vi.fn(() => "secret");
    const guarded = site({ files: { include, includeRelative: include, linkUrl: () => undefined } });
    for (const name of ["../../etc/passwd", "a/../../b.html", "..\\x", "a//b.html", "./x.html"]) {
      const error = failure(`{% include ${name} %}`, { site: guarded });
      expect(error.message).toMatch(/invalid characters or sequences/);
    }
    expect(failure("{% include_relative ../_config.yml %}", { site: guarded }).message).toMatch(/invalid characters or sequences/);
    expect(include).not.toHaveBeenCalled();
  });

  test("a leading slash stays inside _includes: the caller is asked for the name without it", () => {
    const include = vi.fn((name: string) => (name === "etc/passwd" ? "inside _includes" : undefined));
    const guarded = site({ files: { include, includeRelative: () => undefined, linkUrl: () => undefined } });
    expect(renderLiquid(post("{% include /etc/passwd %}"), guarded).output).toBe("inside _includes");
    expect(include).toHaveBeenCalledWith("etc/passwd");
  });

  test("a missing or refused include fails the post, at the include's line", () => {
    const error = failure("a\n{% include nothing.html %}");
    expect(error.line).toBe(6);
    expect(error.message).toMatch(/could not locate the included file 'nothing\.html'/);
  });

  test("liquidjs's own file tags do not read files: render fails as in Jekyll, layout is unknown", () => {
    expect(failure("{% render 'x' %}").message).toMatch(/render %\} needs a Liquid file system/);
    expect(render("{% layout 'x' %}").warnings[0]?.message).toMatch(/unknown Liquid tag 'layout'/);
  });
});

describe("hostile templates stop quickly, with the line", () => {
  test("an endless nest of loops", () => {
    const { value: error, milliseconds } = timed(() => failure("x\n{% for a in (1..100000) %}{% for b in (1..100000) %}{% endfor %}{% endfor %}"));
    expect(error.message).toMatch(/rendering stopped after 1,000,000 Liquid nodes/);
    expect(error.line).toBe(6);
    expect(milliseconds).toBeLessThan(BOUNDED_MS);
  });

  test("a huge range", () => {
    const { value: error, milliseconds } = timed(() => failure("{% for i in (1..100000000) %}{{ i }}{% endfor %}"));
    expect(error.message).toMatch(/more than 10,000,000 units of memory/);
    expect(milliseconds).toBeLessThan(BOUNDED_MS);
  });

  test("a capture that doubles itself", () => {
    const { value: error, milliseconds } = timed(() => failure("{% capture x %}ab{% endcapture %}{% for i in (1..60) %}{% capture x %}{{ x }}{{ x }}{% endcapture %}{% endfor %}{{ x }}"));
    expect(error.message).toMatch(/writing 16,000,000 characters/);
    expect(milliseconds).toBeLessThan(BOUNDED_MS);
  });

  test("a recursive include", () => {
    const recursive = site({}, { "self.html": "{% include self.html %}" });
    const { value: error, milliseconds } = timed(() => failure("a\n{% include self.html %}", { site: recursive }));
    expect(error.message).toMatch(/includes nested more than 100 deep/);
    expect(error.line).toBe(6);
    expect(milliseconds).toBeLessThan(BOUNDED_MS);
  });

  test("an include that includes itself twice (exponential) stops at the node budget", () => {
    const forked = site({}, { "fork.html": "{% include fork.html %}{% include fork.html %}" });
    const { value: error, milliseconds } = timed(() => failure("{% include fork.html %}", { site: forked }));
    expect(error.message).toMatch(/Liquid nodes|nested more than/);
    expect(milliseconds).toBeLessThan(BOUNDED_MS);
  });

  test("a 10 MB include", () => {
    const huge = site({}, { "huge.html": "x".repeat(10_000_000) });
    const { value: error, milliseconds } = timed(() => failure("{% include huge.html %}", { site: huge }));
    expect(error.message).toMatch(/_includes\/huge\.html has 10,000,000 characters, over the limit of 4,000,000/);
    expect(milliseconds).toBeLessThan(BOUNDED_MS);
  });

  test("blocks nested 10,000 deep", () => {
    const { value: error, milliseconds } = timed(() => failure(`${"{% if true %}".repeat(10_000)}x${"{% endif %}".repeat(10_000)}`));
    expect(error.message).toMatch(/nested more than 100 deep/);
    expect(milliseconds).toBeLessThan(BOUNDED_MS);
  });

  test("tighter limits apply as given", () => {
    const limits = { ...DEFAULT_LIQUID_LIMITS, maxRenderedNodes: 50 };
    expect(failure("{% for i in (1..100) %}{{ i }}{% endfor %}", { limits }).message).toMatch(/after 50 Liquid nodes/);
  });
});

describe("Ruby's Liquid, where liquidjs differs", () => {
  test.each([
    ["quoted strings have no escapes", "{{ 'a\\nb' | size }}|{{ \"x\\\\y\" }}", "4|x\\\\y"],
    ["whitespace-only loop bodies write nothing", "a{% for i in (1..3) %}\n  {% assign x = i %}\n{% endfor %}b", "ab"],
    ["integer division", "{{ 7 | divided_by: 2 }}|{{ 7 | divided_by: 2.0 }}|{{ 10 | divided_by: 2.0 }}", "3|3.5|5.0"],
    ["decimal arithmetic on floats", "{{ 0.1 | plus: 0.2 }}", "0.3"],
    ["arrays print joined, hashes as Ruby inspects them", "{{ site.data.people | map: 'name' }}|{{ site.data.people[0] }}", "AnnBob|{\"name\"=>\"Ann\"}"],
    ["blank never equals", "{% if '' == blank %}y{% else %}n{% endif %}", "n"],
    ["an unassigned count is Enumerable#count of Jekyll's payload", "{{ count | plus: 1 }}", "10"],
  ])("%s", (_name, source, expected) => {
    expect(render(source).output).toBe(expected);
  });

  test("ordering a string with a number fails, as Ruby raises", () => {
    expect(failure("{% if 'a' > 1 %}x{% endif %}").message).toMatch(/comparison of String with 1 failed/);
  });

  test("a filter given the wrong number of arguments fails", () => {
    expect(failure("{{ 'a' | upcase: 1 }}").message).toMatch(/wrong number of arguments \(given 2, expected 1\)/);
  });

  test("sample picks the first element, not a random one, so feeds do not change between builds", () => {
    expect(render("{{ site.data.people | sample | map: 'name' }}|{{ site.data.people | sample: 2 | map: 'name' | join: ',' }}").output).toBe("Ann|Ann,Bob");
  });
});

describe("analyzeLiquid", () => {
  test("names what a template reads, directly", () => {
    const use = analyzeLiquid([
      "{% include card.html title=page.title %}{% include_relative notes.md %}",
      "{{ site.data.people | size }}{{ site.title }}{{ site.author.name }}",
      "{{ '/x' | relative_url }}{{ page.date | date: '%Y' }}",
      "{% post_url 2025-01-01-older %}{% link about.md %}",
    ].join("\n"));
    expect(use).toEqual({
      includes: ["card.html"],
      includeRelative: ["notes.md"],
      dynamicIncludes: false,
      dataKeys: ["people"],
      siteKeys: ["author", "baseurl", "timezone", "title"],
      usesPosts: true,
      postUrls: ["2025-01-01-older"],
      links: ["about.md"],
      dynamicLinks: false,
    });
  });

  test("computed names and whole objects mean everything", () => {
    expect(analyzeLiquid("{% include {{ page.kind }}.html %}").dynamicIncludes).toBe(true);
    expect(analyzeLiquid("{% assign k = 'x' %}{{ site.data[k] }}").dataKeys).toBe("all");
    expect(analyzeLiquid("{% assign d = site.data %}{{ d.people }}").dataKeys).toBe("all");
    expect(analyzeLiquid("{% for p in site.posts %}{% endfor %}").usesPosts).toBe(true);
    expect(analyzeLiquid("{{ page.next.url }}").usesPosts).toBe(true);
    expect(analyzeLiquid("{% link {{ page.target }} %}").dynamicLinks).toBe(true);
    const whole = analyzeLiquid("{{ site | jsonify }}");
    expect([whole.siteKeys, whole.dataKeys, whole.usesPosts]).toEqual(["all", "all", true]);
  });

  test("reads Liquid in where_exp expressions", () => {
    expect(analyzeLiquid("{{ site.posts | where_exp: 'p', 'p.year == site.data.year.now' }}").dataKeys).toEqual(["year"]);
  });

  test("a template without site reads uses nothing", () => {
    expect(analyzeLiquid("{{ page.title | upcase }}")).toMatchObject({ includes: [], dataKeys: [], siteKeys: [], usesPosts: false });
  });

  test("a syntax error throws LiquidError with the line", () => {
    expect(() => analyzeLiquid("a\n{% if x %}")).toThrow(LiquidError);
  });
});
