// A Jekyll site's posts rendered as kramdown, end to end through loadPosts (and the render
// workers' code): the body, the excerpt that becomes the summary, and Liquid's markdownify all
// read kramdown's syntax; a site whose markdown: is another converter does not.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Config } from "../../../src/config.js";
import { loadPosts } from "../../../src/content/load-posts.js";
import { useScratch } from "../../helpers/scratch.js";
import { post, testConfig } from "../../helpers/site-fixture.js";

const { temporaryDir } = useScratch("feedwright-kramdown-site-");

function siteWith(files: Readonly<Record<string, string>>): Config {
  const dir = temporaryDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return { ...testConfig({ postsDir: dir }), siteDir: dir };
}

const CONFIG_YML = "title: Site\nurl: https://example.com\npermalink: /:year/:title/\n";
const BODY = [
  "The first paragraph, with *emphasis*{: .highlight} and XML.",
  "{: .lead}",
  "",
  "{% capture note %}Made by **markdownify**.",
  "{: .note}{% endcapture %}{{ note | markdownify }}",
  "",
  "Feed",
  ": A document readers poll.",
  "",
  "*[XML]: Extensible Markup Language",
].join("\n");

describe("a Jekyll site's posts as kramdown", () => {
  it("reads kramdown's syntax in the body, the excerpt and markdownify", async () => {
    const content = await loadPosts(siteWith({ "_config.yml": CONFIG_YML, "_posts/2024-01-01-a.md": post("title: A", BODY) }));
    expect(content.problems).toEqual([]);
    const [first] = content.posts;
    expect(first?.contentHtml).toContain('<p class="lead">The first paragraph, with <em class="highlight">emphasis</em> and <abbr title="Extensible Markup Language">XML</abbr>.</p>');
    expect(first?.contentHtml).toContain('<p class="note">Made by <strong>markdownify</strong>.</p>');
    expect(first?.contentHtml).toContain("<dl>\n<dt>Feed</dt>\n<dd>A document readers poll.</dd>\n</dl>");
    // The excerpt is the first paragraph, whose attribute list is not text.
    expect(first?.summary).toBe("The first paragraph, with emphasis and XML.");
  });

  it("leaves kramdown's syntax as text where the site's markdown: is another converter", async () => {
    const content = await loadPosts(siteWith({ "_config.yml": `${CONFIG_YML}markdown: CommonMark\n`, "_posts/2024-01-01-a.md": post("title: A", BODY) }));
    expect(content.posts[0]?.contentHtml).toContain("{: .lead}");
  });
});
