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

function noneMatchHits(header: string, etags: ReadonlySet<string>): boolean {
  if (header.trim() === "*") return true;
  for (const match of header.matchAll(/(?:W\/)?"([^"]*)"/g)) {
    if (etags.has(match[1] ?? "")) return true;
  }
  return false;
}
