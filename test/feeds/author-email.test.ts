// An author's e-mail goes into Atom's <email> as written: one with a control character or a
// noncharacter made /atom.xml ill-formed. Such an address is left out with a warning, and a
// configuration that has one is refused at start-up, naming the key.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { loadPosts } from "../../src/content/load-posts.js";
import { parseJekyllSiteConfig } from "../../src/content/jekyll/site-config.js";
import { buildSite } from "../../src/feeds/build-site.js";
import { readAtom } from "../helpers/read-feeds.js";
import { post, testConfig } from "../helpers/site-fixture.js";
import { useScratch } from "../helpers/scratch.js";

const { folderWith, temporaryDir } = useScratch("feedwright-author-email-");
const NOW = new Date("2030-01-01T00:00:00Z");

describe("an author's e-mail that no feed can carry", () => {
  it.each([
    ["a control character", "m\\u0001@example.com"],
    ["U+FFFE", "m\\uFFFE@example.com"],
    ["a display name", "Mia <m@example.com>"],
  ])("with %s is left out, with a warning, and /atom.xml stays well-formed", async (_label, email) => {
    const folder = folderWith({ "2025-01-01-post.md": post(`title: Post\nauthor: {name: Mia, email: "${email}"}`) });
    const config = testConfig({ postsDir: folder.dir });
    const content = await loadPosts(config);
    expect(content.posts[0]?.authors).toEqual([{ name: "Mia", email: undefined, url: undefined }]);
    expect(content.warnings.map((warning) => warning.message).join("\n")).toMatch(/author: email .* is not an e-mail address every feed format can carry; it is left out/u);
    const atom = buildSite(config, content, NOW).site.documents.atom.body.toString("utf8");
    // readAtom parses with a strict XML parser: it throws on an ill-formed document.
    expect(readAtom(atom).items).toHaveLength(1);
    expect(atom).not.toContain("<email>");
  });

  it("keeps an ordinary address", async () => {
    const folder = folderWith({ "2025-01-01-post.md": post('title: Post\nauthor: {name: Mia, email: " mia@example.com "}') });
    const content = await loadPosts(testConfig({ postsDir: folder.dir }));
    expect(content.posts[0]?.authors[0]?.email).toBe("mia@example.com");
    expect(content.warnings).toEqual([]);
  });

  it("in the configuration stops start-up naming the key", () => {
    const dir = temporaryDir();
    writeFileSync(path.join(dir, "feedwright.yaml"), 'site:\n  author: {name: Mia, email: "m\\u0001@example.com"}\n');
    expect(() => loadConfig({ configFile: "feedwright.yaml" }, {}, dir)).toThrow(/site\.author\.email/u);
  });

  it("in a Jekyll site's _config.yml is refused naming the key", () => {
    expect(() => parseJekyllSiteConfig('author: {name: Mia, email: "m\\uFFFE@example.com"}\n', "_config.yml")).toThrow(/author\.email/u);
  });
});
