// Cases for the kramdown extensions: Markdown and the HTML real kramdown 2.4 (with
// kramdown-parser-gfm) writes for it, as Jekyll 4.3 calls it with auto_ids off, kept in
// test/fixtures/kramdown/*.json. A file is made again with:
//   ruby -rjson -rkramdown -rkramdown-parser-gfm -e 'puts JSON.pretty_generate(JSON.parse(File.read(ARGV[0])).map { |c| { markdown: c["markdown"], kramdown: Kramdown::Document.new(c["markdown"], input: "GFM", auto_ids: false, hard_wrap: false).to_html } })' FILE
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseJekyllSiteConfig } from "../../src/content/jekyll/site-config.js";
import type { KramdownOptions } from "../../src/content/kramdown/options.js";

export interface KramdownCase {
  readonly markdown: string;
  readonly kramdown: string;
}

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/kramdown");

export function kramdownCases(name: string): readonly KramdownCase[] {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as KramdownCase[];
}

/** The options the cases were made with: Jekyll's, with auto_ids off. */
export const CASE_OPTIONS: KramdownOptions = (() => {
  const options = parseJekyllSiteConfig("kramdown: { auto_ids: false }", "_config.yml").kramdownOptions;
  if (!options) throw new Error("test: kramdown options expected");
  return options;
})();

/**
 * HTML with the differences that are only layout removed: whitespace between tags (kramdown
 * indents, marked does not), runs of line breaks and indentation, and the " /" of void tags.
 */
export function layoutFree(html: string): string {
  return html.replace(/>\s+</gu, "><").replace(/[ \t]*\n\s*/gu, "\n").replace(/\s*\/>/gu, ">").trim();
}
