// The floor under Feedwright's HTTP figures in `npm run bench:http`: a minimal `node:http` server
// that sends the very bytes and header lines Feedwright sent for one path (recorded by
// bench/http.ts from Feedwright's own answers), with a tiny Accept-Encoding and If-None-Match
// check of its own. What it costs per request is what Node costs; whatever Feedwright costs
// beyond it is Feedwright's own work.
//
//   node node-baseline-server.mjs RECORDING.json PORT
//
// bench/http.ts transpiles this file to plain JavaScript and runs it with node, as Feedwright runs
// from dist/: under tsx every closure would be wrapped in a naming helper, which costs time per
// call. So it imports nothing but Node's own modules.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

/** One coding of the document, as Feedwright answered it. */
export interface RecordedVariant {
  readonly etag: string;
  /** Flat [name, value, …] lines of the 200, without the ones Node adds itself (Date, Connection, Keep-Alive). */
  readonly headers: readonly string[];
  /** The same for the 304. */
  readonly notModifiedHeaders: readonly string[];
  readonly bodyFile: string;
}

export interface Recording {
  readonly path: string;
  readonly variants: { readonly identity: RecordedVariant; readonly gzip: RecordedVariant; readonly br: RecordedVariant };
  /** Feedwright's answer to any other path. */
  readonly notFound: { readonly headers: readonly string[]; readonly bodyFile: string };
}

interface LoadedVariant {
  readonly etag: string;
  readonly headers: string[];
  readonly notModifiedHeaders: string[];
  readonly body: Buffer;
}

function serve(recording: Recording, port: number): void {
  const load = (variant: RecordedVariant): LoadedVariant => ({
    etag: variant.etag,
    headers: [...variant.headers],
    notModifiedHeaders: [...variant.notModifiedHeaders],
    body: readFileSync(variant.bodyFile),
  });
  const identity = load(recording.variants.identity);
  const gzip = load(recording.variants.gzip);
  const br = load(recording.variants.br);
  const notFoundHeaders = [...recording.notFound.headers];
  const notFoundBody = readFileSync(recording.notFound.bodyFile);
  const server = createServer((req, res) => {
    if (req.url !== recording.path) {
      res.writeHead(404, notFoundHeaders);
      res.end(notFoundBody);
      return;
    }
    // Enough for the benchmark's requests (one coding each, no q-values).
    const accept = req.headers["accept-encoding"] ?? "";
    const variant = accept.includes("br") ? br : accept.includes("gzip") ? gzip : identity;
    if (req.headers["if-none-match"] === variant.etag) {
      res.writeHead(304, variant.notModifiedHeaders);
      res.end();
      return;
    }
    res.writeHead(200, variant.headers);
    res.end(variant.body);
  });
  server.listen(port, "127.0.0.1");
  // An orderly exit rather than SIGTERM's default action, so that `node --cpu-prof` writes its profile.
  process.once("SIGTERM", () => process.exit(0));
}

const [recordingFile, portText] = process.argv.slice(2);
if (recordingFile === undefined || portText === undefined || !/^\d+$/.test(portText)) {
  process.stderr.write("usage: node node-baseline-server.mjs RECORDING.json PORT\n");
  process.exitCode = 2;
} else {
  serve(JSON.parse(readFileSync(recordingFile, "utf8")) as Recording, Number(portText));
}
