// Picks the content coding of a response from Accept-Encoding (RFC 9110 §12.5.3), among the
// representations built in advance: Brotli, gzip and the identity. Nothing is compressed here.

export type Encoding = "br" | "gzip" | "identity";

const IMPLICIT_IDENTITY_QUALITY = 0.0001;

/** Among codings the client likes equally, the smallest first. */
const PREFERENCE: readonly Encoding[] = ["br", "gzip", "identity"];

/**
 * The coding to send, or undefined when the client accepts none of them (identity;q=0 and no
 * acceptable compression: 406). No header means no preference, and the identity is sent, as
 * every server does, because clients that can decompress say so.
 */
export function chooseEncoding(header: string | undefined): Encoding | undefined {
  if (header === undefined) return "identity";
  const qualities = parseAcceptEncoding(header);
  const wildcard = qualities.get("*");
  const quality = (coding: Encoding): number => {
    const explicit = qualities.get(coding) ?? (coding === "gzip" ? qualities.get("x-gzip") : undefined);
    if (explicit !== undefined) return explicit;
    if (wildcard !== undefined) return wildcard;
    // "identity" is acceptable unless excluded, explicitly or by "*;q=0" — but a client that lists
    // "br;q=0.8" still prefers Brotli, so an unlisted identity ranks below every listed coding.
    return coding === "identity" ? IMPLICIT_IDENTITY_QUALITY : 0;
  };
  let best: Encoding | undefined;
  let bestQuality = 0;
  for (const coding of PREFERENCE) {
    const q = quality(coding);
    if (q > bestQuality) {
      best = coding;
      bestQuality = q;
    }
  }
  return best;
}

/** coding -> q (1 when absent). Malformed q-values count as 0, i.e. not acceptable. */
function parseAcceptEncoding(header: string): Map<string, number> {
  const qualities = new Map<string, number>();
  for (const part of header.split(",")) {
    const [codingText, ...parameters] = part.split(";");
    const coding = codingText?.trim().toLowerCase();
    if (!coding) continue;
    let q = 1;
    for (const parameter of parameters) {
      const [name, value] = parameter.split("=").map((text) => text.trim());
      if (name?.toLowerCase() === "q") q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value ?? "") ? Number(value) : 0;
    }
    // The same coding twice: RFC 9110 does not say; the highest wins.
    qualities.set(coding, Math.max(q, qualities.get(coding) ?? 0));
  }
  return qualities;
}

const MAX_REMEMBERED_HEADER = 256;

/** chooseEncoding, remembered per distinct header value (clients send only a few). */
export function cachedEncodingChooser(limit = 512): (header: string | undefined) => Encoding | undefined {
  const cache = new Map<string, Encoding | undefined>();
  return (header) => {
    if (header === undefined) return "identity";
    if (cache.has(header)) return cache.get(header);
    const choice = chooseEncoding(header);
    // Real clients send short values; a long one (up to the 16 KB header limit) is not kept, so
    // the cache stays small in bytes whatever clients send.
    if (header.length > MAX_REMEMBERED_HEADER) return choice;
    if (cache.size >= limit) cache.clear();
    cache.set(header, choice);
    return choice;
  };
}
