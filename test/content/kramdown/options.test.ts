// The kramdown options of a Jekyll site: Jekyll's defaults, the site's `kramdown:` block over
// them, clear errors for values kramdown would refuse, and the switch that turns kramdown on.
import { describe, expect, it } from "vitest";
import { parseJekyllSiteConfig, SiteConfigError } from "../../../src/content/jekyll/site-config.js";
import { loadPostHead } from "../../../src/content/load-post.js";
import { siteFingerprint } from "../../../src/content/render-key.js";
import { postsFolderSettings } from "../../../src/content/settings.js";
import { jekyllSiteState } from "../../../src/content/site-source.js";
import { testConfig } from "../../helpers/site-fixture.js";

function optionsOf(configYml: string) {
  return parseJekyllSiteConfig(configYml, "_config.yml").kramdownOptions;
}

function errorOf(configYml: string): SiteConfigError {
  try {
    parseJekyllSiteConfig(configYml, "_config.yml");
  } catch (error) {
    if (error instanceof SiteConfigError) return error;
    throw error;
  }
  throw new Error("expected a SiteConfigError");
}

describe("kramdownOptions", () => {
  it("gives Jekyll's kramdown defaults to a site without a kramdown: block", () => {
    expect(optionsOf("")).toEqual({
      input: "GFM",
      hardWrap: false,
      autoIds: true,
      autoIdPrefix: "",
      autoIdStripping: false,
      transliteratedHeaderIds: false,
      smartQuotes: ["lsquo", "rsquo", "ldquo", "rdquo"],
      footnoteNr: 1,
      footnotePrefix: "",
      footnoteBacklink: "&#8617;",
      entityOutput: "as_char",
      tocLevels: [1, 2, 3, 4, 5, 6],
      parseBlockHtml: false,
      parseSpanHtml: true,
    });
  });

  it("reads the site's block over the defaults, in kramdown's spellings", () => {
    const options = optionsOf(["kramdown:", "  input: kramdown", "  hard_wrap: true", "  auto_ids: false", "  smart_quotes: apos,apos,quot,quot", "  footnote_nr: 5", "  toc_levels: 2..3", "  parse_block_html: true"].join("\n"));
    expect(options).toMatchObject({ input: "kramdown", hardWrap: true, autoIds: false, smartQuotes: ["apos", "apos", "quot", "quot"], footnoteNr: 5, tocLevels: [2, 3], parseBlockHtml: true });
    expect(optionsOf("kramdown: { toc_levels: [3, 1, 2], smart_quotes: [8216, 8217, 8220, 8221] }")).toMatchObject({ tocLevels: [1, 2, 3], smartQuotes: ["8216", "8217", "8220", "8221"] });
  });

  it.each([
    ["kramdown:\n  hard_wrap: yes please", "_config.yml:2: kramdown.hard_wrap: must be true or false"],
    ["kramdown:\n  smart_quotes: lsquo,rsquo", "_config.yml:2: kramdown.smart_quotes:"],
    ["kramdown:\n  toc_levels: 0..9", "_config.yml:2: kramdown.toc_levels:"],
    ["kramdown:\n  input: Markdown", "_config.yml:2: kramdown.input: \"Markdown\" is not an input Feedwright reads; use GFM"],
    ["kramdown:\n  footnote_nr: first", "_config.yml:2: kramdown.footnote_nr:"],
    ["kramdown:\n  entity_output: fancy", "_config.yml:2: kramdown.entity_output:"],
  ])("refuses %j, naming the file, line and key", (configYml, message) => {
    expect(errorOf(configYml).message).toContain(`content: ${message}`);
  });

  it("is off when markdown: names another converter, and on for kramdown in any case", () => {
    expect(optionsOf("markdown: CommonMark")).toBeUndefined();
    expect(optionsOf("markdown: Kramdown")).toBeDefined();
  });
});

describe("the kramdown switch", () => {
  const config = testConfig({ postsDir: "." });
  const siteState = (configYml: string) => jekyllSiteState(config, parseJekyllSiteConfig(configYml, "_config.yml"), ".");
  const text = "---\ntitle: A post\n---\nText.\n";

  it("gives a site's Markdown posts the site's options, and a folder of posts none", () => {
    const site = siteState("kramdown: { hard_wrap: true }").settings;
    const head = loadPostHead("_posts/2024-01-01-a.md", text, site);
    expect(head.kind === "post" && head.hints.kramdown).toMatchObject({ hardWrap: true, input: "GFM" });
    const html = loadPostHead("_posts/2024-01-01-b.html", text, site);
    expect(html.kind === "post" && html.hints.html).toBe(true);
    expect(html.kind === "post" && html.hints.kramdown).toBeUndefined();
    const folder = loadPostHead("2024-01-01-a.md", text, postsFolderSettings(config.site));
    expect(folder.kind === "post" && folder.hints.kramdown).toBeUndefined();
  });

  it("changes the render key's site fingerprint when an option changes", () => {
    const plain = siteState("").fingerprint;
    expect(siteState("kramdown: { hard_wrap: false }").fingerprint).toBe(plain);
    expect(siteState("kramdown: { hard_wrap: true }").fingerprint).not.toBe(plain);
    expect(siteState("markdown: CommonMark").fingerprint).not.toBe(plain);
    expect(siteFingerprint(postsFolderSettings(config.site))).not.toBe(plain);
  });
});
