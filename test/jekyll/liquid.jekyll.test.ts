// src/content/liquid against real Jekyll 4.3: `npm run test:jekyll` (needs `apt-get install jekyll`).
//
// Writes the corpus of liquid-corpus.ts as a site (each case an .html post, so that Jekyll runs no
// converter after Liquid), has Jekyll's own classes read it and render every post one by one
// (Jekyll::Renderer#run, so that a post that fails does not stop the others), and compares each
// output, error and line with renderLiquid's. Jekyll's colouring spans in {% highlight %} are left
// out of the comparison; Feedwright does not write them.
//
// Recording: `RECORD=1 npm run test:jekyll` rewrites test/fixtures/jekyll-liquid.json from
// Jekyll's answers (never from ours); test/content/liquid.test.ts replays it in the normal run.
// Without RECORD, the last test fails when the file is out of date.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { beforeAll, describe, expect, test } from "vitest";
import {
  compareRubyHelpers,
  compareWithJekyll,
  formatLiquidFixture,
  LIQUID_FIXTURE_FILE,
  type RecordedLiquidCase,
  type RecordedLiquidFixture,
  type RecordedRubyHelpers,
  type RecordedLiquidSite,
} from "../helpers/liquid-fixture.js";
import { requireJekyll, runJekyllRuby } from "./jekyll-site.js";
import { CASES, SITE_FILES, type LiquidCase } from "./liquid-corpus.js";
import { STRFTIME_FORMATS, STRFTIME_TIMES, TIME_STRINGS, URI_INPUTS } from "./ruby-helpers-corpus.js";

// Reads the site with Jekyll's classes, records what the Markdown converters are asked, and
// renders each case's post. Prints the site as Jekyll resolved it and each case's answer.
const RUBY = String.raw`
require "tmpdir"
require "fileutils"
require "time"
CALLS = { "markdownify" => [], "smartify" => [] }
module RecordMarkdownify
  def convert(content)
    output = super
    CALLS["markdownify"] << [content, output] unless CALLS["markdownify"].any? { |input, _| input == content }
    output
  end
end
module RecordSmartify
  def convert(content)
    output = super
    CALLS["smartify"] << [content, output] unless CALLS["smartify"].any? { |input, _| input == content }
    output
  end
end
Jekyll::Converters::Markdown.prepend(RecordMarkdownify)
Jekyll::Converters::SmartyPants.prepend(RecordSmartify)
DEPRECATIONS = []
module RecordDeprecations
  def deprecation_message(message)
    DEPRECATIONS << message
  end
end
Jekyll::Deprecator.singleton_class.prepend(RecordDeprecations)
LIQUID_WARNINGS = []
module RecordLiquidWarnings
  def warn(topic, message = nil, &block)
    LIQUID_WARNINGS << message.to_s.sub(/ in \S+\z/, "") if topic == "Liquid Warning:"
    super
  end
end
Jekyll::LogAdapter.prepend(RecordLiquidWarnings)

def plain(value)
  case value
  when Time then { "$time" => value.iso8601(3) }
  when Date then { "$date" => value.iso8601 }
  when Hash then value.each_with_object({}) { |(key, item), hash| hash[key.to_s] = plain(item) }
  when Array then value.map { |item| plain(item) }
  when String, Integer, Float, TrueClass, FalseClass, NilClass then value
  else value.to_s
  end
end

def page_record(document)
  drop = document.to_liquid
  (drop.keys - %w(content output next previous)).each_with_object({}) { |key, hash| hash[key] = plain(drop[key]) }
end

Dir.mktmpdir do |source|
  INPUT["files"].each do |relative, text|
    path = File.join(source, relative)
    FileUtils.mkdir_p(File.dirname(path))
    File.write(path, text)
  end
  config = Jekyll.configuration("source" => source, "destination" => File.join(source, "_site"), "quiet" => true, "safe" => true)
  site = Jekyll::Site.new(config)
  site.reset
  site.read
  site.generate
  payload = site.site_payload
  posts = payload["site"]["posts"].map { |document| page_record(document) }
  links = {}
  site.each_site_file { |item| links[item.relative_path] = item.url }
  answers = INPUT["cases"].map do |path|
    document = site.posts.docs.find { |candidate| candidate.relative_path == path } or raise "Jekyll did not read #{path}"
    DEPRECATIONS.clear
    LIQUID_WARNINGS.clear
    answer = begin
      { "output" => Jekyll::Renderer.new(site, document, payload).run }
    rescue Exception => error
      line = error.respond_to?(:line_number) ? error.line_number : nil
      template = error.respond_to?(:template_name) && error.template_name ? error.template_name.to_s.delete_prefix(source + "/") : nil
      { "error" => { "class" => error.class.name, "message" => error.message.gsub(source + "/", "").gsub(source, ".").strip, "line" => line, "template" => template } }
    end
    answer.merge("deprecations" => DEPRECATIONS.dup, "liquidWarnings" => LIQUID_WARNINGS.dup)
  end
  site_config = site.config.reject { |key, _| %w(source destination).include?(key) }
  puts JSON.generate({
    "config" => plain(site_config), "data" => plain(site.site_data), "time" => plain(site.time), "posts" => posts,
    "links" => links, "answers" => answers, "markdownify" => CALLS["markdownify"], "smartify" => CALLS["smartify"],
  })
end`;

interface RubyAnswers {
  readonly config: Record<string, unknown>;
  readonly data: Record<string, unknown>;
  readonly time: unknown;
  readonly posts: Record<string, unknown>[];
  readonly links: Record<string, string>;
  readonly answers: { output?: string; error?: RecordedLiquidCase["error"]; deprecations: string[]; liquidWarnings: string[] }[];
  readonly markdownify: [string, string][];
  readonly smartify: [string, string][];
}

/** Case n is the post _posts/2020-<month>-<day>-case-<n>.html, a day apart from the one before. */
function casePath(index: number): string {
  const date = new Date(Date.UTC(2020, 0, 1 + index));
  return `_posts/${date.toISOString().slice(0, 10)}-case-${String(index).padStart(3, "0")}.html`;
}

function caseFile(index: number, liquidCase: LiquidCase): { frontMatter: string; text: string } {
  const frontMatter = `---\ntitle: "${liquidCase.name}"\n${liquidCase.frontMatter ? `${liquidCase.frontMatter}\n` : ""}---\n`;
  return { frontMatter, text: `${frontMatter}${liquidCase.body}` };
}

// jekyll-feed 0.17's feed.xml, as a post body: it uses the filters real feeds rely on
// (absolute_url, xml_escape, smartify, where_exp, sort, date_to_xmlschema, normalize_whitespace).
// Its page.tags becomes page.feed_tags: jekyll-feed's feed page has no tags, while a post always
// has a list (empty, and still true in Liquid), which would pick the tag feed's branch.
function jekyllFeedCase(): LiquidCase {
  const feed = runJekyllRuby('require "jekyll-feed"\nputs JSON.generate(File.read(File.join(Gem::Specification.find_by_name("jekyll-feed").gem_dir, "lib/jekyll-feed/feed.xml")))', {}) as string;
  return { name: "jekyll-feed's feed.xml", body: feed.replaceAll("page.tags", "page.feed_tags") };
}

// Time#strftime on each time in each format ("ERR" where Ruby raises); Liquid's date filter on
// each string in the site's zone (what Time.parse made of it, as to_s, or the string back when
// Ruby could not read it); Addressable's normalize (null where it raises) and normalize_component.
const RUBY_HELPERS = String.raw`
require "addressable/uri"
ENV["TZ"] = "Asia/Tokyo"
strftime = INPUT["times"].map do |time|
  seconds = Rational(time["epochMilliseconds"], 1000)
  value = case time["zone"]
    when "utc" then Time.at(seconds).utc
    when /\A[+-]/ then Time.at(seconds).getlocal(time["zone"])
    else ENV["TZ"] = time["zone"]; Time.at(seconds).localtime
  end
  row = INPUT["formats"].map { |format| value.strftime(format) rescue "ERR" }
  ENV["TZ"] = "Asia/Tokyo"
  row
end
now = Time.at(1717210800)
include Liquid::StandardFilters
parse = INPUT["strings"].map { |text| result = date(text, "%Y-%m-%d %H:%M:%S.%L %z|%Z"); result == text ? nil : result }
uris = INPUT["uris"].map { |text| [(Addressable::URI.parse(text).normalize.to_s rescue nil), (Addressable::URI.normalize_component(text) rescue nil)] }
puts JSON.generate({ "strftime" => strftime, "parse" => parse, "uris" => uris })`;

/** Ruby's answers for the helpers, recorded beside the cases. */
function askRubyHelpers(): RecordedRubyHelpers {
  const answers = runJekyllRuby(RUBY_HELPERS, { formats: STRFTIME_FORMATS, times: STRFTIME_TIMES, strings: TIME_STRINGS, uris: URI_INPUTS }) as {
    strftime: string[][];
    parse: (string | null)[];
    uris: [string | null, string | null][];
  };
  return {
    strftime: STRFTIME_TIMES.map((time, index) => ({ ...time, answers: answers.strftime[index] ?? [] })),
    formats: STRFTIME_FORMATS,
    parse: TIME_STRINGS.map((text, index) => [text, answers.parse[index] ?? null] as const),
    uris: URI_INPUTS.map((text, index) => [text, answers.uris[index]?.[0] ?? null, answers.uris[index]?.[1] ?? null] as const),
  };
}

function buildFixture(jekyllVersion: string, allCases: readonly LiquidCase[]): RecordedLiquidFixture {
  const files: Record<string, string> = { ...SITE_FILES };
  allCases.forEach((liquidCase, index) => {
    files[casePath(index)] = caseFile(index, liquidCase).text;
  });
  const ruby = runJekyllRuby(RUBY, { files, cases: allCases.map((_liquidCase, index) => casePath(index)) }) as RubyAnswers;
  const site: RecordedLiquidSite = {
    config: ruby.config,
    data: ruby.data,
    time: ruby.time,
    posts: ruby.posts,
    includes: Object.fromEntries(Object.entries(SITE_FILES).filter(([path]) => path.startsWith("_includes/")).map(([path, text]) => [path.slice("_includes/".length), text])),
    relativeFiles: Object.fromEntries(Object.entries(SITE_FILES).filter(([path]) => path.startsWith("_posts/") && !/\/\d{4}-\d{2}-\d{2}-/.test(path))),
    links: ruby.links,
    markdownify: ruby.markdownify,
    smartify: ruby.smartify,
  };
  const cases = allCases.map((liquidCase, index): RecordedLiquidCase => {
    const answer = ruby.answers[index];
    if (!answer) throw new Error(`Jekyll gave no answer for ${casePath(index)}`);
    return {
      name: liquidCase.name,
      expect: liquidCase.expect ?? "output",
      path: casePath(index),
      firstLine: caseFile(index, liquidCase).frontMatter.split("\n").length,
      source: liquidCase.body,
      ...(answer.error ? { error: answer.error } : { output: answer.output ?? "" }),
      ...(answer.deprecations.length > 0 ? { deprecations: answer.deprecations } : {}),
      ...(answer.liquidWarnings.length > 0 ? { liquidWarnings: answer.liquidWarnings } : {}),
    };
  });
  return {
    comment: "Recorded from real Jekyll by `RECORD=1 npm run test:jekyll` (test/jekyll/liquid.jekyll.test.ts); do not edit by hand.",
    jekyll: jekyllVersion,
    site,
    cases,
    ruby: askRubyHelpers(),
  };
}

// Checked while the file loads, so that a machine without Jekyll fails the run outright.
const jekyllVersion = requireJekyll();
const ALL_CASES = [...CASES, jekyllFeedCase()];
let fixture: RecordedLiquidFixture;

beforeAll(() => {
  fixture = buildFixture(jekyllVersion, ALL_CASES);
}, 300_000);

test("Jekyll 4.3 is the version these rules were ported from", () => {
  expect(jekyllVersion).toMatch(/^4\.3\./);
});

describe("each case renders as Jekyll renders it", () => {
  test.each(ALL_CASES.map((liquidCase) => liquidCase.name))("%s", (name) => {
    const recorded = fixture.cases.find((candidate) => candidate.name === name);
    if (!recorded) throw new Error(`no answer for ${name}`);
    compareWithJekyll(fixture, recorded);
  });
});

test("Time#strftime, Time.parse and Addressable agree with Ruby's", () => {
  expect(compareRubyHelpers(fixture.ruby)).toEqual([]);
});

test("test/fixtures/jekyll-liquid.json holds Jekyll's current answers (RECORD=1 rewrites it)", async () => {
  const formatted = formatLiquidFixture(fixture);
  if (process.env.RECORD === "1") {
    await mkdir(new URL(".", LIQUID_FIXTURE_FILE), { recursive: true });
    await writeFile(LIQUID_FIXTURE_FILE, formatted);
    return;
  }
  const recorded = await readFile(LIQUID_FIXTURE_FILE, "utf8").catch(() => undefined);
  if (recorded === undefined) throw new Error("test/fixtures/jekyll-liquid.json is missing: run `RECORD=1 npm run test:jekyll`");
  expect(recorded, "the recording is stale: run `RECORD=1 npm run test:jekyll` and review the diff").toBe(formatted);
});
