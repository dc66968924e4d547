// Conditional GET (RFC 9110 §13): whether a request's validators show the client already has
// the document. If-None-Match takes precedence over If-Modified-Since (§13.2.2).

/**
 * True when the answer is 304 Not Modified.
 * `etags` are the opaque tags (without quotes or W/) of every coding of the document: the client
 * holds the same document whichever coding it stored, and If-None-Match uses the weak comparison.
 */
export function isNotModified(
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
  etags: ReadonlySet<string>,
  lastModifiedSeconds: number,
): boolean {
  if (ifNoneMatch !== undefined) return noneMatchHits(ifNoneMatch, etags);
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  // An invalid date is ignored (§13.1.3); HTTP dates have whole seconds.
  return !Number.isNaN(since) && lastModifiedSeconds * 1000 <= since;
}

// Created once: matchAll with a literal would copy the regex on every request (seen in profiles).
const ENTITY_TAG = /(?:W\/)?"([^"]*)"/g;

function noneMatchHits(header: string, etags: ReadonlySet<string>): boolean {
  // Nearly every revalidation sends back exactly the one tag it was given.
  const last = header.length - 1;
  if (last > 0 && header.charCodeAt(0) === 0x22 && header.indexOf('"', 1) === last) return etags.has(header.slice(1, last));
  if (header.trim() === "*") return true;
  ENTITY_TAG.lastIndex = 0;
  for (let match = ENTITY_TAG.exec(header); match !== null; match = ENTITY_TAG.exec(header)) {
    if (etags.has(match[1] ?? "")) return true;
  }
  return false;
}
