// test/fixtures/jekyll-liquid.json: post bodies rendered by real Jekyll 4.3, with the site as
// Jekyll resolved it (config, data, each post's page, the files includes read, the URLs {% link %}
// finds, and the answers of Jekyll's Markdown converter to the markdownify and smartify calls).
// Written by `RECORD=1 npm run test:jekyll` (test/jekyll/liquid.jekyll.test.ts); replayed by
// test/content/liquid.test.ts, which needs no Ruby. Helpers here turn it into the LiquidSite and
// LiquidPost the module takes, as the content stage would.
import { expect } from "vitest";
import { normalizeComponent, normalizeUri } from "../../src/content/liquid/addressable.js";
import { LiquidError, renderLiquid, type LiquidPost, type LiquidResult, type LiquidSite } from "../../src/content/liquid/index.js";
import { toRubyTime } from "../../src/content/liquid/filters/dates.js";
import { RubyTime, rubyStrftime } from "../../src/content/liquid/ruby-time.js";

/** What the corpus expects of a case; Jekyll's answer must agree with it. */
export type LiquidExpectation = "output" | "error" | "plugin-tag" | "plugin-filter";

export interface RecordedLiquidCase {
  readonly name: string;
  readonly expect: LiquidExpectation;
  /** the post's path, relative to the site root */
  readonly path: string;
  /** the file line where the body starts */
  readonly firstLine: number;
  readonly source: string;
  /** what Jekyll wrote (Liquid only: the posts are .html, so no converter runs) */
  readonly output?: string;
  /**
   * What Jekyll raised. `line` is Liquid's line, when Liquid gave one: in the body, or in the
   * include named by `template` when the error was inside one.
   */
  readonly error?: { readonly class: string; readonly message: string; readonly line: number | null; readonly template?: string | null };
  /** Jekyll's deprecation messages while rendering the case ({% post_url %} matched the old way) */
  readonly deprecations?: readonly string[];
  /** Jekyll's "Liquid Warning"s: syntax its lax parser read after the strict one failed */
  readonly liquidWarnings?: readonly string[];
}

export interface RecordedLiquidSite {
  /** site.config, with Jekyll's absolute paths left out */
  readonly config: Record<string, unknown>;
  readonly data: Record<string, unknown>;
  readonly time: unknown;
  /** every post as `page` sees it (content, output, next and previous left out), newest first */
  readonly posts: readonly Record<string, unknown>[];
  /** _includes/<name> -> text */
  readonly includes: Readonly<Record<string, string>>;
  /** files include_relative may read, by path from the site root */
  readonly relativeFiles: Readonly<Record<string, string>>;
  /** Jekyll's relative_path of every site file -> its URL */
  readonly links: Readonly<Record<string, string>>;
  readonly markdownify: readonly (readonly [string, string])[];
  readonly smartify: readonly (readonly [string, string])[];
}

/** Ruby's answers for the helpers the module ports method by method. */
export interface RecordedRubyHelpers {
  /** per time, Time#strftime of each of `formats` ("ERR" where Ruby raises) */
  readonly strftime: readonly { readonly epochMilliseconds: number; readonly zone: string; readonly answers: readonly string[] }[];
  readonly formats: readonly string[];
  /** [text, Liquid's date filter (Utils.to_date, then Time.parse) on it with "%Y-%m-%d %H:%M:%S.%L %z|%Z" in Asia/Tokyo, or null where it could not read it] */
  readonly parse: readonly (readonly [string, string | null])[];
  /** [text, Addressable::URI.parse(text).normalize.to_s or null where it raises, Addressable::URI.normalize_component(text)] */
  readonly uris: readonly (readonly [string, string | null, string | null])[];
}

export interface RecordedLiquidFixture {
  readonly comment: string;
  readonly jekyll: string;
  readonly site: RecordedLiquidSite;
  readonly cases: readonly RecordedLiquidCase[];
  readonly ruby: RecordedRubyHelpers;
}

export const LIQUID_FIXTURE_FILE = new URL("../fixtures/jekyll-liquid.json", import.meta.url);

/** Jekyll's Times are recorded as { "$time": ISO 8601 }; they come back as the Dates the content stage passes. */
export function reviveTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveTimes);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (typeof record.$time === "string" && Object.keys(record).length === 1) return new Date(record.$time);
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, reviveTimes(item)]));
}

function lookup(pairs: readonly (readonly [string, string])[], filter: string): (text: string) => string {
  const answers = new Map(pairs);
  return (text) => {
    const answer = answers.get(text);
    if (answer === undefined) throw new Error(`test fixture: Jekyll was never asked to ${filter} ${JSON.stringify(text)}; run RECORD=1 npm run test:jekyll`);
    return answer;
  };
}

function folderOf(path: string): string {
  return path.includes("/") ? path.slice(0, path.lastIndexOf("/") + 1) : "";
}

/** The LiquidSite the content stage would build for the recorded site. */
export function liquidSiteFrom(site: RecordedLiquidSite): LiquidSite {
  return {
    config: site.config,
    data: site.data,
    posts: site.posts.map((post) => reviveTimes(post) as Record<string, unknown>),
    time: reviveTimes(site.time) as Date,
    files: {
      include: (name) => site.includes[name],
      includeRelative: (postPath, relative) => site.relativeFiles[`${folderOf(postPath)}${relative}`],
      linkUrl: (path) => site.links[path],
    },
    markdownify: lookup(site.markdownify, "markdownify"),
    smartify: lookup(site.smartify, "smartify"),
  };
}

/** The LiquidPost for a recorded case, its page taken from the recorded posts. */
export function liquidPostFrom(site: RecordedLiquidSite, recorded: RecordedLiquidCase): LiquidPost {
  const page = site.posts.find((post) => post.relative_path === recorded.path);
  if (!page) throw new Error(`test fixture: no recorded page for ${recorded.path}`);
  return { source: recorded.source, path: recorded.path, firstLine: recorded.firstLine, page: reviveTimes(page) as Record<string, unknown> };
}

/**
 * Jekyll's output with Rouge's colouring spans taken out of {% highlight %} blocks, which
 * Feedwright does not write; everything else must match to the byte.
 */
export function withoutRougeSpans(html: string): string {
  return html.replace(/<figure class="highlight">[\s\S]*?<\/figure>/g, (figure) => figure.replace(/<span class="[a-z0-9 ]+">|<\/span>/g, ""));
}

/** The fixture as JSON with one case (and one post) per line, so that a re-recording reviews as a readable diff. */
export function formatLiquidFixture(fixture: RecordedLiquidFixture): string {
  const list = (items: readonly unknown[]) => `[\n${items.map((item) => `    ${JSON.stringify(item)}`).join(",\n")}\n  ]`;
  const { posts, ...site } = fixture.site;
  const siteLines = Object.entries(site).map(([key, value]) => `    ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  siteLines.push(`    "posts": [\n${posts.map((post) => `      ${JSON.stringify(post)}`).join(",\n")}\n    ]`);
  const ruby = Object.entries(fixture.ruby).map(([key, value]) => `    ${JSON.stringify(key)}: ${Array.isArray(value) ? `[\n${(value as unknown[]).map((item) => `      ${JSON.stringify(item)}`).join(",\n")}\n    ]` : JSON.stringify(value)}`);
  return `{\n  "comment": ${JSON.stringify(fixture.comment)},\n  "jekyll": ${JSON.stringify(fixture.jekyll)},\n  "site": {\n${siteLines.join(",\n")}\n  },\n  "cases": ${list(fixture.cases)},\n  "ruby": {\n${ruby.join(",\n")}\n  }\n}\n`;
}


/**
 * Jekyll's answer for a case against renderLiquid's: the same output (and a warning for each of
 * Jekyll's deprecation messages), or a failure at the same line, or, for a plugin's tag or filter,
 * a warning where Jekyll fails or passes the value through.
 *
 * One deliberate difference: for a block never closed, Liquid reports the line where the
 * template ends; renderLiquid reports the line of the tag left open, where the fix goes.
 */
export function compareWithJekyll(fixture: RecordedLiquidFixture, recorded: RecordedLiquidCase): void {
  const ours = render(fixture, recorded);
  const error = recorded.error;
  const neverClosed = /never closed/.test(error?.message ?? "");
  const insideInclude = typeof error?.template === "string" && error.template !== recorded.path;
  switch (recorded.expect) {
    case "output": {
      expect(error, "Jekyll failed a case meant to render").toBeUndefined();
      if (ours instanceof LiquidError) throw ours;
      expect(ours.output).toBe(withoutRougeSpans(recorded.output ?? ""));
      const deprecations = ours.warnings.filter((warning) => /Jekyll deprecates/.test(warning.message));
      const laxReadings = ours.warnings.filter((warning) => /Jekyll's lax parser/.test(warning.message));
      expect(ours.warnings.length - deprecations.length - laxReadings.length, "warnings Jekyll does not give").toBe(0);
      expect(deprecations.length).toBe(recorded.deprecations?.length ?? 0);
      // Ruby's strict parser rejects some markup liquidjs reads the same way Ruby's lax parser
      // does ({{ 'x' | upcase | }}); Jekyll warns there, Feedwright does not.
      expect(laxReadings.length).toBeLessThanOrEqual(recorded.liquidWarnings?.length ?? 0);
      break;
    }
    case "error": {
      expect(error, "Jekyll rendered a case meant to fail").toBeDefined();
      expect(ours).toBeInstanceOf(LiquidError);
      const failure = ours as LiquidError;
      if (error?.line === null || error?.line === undefined) break;
      if (/Nesting too deep/.test(error.message)) {
        expect(failure.message).toMatch(/nested more than \d+ deep/);
      } else if (insideInclude) {
        // reported at the post's {% include %}, naming the include's own line
        const named = neverClosed ? new RegExp(`${error.template ?? ""}:\\d+: `) : new RegExp(`${error.template ?? ""}:${error.line}: `);
        expect(failure.message).toMatch(named);
      } else if (neverClosed) {
        expect(failure.line).toBeLessThanOrEqual(error.line + recorded.firstLine - 1);
        expect(failure.message).toMatch(/not closed/);
      } else {
        expect(failure.line).toBe(error.line + recorded.firstLine - 1);
      }
      break;
    }
    case "plugin-tag": {
      // Jekyll fails on a tag it does not know; Feedwright warns at the same line and goes on.
      expect(error?.message).toMatch(/Unknown tag/);
      if (ours instanceof LiquidError) throw ours;
      expect(ours.warnings.map((warning) => warning.line)).toEqual([(error?.line ?? 0) + recorded.firstLine - 1]);
      expect(ours.output).not.toMatch(/\{%/);
      break;
    }
    case "plugin-filter": {
      // Jekyll passes the value through a filter it does not know; Feedwright warns and writes nothing for it.
      expect(error).toBeUndefined();
      if (ours instanceof LiquidError) throw ours;
      expect(ours.warnings).toHaveLength(1);
      expect(ours.warnings[0]?.line).toBe(recorded.firstLine);
      break;
    }
  }
}

function render(fixture: RecordedLiquidFixture, recorded: RecordedLiquidCase): LiquidResult | LiquidError {
  try {
    return renderLiquid(liquidPostFrom(fixture.site, recorded), liquidSiteFrom(fixture.site));
  } catch (error) {
    if (error instanceof LiquidError) return error;
    throw error;
  }
}

/**
 * The ported helpers against Ruby's recorded answers; the differences, empty when they agree.
 * The zones recorded are ones whose %Z Intl gives as the tz database does; for some others it
 * does not (Ruby "CST" for Asia/Shanghai, Feedwright "+08"; see ruby-time.ts).
 */
export function compareRubyHelpers(ruby: RecordedRubyHelpers): string[] {
  const differences: string[] = [];
  for (const { epochMilliseconds, zone, answers } of ruby.strftime) {
    const time = zone === "utc" ? RubyTime.utc(epochMilliseconds) : /^[+-]/.test(zone) ? RubyTime.fixedOffset(epochMilliseconds, offsetSeconds(zone)) : RubyTime.local(epochMilliseconds, zone);
    ruby.formats.forEach((format, index) => {
      let ours: string;
      try {
        ours = rubyStrftime(time, format);
      } catch {
        ours = "ERR";
      }
      if (ours !== answers[index]) differences.push(`strftime ${zone} ${epochMilliseconds} ${JSON.stringify(format)}: Ruby ${JSON.stringify(answers[index])}, ours ${JSON.stringify(ours)}`);
    });
  }
  const now = RubyTime.local(1717210800000, "Asia/Tokyo");
  for (const [text, answer] of ruby.parse) {
    const parsed = toRubyTime(text, "Asia/Tokyo", now);
    const ours = parsed ? rubyStrftime(parsed, "%Y-%m-%d %H:%M:%S.%L %z|%Z") : null;
    if (ours !== answer) differences.push(`Time.parse ${JSON.stringify(text)}: Ruby ${JSON.stringify(answer)}, ours ${JSON.stringify(ours)}`);
  }
  for (const [text, normalized, component] of ruby.uris) {
    let ours: string | null;
    try {
      ours = normalizeUri(text);
    } catch {
      ours = null;
    }
    if (ours !== normalized) differences.push(`normalize ${JSON.stringify(text)}: Ruby ${JSON.stringify(normalized)}, ours ${JSON.stringify(ours)}`);
    if (normalizeComponent(text) !== component) differences.push(`normalize_component ${JSON.stringify(text)}: Ruby ${JSON.stringify(component)}, ours ${JSON.stringify(normalizeComponent(text))}`);
  }
  return differences;
}

function offsetSeconds(offset: string): number {
  const [, sign = "+", hours = "0", minutes = "0"] = /^([+-])(\d{2}):(\d{2})$/.exec(offset) ?? [];
  return (sign === "-" ? -1 : 1) * (Number(hours) * 3600 + Number(minutes) * 60);
}
