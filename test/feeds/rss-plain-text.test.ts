// RSS plain-text elements as the RSS Best Practices Profile asks (and the W3C validator checks):
// "&", "<" and ">" in titles, category names, author names and the channel's description written
// as hexadecimal character references — never CDATA, never "&amp;" or "&lt;" — and read back
// exactly. Atom and JSON Feed keep their own rules.
import { describe, expect, it } from "vitest";
import { buildSite } from "../../src/feeds/build-site.js";
import type { Post } from "../../src/content/post.js";
import { readRss } from "../helpers/read-feeds.js";
import { testConfig } from "../helpers/site-fixture.js";
import { child, childText, children, parseXml } from "../helpers/xml.js";

const HOSTILE = ["Shipping C# & .NET <fast> builds", 'Quotes "double" and \'single\' ]]> end', "東京勉強会 & <まとめ>", "مرحبا & <نص>", "Emoji 🎉 & <3", "&amp; written out", "a > b && c < d"];

function postWith(index: number, text: string): Post {
  return {
    sourcePath: `p${index}.md`,
    id: `https://blog.example.com/p${index}`,
    url: `https://blog.example.com/p${index}`,
    title: text,
    date: new Date(Date.UTC(2025, 0, index + 1)),
    expires: undefined,
    updated: undefined,
    categories: [text],
    tags: [`tag ${text}`],
    authors: [{ name: text }],
    image: undefined,
    language: undefined,
    revision: `r${index}`,
    summary: "Summary",
    contentHtml: "<p>Body</p>",
  };
}

const posts = HOSTILE.map((text, index) => postWith(index, text)).reverse();
const config = testConfig({ site: { title: "Blog & <Co>", description: "About A & B <c>" } });
const build = buildSite(config, { posts }, new Date("2026-01-01T00:00:00Z"));
const rss = build.site.documents.rss.body.toString("utf8");

/** The source text of every element of these names, as written in the document. */
function written(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}(?: [^>]*)?>([\\s\\S]*?)</${name}>`, "g"))].map((match) => match[1] ?? "");
}

describe("RSS plain-text elements", () => {
  it.each(["title", "category", "dc:creator"])("<%s> holds no CDATA section and no named reference for &, < or >", (name) => {
    const values = written(rss, name);
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) {
      expect(value).not.toContain("<![CDATA[");
      expect(value).not.toMatch(/&(?:amp|lt|gt);/);
      expect(value).not.toMatch(/[<>]/);
    }
  });

  it("writes them as hexadecimal references, the channel's title and description too", () => {
    expect(written(rss, "title")).toContain("Shipping C# &#x26; .NET &#x3C;fast&#x3E; builds");
    expect(written(rss, "title")[0]).toBe("Blog &#x26; &#x3C;Co&#x3E;");
    expect(written(rss, "description")[0]).toBe("About A &#x26; B &#x3C;c&#x3E;");
  });

  it("reads back exactly, through an independent XML parser", () => {
    const read = readRss(rss);
    expect(read.items.map((item) => item.title)).toEqual([...HOSTILE].reverse());
    const channel = child(parseXml(rss), "channel");
    if (!channel) throw new Error("no <channel>");
    expect(childText(channel, "title")).toBe("Blog & <Co>");
    expect(childText(channel, "description")).toBe("About A & B <c>");
    const items = children(channel, "item");
    items.forEach((item, index) => {
      const text = [...HOSTILE].reverse()[index];
      expect(children(item, "category").map((category) => category.text)).toEqual([text, `tag ${text}`]);
      expect(childText(item, "dc:creator")).toBe(text);
    });
  });

  it("leaves Atom's titles to Atom's own rules (text constructs with named references)", () => {
    const atom = build.site.documents.atom.body.toString("utf8");
    expect(atom).toContain("Shipping C# &amp; .NET &lt;fast&gt; builds");
  });
});
