// The HTTP server: a fast path for the documents themselves in front of the Express application.
//
// Nearly every request a feed service gets is a poll for a document that is already built. For
// those, Express's per-request work (router matching, its request/response prototypes, res.send's
// freshness and ETag logic) costs far more than the answer itself, so the fast path looks the
// raw path up in the current build and writes the prebuilt bytes and header lines directly.
// Everything else — /healthz, redirects to canonical URLs, 404s, other methods, the time before
// the first scan — goes to Express (http/app.ts), which answers documents the same way.
import { createServer as createHttpServer, type Server } from "node:http";
import { cachedEncodingChooser } from "../delivery/accept-encoding.js";
import type { Publisher } from "../publish/publisher.js";
import { createApp } from "./app.js";
import { sendServedDocument } from "./send-document.js";

export function createServer(publisher: Publisher): Server {
  const chooseEncoding = cachedEncodingChooser();
  const app = createApp(publisher, chooseEncoding);
  return createHttpServer((req, res) => {
    if (req.method === "GET" || req.method === "HEAD") {
      const served = publisher.state?.served;
      const url = req.url ?? "/";
      const query = url.indexOf("?");
      const document = served?.lookup(query === -1 ? url : url.slice(0, query));
      if (document) {
        sendServedDocument(req, res, document, chooseEncoding);
        return;
      }
    }
    app(req, res);
  });
}
