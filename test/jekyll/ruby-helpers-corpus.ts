// Inputs for the Ruby methods src/content/liquid ports one by one, asked of Ruby itself by
// test/jekyll/liquid.jekyll.test.ts: Time#strftime, Time.parse (through Liquid's date filter)
// and Addressable's normalization (relative_url, absolute_url, uri_escape).

/** Every flag, width and conversion of Ruby 3.1's strftime.c, and its invalid forms. */
export const STRFTIME_FORMATS: readonly string[] = [
  "%Y-%m-%d %H:%M:%S %z", "%e", "%-e", "%_d", "%0e", "%k", "%l", "%-l", "%I", "%p", "%P", "%^p", "%#p", "%#P", "%a", "%^a", "%#a",
  "%10a", "%-10a", "%_10a", "%010a", "%A", "%b", "%^B", "%#B", "%h", "%j", "%-j", "%L", "%3N", "%N", "%6N", "%12N", "%s", "%u",
  "%w", "%U", "%W", "%V", "%G", "%g", "%c", "%x", "%X", "%D", "%F", "%T", "%R", "%r", "%v", "%+", "%n", "%t", "%%", "%Q", "%q",
  "%E", "%Ey", "%Oy", "%Od", "%10F", "%-m/%-d", "%:", "%:y", "%-10d", "%_3m", "%^Z", "%#Z", "%Z", "%10z", "%-:z", "%_z", "%3z",
  "%:::z", "%::z", "%_10z", "%-z", "%y", "%-y", "%^c", "%30c", "%_12F", "%015A", "%-H", "%#H", "%^j", "%-%", "%5%", "%^%",
  "%10-a", "%-_5d", "%_-5d", "%^#Z", "%C", "%1b", "%100a", "%B %-d, %Y", "%I:%M %p", "%y%m%d", "%Y %", "%1", "a%-", "%_",
];

/** Instants (ms since 1970) and how each is shown: in a zone (as Jekyll's dates are), in UTC, or at a fixed offset. */
export const STRFTIME_TIMES: readonly { readonly epochMilliseconds: number; readonly zone: string }[] = [
  1704585903123, 946684800000, 1719792000000, 1735603200000, 1230681600000, 1709164800000, 4102444800000,
].flatMap((epochMilliseconds) => [
  { epochMilliseconds, zone: "Asia/Tokyo" },
  { epochMilliseconds, zone: "America/New_York" },
  { epochMilliseconds, zone: "Europe/Berlin" },
  { epochMilliseconds, zone: "utc" },
  { epochMilliseconds, zone: "-03:30" },
]);

/** Strings people give the date filters; Feedwright reads the forms listed in ruby-time.ts parseRubyTime. */
export const TIME_STRINGS: readonly string[] = [
  "2024-01-05", "2024-1-5 10:00", "2024/01/05 10:00:00", "2024-01-05T10:00:00Z", "2024-01-05 10:00:00 UTC", "2024-01-05T10:00:00.5+05:30",
  "2024-01-05 10:00:00 -0000", "2024-01-05 10:00 EST", "2024-01-05 10:00:00 +0900", "2024-01-05T23:59:59-08:00", "Jan 5, 2024",
  "January 5 2024", "5 Jan 2024", "5 Jan 2024 10:00 +0200", "Sun, 07 Jan 2024 09:05:03 GMT", "Tue Jan 9 2024", "May 3rd 2024",
  "20240105", "2024-02-29", "2023-02-29", "2024-13-45", "hello", "", "2024-01-05 3:04 pm", "2024-01-05 10:00 PDT",
];

/** What relative_url and absolute_url normalize, and uri_escape encodes. */
export const URI_INPUTS: readonly string[] = [
  "/blog/a b/c.html", "/blog/日本語/", "https://Example.COM:443/a/./b/../c?x=1&y=a b+c%2b#frag ment", "http://example.com",
  "/a/%7Efoo/%2F/%41", "/ｆｏｏ", "/a?q=%2B&r=é", "/x:y", "//host/p", "/blog//x", "/100%", "/%E3%81%82", "/%FF", "https://例え.jp/パス",
  "http://u:p@h:8080/p", "/../a/../../b/./c/.", "foo, bar \\baz?", "a#b#c", "/a/b/..", "https://example.com/blog/feed.xml",
  "http://example.com:80/", "/tag/c++/", "/q?a=1;b=2&c=%26", "mailto:ann@example.com", "/tags/#fragment only", "/a?", "/a#",
  "https://example.com/a/../../b", "/ä%C3%A4", "HTTP://EXAMPLE.com/", "/a%2fb", "?only=query", "#only-fragment",
];
