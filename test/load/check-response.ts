// What every response of the load must be, checked in full: the status the URL allows, the
// headers that go with it, and for a 200 a complete, valid document — decompressed when it was
// sent compressed, parsed by an independent strict XML parser (saxes) or JSON.parse plus the
// JSON Feed 1.1 schema, and the document of the URL asked for (its rel="self" or feed_url).
//
// A document is parsed once per distinct byte sequence (once for its three codings, which
// decompress to the same text): the same bytes always get the same verdict, and parsing the
// ~100 KB documents again at every request would make this process, not the server, the
// bottleneck of the load. Every body is still hashed, so every one is checked.
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { jsonFeedSchemaErrors } from "../helpers/json-feed-schema.js";
import { child, childText, children, parseXml, type XmlElement } from "../helpers/xml.js";

export type FeedFormat = "rss" | "atom" | "json";

export type Target =
  | {
      readonly kind: "document";
      /** "feed": the first page of the site, a category or a tag; "page": an archive page. */
      readonly group: "feed" | "page";
      readonly path: string;
      readonly format: FeedFormat;
      /** Absolute URL the document must name as rel="self" (RSS and Atom). */
      readonly selfUrl: string;
      /** Absolute URL of the feed's first page in this format: Atom <id>, JSON Feed feed_url. */
      readonly feedUrl: string;
    }
  | { readonly kind: "missing"; readonly group: "missing"; readonly path: string }
  | { readonly kind: "redirect"; readonly group: "redirect"; readonly path: string; readonly location: string };

export interface Exchange {
  readonly target: Target;
  /** The Accept-Encoding sent; undefined: none (identity). */
  readonly acceptEncoding: string | undefined;
  /** The If-None-Match sent, if any. */
  readonly ifNoneMatch: string | undefined;
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface Problem {
  /** Short, stable: problems are counted by kind. */
  readonly kind: string;
  readonly detail: string;
}

export const JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1";
const ATOM_NS = "http://www.w3.org/2005/Atom";
const MEDIA_TYPES: Readonly<Record<FeedFormat, string>> = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
};
const NOT_FOUND_TEXT = "No feed here.";
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** What a body says about itself, or why it is not a valid document. Depends only on the bytes. */
interface BodyVerdict {
  readonly problem: string | undefined;
  /** rel="self" (RSS, Atom). */
  readonly self: string | undefined;
  /** Atom <id> or JSON Feed feed_url. */
  readonly feedId: string | undefined;
}

export class ResponseChecker {
  readonly #limit: number;
  readonly #verdicts = new Map<string, BodyVerdict>();
  /** 200 bodies checked (each hashed, and parsed when new). */
  bodiesChecked = 0;
  /** Distinct documents parsed (after decompression). */
  bodiesParsed = 0;

  /** `limit`: feed.limit, the most items a document may hold. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  check(exchange: Exchange): Problem[] {
    const { target, status } = exchange;
    const problems: Problem[] = [];
    const length = exchange.headers["content-length"];
    if (length !== undefined && status !== 304 && Number(length) !== exchange.body.length) {
      problems.push({ kind: "Content-Length differs from the body", detail: `Content-Length ${length}, body ${exchange.body.length} bytes` });
    }
    switch (target.kind) {
      case "document":
        if (status === 200) this.#checkDocument(exchange, target, problems);
        else if (status === 304) checkNotModified(exchange, problems);
        else problems.push({ kind: "unexpected status", detail: `${status} for a document that exists (expected 200${exchange.ifNoneMatch ? " or 304" : ""})` });
        break;
      case "missing":
        if (status !== 404) problems.push({ kind: "unexpected status", detail: `${status} for a URL with no document (expected 404)` });
        else if (!exchange.body.toString("utf8").startsWith(NOT_FOUND_TEXT)) problems.push({ kind: "404 body", detail: JSON.stringify(exchange.body.toString("utf8").slice(0, 120)) });
        break;
      case "redirect":
        if (status !== 301) problems.push({ kind: "unexpected status", detail: `${status} for a non-canonical spelling (expected 301 to ${target.location})` });
        else if (exchange.headers.location !== target.location) problems.push({ kind: "301 Location", detail: `Location ${String(exchange.headers.location)}, expected ${target.location}` });
        break;
    }
    return problems;
  }

  #checkDocument(exchange: Exchange, target: Extract<Target, { kind: "document" }>, problems: Problem[]): void {
    const { headers, body } = exchange;
    this.bodiesChecked++;
    if (headers["content-length"] === undefined) problems.push({ kind: "no Content-Length", detail: "a 200 without Content-Length" });
    const etag = headers.etag;
    if (etag === undefined || !/^"[^"]+"$/.test(etag)) problems.push({ kind: "ETag", detail: `a 200 whose ETag is ${String(etag)}, not a strong one` });
    else if (etag === exchange.ifNoneMatch) problems.push({ kind: "200 despite a matching If-None-Match", detail: `sent If-None-Match ${etag}, got 200 with the same ETag` });
    if (headers["content-type"] !== MEDIA_TYPES[target.format]) {
      problems.push({ kind: "Content-Type", detail: `${String(headers["content-type"])}, expected ${MEDIA_TYPES[target.format]}` });
    }
    if (!/(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(String(headers.vary ?? ""))) problems.push({ kind: "Vary", detail: `Vary ${String(headers.vary)} does not name Accept-Encoding` });
    const coding = headers["content-encoding"];
    if (!codingAllowed(coding, exchange.acceptEncoding)) {
      problems.push({ kind: "Content-Encoding", detail: `Content-Encoding ${String(coding)} for Accept-Encoding ${String(exchange.acceptEncoding)}` });
      return;
    }

    const verdict = this.#verdict(body, coding, target.format);
    if (verdict.problem !== undefined) {
      problems.push({ kind: `invalid ${target.format} body`, detail: verdict.problem });
      return;
    }
    if (target.format !== "json" && verdict.self !== target.selfUrl) {
      problems.push({ kind: "another document", detail: `rel="self" is ${String(verdict.self)}, expected ${target.selfUrl}` });
    }
    if (target.format !== "rss" && verdict.feedId !== target.feedUrl) {
      problems.push({ kind: "another document", detail: `${target.format === "json" ? "feed_url" : "<id>"} is ${String(verdict.feedId)}, expected ${target.feedUrl}` });
    }
  }

  /**
   * The verdict on a body, parsed only when its bytes are new. A compressed body is decompressed
   * once, and its text shares the verdict of the same text sent as identity (one parse for the
   * three codings of a document).
   */
  #verdict(body: Buffer, coding: string | undefined, format: FeedFormat): BodyVerdict {
    const key = `${format}|${coding ?? "identity"}|${digest(body)}`;
    let verdict = this.#verdicts.get(key);
    if (verdict !== undefined) return verdict;
    const decoded = decode(body, coding);
    if (typeof decoded === "string") {
      verdict = { problem: decoded, self: undefined, feedId: undefined };
    } else {
      const textKey = coding === undefined ? key : `${format}|identity|${digest(decoded)}`;
      verdict = this.#verdicts.get(textKey);
      if (verdict === undefined) {
        verdict = readDocument(decoded, format, this.#limit);
        this.bodiesParsed++;
        this.#verdicts.set(textKey, verdict);
      }
    }
    this.#verdicts.set(key, verdict);
    return verdict;
  }
}

function digest(bytes: Buffer): string {
  return createHash("sha1").update(bytes).digest("base64");
}

/** The body's bytes after its Content-Encoding, or why they cannot be had. */
function decode(body: Buffer, coding: string | undefined): Buffer | string {
  try {
    return coding === "gzip" ? gunzipSync(body) : coding === "br" ? brotliDecompressSync(body) : body;
  } catch (error) {
    return `the ${coding ?? "identity"} body (${body.length} bytes) does not decompress: ${(error as Error).message}`;
  }
}

/**
 * A 304 answers only a conditional request, has no body and carries the ETag a 200 to the same
 * request would (RFC 9110 §15.4.5): the one that matched, or the same document's tag for the
 * coding asked for now (a client holding the uncompressed answer sent while the document was
 * being compressed asks with its tag; the 304 then gives it the compressed form's).
 */
function checkNotModified(exchange: Exchange, problems: Problem[]): void {
  if (exchange.ifNoneMatch === undefined) problems.push({ kind: "unexpected status", detail: "304 to a request without If-None-Match" });
  if (exchange.body.length > 0) problems.push({ kind: "304 with a body", detail: `${exchange.body.length} bytes` });
  const base = (etag: string | undefined): string | undefined => etag?.replace(/-(?:gz|br)(?=(?:-xml)?"$)/, "");
  if (exchange.headers.etag !== exchange.ifNoneMatch && base(exchange.headers.etag) !== base(exchange.ifNoneMatch)) {
    problems.push({ kind: "304 ETag", detail: `304 with ETag ${String(exchange.headers.etag)} for If-None-Match ${String(exchange.ifNoneMatch)}` });
  }
}

/** Content-Encoding the request allowed: what it named, or none (a tiny document has no compressed form). */
function codingAllowed(coding: string | undefined, acceptEncoding: string | undefined): boolean {
  if (coding === undefined) return true;
  const accepted = (acceptEncoding ?? "").split(",").map((part) => part.trim().split(";")[0]?.toLowerCase());
  return (coding === "gzip" || coding === "br") && accepted.includes(coding);
}

/** Reads decoded bytes as a document of `format`. */
function readDocument(bytes: Buffer, format: FeedFormat, limit: number): BodyVerdict {
  const fail = (problem: string): BodyVerdict => ({ problem, self: undefined, feedId: undefined });
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return fail(`the body (${bytes.length} bytes, decoded) is not valid UTF-8`);
  }
  try {
    return format === "json" ? readJsonFeed(text, limit) : readXmlFeed(text, format, limit);
  } catch (error) {
    return fail(`${(error as Error).message} (${bytes.length} bytes, decoded; ends with ${JSON.stringify(text.slice(-60))})`);
  }
}

function readXmlFeed(text: string, format: "rss" | "atom", limit: number): BodyVerdict {
  const root = parseXml(text);
  const selfOf = (parent: XmlElement, name: string): string | undefined => children(parent, name).find((link) => link.attributes.rel === "self")?.attributes.href;
  if (format === "rss") {
    const channel = child(root, "channel");
    if (root.name !== "rss" || !channel) throw new Error(`not RSS: the root is <${root.name}>${channel ? "" : " without <channel>"}`);
    checkItemCount(children(channel, "item").length, limit);
    return { problem: undefined, self: selfOf(channel, "atom:link"), feedId: undefined };
  }
  if (root.name !== "feed" || root.attributes.xmlns !== ATOM_NS) throw new Error(`not Atom: the root is <${root.name} xmlns="${String(root.attributes.xmlns)}">`);
  checkItemCount(children(root, "entry").length, limit);
  return { problem: undefined, self: selfOf(root, "link"), feedId: childText(root, "id") };
}

function readJsonFeed(text: string, limit: number): BodyVerdict {
  const document = JSON.parse(text) as { version?: unknown; items?: unknown; feed_url?: unknown };
  if (document.version !== JSON_FEED_VERSION) throw new Error(`version is ${JSON.stringify(document.version)}, not ${JSON_FEED_VERSION}`);
  if (!Array.isArray(document.items)) throw new Error("no items array");
  checkItemCount(document.items.length, limit);
  const errors = jsonFeedSchemaErrors(document);
  if (errors.length > 0) throw new Error(`JSON Feed 1.1 schema: ${errors.map((error) => `${error.instancePath} ${error.message ?? ""}`).join("; ")}`);
  return { problem: undefined, self: undefined, feedId: typeof document.feed_url === "string" ? document.feed_url : undefined };
}

/** Every feed requested has at least one post, and no page holds more than feed.limit. */
function checkItemCount(count: number, limit: number): void {
  if (count < 1 || count > limit) throw new Error(`${count} items (expected 1 to ${limit})`);
}
