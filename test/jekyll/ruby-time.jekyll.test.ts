// Front-matter dates against real Ruby 3.1 and Jekyll 4.3: `npm run test:jekyll` (needs
// `apt-get install jekyll`).
//
// For every date string of ruby-time-corpus.ts, in four time zones, Ruby answers:
//  - Date._parse(text), and Time.parse(text, now) on two reference days (a text without a year
//    gets the missing fields from `now`);
//  - the date Jekyll gives a post with `date: "<text>"` and with `date: <text>` unquoted: Jekyll's
//    own YAML loader (Utils.safe_load_yaml, i.e. Psych) and Utils.parse_date(value.to_s) as
//    Document#read calls it through merge_date! (three times), with ENV["TZ"] set by
//    Jekyll.set_timezone.
// Feedwright's ports must agree with every answer (test/helpers/ruby-time-cases.ts says how). A
// real `jekyll build` of one site per time zone checks that path against Jekyll itself, and
// seeded random strings, never recorded, compare Date._parse and Time.parse live.
//
// Recording: `RECORD=1 npm run test:jekyll` rewrites test/fixtures/ruby-time.json from Ruby's
// answers (never from ours); test/content/ruby-time.test.ts replays it in the normal test run,
// which needs no Ruby. Without RECORD, the last test fails when the file is out of date.
import { readFile, writeFile } from "node:fs/promises";
import { beforeAll, expect, test } from "vitest";
import { REFERENCE_NOWS } from "../../src/content/ruby-time.js";
import {
  compareWithRuby,
  type AnswersByZone,
  type RecordedRubyTime,
  type RecordedRubyTimeCase,
  type RubyAnswer,
} from "../helpers/ruby-time-cases.js";
import { buildJekyllSite, requireJekyll, runJekyllRuby, type SitePost } from "./jekyll-site.js";
import { RECORDED_DATES, randomDateLikeStrings } from "./ruby-time-corpus.js";

const FIXTURE = new URL("../fixtures/ruby-time.json", import.meta.url);
const TIME_ZONES = ["UTC", "Asia/Tokyo", "America/Los_Angeles", "Europe/Berlin"] as const;
const NOW_SECONDS = REFERENCE_NOWS.map((now) => Math.floor(now.getTime() / 1000));

// Time.now is replaced for the duration of each call so that a text without a year gives the
// same answer on every run; a Time is made after ENV["TZ"] is set, as it caches its local fields.
const RECORDER = String.raw`
require "time"
require "psych"

class << Time
  attr_accessor :feedwright_now
  alias_method :feedwright_real_now, :now
  def now(*args, **options)
    feedwright_now ? Time.at(feedwright_now) : feedwright_real_now(*args, **options)
  end
end

def answer(time) = "#{time.to_i}.#{format('%09d', time.nsec)}"
def failure(error) = "!#{error.class}: #{error.message}"

def recorded(value)
  case value
  when Rational then "#{value.numerator}/#{value.denominator}"
  when Integer then value.abs > 2**53 ? value.to_s : value
  else value
  end
end

def on_both_days(nows)
  answers = nows.map do |now|
    Time.feedwright_now = now
    yield
  rescue StandardError => e
    failure(e)
  ensure
    Time.feedwright_now = nil
  end
  answers.uniq.size == 1 ? answers[0] : answers
end

# Document#read merges data three times for a post: the front matter (read_content), then
# populate_categories and populate_tags; each merge_data! calls merge_date!, which is
# Utils.parse_date(data["date"].to_s, ...). parse_date caches by text, per process.
def jekyll_date(value)
  Jekyll::Utils.instance_variable_set(:@parse_date_cache, {})
  date = value
  3.times { date = Jekyll::Utils.parse_date(date.to_s, "Document 'x' does not have a valid date in the YAML front matter.") }
  answer(date)
end

texts = INPUT["texts"]
nows = INPUT["nows"]
with_yaml = INPUT["yaml"]
cases = texts.map do |text|
  hash = begin
    parsed = Date._parse(text)
    parsed.keys.sort.to_h { |key| [key.to_s, recorded(parsed[key])] }
  rescue StandardError => e
    failure(e)
  end
  { "text" => text, "dateParse" => hash, "timeParse" => {}, "quoted" => nil, "plain" => nil }
end

if with_yaml
  texts.each_with_index do |text, index|
    quoted_yaml = "date: #{JSON.generate(text)}\n"
    cases[index]["quoted"] = {} if (Jekyll::Utils.safe_load_yaml(quoted_yaml)["date"] == text rescue false)
    node = (Psych.parse("date: #{text}\n").root.children[1] rescue nil)
    cases[index]["plain"] = { "psych" => nil, "answers" => {} } if node.is_a?(Psych::Nodes::Scalar) && node.plain && node.value == text
  end
end

INPUT["timezones"].each do |timezone|
  Jekyll.set_timezone(timezone)
  texts.each_with_index do |text, index|
    entry = cases[index]
    entry["timeParse"][timezone] = on_both_days(nows) { answer(Time.parse(text)) }
    if entry["quoted"]
      value = Jekyll::Utils.safe_load_yaml("date: #{JSON.generate(text)}\n")["date"]
      entry["quoted"][timezone] = on_both_days(nows) { jekyll_date(value) }
    end
    next unless entry["plain"]
    begin
      value = Jekyll::Utils.safe_load_yaml("date: #{text}\n")["date"]
      entry["plain"]["psych"] = value.class.name
      entry["plain"]["answers"][timezone] = on_both_days(nows) { jekyll_date(value) }
    rescue StandardError => e
      entry["plain"]["psych"] = failure(e)
    end
  end
end

versions = { "ruby" => RUBY_VERSION, "jekyll" => Jekyll::VERSION, "date" => Date::VERSION, "psych" => Psych::VERSION }
puts JSON.generate({ "versions" => versions, "cases" => cases })
`;

interface RubyRecording {
  readonly versions: Readonly<Record<string, string>>;
  readonly cases: readonly RecordedRubyTimeCase[];
}

function askRuby(texts: readonly string[], yaml: boolean): RubyRecording {
  return runJekyllRuby(RECORDER, { texts, timezones: TIME_ZONES, nows: NOW_SECONDS, yaml }) as RubyRecording;
}

function recordingOf(ruby: RubyRecording): RecordedRubyTime {
  return {
    comment: "Recorded from real Ruby and Jekyll by `RECORD=1 npm run test:jekyll` (test/jekyll/ruby-time.jekyll.test.ts); do not edit by hand.",
    versions: ruby.versions,
    timezones: TIME_ZONES,
    nows: [REFERENCE_NOWS[0].toISOString(), REFERENCE_NOWS[1].toISOString()],
    cases: ruby.cases,
  };
}

/** One case per line, so that a re-recording reviews as a readable diff. */
function formatRecording(recording: RecordedRubyTime): string {
  const { cases, ...head } = recording;
  const lines = Object.entries(head).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  lines.push(`  "cases": [\n${cases.map((entry) => `    ${JSON.stringify(entry)}`).join(",\n")}\n  ]`);
  return `{\n${lines.join(",\n")}\n}\n`;
}

// Checked while the file loads, so that a machine without Jekyll fails the run outright.
const jekyllVersion = requireJekyll();
let recording: RecordedRubyTime;

beforeAll(() => {
  recording = recordingOf(askRuby(RECORDED_DATES, true));
}, 300_000);

test("Ruby 3.1, date 3.2.2 and Jekyll 4.3 are the versions these ports follow", () => {
  expect(jekyllVersion).toMatch(/^4\.3\./);
  expect(recording.versions.ruby).toMatch(/^3\.1\./);
  expect(recording.versions.date).toBe("3.2.2");
  expect(recording.cases.length).toBeGreaterThanOrEqual(300);
});

test("Date._parse, Time.parse and Jekyll's date path agree with Feedwright on every corpus string", () => {
  const report = compareWithRuby(recording);
  expect(report.disagreements).toEqual([]);
  expect(report.agreements + report.knownDifferences.length).toBe(report.checks);
  expect(report.checks).toBeGreaterThan(RECORDED_DATES.length * TIME_ZONES.length * 3);
});

test("Date._parse and Time.parse agree with Feedwright on 3,000 seeded random strings", () => {
  const texts = randomDateLikeStrings(3000, 20251104);
  const report = compareWithRuby(recordingOf(askRuby(texts, false)));
  expect(report.disagreements).toEqual([]);
  expect(report.checks).toBe(texts.length * (1 + TIME_ZONES.length));
});

/** The whole Unix seconds of an answer that is one instant on both reference days. */
function instantSeconds(answer: RubyAnswer | undefined): number | undefined {
  if (typeof answer !== "string" || answer.startsWith("!")) return undefined;
  return Number(answer.split(".")[0]);
}

test("a real `jekyll build` dates each post as the recorded Jekyll path does", async () => {
  for (const timezone of TIME_ZONES) {
    const posts: SitePost[] = [];
    const expected = new Map<string, number>();
    recording.cases.forEach((entry, index) => {
      const add = (kind: "q" | "p", answers: AnswersByZone | undefined, frontMatter: string): void => {
        const seconds = instantSeconds(answers?.[timezone]);
        if (seconds === undefined) return;
        const file = `2000-01-01-${kind}${index}.md`;
        posts.push({ file, text: `---\n${frontMatter}\n---\n` });
        expected.set(`_posts/${file}`, seconds);
      };
      if (entry.quoted) add("q", entry.quoted, `date: ${JSON.stringify(entry.text)}`);
      if (entry.plain && !entry.plain.psych.startsWith("!")) add("p", entry.plain.answers, `date: ${entry.text}`);
    });
    const built = await buildJekyllSite({ permalink: "/:path/", timezone, posts });
    const differences = built
      .filter((post) => expected.get(post.path) !== post.epochSeconds)
      .map((post) => ({ path: post.path, jekyll: post.epochSeconds, recorded: expected.get(post.path) }));
    expect(differences).toEqual([]);
    expect(built.length).toBe(expected.size);
  }
}, 600_000);

test("test/fixtures/ruby-time.json holds Ruby's current answers (RECORD=1 rewrites it)", async () => {
  const formatted = formatRecording(recording);
  if (process.env.RECORD === "1") {
    await writeFile(FIXTURE, formatted);
    return;
  }
  const recorded = await readFile(FIXTURE, "utf8").catch(() => undefined);
  if (recorded === undefined) throw new Error("test/fixtures/ruby-time.json is missing: run `RECORD=1 npm run test:jekyll`");
  expect(recorded, "the recording is stale: run `RECORD=1 npm run test:jekyll` and review the diff").toBe(formatted);
});
