// Answers a request with a document built in advance: choose the coding, evaluate the
// validators, write the precomputed header lines and the bytes. Shared by the fast path and the
// Express routes, so both answer exactly alike.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Encoding } from "../delivery/accept-encoding.js";
import { isNotModified } from "../delivery/conditional.js";
import type { ServedDocument } from "../delivery/served-document.js";

/** A browser navigating to the feed: Accept names text/html (feed readers ask for feed types). */
function wantsHtml(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes("text/html");
}

export type EncodingChooser = (acceptEncoding: string | undefined) => Encoding | undefined;

export function sendServedDocument(req: IncomingMessage, res: ServerResponse, document: ServedDocument, chooseEncoding: EncodingChooser): void {
  const encoding = chooseEncoding(req.headers["accept-encoding"]);
  if (encoding === undefined) {
    // identity;q=0 and no coding we have: RFC 9110 §12.5.3 allows 406.
    res.writeHead(406, ["Content-Type", "text/plain; charset=utf-8", "Vary", "Accept-Encoding", "X-Content-Type-Options", "nosniff"]);
    res.end("None of the content codings in Accept-Encoding is available (br, gzip, identity).\n");
    return;
  }
  const browser = document.browserVariants !== undefined && wantsHtml(req.headers.accept);
  const variant = (browser ? document.browserVariants : undefined)?.[encoding] ?? document.variants[encoding];
  if (isNotModified(req.headers["if-none-match"], req.headers["if-modified-since"], document.etags, document.lastModifiedSeconds)) {
    res.writeHead(304, variant.notModifiedHeaders as string[]);
    res.end();
    return;
  }
  res.writeHead(200, variant.headers as string[]);
  res.end(req.method === "HEAD" ? undefined : variant.body);
}
