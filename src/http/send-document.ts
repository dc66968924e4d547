// Answers a request with a document built in advance: choose the coding, evaluate the
// validators, write the precomputed header lines and the bytes. Shared by the fast path and the
// Express routes, so both answer exactly alike.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Encoding } from "../delivery/accept-encoding.js";
import { isNotModified } from "../delivery/conditional.js";
import type { ServedDocument } from "../delivery/served-document.js";
import type { RequestSample } from "../ops/metrics.js";

/** A browser navigating to the feed: Accept names text/html (feed readers ask for feed types). */
function wantsHtml(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes("text/html");
}

export type EncodingChooser = (acceptEncoding: string | undefined) => Encoding | undefined;

const NOT_ACCEPTABLE = Buffer.from("None of the content codings in Accept-Encoding is available (br, gzip, identity).\n");
const NOT_ACCEPTABLE_HEADERS = ["Content-Type", "text/plain; charset=utf-8", "Content-Length", String(NOT_ACCEPTABLE.length), "Vary", "Accept-Encoding", "X-Content-Type-Options", "nosniff"];

/** Sends the document; returns what was sent, for the request log and metrics. */
export function sendServedDocument(req: IncomingMessage, res: ServerResponse, document: ServedDocument, chooseEncoding: EncodingChooser): RequestSample {
  const head = req.method === "HEAD";
  const encoding = chooseEncoding(req.headers["accept-encoding"]);
  if (encoding === undefined) {
    // identity;q=0 and no coding we have: RFC 9110 §12.5.3 allows 406.
    res.writeHead(406, NOT_ACCEPTABLE_HEADERS);
    res.end(head ? undefined : NOT_ACCEPTABLE);
    return { route: document.kind, format: document.format, status: 406, bytes: head ? 0 : NOT_ACCEPTABLE.length, encoding: "identity" };
  }
  const browser = document.browserVariants !== undefined && wantsHtml(req.headers.accept);
  const variant = (browser ? document.browserVariants : undefined)?.[encoding] ?? document.variants[encoding];
  // A tiny document has no compressed form: its "gzip" variant is the identity.
  const sentEncoding = variant.encoding ?? "identity";
  if (isNotModified(req.headers["if-none-match"], req.headers["if-modified-since"], document.etags, document.lastModifiedSeconds)) {
    res.writeHead(304, variant.notModifiedHeaders as string[]);
    res.end();
    return { route: document.kind, format: document.format, status: 304, bytes: 0, encoding: sentEncoding };
  }
  res.writeHead(200, variant.headers as string[]);
  // Read once: the uncompressed form may be made again from gzip when asked for.
  const body = head ? undefined : variant.body;
  res.end(body);
  return { route: document.kind, format: document.format, status: 200, bytes: body?.length ?? 0, encoding: sentEncoding };
}
