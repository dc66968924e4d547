// readAtomDocument on jekyll-feed's output as jekyll-feed 0.17 writes it (feed.xml), including
// the CDATA it does not split, and on the three kinds of Atom text construct.
import { expect, test } from "vitest";
import { readAtomDocument } from "./atom-entries.js";

// One entry as jekyll-feed 0.17's feed.xml writes it; the content holds a "]]>" that ends its
// CDATA section early, which strict XML parsers reject.
const JEKYLL_FEED = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ja"><generator uri="https://jekyllrb.com/" version="4.3.1">Jekyll</generator><link href="https://example.com/feed.xml" rel="self" type="application/atom+xml" /><link href="https://example.com/" rel="alternate" type="text/html" hreflang="ja" /><updated>2025-01-01T00:00:00+09:00</updated><id>https://example.com/feed.xml</id><entry><title type="html">It’s a test &amp;amp; more</title><link href="https://example.com/ja/news/2024/12/25/x/" rel="alternate" type="text/html" title="It’s a test &amp;amp; more" /><published>2024-12-25T10:00:00+09:00</published><updated>2024-12-25T10:00:00+09:00</updated><id>https://example.com/ja/news/2024/12/25/x</id><content type="html" xml:base="https://example.com/ja/news/2024/12/25/x/"><![CDATA[<p>CDATA ends ]]> here</p>]]></content><author><name></name></author><category term="ja" /><category term="news" /><category term="勉強会" /><summary type="html"><![CDATA[First para with footnote1 and “quotes”. note &#8617;]]></summary></entry><entry><title type="html">Second</title><link href="https://example.com/2/" rel="alternate" type="text/html" title="Second" /><published>2024-12-24T10:00:00+09:00</published><id>https://example.com/2</id></entry></feed>`;

test("jekyll-feed's entries are read around a CDATA section cut short", () => {
  const document = readAtomDocument(JEKYLL_FEED, "feed.xml");
  expect(document.links).toEqual([
    { rel: "self", href: "https://example.com/feed.xml" },
    { rel: "alternate", href: "https://example.com/" },
  ]);
  expect(document.entries).toHaveLength(2);
  const [first, second] = document.entries;
  expect(first).toMatchObject({
    id: "https://example.com/ja/news/2024/12/25/x",
    titleHtml: "It’s a test &amp; more",
    link: "https://example.com/ja/news/2024/12/25/x/",
    published: "2024-12-25T10:00:00+09:00",
    summaryHtml: "First para with footnote1 and “quotes”. note &#8617;",
    categories: [
      { term: "ja", scheme: undefined },
      { term: "news", scheme: undefined },
      { term: "勉強会", scheme: undefined },
    ],
  });
  expect(first?.contentHtml).toContain("<p>CDATA ends ");
  expect(second).toMatchObject({ id: "https://example.com/2", titleHtml: "Second", contentHtml: undefined, summaryHtml: undefined, updated: undefined });
});

test("text constructs come out as HTML: html as it is, text escaped, xhtml's div content", () => {
  const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><entry>
    <title>a &lt; b &amp; c</title>
    <summary type="html">&lt;em&gt;x&lt;/em&gt;</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>one <b>two</b></p></div></content>
    <link rel="enclosure" href="https://example.com/a.png"/><link rel="alternate" href="https://example.com/post"/>
  </entry></feed>`;
  const [entry] = readAtomDocument(xml, "test").entries;
  expect(entry).toMatchObject({ titleHtml: "a &lt; b &amp; c", summaryHtml: "<em>x</em>", contentHtml: "<p>one <b>two</b></p>", link: "https://example.com/post" });
});

test("a prefixed Atom namespace is read too", () => {
  const xml = `<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"><atom:entry><atom:id>urn:x</atom:id></atom:entry></atom:feed>`;
  expect(readAtomDocument(xml, "test").entries.map((entry) => entry.id)).toEqual(["urn:x"]);
});

test("a document without <feed> is an error naming it", () => {
  expect(() => readAtomDocument("<rss><channel/></rss>", "site/feed.xml")).toThrow("compare: site/feed.xml: not an Atom document");
});
