// DeferredCdata hands the feed package placeholders instead of item content and puts the content
// into the package's output afterwards. These tests hold it to the bytes the package writes when
// it is given the content itself, for any text, and check that a placeholder found anywhere
// else makes it give up rather than guess. The escapers are held to a character-by-character
// definition.
import { Feed } from "feed";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Post } from "../../src/content/post.js";
import { renderAtom1Bytes } from "../../src/feeds/atom1.js";
import { cdataAsIs, DeferredCdata, forCdata, forXmlAttribute, forXmlText, type CdataValue } from "../../src/feeds/feed-package-input.js";
import { escapeMarkup } from "../../src/feeds/escape-markup.js";
import { siteFeedSpec } from "../../src/feeds/feed-spec.js";
import { renderRss2Bytes } from "../../src/feeds/rss2.js";
import { testConfig } from "../helpers/site-fixture.js";

const PIECES = ['"', "<", "&", "]]>", "]]>]]>", "]]]]>", "]]", ">", "<![CDATA[", "]]></content>", "]]></content:encoded>", "\u0000", "\u00000\u0000", "&amp;", "<p>", "機械学習", "🚀", "\u202e", "$&", "$1"];
const text = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: "binary", maxLength: 4 })), { maxLength: 8 }).map((pieces) => pieces.join(""));

type Format = "rss" | "atom";
const CONTENT_ELEMENT: Readonly<Record<Format, string>> = { rss: "content:encoded", atom: "content" };

/**
 * A document written by the package with each item's content given through `cdata`; `title` is
 * the feed's (a text node) and `itemTitle` the first item's (a CDATA section).
 */
function packageDocument(format: Format, contents: readonly string[], cdata: CdataValue, title = "Feed", itemTitle = "Item 0"): string {
  const feed = new Feed({ title, id: "https://example.com/", link: "https://example.com/", copyright: "", updated: new Date(0) });
  contents.forEach((html, index) => {
    const content = cdata(CONTENT_ELEMENT[format], html);
    feed.addItem({ title: index === 0 ? forCdata(itemTitle) : `Item ${index}`, link: `https://example.com/${index}`, date: new Date(0), content });
  });
  return format === "rss" ? feed.rss2() : feed.atom1();
}

describe("DeferredCdata", () => {
  it.each<Format>(["rss", "atom"])("gives the bytes the package writes when it is given the content itself (%s)", (format) => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 5 }), (contents) => {
        const deferred = new DeferredCdata();
        const direct = packageDocument(format, contents, (_element, html) => forCdata(html));
        expect(deferred.fillBytes(packageDocument(format, contents, deferred.value), "\n")?.toString("utf8")).toBe(`${direct}\n`);
        expect(packageDocument(format, contents, cdataAsIs)).toBe(direct);
      }),
      { seed: 20260102, numRuns: 300 },
    );
  });

  it.each<Format>(["rss", "atom"])("gives up when a placeholder's marker occurs outside the content (%s)", (format) => {
    const element = CONTENT_ELEMENT[format];
    const forgeries = ["\u0000", "\u00000\u0000", "\u00001\u0000", "<![CDATA[\u00000\u0000", `<![CDATA[\u00000\u0000]]></${element}>`];
    for (const forgery of forgeries) {
      for (const [title, itemTitle] of [[forgery, "Item 0"], ["Feed", forgery]] as const) {
        const deferred = new DeferredCdata();
        expect(deferred.fillBytes(packageDocument(format, ["<p>one</p>", "<p>two</p>"], deferred.value, title, itemTitle), "\n"), JSON.stringify([title, itemTitle])).toBeUndefined();
      }
    }
  });

  it("gives up when a value is not written as the CDATA section of its element", () => {
    for (const xml of ["<content>\u00000\u0000</content>", "<content>\u00000\u0000]]></content>", "<content><![CDATA[\u00000\u0000]]></summary>", "<content:encoded><![CDATA[\u00000\u0000]]></content:encoded>"]) {
      const deferred = new DeferredCdata();
      deferred.value("content", "<p>text</p>");
      expect(deferred.fillBytes(xml, "\n"), xml).toBeUndefined();
    }
    const deferred = new DeferredCdata();
    deferred.value("content", "<p>text</p>");
    expect(deferred.fillBytes("<content><![CDATA[\u00000\u0000]]></content>", "\n")?.toString("utf8")).toBe("<content><![CDATA[<p>text</p>]]></content>\n");
  });

  it("gives up when the package does not write a value it was given", () => {
    const deferred = new DeferredCdata();
    deferred.value("content", "<p>never written</p>");
    expect(deferred.fillBytes("<feed></feed>", "\n")).toBeUndefined();
  });

  it("expects no placeholder for an empty value, which the package leaves out", () => {
    const deferred = new DeferredCdata();
    expect(deferred.value("content", "")).toBe("");
    expect(deferred.fillBytes("<feed></feed>", "\n")?.toString("utf8")).toBe("<feed></feed>\n");
  });
});

describe("renderers whose configuration holds a placeholder's marker", () => {
  // The configuration's texts are not cleaned of control characters the way posts are.
  const config = testConfig({ site: { title: "Blog \u00000\u0000" } });
  const post: Post = {
    sourcePath: "post.md",
    id: `${config.site.url}/post.html`,
    url: `${config.site.url}/post.html`,
    title: "Post",
    date: new Date("2025-01-01T00:00:00Z"),
    updated: undefined,
    categories: [],
    tags: [],
    authors: [config.site.author],
    summary: "",
    contentHtml: "<p>a]]>b]]>c</p>",
    image: undefined,
    language: undefined,
    expires: undefined,
    revision: "",
  };
  const spec = siteFeedSpec(config, [post]);

  it("still carry every item's content, split at each ]]>", () => {
    const written = "<![CDATA[<p>a]]]]><![CDATA[>b]]]]><![CDATA[>c</p>]]>";
    expect(renderRss2Bytes(spec).toString("utf8")).toContain(`<content:encoded>${written}</content:encoded>`);
    expect(renderAtom1Bytes(spec).toString("utf8")).toContain(`<content type="html">${written}</content>`);
    // No placeholder is left behind: every NUL is the title's.
    for (const document of [renderRss2Bytes(spec).toString("utf8"), renderAtom1Bytes(spec).toString("utf8")]) expect(document.replaceAll(config.site.title, "")).not.toContain("\u0000");
  });
});

describe("escapers", () => {
  /** Escapes character by character: the definition the escapers' faster code must meet. */
  function reference(text: string, entities: Readonly<Record<string, string>>): string {
    return [...text].map((character) => entities[character] ?? character).join("");
  }

  it("escape exactly the characters they name, whatever the text", () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(forXmlText(value)).toBe(reference(value, { "&": "&amp;" }));
        expect(escapeMarkup(value)).toBe(reference(value, { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }));
        expect(forXmlAttribute(value)).toBe(reference(value, { "&": "&amp;", "<": "&lt;" }));
      }),
      { seed: 20260103, numRuns: 500 },
    );
  });
});
