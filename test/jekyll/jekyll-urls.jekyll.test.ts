// absolute_url / relative_url and jekyll-feed's entry ids against real Jekyll 4.3 (addressable
// 2.8.1): `npm run test:jekyll`. `RECORD=1 npm run test:jekyll` rewrites
// test/fixtures/jekyll-urls.json from Jekyll's answers, which test/content/jekyll-urls.test.ts
// replays in the normal test run; without RECORD this fails when the file is out of date.
import { readFile, writeFile } from "node:fs/promises";
import { beforeAll, expect, test } from "vitest";
import { requireJekyll, runJekyllRuby } from "./jekyll-site.js";
import { ID_CASES, URL_CASES, URLS_FIXTURE, type RecordedJekyllUrls } from "../content/jekyll-urls.cases.js";

beforeAll(() => {
  requireJekyll();
});

const SCRIPT = `
out = { "absolute" => [], "ids" => [] }
INPUT["urls"].each do |c|
  site = Jekyll::Site.new(Jekyll.configuration({ "url" => c["url"], "baseurl" => c["baseurl"], "quiet" => true }))
  filters = Object.new.extend(Jekyll::Filters::URLFilters)
  filters.instance_variable_set(:@context, Liquid::Context.new({}, {}, { :site => site }))
  out["absolute"] << [filters.absolute_url(c["input"]), filters.relative_url(c["input"])]
end
INPUT["ids"].each { |c| out["ids"] << File.join(File.dirname(c["url"]), c["slug"]) }
puts JSON.generate(out)
`;

test("absolute_url, relative_url and Document#id agree with the recorded answers", async () => {
  const answers = runJekyllRuby(SCRIPT, { urls: URL_CASES, ids: ID_CASES }) as { absolute: [string, string][]; ids: string[] };
  const recorded: RecordedJekyllUrls = {
    comment: "Jekyll 4.3's absolute_url/relative_url (addressable 2.8.1) and File.join(File.dirname(url), slug) (Document#id), written by RECORD=1 npm run test:jekyll",
    absoluteUrl: URL_CASES.map((input, index) => ({ ...input, absolute: answers.absolute[index]?.[0] ?? "", relative: answers.absolute[index]?.[1] ?? "" })),
    documentId: ID_CASES.map((input, index) => ({ ...input, id: answers.ids[index] ?? "" })),
  };
  const text = `${JSON.stringify(recorded, null, 1)}\n`;
  if (process.env.RECORD === "1") await writeFile(URLS_FIXTURE, text);
  expect(JSON.parse(await readFile(URLS_FIXTURE, "utf8"))).toEqual(recorded);
});
