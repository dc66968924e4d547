// The static export's worker: one feed document in its three formats, rendered and compressed
// exactly as the server renders and compresses it. Runs on the export's worker threads
// (export-renderer.ts), or on the main thread when there are none.
import { compressNow, formsWorthSending, type CompressionKind } from "../delivery/served-document.js";
import type { FeedwrightDocument } from "../feeds/document.js";
import type { FeedSpec } from "../feeds/feed-spec.js";
import { renderFeedDocuments } from "../feeds/render-feed.js";
import type { FeedFormat } from "../feeds/routes.js";

export interface FeedDocumentTask {
  /** Items with their bodies; no `term` (its posts would be copied to the thread for nothing). */
  readonly spec: FeedSpec;
  readonly compression: CompressionKind;
}

/** One format of the document: its bytes and the compressed siblings worth writing. */
export interface ExportedFile {
  readonly body: Uint8Array;
  /** The identity's strong ETag, as the server sends it: equal ETags, equal bytes. */
  readonly etag: string;
  readonly gzip: Uint8Array | undefined;
  readonly br: Uint8Array | undefined;
}

export type FeedDocumentFiles = Record<FeedFormat, ExportedFile>;

export default function renderFeedDocumentFiles(task: FeedDocumentTask): FeedDocumentFiles {
  const documents = renderFeedDocuments(task.spec);
  const fileOf = (format: FeedFormat): ExportedFile => exportedFile(documents[format], task.compression);
  return { rss: fileOf("rss"), atom: fileOf("atom"), json: fileOf("json") };
}

/** A document's bytes with the compressed siblings the server would send for it. */
export function exportedFile(document: Pick<FeedwrightDocument, "body" | "etag">, compression: CompressionKind): ExportedFile {
  const { body, etag } = document;
  const { gzip, br } = formsWorthSending(compressNow(body, compression), body.length);
  return { body, etag, gzip, br };
}
