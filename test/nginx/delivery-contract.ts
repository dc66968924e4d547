// What a feed reader or aggregator sees from a server of Feedwright's documents, written once and
// run against the live server and against nginx serving the static export (deploy/nginx.conf):
// the bytes of every document in every coding (compared with a live Feedwright over the same
// posts), media types, caching and CORS headers, validators and conditional requests, HEAD,
// codings chosen by Accept-Encoding, short 404s, slug paths, paging redirects and 405.
//
// Where a static server cannot do what Feedwright does, the target names the feature with the
// reason, and the test asserts what that server does instead (the difference README.md
// documents), printing the reason: nothing is skipped.
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { expect, test, type TestContext } from "vitest";
import { rawRequest, type RawResponse } from "../helpers/http.js";
import { ARCHIVE_CACHE_CONTROL, CACHE_CONTROL, PATHS, SAMPLE_DOCUMENTS } from "./fixture.js";

/** What Feedwright does that a target may not, each assertion needing one naming it. */
export type Feature =
  | "br"
  | "q-values"
  | "wildcard-coding"
  | "x-gzip"
  | "not-acceptable"
  | "if-none-match-precedence"
  | "canonical-redirects";

export interface DeliveryTarget {
  readonly port: number;
  /** Features this target lacks, with the reason; the tests then check what it does instead. */
  readonly lacks: Readonly<Partial<Record<Feature, string>>>;
}

export interface ContractSetup {
  readonly target: DeliveryTarget;
  /** A live Feedwright over the same posts and configuration: the bytes every document must have. */
  readonly referencePort: number;
  /** The URL path of every document (percent-encoded as on the wire): "/", "/feed.xml", … */
  readonly documents: readonly string[];
}

type Coding = "identity" | "gzip" | "br";
const CODINGS: readonly Coding[] = ["identity", "gzip", "br"];

const CONTENT_TYPES: readonly (readonly [RegExp, string])[] = [
  [/\/feed\.xml$/, "application/rss+xml; charset=utf-8"],
  [/\/atom\.xml$/, "application/atom+xml; charset=utf-8"],
  [/\/feed\.json$/, "application/feed+json; charset=utf-8"],
  [/^\/$/, "text/html; charset=utf-8"],
  [/\/feeds\.opml$/, "text/x-opml; charset=utf-8"],
  [/\/feed\.xsl$/, "text/xsl; charset=utf-8"],
];

function contentTypeOf(path: string): string {
  const type = CONTENT_TYPES.find(([pattern]) => pattern.test(path))?.[1];
  if (!type) throw new Error(`test/nginx: no media type known for ${path}`);
  return type;
}

/** RSS and Atom are also sent as application/xml to browsers, so they vary with Accept too. */
function varyOf(path: string): string {
  return /\/(?:feed|atom)\.xml$/.test(path) ? "Accept, Accept-Encoding" : "Accept-Encoding";
}

function decode(response: RawResponse): Buffer {
  const coding = response.headers["content-encoding"];
  if (coding === "gzip") return gunzipSync(response.body);
  if (coding === "br") return brotliDecompressSync(response.body);
  if (coding !== undefined) throw new Error(`unexpected Content-Encoding ${coding}`);
  return response.body;
}

/** Says, in the test's output, that a documented difference is what is being checked. */
function checkingDifference(context: TestContext, reason: string): void {
  console.info(`[documented difference] ${context.task.name}: ${reason}`);
}

export function describeDeliveryContract(setup: () => ContractSetup): void {
  const target = (): DeliveryTarget => setup().target;
  const get = (path: string, headers: Record<string, string> = {}, method = "GET"): Promise<RawResponse> => rawRequest(target().port, path, { method, headers });
  const live = (path: string, headers: Record<string, string> = {}, method = "GET"): Promise<RawResponse> => rawRequest(setup().referencePort, path, { method, headers });
  /** True when the target lacks `feature` (and says so in the output): check its documented behaviour instead. */
  const lacks = (context: TestContext, feature: Feature): boolean => {
    const reason = target().lacks[feature];
    if (reason !== undefined) checkingDifference(context, reason);
    return reason !== undefined;
  };
  /** The coding to ask for: without Brotli a target serves gzip instead, which is then what is checked. */
  const codingFor = (context: TestContext, coding: Coding): Coding => (coding === "br" && lacks(context, "br") ? "gzip" : coding);

  test.for(CODINGS)("every document sent as %s has the live server's bytes, media type and headers", async (asked, context) => {
    const coding = codingFor(context, asked);
    const headers = { "Accept-Encoding": coding };
    const { documents } = setup();
    expect(documents.length).toBeGreaterThan(20);
    for (const path of documents) {
      const [response, reference, identity] = await Promise.all([get(path, headers), live(path, headers), live(path)]);
      expect(response.status, path).toBe(200);
      expect(reference.status, path).toBe(200);
      // The same coding as the live server (the identity where compression is not smaller)…
      expect(response.headers["content-encoding"], path).toBe(reference.headers["content-encoding"]);
      // …with exactly its bytes, which decode to exactly the live identity.
      expect(response.body.equals(reference.body), `${path} ${coding}: the live server's bytes`).toBe(true);
      expect(decode(response).equals(identity.body), `${path} ${coding}: decodes to the identity`).toBe(true);
      if (coding !== "identity" && response.headers["content-encoding"] !== undefined) expect(response.body.length, path).toBeLessThan(identity.body.length);
      expect(Number(response.headers["content-length"]), path).toBe(response.body.length);
      expect(response.headers["content-type"], path).toBe(contentTypeOf(path));
      expect(response.headers.vary, path).toBe(varyOf(path));
      expect(response.headers.vary, path).toBe(reference.headers.vary);
      expect(response.headers["cache-control"], path).toBe(path.includes("/archive/") ? ARCHIVE_CACHE_CONTROL : CACHE_CONTROL);
      expect(response.headers["cache-control"], path).toBe(reference.headers["cache-control"]);
      expect(response.headers["x-content-type-options"], path).toBe("nosniff");
      expect(response.headers["access-control-allow-origin"], path).toBe("*");
      expect(response.headers.etag, path).toMatch(/^"[^"]+"$/);
      expect(Number.isNaN(Date.parse(String(response.headers["last-modified"]))), path).toBe(false);
    }
  });

  test.for(CODINGS)("each coding has its own strong ETag; If-None-Match with it (%s) gets a bodiless 304 repeating the validators and caching headers", async (asked, context) => {
    const coding = codingFor(context, asked);
    for (const path of SAMPLE_DOCUMENTS) {
      const headers = { "Accept-Encoding": coding };
      const full = await get(path, headers);
      const identity = await get(path);
      if (full.headers["content-encoding"] !== undefined) expect(full.headers.etag, path).not.toBe(identity.headers.etag);
      const revalidated = await get(path, { ...headers, "If-None-Match": String(full.headers.etag) });
      expect(revalidated.status, path).toBe(304);
      expect(revalidated.body.length, path).toBe(0);
      expect(revalidated.headers["content-length"], path).toBeUndefined();
      for (const name of ["etag", "last-modified", "cache-control", "vary", "x-content-type-options", "access-control-allow-origin"]) {
        expect(revalidated.headers[name], `${path} ${name}`).toBe(full.headers[name]);
      }
      expect((await get(path, { ...headers, "If-None-Match": '"stale"' })).status, path).toBe(200);
    }
  });

  test("If-None-Match uses the weak comparison, lists and *", async () => {
    const etag = String((await get("/atom.xml")).headers.etag);
    for (const header of [`W/${etag}`, `"a", ${etag}, "b"`, "*"]) {
      expect((await get("/atom.xml", { "If-None-Match": header })).status, header).toBe(304);
    }
  });

  test("If-Modified-Since with the Last-Modified sent gets 304, an older date 200, and a stale If-None-Match wins over it", async () => {
    const first = await get(`${PATHS.japaneseTag}/feed.xml`);
    const lastModified = String(first.headers["last-modified"]);
    expect((await get(`${PATHS.japaneseTag}/feed.xml`, { "If-Modified-Since": lastModified })).status).toBe(304);
    expect((await get(`${PATHS.japaneseTag}/feed.xml`, { "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT" })).status).toBe(200);
    expect((await get(`${PATHS.japaneseTag}/feed.xml`, { "If-None-Match": '"stale"', "If-Modified-Since": lastModified })).status).toBe(200);
  });

  test("a matching If-None-Match takes precedence over an older If-Modified-Since (RFC 9110 §13.2.2)", async (context) => {
    const etag = String((await get("/feed.xml")).headers.etag);
    const response = await get("/feed.xml", { "If-None-Match": etag, "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT" });
    // A target that checks both sends the whole document again: more bytes, never a wrong 304.
    expect(response.status).toBe(lacks(context, "if-none-match-precedence") ? 200 : 304);
  });

  test.for(CODINGS)("HEAD answers like GET (%s), Content-Length included, without a body", async (asked, context) => {
    const coding = codingFor(context, asked);
    const headers = { "Accept-Encoding": coding };
    for (const path of SAMPLE_DOCUMENTS) {
      const [getResponse, head] = await Promise.all([get(path, headers), get(path, headers, "HEAD")]);
      expect(head.status, path).toBe(200);
      expect(head.body.length, path).toBe(0);
      for (const name of ["content-type", "content-length", "content-encoding", "etag", "last-modified", "cache-control", "vary", "x-content-type-options", "access-control-allow-origin"]) {
        expect(head.headers[name], `${path} ${name}`).toBe(getResponse.headers[name]);
      }
    }
  });

  // [Accept-Encoding, the coding Feedwright sends, and per feature a target may lack, the coding it sends then]
  const codingCases: readonly (readonly [acceptEncoding: string, expected: string | undefined, otherwise: Partial<Record<Feature, string | undefined>>])[] = [
    ["gzip", "gzip", {}],
    ["br", "br", { br: undefined }],
    ["gzip, deflate, br", "br", { br: "gzip" }],
    ["br;q=0, gzip;q=0.1", "gzip", {}],
    ["gzip;q=0, br;q=0", undefined, {}],
    ["deflate", undefined, {}],
    // brotli_static ignores q-values and sends br whenever it is named (gzip without the module).
    ["gzip;q=1, br;q=0.5", "gzip", { "q-values": "br", br: "gzip" }],
    // gzip_static and brotli_static look for their coding by name: "*" gets the identity.
    ["*", "br", { "wildcard-coding": undefined, br: undefined }],
    ["x-gzip", "gzip", { "x-gzip": undefined }],
  ];
  test.for(codingCases)("Accept-Encoding %j gives Content-Encoding %j with the same document inside", async ([acceptEncoding, feedwrightSends, otherwise], context) => {
    let expected = feedwrightSends;
    for (const [feature, sent] of Object.entries(otherwise) as [Feature, string | undefined][]) {
      if (lacks(context, feature)) expected = sent;
    }
    const identity = await get("/feed.xml");
    const response = await get("/feed.xml", { "Accept-Encoding": acceptEncoding });
    expect(response.status).toBe(200);
    expect(response.headers["content-encoding"]).toBe(expected);
    expect(response.headers.vary).toContain("Accept-Encoding");
    expect(decode(response).equals(identity.body)).toBe(true);
  });

  test("identity;q=0 with nothing else acceptable gets 406", async (context) => {
    const response = await get("/feed.xml", { "Accept-Encoding": "identity;q=0" });
    if (lacks(context, "not-acceptable")) {
      // A target without 406 sends the identity anyway (RFC 9110 allows either).
      expect(response.status).toBe(200);
      expect(response.headers["content-encoding"]).toBeUndefined();
    } else {
      expect(response.status).toBe(406);
    }
  });

  test("a browser (Accept: text/html) gets RSS and Atom as application/xml, same bytes; JSON Feed keeps its type", async () => {
    const accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    for (const path of ["/feed.xml", `${PATHS.japaneseTag}/atom.xml`, "/archive/1/atom.xml"]) {
      const reader = await get(path, { "Accept-Encoding": "gzip" });
      const browser = await get(path, { Accept: accept, "Accept-Encoding": "gzip" });
      expect(browser.status, path).toBe(200);
      expect(browser.headers["content-type"], path).toBe("application/xml; charset=utf-8");
      expect(browser.headers.vary, path).toBe("Accept, Accept-Encoding");
      expect(browser.body.equals(reader.body), path).toBe(true);
    }
    expect((await get("/feed.json", { Accept: accept })).headers["content-type"]).toBe("application/feed+json; charset=utf-8");
  });

  test("paths that are no document get Feedwright's short 404", async () => {
    const reference = await live("/tags/no-such-tag/feed.xml");
    expect(reference.status).toBe(404);
    for (const path of ["/tags/no-such-tag/feed.xml", "/wp-login.php", "/archive/99/feed.xml", `${PATHS.japaneseTag}/archive/9/atom.xml`, "/index.html", "/feed.xml.gz", "/tags/", "/nope"]) {
      for (const accept of [undefined, "text/html"]) {
        const response = await get(path, accept ? { Accept: accept } : {});
        expect(response.status, path).toBe(404);
        expect(response.headers["content-type"], path).toBe(reference.headers["content-type"]);
        expect(response.text, path).toBe(reference.text);
        expect(response.headers["x-content-type-options"], path).toBe("nosniff");
      }
      expect((await get(path, {}, "HEAD")).body.length, path).toBe(0);
    }
  });

  test("Japanese, c%23, c++, ci~2fcd and .net slugs and their archive pages reach their folders", async () => {
    const paths = [
      `${PATHS.japaneseTag}/feed.xml`,
      `${PATHS.japaneseTag}/archive/1/atom.xml`,
      `${PATHS.japaneseCategory}/feed.json`,
      `${PATHS.japaneseCategory}/archive/1/feed.xml`,
      `${PATHS.sharp}/feed.xml`,
      `${PATHS.plusPlus}/atom.xml`,
      `${PATHS.ciCd}/feed.json`,
      `${PATHS.dotNet}/feed.xml`,
      "/archive/2/feed.json",
      "/archive/1/atom.xml",
    ];
    for (const path of paths) {
      const [response, reference] = await Promise.all([get(path), live(path)]);
      expect(reference.status, path).toBe(200);
      expect(response.status, path).toBe(200);
      expect(response.body.equals(reference.body), path).toBe(true);
    }
  });

  test("archive numbers with leading zeros are redirected to the canonical URL", async () => {
    for (const path of ["/archive/02/feed.json", `${PATHS.japaneseTag}/archive/001/feed.xml`, `${PATHS.sharp}/archive/01/feed.json`]) {
      const [response, reference] = await Promise.all([get(path), live(path)]);
      expect(reference.status, path).toBe(301);
      expect(response.status, path).toBe(301);
      expect(response.headers.location, path).toBe(reference.headers.location);
    }
  });

  test("another spelling of a tag (case, original name) is redirected to its canonical URL", async (context) => {
    const redirects = !lacks(context, "canonical-redirects");
    for (const [path, location] of [
      ["/tags/C%23/feed.xml", `${PATHS.sharp}/feed.xml`],
      ["/tags/CI%2FCD/atom.xml", `${PATHS.ciCd}/atom.xml`],
    ] as const) {
      const response = await get(path);
      // A static server knows only the canonical folders: another spelling is a plain 404.
      expect(response.status, path).toBe(redirects ? 301 : 404);
      if (redirects) expect(response.headers.location, path).toBe(location);
    }
  });

  test("other methods get 405 naming the ones that work", async () => {
    for (const method of ["POST", "PUT", "DELETE", "OPTIONS"]) {
      const response = await get("/feed.xml", {}, method);
      expect(response.status, method).toBe(405);
      expect(response.headers.allow, method).toBe("GET, HEAD");
    }
  });
}
