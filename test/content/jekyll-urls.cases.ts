// The inputs of the absolute_url and Document#id comparison with Jekyll (test/jekyll/jekyll-urls.jekyll.test.ts).

export const URLS_FIXTURE = new URL("../fixtures/jekyll-urls.json", import.meta.url);

export interface RecordedJekyllUrls {
  readonly comment: string;
  readonly absoluteUrl: readonly { readonly url: string; readonly baseurl: string; readonly input: string; readonly absolute: string; readonly relative: string }[];
  readonly documentId: readonly { readonly url: string; readonly slug: string; readonly id: string }[];
}

const SITES = [
  { url: "https://example.com", baseurl: "" },
  { url: "https://Example.COM:443", baseurl: "/blog/" },
  { url: "http://example.com:8080", baseurl: "blog" },
  { url: "https://example.com/", baseurl: "/日本/" },
];

const INPUTS = [
  "/2024/12/25/hello",
  "2024/12/25/hello.html",
  "/2024/12/25/東京",
  "/%E6%9D%B1%E4%BA%AC/",
  "/a b/c",
  "/Ｆｅｅｄ/ｶﾀｶﾅ/",
  "/caf\u0065\u0301/",
  "/a/../b/./c",
  "/x%2Fy/z",
  "/100%/x",
  "/q?x=1&y=%2B&z=a b",
  "/f#frag ment",
  "/c#/c++/",
  "/emoji/😀",
  "/",
  "",
  "https://other.example/x y",
];

export const URL_CASES: readonly { readonly url: string; readonly baseurl: string; readonly input: string }[] = SITES.flatMap((site) => INPUTS.map((input) => ({ ...site, input })));

export const ID_CASES: readonly { readonly url: string; readonly slug: string }[] = [
  { url: "/jekyll/update/2025/01/29/welcome.html", slug: "welcome" },
  { url: "/2025/01/29/welcome/", slug: "welcome" },
  { url: "/about-me/", slug: "2025-01-29-about" },
  { url: "/x.html", slug: "x" },
  { url: "/", slug: "index" },
  { url: "/2024/12/25/%E6%9D%B1%E4%BA%AC/", slug: "東京" },
  { url: "/a/b/c", slug: "/d" },
  { url: "/a//b/", slug: "c" },
  { url: "/news/2024/12/25/a%20b.html", slug: "a b" },
];
