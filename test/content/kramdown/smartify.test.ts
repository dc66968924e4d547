// Jekyll's smartify filter. Every expected line is what Jekyll 4.3's SmartyPants converter
// (kramdown 2.4) wrote for the same input.
import { describe, expect, test } from "vitest";
import { smartifyText } from "../../../src/content/jekyll/smartify.js";
import { quoteCharacters } from "../../../src/content/kramdown/typography.js";

const FROM_JEKYLL: readonly (readonly [string, string])[] = [
  ["a < b & \"c\" &amp; <em>\"x\"</em> &copy; ©", "a &lt; b &amp; “c” &amp; <em>“x”</em> © ©"],
  ["It's \"line\"\nnext \"line\" -- ok... <<x>> \\<< 1 << 2", "It’s “line”\nnext “line” – ok… «x» &lt;&lt; 1 «\u00a02"],
  ["&lt;b&gt; \"q\" &nosuch; 'x'", "&lt;b&gt; “q” &amp;nosuch; ‘x’"],
  ["\"Ends with newline\"\n", "“Ends with newline”"],
  ["<a href=\"x\">'link'</a>'s end", "<a href=\"x\">‘link’</a>’s end"],
  ["It's 'quoted' -- right...", "It’s ‘quoted’ – right…"],
  ["jekyll-feed's feed.xml", "jekyll-feed’s feed.xml"],
];

describe("smartifyText", () => {
  test.each(FROM_JEKYLL)("%s", (input, expected) => {
    expect(smartifyText(input)).toBe(expected);
  });

  test("uses the site's smart_quotes", () => {
    expect(smartifyText("\"Hallo\"", quoteCharacters(["sbquo", "lsquo", "bdquo", "ldquo"]))).toBe("„Hallo“");
  });
});
