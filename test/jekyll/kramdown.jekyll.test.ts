// Feedwright's kramdown mode against real kramdown (`npm run test:jekyll`; Debian's ruby-kramdown
// and ruby-kramdown-parser-gfm, which Jekyll depends on). Every snippet of kramdown-corpus.ts is
// rendered by kramdown with Jekyll's options (GFM input, auto_ids, hard_wrap false, smart_quotes
// lsquo,rsquo,ldquo,rdquo, footnote_nr 1, entity_output as_char, then the case's own) and by
// renderMarkdown with the same options read as a site's `kramdown:` block, and the two are
// compared as parsed HTML with whitespace between tags dropped (test/helpers/kramdown-html.ts).
// The one difference Feedwright makes on purpose, table alignment, has a test of its own.
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, test } from "vitest";
import { kramdownOptions } from "../../src/content/kramdown/options.js";
import { renderMarkdown } from "../../src/content/markdown.js";
import { comparableHtml } from "../helpers/kramdown-html.js";
import { KRAMDOWN_CASES, TABLE_ALIGNMENT_CASE } from "./kramdown-corpus.js";

// Jekyll 4.3's kramdown defaults (Jekyll::Configuration::DEFAULTS) as kramdown's own options.
const RUBY = String.raw`
require "json"
require "kramdown"
require "kramdown-parser-gfm"
JEKYLL = { "input" => "GFM", "auto_ids" => true, "hard_wrap" => false, "smart_quotes" => "lsquo,rsquo,ldquo,rdquo",
           "footnote_nr" => 1, "entity_output" => "as_char", "toc_levels" => [1, 2, 3, 4, 5, 6] }
cases = JSON.parse(STDIN.read)
puts JSON.generate(cases.map { |c|
  options = JEKYLL.merge(c["options"] || {}).transform_keys(&:to_sym)
  Kramdown::Document.new(c["markdown"], options).to_html
})
`;

let kramdownHtml: readonly string[] = [];

beforeAll(() => {
  try {
    execFileSync("ruby", ["-e", 'require "kramdown"; require "kramdown-parser-gfm"'], { stdio: "ignore" });
  } catch (error) {
    throw new Error("test/jekyll: ruby cannot load kramdown and kramdown-parser-gfm; apt-get install ruby-kramdown ruby-kramdown-parser-gfm (or jekyll)", { cause: error });
  }
  const output = execFileSync("ruby", ["-e", RUBY], { input: JSON.stringify([...KRAMDOWN_CASES, TABLE_ALIGNMENT_CASE]), encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  kramdownHtml = JSON.parse(output) as string[];
});

function feedwrightHtml(markdown: string, options: Readonly<Record<string, unknown>> | undefined): string {
  const kramdown = kramdownOptions({ input: "GFM", ...options }, (keyPath, message) => {
    throw new Error(`kramdown.${keyPath.join(".")}: ${message}`);
  });
  return comparableHtml(renderMarkdown(markdown, kramdown));
}

describe("Feedwright's kramdown mode writes what kramdown writes", () => {
  test.each(KRAMDOWN_CASES.map((kase, index) => ({ ...kase, index })))("$name", ({ markdown, options, index }) => {
    expect(feedwrightHtml(markdown, options)).toBe(comparableHtml(kramdownHtml[index] ?? ""));
  });

  test("except table alignment: kramdown's style=\"text-align\", Feedwright's align", () => {
    const kramdown = comparableHtml(kramdownHtml[KRAMDOWN_CASES.length] ?? "");
    const feedwright = feedwrightHtml(TABLE_ALIGNMENT_CASE.markdown, TABLE_ALIGNMENT_CASE.options);
    expect(kramdown).toContain('<th style="text-align: left">Left</th><th style="text-align: right">Right</th>');
    expect(feedwright).toContain('<th align="left">Left</th><th align="right">Right</th>');
    expect(feedwright.replace(/ align="(\w+)"/gu, ' style="text-align: $1"')).toBe(kramdown);
  });
});
