// Raw HTTP for in-process tests: the path is sent exactly as given (no normalization, no
// re-encoding), nothing is decompressed, and the answer comes back as status, headers and bytes,
// so tests see what a feed reader on the wire would see.
import { request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The header lines as sent, in order: [name, value, name, value, …]. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  /** The body as UTF-8 text. */
  readonly text: string;
}

export interface RawRequestOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Starts `server` listening on a free port of 127.0.0.1 and resolves with that port. */
export function listenOnFreePort(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes `server`, dropping idle keep-alive connections so the close does not wait for them. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}

/**
 * Sends one request to 127.0.0.1:`port`. `rawPath` goes on the request line byte for byte
 * (it must be ASCII: percent-encode anything else, as a client on the wire would).
 */
export function rawRequest(port: number, rawPath: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: options.method ?? "GET",
        path: rawPath,
        // A fresh connection per request: no state carried from one test's request to the next.
        agent: false,
        headers: { Connection: "close", ...options.headers },
        timeout: 5000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body, text: body.toString("utf8") });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`request ${options.method ?? "GET"} ${rawPath} timed out`)));
    req.on("error", reject);
    req.end();
  });
}

/** Percent-encodes every byte of `text`'s UTF-8 form that is not unreserved (RFC 3986), like a browser would for a path segment. */
export function percentEncodeSegment(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}
