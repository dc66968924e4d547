// Fuzz tests of the content stage's entry points for one file, readPostHead and then
// renderPostBodyBytes (what the main thread and the render workers both run): arbitrary bytes, arbitrary YAML-ish front matter
// and arbitrary Markdown with raw HTML never throw out of it, always give a post, an unpublished
// post or an error whose `file:line: problem` line is one line, never reach the "please report it" fallback (a bug),
// and every post it gives builds well-formed feeds whose HTML runs nothing and links only
// absolutely. Fixed seeds and bounded sizes and runs keep it deterministic and quick; the
// slowest single call is printed.
import fc from "fast-check";
import { Parser } from "htmlparser2";
import { Marked } from "marked";
import { afterAll, describe, expect, test } from "vitest";
import { sanitizePostHtml } from "../../src/content/html.js";
import { kramdownOptions, type KramdownOptions } from "../../src/content/kramdown/options.js";
import { renderMarkdown, renderPostMarkdown } from "../../src/content/markdown.js";
import { allFeeds, buildSite } from "../../src/feeds/build-site.js";
import { formatProblem } from "../../src/content/post-error.js";
import { htmlSafetyProblems } from "../helpers/html-safety.js";
import { renderPostFile, type PostFileResult } from "../helpers/post-file.js";
import { jsonFeedSchemaErrors } from "../helpers/json-feed-schema.js";
import { parseXml } from "../helpers/xml.js";
import { testConfig } from "../helpers/site-fixture.js";
import { postsFolderSettings, type ContentSettings } from "../../src/content/settings.js";
import { parseJekyllSiteConfig } from "../../src/content/jekyll/site-config.js";
import { jekyllSiteState } from "../../src/content/site-source.js";

const CONFIG = testConfig();
const MAX_BYTES = 64 * 1024;
/** Generous for slow CI machines: a run takes a second or two here. */
const PROPERTY_TIMEOUT = 60_000;

let slowest = { ms: 0, label: "" };
afterAll(() => {
  console.log(`test/hostile fuzz: slowest post file ${slowest.ms.toFixed(1)} ms (${slowest.label})`);
});

/** One post file, timed; the result must be one of the three kinds, whatever the input. */
function render(label: string, bytes: Uint8Array, sourcePath = "2025-06-01-fuzz.md", settings: ContentSettings = postsFolderSettings(CONFIG.site), maxBytes = MAX_BYTES): PostFileResult {
  const started = performance.now();
  const result = renderPostFile(sourcePath, bytes, settings, maxBytes, "fuzz");
  const ms = performance.now() - started;
  if (ms > slowest.ms) slowest = { ms, label: `${label}, ${bytes.length} bytes` };
  expect(["post", "unpublished", "error"]).toContain(result.kind);
  if (result.kind === "error") {
    expect(result.message.trim()).not.toBe("");
    // One line without control characters, so `feedwright check` prints one `file:line: problem`
    // line per post and nothing in a post drives the terminal (values quoted in the message may
    // hold anything; the line shows them escaped).
    // eslint-disable-next-line no-control-regex -- control characters are what is checked
    expect(formatProblem("/posts", { file: sourcePath, line: result.line, message: result.message })).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u);
    // The fallback for exceptions nobody anticipated: reaching it is a bug in Feedwright.
    expect(result.message).not.toMatch(/unexpected error/);
    if (result.line !== undefined) expect(Number.isInteger(result.line) && result.line >= 1).toBe(true);
  }
  return result;
}

/** The post's feeds (site, its categories and tags) are well-formed XML and valid JSON Feed 1.1. */
function expectFeedsValid(result: PostFileResult): void {
  if (result.kind !== "post") return;
  const post = result.post;
  // Published at its own date (an expiry is always later, content/load-post.ts checks).
  const build = buildSite(CONFIG, { posts: [post] }, post.date);
  const feeds = allFeeds(build);
  expect(feeds.length).toBe(1 + build.terms.category.size + build.terms.tag.size);
  for (const feed of feeds) {
    parseXml(feed.documents.rss.body.toString("utf8"));
    parseXml(feed.documents.atom.body.toString("utf8"));
    const json = JSON.parse(feed.documents.json.body.toString("utf8")) as { items: unknown[] };
    expect(jsonFeedSchemaErrors(json)).toEqual([]);
    expect(json.items).toHaveLength(1);
  }
}

const URL_ATTRIBUTES = new Set(["href", "src", "poster", "cite", "action", "formaction", "background", "longdesc", "data", "xlink:href"]);
const SAFE_SCHEMES = new Set(["http:", "https:", "mailto:", "tel:"]);

/** Every URL in the HTML that is not absolute, or absolute with a scheme a reader should not follow. */
function nonAbsoluteUrls(html: string): string[] {
  const found: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        for (const [attribute, value] of Object.entries(attributes)) {
          const urls = attribute === "srcset" ? value.split(/,\s+/u).map((candidate) => candidate.trim().split(/\s+/u)[0] ?? "") : URL_ATTRIBUTES.has(attribute) ? [value] : [];
          for (const url of urls) {
            let scheme: string | undefined;
            try {
              scheme = new URL(url).protocol;
            } catch {
              scheme = undefined;
            }
            const allowed = scheme !== undefined && (SAFE_SCHEMES.has(scheme) || (scheme === "data:" && (name === "img" || name === "source")));
            if (!allowed) found.push(`<${name} ${attribute}="${url}">`);
          }
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return found;
}

/**
 * htmlSafetyProblems flags any attribute whose text contains "javascript:"; a link to an http(s)
 * URL whose path happens to hold those letters (percent-encoded markup) runs nothing, and
 * nonAbsoluteUrls checks every URL's scheme anyway.
 */
function isHttpUrlFinding(problem: string): boolean {
  const value = /^<\S+ \S+="(.*)">$/su.exec(problem)?.[1];
  if (value === undefined) return false;
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function expectSafeHtml(result: PostFileResult): void {
  if (result.kind !== "post") return;
  const html = result.post.contentHtml;
  expect(htmlSafetyProblems(html, { requireAbsoluteHttpUrls: false }).filter((problem) => !isHttpUrlFinding(problem)), html).toEqual([]);
  expect(nonAbsoluteUrls(html), html).toEqual([]);
  expect(html).not.toContain("]]>");
}

// ---------------------------------------------------------------------------------------------
// Generators

const YAML_KEYS = ["title", "date", "tags", "tag", "categories", "category", "permalink", "slug", "id", "excerpt", "description", "author", "authors", "image", "lang", "published", "draft", "expires", "updated", "last_modified_at", "layout", "x"];
const YAML_PIECES = [
  "[", "]", "{", "}", ",", ": ", ":", "- ", "? ", "&a ", "*a", "&b [*a, *a, *a]", "*b", "!!str ", "!!binary ", "!!int ", "!!timestamp ", "!custom ", "|", "|-", ">", ">+",
  '"', "'", "# comment", "\\", "\\u0000", '"\\u0007"', '"\\x00"', "\t", "\n", "\n  ", "\n    ", "---", "...", "%YAML 1.2\n", "%TAG ! tag:x,2000:\n",
  "2025-06-01", "2025-06-01 10:00:00 +0900", "2025-13-45", "0000-00-00", "1e999", "-0", "0x1F", "0o17", ".nan", ".inf", "null", "~", "yes", "no", "on", "off", "y", "n",
  "<script>", "]]>", "&amp;", "🎉", "e\u0301", "東京", "\u202e", "\ufeff", "\u2028", "%", "@", "`", "<<: *a",
];
const yamlValue = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...YAML_PIECES) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }), { maxLength: 12 })
  .map((pieces) => pieces.join(""));
const yamlLine = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...YAML_KEYS), yamlValue).map(([key, value]) => `${key}: ${value}`) },
  { weight: 1, arbitrary: yamlValue },
);
const yamlText = fc.array(yamlLine, { maxLength: 10 }).map((lines) => lines.join("\n"));

const MARKDOWN_PIECES = [
  "\n\n", "\n", "# ", "- ", "1. ", "> ", "```\n", "    ", "`", "**", "_", "~~", "|a|b|\n|-|-|\n", "<!--more-->", "]]>", "]]>]]>", "<![CDATA[x]]>",
  "[rel](../other/)", "![pic](images/pic.png)", "[root](/about/)", "[q](?x=1)", "[frag](#top)", "[proto](//evil.example/x)", "[js](javascript:alert(1))",
  "[js2](JaVaScRiPt:alert(1))", "[js3](jav&#x61;script:alert(1))", "[js4](java\tscript:alert(1))", "[vb](vbscript:msgbox)", "[data](data:text/html,<script>alert(1)</script>)",
  "<https://example.com/a>", "www.example.com", "user@example.com", "<a href=\"x.html\" onclick=\"alert(1)\">a</a>", "<a href=' javascript:alert(1)'>b</a>",
  "<a href=\"&#106;avascript:alert(1)\">c</a>", "<img src=x onerror=alert(1)>", "<img srcset=\"a.png 1x, javascript:alert(1) 2x\">", "<img src=\"data:image/png;base64,iVBORw0KGgo=\">",
  "<script>alert(1)</script>", "<script", "<scr<script>ipt>", "<SCRIPT SRC=//x.js></SCRIPT>", "<style>p{}</style>", "<svg onload=alert(1)>", "<svg><script>alert(1)</script></svg>",
  "<math><mtext><script>alert(1)</script></mtext></math>", "<iframe src=\"https://video.example.net/embed/1\"></iframe>", "<iframe src=\"javascript:alert(1)\">",
  "<object data=\"x.swf\"></object>", "<embed src=\"x.swf\">", "<base href=\"https://evil.example/\">", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
  "<form action=\"javascript:alert(1)\"><button formaction=\"javascript:alert(1)\">x</button></form>", "<p style=\"background:url(javascript:alert(1))\">s</p>",
  "<video src=\"v.mp4\" poster=\"p.jpg\"></video>", "<blockquote cite=\"q.html\">q</blockquote>", "<div>", "</div>", "<b><i>", "</b>", "<p", "<a href=\"", "\"", "<!--", "-->", "<",
  "&", "&lt;script&gt;", "&#0;", "&#xD800;", "\u0000", "\u0007", "\ufffe", "\ud800",
];
const markdown = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...MARKDOWN_PIECES) }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) }), { maxLength: 24 })
  .map((pieces) => pieces.join(""));

// ---------------------------------------------------------------------------------------------

describe("reading a post file never throws, whatever the file holds", () => {
  test(
    "arbitrary bytes",
    () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
          expectFeedsValid(render("arbitrary bytes", bytes));
        }),
        { seed: 20260201, numRuns: 400 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  test(
    "arbitrary bytes after a front-matter opening, and around a valid post",
    () => {
      const valid = Buffer.from("---\ntitle: Valid\ntags: [a]\n---\n\nBody.\n");
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 512 }), fc.nat({ max: valid.length }), (noise, at) => {
          expectFeedsValid(render("bytes after ---", Buffer.concat([Buffer.from("---\n"), noise])));
          expectFeedsValid(render("bytes inside a post", Buffer.concat([valid.subarray(0, at), noise, valid.subarray(at)])));
        }),
        { seed: 20260202, numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  test(
    "arbitrary YAML-ish front matter (aliases, tags, flow and block collections, bad dates)",
    () => {
      fc.assert(
        fc.property(yamlText, markdown, fc.boolean(), (yaml, body, windows) => {
          const text = `${windows ? "\uFEFF" : ""}---\n${yaml}\n---\n${body}\n`;
          const result = render("YAML-ish", Buffer.from(windows ? text.replace(/\n/g, "\r\n") : text));
          expectFeedsValid(result);
          expectSafeHtml(result);
        }),
        { seed: 20260203, numRuns: 500 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  test(
    "deep nesting of every kind is refused or rendered, never a crash",
    () => {
      const shapes: readonly ((depth: number) => string)[] = [
        (depth) => `---\ntitle: x\nv: ${"[".repeat(depth)}\n---\n`,
        (depth) => `---\ntitle: x\nv: ${"{a: ".repeat(depth)}${"}".repeat(depth)}\n---\n`,
        (depth) => `---\ntitle: x\nv:\n${"- ".repeat(depth)}y\n---\n`,
        (depth) => `---\ntitle: x\n---\n${">".repeat(depth)} x\n`,
        (depth) => `---\ntitle: x\n---\n${"- ".repeat(depth)}x\n`,
        (depth) => `---\ntitle: x\n---\n${"*".repeat(depth)}x${"*".repeat(depth)}\n`,
        (depth) => `---\ntitle: x\n---\n${"<span>".repeat(depth)}\n`,
      ];
      fc.assert(
        fc.property(fc.nat({ max: shapes.length - 1 }), fc.integer({ min: 1, max: 9000 }), (shape, depth) => {
          expectFeedsValid(render(`nesting ${shape}`, Buffer.from(shapes[shape]?.(depth) ?? "")));
        }),
        { seed: 20260204, numRuns: 60 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describe("Markdown and raw HTML come out sanitized, with absolute URLs only", () => {
  test(
    "scripts, event handlers and javascript: URLs never survive; every URL is absolute",
    () => {
      fc.assert(
        fc.property(markdown, fc.constantFrom("2025-06-01-fuzz.md", "nested/deeper/2025-06-01-fuzz.markdown"), (body, sourcePath) => {
          const result = render("Markdown", Buffer.from(`---\ntitle: Markdown\n---\n${body}\n`), sourcePath);
          // A NUL byte makes it a binary file, refused as such (content/read-post-file.ts).
          expect(result.kind).toBe(body.includes("\u0000") ? "error" : "post");
          expectSafeHtml(result);
          expectFeedsValid(result);
        }),
        { seed: 20260205, numRuns: 500 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  test(
    "the e-mail autolink bound (64-character local part) changes nothing for anything shorter",
    () => {
      const plain = new Marked({ gfm: true, breaks: false, async: false });
      const localPart = fc.string({ unit: fc.constantFrom(..."abc._+-!#*~_"), minLength: 1, maxLength: 64 });
      const withAddresses = fc
        .array(fc.oneof(markdown, fc.tuple(localPart, fc.constantFrom("@example.com", "@b.cd", "@", " @x.org")).map(([local, domain]) => `${local}${domain}`)), { maxLength: 6 })
        .map((pieces) => pieces.join(" "));
      fc.assert(
        fc.property(withAddresses, (source) => {
          // Only where no run of local-part characters is longer than RFC 5321 allows.
          fc.pre(!/[a-zA-Z0-9.!#$%&'*+/=?_`{|}~-]{65}/u.test(source));
          expect(renderMarkdown(source)).toBe(plain.parse(source, { async: false }));
        }),
        { seed: 20260206, numRuns: 400 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------------
// kramdown's syntax (a Jekyll site's posts): no extension may be quadratic or unsafe.

/** A Jekyll site with Jekyll's kramdown defaults, its posts in _posts/. */
const KRAMDOWN_SETTINGS = jekyllSiteState(CONFIG, parseJekyllSiteConfig("", "_config.yml"), ".").settings;
const KRAMDOWN_POST = "_posts/2025-06-01-fuzz.md";

function renderKramdown(label: string, body: string): PostFileResult {
  // Room for the 100 KB cases below.
  return render(label, new TextEncoder().encode(`---\ntitle: Fuzz\n---\n${body}`), KRAMDOWN_POST, KRAMDOWN_SETTINGS, 4 * MAX_BYTES);
}

/** About 100 KB of `piece`, repeated. */
function repeated(piece: string, bytes = 100 * 1024): string {
  return piece.repeat(Math.ceil(bytes / piece.length));
}

const abbreviationNames = Array.from({ length: 10_000 }, (_, index) => `A${index.toString(36).toUpperCase()}`);
const HOSTILE_KRAMDOWN: readonly [string, string][] = [
  ["100 KB of {:", repeated("{:")],
  ["100 KB of {:: on one line", repeated("{::")],
  ["a block IAL on every line", repeated("{: .a #b c=\"d\"}\n")],
  ["span IALs after every emphasis", repeated("*a*{: .x}")],
  ["unclosed span IALs after emphasis", repeated("*a*{: .x")],
  ["unclosed extension start tags on one line", repeated("{::comment x ")],
  ["ALDs referring to each other", Array.from({ length: 2000 }, (_, index) => `{:d${index}: .c${index} d${index + 1} d${Math.max(0, index - 1)}}`).join("\n") + "\n\ntext\n{: d0}"],
  ["unclosed {::comment} blocks", repeated("{::comment}\ntext\n\n")],
  ["unclosed {::comment} in text", repeated("a _b_ {::comment} ")],
  ["unclosed {::nomarkdown} and one end tag at the end", `${repeated("{::nomarkdown}\n\n")}{:/}`],
  ["10,000 abbreviations", `${abbreviationNames.map((name) => `*[${name}]: Title ${name}`).join("\n")}\n\n${abbreviationNames.slice(0, 3000).join(" ")}`],
  ["an abbreviation prefix of every word", `*[${"a".repeat(64)}]: long\n\n${repeated("a".repeat(63) + " ", 60 * 1024)}`],
  ["unclosed markdown=\"1\" elements", repeated('<div markdown="1">\n')],
  ["unclosed div blocks with blank lines", repeated("<div>\n\ntext\n\n")],
  ["nested div blocks with blank lines", `${repeated("<div>\n\n", 50 * 1024)}${repeated("</div>\n\n", 50 * 1024)}`],
  ["a start tag with many attributes", `<div ${repeated("a ", 50 * 1024)}markdown="1"`],
  ["terms without definitions", repeated("term\n")],
  ["definitions without terms", repeated(": definition\n")],
  ["pipe lines", repeated("| a | b\n")],
  ["a table of contents of many headings", `* TOC\n{:toc}\n\n${repeated("## Heading\n{: #h}\n\n", 60 * 1024)}`],
];

describe("kramdown's syntax on hostile input", () => {
  test.each(HOSTILE_KRAMDOWN)("%s: a post, safe, with valid feeds", (label, body) => {
    const result = renderKramdown(label, body);
    expect(result.kind).toBe("post");
    expectSafeHtml(result);
    expectFeedsValid(result);
  });

  const KRAMDOWN_PIECES = ["{: .x #y}", "{:", "}", "{:ref: .r}", "{: ref}", "{:toc}", "*[A]: B", "A", "{::comment}", "{::nomarkdown}", "{:/}", "{:/comment}", "{::options x=\"1\" /}", '<div markdown="1">', "</div>", ": ", "| ", "\n"];
  const kramdownMarkdown = fc
    .array(fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...KRAMDOWN_PIECES) }, { weight: 2, arbitrary: fc.constantFrom(...MARKDOWN_PIECES) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }), { maxLength: 24 })
    .map((pieces) => pieces.join(""));

  test(
    "arbitrary Markdown with kramdown's syntax: a post or a clear error, safe, with valid feeds",
    () => {
      fc.assert(
        fc.property(kramdownMarkdown, (body) => {
          const result = renderKramdown("kramdown property", body);
          expectSafeHtml(result);
          expectFeedsValid(result);
        }),
        { seed: 20261208, numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------------
// A Jekyll site's Markdown is read as kramdown (content/kramdown/): footnotes, heading ids and
// typography get hostile input of their own. Each case must render, safe, and the same whether
// the safe renderer or the sanitizer makes it so; the test timeout ends a hang.

const KRAMDOWN_OPTIONS: KramdownOptions = kramdownOptions({}, (keyPath, message) => {
  throw new Error(`kramdown.${keyPath.join(".")}: ${message}`);
});
const KRAMDOWN_POST_URL = "https://blog.example.com/2025/06/01/kramdown/";

/** The post's safe HTML, after checking both ways of making it safe agree and nothing unsafe is left. */
function renderBothWays(source: string): string {
  const post = renderPostMarkdown(source, KRAMDOWN_POST_URL, KRAMDOWN_OPTIONS);
  const html = post.safeHtml();
  expect(html).toBe(sanitizePostHtml(renderMarkdown(source, KRAMDOWN_OPTIONS), KRAMDOWN_POST_URL, "kramdown"));
  expect(htmlSafetyProblems(html, { requireAbsoluteHttpUrls: false }).filter((problem) => !isHttpUrlFinding(problem))).toEqual([]);
  expect(nonAbsoluteUrls(html)).toEqual([]);
  return html;
}

const KRAMDOWN_PIECES = [
  "[^a]", "[^b]", "[^a]: ", "\n[^b]: note ", "\n    ", "[^", "]:", "\"", "'", "--", "---", "...", "<<", ">>", " << ", "{#id}", "# ", "## ",
  "*", "_", "`", "[x](javascript:alert(1))", "<script>", "&quot;", "&#34;", "\n\n", "\n", "日本語", "「", "」",
];
const kramdownMarkdown = fc
  .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KRAMDOWN_PIECES) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }), { maxLength: 30 })
  .map((pieces) => pieces.join(""));

describe("kramdown footnotes, typography and heading ids: hostile Markdown renders safe, whichever way it is made safe", () => {
  test(
    "generated footnotes, quotes, dashes, guillemets and heading ids",
    () => {
      fc.assert(
        fc.property(kramdownMarkdown, (source) => {
          renderBothWays(source);
        }),
        { seed: 20261206, numRuns: 400 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  test("100 KB of unfinished footnote references stays text", () => {
    const html = renderBothWays("[^".repeat(50_000));
    expect(html).toBe(`<p>${"[^".repeat(50_000)}</p>\n`);
  });

  test("50,000 quotes each become one typographic quote", () => {
    const html = renderBothWays("\"'".repeat(25_000));
    expect([...html.replace(/^<p>|<\/p>\n$/gu, "")].every((character) => "‘’“”".includes(character))).toBe(true);
    expect([...html.replace(/^<p>|<\/p>\n$/gu, "")]).toHaveLength(50_000);
  });

  test("2,000 footnotes each referring to the next are numbered in order, each listed once", () => {
    const count = 2000;
    const definitions = Array.from({ length: count }, (_, index) => `[^n${index}]: Note ${index}[^n${index + 1}]`).join("\n");
    const html = renderBothWays(`Start[^n0].\n\n${definitions}\n`);
    expect(html.match(/<li id="fn:n\d+"/gu)).toHaveLength(count);
    expect(html).toContain(`<a href="${KRAMDOWN_POST_URL}#fn:n${count - 1}" class="footnote" rel="footnote">${count}</a>`);
    // The last note refers to a note nobody defined: that reference stays text.
    expect(html).toContain(`Note ${count - 1}[^n${count}]`);
  });

  test("footnote definitions nested 150 deep inside each other", () => {
    const depth = 150;
    const nested = Array.from({ length: depth }, (_, level) => `${"    ".repeat(level)}[^d${level}]: Level ${level}[^d${level + 1}]`).join("\n");
    const html = renderBothWays(`Top[^d0].\n\n${nested}\n`);
    expect(html).toContain('<sup id="fnref:d0" role="doc-noteref">');
  });

  test("10,000 references to one note give one note with a back link per reference", () => {
    const html = renderBothWays(`${"[^a]".repeat(10_000)}\n\n[^a]: The note.\n`);
    expect(html.match(/class="reversefootnote"/gu)).toHaveLength(10_000);
  });

  test("25,000 guillemets and 5,000 repeated headings", () => {
    expect(renderBothWays("<<".repeat(25_000))).toBe(`<p>${"«".repeat(25_000)}</p>\n`);
    const html = renderBothWays("# \"Same\" -- heading\n\n".repeat(5000));
    expect(html).toContain('<h1 id="same--heading-4999">');
  });
});
