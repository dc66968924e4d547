// The XSLT 1.0 stylesheet that browsers apply to the RSS and Atom documents, through
// <?xml-stylesheet href="…/feed.xsl" type="text/xsl"?>: a person who opens a feed's address sees a
// readable page that says what a feed is and how to subscribe, instead of raw XML. One stylesheet
// serves both formats. The page's own words are in the site's language (English is the fallback
// for languages without a table, as in feeds/labels.ts); everything else comes from the feed.
//
// Why it is written the way it is:
//  - XSLT 1.0 only: it is the version browsers implement.
//  - No disable-output-escaping (Firefox ignores it), no scripts, no external resources.
//  - Atom titles are type="html" in our feeds: plain text escaped once (feeds/escape-markup.ts
//    escapeMarkup). value-of alone would show "&amp;" for "&", so the "decode-html-text" template
//    turns those entities back into characters, in one pass so "&amp;lt;" stays "&lt;".
//  - XSLT cannot read the browser's address bar, so the address to copy is the feed's rel="self"
//    link.
//  - dir="auto" on every element that shows text from the feed, so right-to-left titles display
//    correctly whatever the page's language.
import { escapeMarkup } from "./escape-markup.js";

export interface FeedStylesheetOptions {
  /** BCP 47 tag of the site (config site.language): the page's lang and the language of its text. */
  readonly language: string;
  /** The page listing every feed ("/"), also the fallback for browsers without XSLT. */
  readonly indexUrl: string;
  readonly siteTitle: string;
}

interface StylesheetLabels {
  readonly whatIsThis: string;
  readonly explanation: string;
  readonly howToSubscribe: string;
  readonly copyAddress: string;
  readonly readers: string;
  readonly allFeeds: (site: string) => string;
  readonly website: string;
  readonly recentPosts: string;
  readonly noPosts: string;
  /** Written before an item's authors. */
  readonly by: string;
  readonly separator: string;
}

const english: StylesheetLabels = {
  whatIsThis: "This is a web feed",
  explanation:
    "A feed lets you follow new posts from this site in a feed reader, without visiting the site. This page is the feed itself, shown in a readable form.",
  howToSubscribe: "How to subscribe",
  copyAddress: "Copy this address into your feed reader:",
  readers:
    "Any feed reader works: an app on your phone or computer, a reader on the web, or the feed feature of your e-mail program or browser. Look for “Add feed” or “Subscribe” and paste the address.",
  allFeeds: (site) => `All feeds of ${site}`,
  website: "Visit the website",
  recentPosts: "Recent posts",
  noPosts: "This feed has no posts yet.",
  by: "by ",
  separator: " · ",
};

const japanese: StylesheetLabels = {
  whatIsThis: "これは Web フィードです",
  explanation:
    "フィードを使うと、サイトを訪れなくても新しい記事をフィードリーダーで受け取れます。このページはフィードそのものを読みやすく表示したものです。",
  howToSubscribe: "購読のしかた",
  copyAddress: "このアドレスをフィードリーダーに登録してください：",
  readers:
    "スマートフォンやパソコンのリーダーアプリ、Web 版のフィードリーダー、メールソフトやブラウザーのフィード機能など、どのフィードリーダーでも購読できます。「フィードを追加」や「購読」からアドレスを貼り付けてください。",
  allFeeds: (site) => `${site} のすべてのフィード`,
  website: "Web サイトを見る",
  recentPosts: "最近の記事",
  noPosts: "このフィードにはまだ記事がありません。",
  by: "著者：",
  separator: "・",
};

function stylesheetLabels(language: string): StylesheetLabels {
  return language.toLowerCase().split("-")[0] === "ja" ? japanese : english;
}

/**
 * For an attribute of a literal result element. XSLT 1.0 §7.6.2 reads such attributes as
 * attribute value templates, where "{" starts an expression: "{{" and "}}" stand for the braces.
 */
function forAttribute(value: string): string {
  return escapeMarkup(value).replace(/\{/g, "{{").replace(/\}/g, "}}");
}

export function renderFeedStylesheet(options: FeedStylesheetOptions): string {
  const labels = stylesheetLabels(options.language);
  const text = escapeMarkup;
  return `<?xml version="1.0" encoding="utf-8"?>
<!-- Shows an RSS 2.0 or Atom 1.0 feed as a readable page in a browser. Written by Feedwright. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    exclude-result-prefixes="atom dc">
  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="channel" select="rss/channel | atom:feed"/>
    <xsl:variable name="title">
      <xsl:apply-templates select="$channel/title | $channel/atom:title" mode="text"/>
    </xsl:variable>
    <xsl:variable name="self" select="($channel/atom:link[@rel='self']/@href)[1]"/>
    <xsl:variable name="website" select="($channel/link | $channel/atom:link[@rel='alternate' or not(@rel)]/@href)[1]"/>
    <html lang="${forAttribute(options.language)}">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/></title>
        <style>
          :root { color-scheme: light dark; --text: #1f2328; --muted: #59636e; --link: #0b57d0; --page: #ffffff; --box: #f2f4f7; --line: #d6dce2; }
          @media (prefers-color-scheme: dark) {
            :root { --text: #e6e8eb; --muted: #9aa4af; --link: #8ab4f8; --page: #15181c; --box: #22272e; --line: #3a424c; }
          }
          body { margin: 0; background: var(--page); color: var(--text); font: 16px/1.6 system-ui, sans-serif; }
          main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
          a { color: var(--link); }
          h1 { margin: .5rem 0; font-size: 1.8rem; line-height: 1.3; }
          .site, .meta { color: var(--muted); font-size: .9rem; }
          .about { background: var(--box); border: 1px solid var(--line); border-radius: .5rem; padding: .25rem 1.25rem; margin: 1.5rem 0; }
          .about h2 { font-size: 1.1rem; }
          .address { display: block; padding: .5rem .75rem; border: 1px solid var(--line); border-radius: .25rem; background: var(--page); font-family: ui-monospace, monospace; overflow-wrap: anywhere; user-select: all; }
          ol { list-style: none; padding: 0; }
          li { padding: .75rem 0; border-bottom: 1px solid var(--line); }
          h3 { margin: 0; font-size: 1.1rem; line-height: 1.4; }
          .meta { margin: .25rem 0 0; }
        </style>
      </head>
      <body>
        <main>
          <p class="site"><a href="${forAttribute(options.indexUrl)}">${text(labels.allFeeds(options.siteTitle))}</a></p>
          <h1 dir="auto"><xsl:value-of select="$title"/></h1>
          <xsl:variable name="description">
            <xsl:apply-templates select="$channel/description | $channel/atom:subtitle" mode="text"/>
          </xsl:variable>
          <!-- An RSS feed without a description repeats its title there (RSS requires one). -->
          <xsl:if test="string($description) and $description != $title">
            <p dir="auto"><xsl:value-of select="$description"/></p>
          </xsl:if>
          <xsl:if test="$website">
            <p><a href="{$website}">${text(labels.website)}</a></p>
          </xsl:if>
          <section class="about">
            <h2>${text(labels.whatIsThis)}</h2>
            <p>${text(labels.explanation)}</p>
            <h2>${text(labels.howToSubscribe)}</h2>
            <xsl:if test="$self">
              <p>${text(labels.copyAddress)}</p>
              <p><code class="address" dir="ltr"><xsl:value-of select="$self"/></code></p>
            </xsl:if>
            <p>${text(labels.readers)}</p>
          </section>
          <h2>${text(labels.recentPosts)}</h2>
          <xsl:choose>
            <xsl:when test="$channel/item | $channel/atom:entry">
              <ol>
                <xsl:apply-templates select="$channel/item | $channel/atom:entry"/>
              </ol>
            </xsl:when>
            <xsl:otherwise>
              <p>${text(labels.noPosts)}</p>
            </xsl:otherwise>
          </xsl:choose>
          <p class="site"><a href="${forAttribute(options.indexUrl)}">${text(labels.allFeeds(options.siteTitle))}</a></p>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <xsl:call-template name="item">
      <xsl:with-param name="title" select="string(title)"/>
      <xsl:with-param name="link" select="string(link)"/>
      <xsl:with-param name="date">
        <xsl:call-template name="rfc822-date">
          <xsl:with-param name="date" select="normalize-space(pubDate)"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="authors" select="string(dc:creator)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="atom:entry">
    <xsl:call-template name="item">
      <xsl:with-param name="title">
        <xsl:apply-templates select="atom:title" mode="text"/>
      </xsl:with-param>
      <xsl:with-param name="link" select="string((atom:link[@rel='alternate' or not(@rel)]/@href)[1])"/>
      <xsl:with-param name="date">
        <xsl:choose>
          <xsl:when test="atom:published">
            <xsl:call-template name="rfc3339-date">
              <xsl:with-param name="date" select="normalize-space(atom:published)"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="rfc3339-date">
              <xsl:with-param name="date" select="normalize-space(atom:updated)"/>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="authors">
        <xsl:for-each select="atom:author/atom:name">
          <xsl:if test="position() > 1">, </xsl:if>
          <xsl:value-of select="."/>
        </xsl:for-each>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- One item of either format, from plain strings. -->
  <xsl:template name="item">
    <xsl:param name="title"/>
    <xsl:param name="link"/>
    <xsl:param name="date"/>
    <xsl:param name="authors"/>
    <xsl:variable name="shown">
      <xsl:choose>
        <xsl:when test="normalize-space($title)"><xsl:value-of select="$title"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$link"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <li>
      <h3 dir="auto">
        <xsl:choose>
          <xsl:when test="normalize-space($link)"><a href="{$link}"><xsl:value-of select="$shown"/></a></xsl:when>
          <xsl:otherwise><xsl:value-of select="$shown"/></xsl:otherwise>
        </xsl:choose>
      </h3>
      <xsl:if test="string($date) or normalize-space($authors)">
        <p class="meta">
          <xsl:value-of select="$date"/>
          <xsl:if test="string($date) and normalize-space($authors)">${text(labels.separator)}</xsl:if>
          <xsl:if test="normalize-space($authors)">${text(labels.by)}<span dir="auto"><xsl:value-of select="$authors"/></span></xsl:if>
        </p>
      </xsl:if>
    </li>
  </xsl:template>

  <!-- Text of a title, subtitle or description. -->
  <xsl:template match="*" mode="text">
    <xsl:value-of select="."/>
  </xsl:template>

  <!-- RFC 4287 §3.1.1.2: type="html" text is HTML; ours is plain text escaped once. -->
  <xsl:template match="atom:*[@type='html']" mode="text">
    <xsl:call-template name="decode-html-text">
      <xsl:with-param name="text" select="string(.)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- &amp; &lt; &gt; &quot; &#39; &apos; back to characters, in one pass; any other "&" is kept. -->
  <xsl:template name="decode-html-text">
    <xsl:param name="text"/>
    <xsl:choose>
      <xsl:when test="contains($text, '&amp;')">
        <xsl:value-of select="substring-before($text, '&amp;')"/>
        <xsl:variable name="rest" select="substring-after($text, '&amp;')"/>
        <xsl:variable name="name" select="substring-before($rest, ';')"/>
        <xsl:variable name="character">
          <xsl:choose>
            <xsl:when test="$name = 'amp'">&amp;</xsl:when>
            <xsl:when test="$name = 'lt'">&lt;</xsl:when>
            <xsl:when test="$name = 'gt'">&gt;</xsl:when>
            <xsl:when test="$name = 'quot'">&quot;</xsl:when>
            <xsl:when test="$name = '#39' or $name = 'apos'">&#39;</xsl:when>
          </xsl:choose>
        </xsl:variable>
        <xsl:choose>
          <xsl:when test="string($character)">
            <xsl:value-of select="$character"/>
            <xsl:call-template name="decode-html-text">
              <xsl:with-param name="text" select="substring-after($rest, ';')"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <xsl:text>&amp;</xsl:text>
            <xsl:call-template name="decode-html-text">
              <xsl:with-param name="text" select="$rest"/>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$text"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- RSS pubDate (RFC 822, "Thu, 11 Dec 2025 01:00:00 GMT") as "2025-12-11 01:00 UTC"; as given when unreadable. -->
  <xsl:template name="rfc822-date">
    <xsl:param name="date"/>
    <xsl:variable name="rest">
      <xsl:choose>
        <xsl:when test="contains($date, ',')"><xsl:value-of select="normalize-space(substring-after($date, ','))"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$date"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="day" select="substring-before($rest, ' ')"/>
    <xsl:variable name="month" select="substring-before(substring-after($rest, ' '), ' ')"/>
    <xsl:variable name="year" select="substring-before(substring-after(substring-after($rest, ' '), ' '), ' ')"/>
    <xsl:variable name="time" select="substring-before(substring-after(substring-after(substring-after($rest, ' '), ' '), ' '), ' ')"/>
    <xsl:variable name="zone" select="substring-after(substring-after(substring-after(substring-after($rest, ' '), ' '), ' '), ' ')"/>
    <xsl:variable name="months" select="'JanFebMarAprMayJunJulAugSepOctNovDec'"/>
    <xsl:choose>
      <xsl:when test="string-length($month) = 3 and string(number($day)) != 'NaN' and contains($months, $month) and string-length($year) = 4 and string-length($time) >= 5">
        <xsl:value-of select="concat($year, '-', format-number(string-length(substring-before($months, $month)) div 3 + 1, '00'), '-', format-number($day, '00'), ' ', substring($time, 1, 5), ' ')"/>
        <xsl:choose>
          <xsl:when test="$zone = 'GMT' or $zone = 'UT' or $zone = 'Z' or $zone = '+0000'">UTC</xsl:when>
          <xsl:otherwise><xsl:value-of select="$zone"/></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$date"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Atom date (RFC 3339, "2025-12-11T01:00:00.000Z") as "2025-12-11 01:00 UTC"; as given when unreadable. -->
  <xsl:template name="rfc3339-date">
    <xsl:param name="date"/>
    <xsl:choose>
      <xsl:when test="string-length($date) >= 20 and substring($date, 11, 1) = 'T'">
        <xsl:value-of select="concat(substring($date, 1, 10), ' ', substring($date, 12, 5), ' ')"/>
        <xsl:choose>
          <xsl:when test="translate(substring($date, string-length($date)), 'z', 'Z') = 'Z'">UTC</xsl:when>
          <xsl:otherwise><xsl:value-of select="substring($date, string-length($date) - 5)"/></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$date"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
`;
}
