// The XSLT stylesheet of src/feeds/feed-stylesheet.ts, read as XML with the independent
// parser of helpers/xml.ts: well-formed, XSLT 1.0, the site's language, the link to the feed
// index, and every value from the options escaped (for XML, and for XSLT's attribute value
// templates, where "{" starts an expression). Running the transformation needs an XSLT
// processor, which the test suite does not have; it was checked by hand with xsltproc and
// Chromium on the sample feeds.
import { describe, expect, it } from "vitest";
import { renderFeedStylesheet } from "../../src/feeds/feed-stylesheet.js";
import { child, findAll, parseXml, type XmlElement } from "../helpers/xml.js";

const XSLT = "http://www.w3.org/1999/XSL/Transform";
const options = { language: "en", indexUrl: "https://feeds.example.com/", siteTitle: "Example Blog" };

function stylesheet(overrides: Partial<typeof options> = {}): XmlElement {
  return parseXml(renderFeedStylesheet({ ...options, ...overrides }));
}

function only(elements: XmlElement[], what: string): XmlElement {
  const [element, ...others] = elements;
  if (!element || others.length > 0) throw new Error(`expected one ${what}, found ${elements.length}`);
  return element;
}

function descendants(element: XmlElement): XmlElement[] {
  return [element, ...element.children.flatMap(descendants)];
}

/** All text written by the stylesheet itself (its literal result text), whitespace collapsed. */
function literalText(element: XmlElement): string {
  const own = element.name.startsWith("xsl:") || element.name === "style" ? "" : element.text;
  return [own, ...element.children.map(literalText)].join(" ").replace(/\s+/gu, " ").trim();
}

/** Links to the feed index: the literal <a> elements whose href is not an expression. */
function indexLinks(root: XmlElement): XmlElement[] {
  return findAll(root, "a").filter((link) => link.attributes.href !== undefined && !link.attributes.href.startsWith("{"));
}

describe("renderFeedStylesheet", () => {
  it("is a well-formed XSLT 1.0 stylesheet that writes HTML in UTF-8", () => {
    const root = stylesheet();
    expect(root.name).toBe("xsl:stylesheet");
    expect(root.attributes.version).toBe("1.0");
    expect(root.attributes["xmlns:xsl"]).toBe(XSLT);
    const output = only(findAll(root, "xsl:output"), "xsl:output");
    expect(output.attributes.method).toBe("html");
    expect(output.attributes.encoding).toBe("utf-8");
  });

  it("reads both formats through their namespaces", () => {
    const root = stylesheet();
    expect(root.attributes["xmlns:atom"]).toBe("http://www.w3.org/2005/Atom");
    expect(root.attributes["xmlns:dc"]).toBe("http://purl.org/dc/elements/1.1/");
    const matches = findAll(root, "xsl:template").map((template) => template.attributes.match);
    expect(matches).toContain("item");
    expect(matches).toContain("atom:entry");
  });

  it("writes a page with the site's language, a viewport and no scripts or external resources", () => {
    const root = stylesheet({ language: "ja" });
    const html = only(findAll(root, "html"), "<html>");
    expect(html.attributes.lang).toBe("ja");
    const head = child(html, "head");
    expect(head && child(head, "meta")?.attributes).toMatchObject({ name: "viewport" });
    expect(findAll(root, "script")).toEqual([]);
    expect(findAll(root, "link")).toEqual([]);
    expect(findAll(root, "img")).toEqual([]);
    const everyAttribute = descendants(root).flatMap((element) => Object.keys(element.attributes));
    expect(everyAttribute).not.toContain("disable-output-escaping");
    expect(everyAttribute).not.toContain("src");
  });

  it("links to the feed index page, the fallback for browsers without XSLT", () => {
    const links = indexLinks(stylesheet({ indexUrl: "https://feeds.example.com/" }));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link.attributes.href).toBe("https://feeds.example.com/");
      expect(link.text).toBe("All feeds of Example Blog");
    }
  });

  it("escapes the site title, the index URL and the language for XML", () => {
    const siteTitle = `Tom's <b>&amp; "Blog"`;
    const xml = renderFeedStylesheet({ language: `en"><x a='`, indexUrl: `/?a=1&b="2"<'3'>`, siteTitle });
    expect(xml).not.toContain("<b>");
    const root = parseXml(xml);
    expect(findAll(root, "x")).toEqual([]);
    expect(only(findAll(root, "html"), "<html>").attributes.lang).toBe(`en"><x a='`);
    for (const link of indexLinks(root)) {
      expect(link.attributes.href).toBe(`/?a=1&b="2"<'3'>`);
      expect(link.text).toBe(`All feeds of ${siteTitle}`);
    }
  });

  it("doubles braces in attributes, which XSLT reads as attribute value templates", () => {
    const root = stylesheet({ language: "en-x-{a}", indexUrl: "/{path}?q={x}", siteTitle: "{not an expression}" });
    expect(only(findAll(root, "html"), "<html>").attributes.lang).toBe("en-x-{{a}}");
    const [link] = findAll(root, "a").filter((a) => a.attributes.href?.startsWith("/"));
    expect(link?.attributes.href).toBe("/{{path}}?q={{x}}");
    // Text is not a template: the title stays as it is.
    expect(link?.text).toBe("All feeds of {not an expression}");
  });

  it("writes its text in Japanese for a Japanese site", () => {
    for (const language of ["ja", "ja-JP", "JA"]) {
      const root = stylesheet({ language, siteTitle: "サンプルブログ" });
      const text = literalText(root);
      expect(text).toContain("購読のしかた");
      expect(text).toContain("このアドレスをフィードリーダーに登録してください");
      expect(text).not.toContain("How to subscribe");
      expect(indexLinks(root)[0]?.text).toBe("サンプルブログ のすべてのフィード");
    }
  });

  it("writes its text in English for English and for languages without a table", () => {
    for (const language of ["en", "en-GB", "fr", "ar"]) {
      const root = stylesheet({ language });
      const text = literalText(root);
      expect(text).toContain("How to subscribe");
      expect(text).toContain("Copy this address into your feed reader");
      expect(text).not.toContain("購読");
      expect(only(findAll(root, "html"), "<html>").attributes.lang).toBe(language);
    }
  });

  it("marks every element that shows the feed's title, description or authors as dir=auto", () => {
    const root = stylesheet();
    for (const name of ["h1", "h3", "span"]) {
      const elements = findAll(root, name);
      expect(elements.length, name).toBeGreaterThan(0);
      for (const element of elements) expect(element.attributes.dir, name).toBe("auto");
    }
  });
});
