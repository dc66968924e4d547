// The URL slug of a category or tag name: one path segment that is readable, depends only on the
// name, and is safe both in a URL and as a file or folder name in a static export.
//
// Names that differ only in letter case, Unicode normalization (NFC/NFD) or whitespace-versus-
// hyphen get the same slug, so "Machine Learning" and "machine-learning" share one feed. Every
// other difference is kept: the slug is an injective encoding of the folded name, so "C#", "C++"
// and "C" stay three feeds and "CI/CD" never merges with "CI-CD". Unicode letters stay as they
// are ("AI導入戦略" -> "ai導入戦略"; percent-encoded only on the wire).
//
// To be a safe file name on Linux, macOS and Windows, the characters some file system forbids
// (/ \ < > : " | ? * and control characters) are written as ~XX (their UTF-8 bytes in hex), and
// so are "%" (which would need %25 on the wire, a form validators flag as non-canonical) and "~"
// itself, which keeps the encoding reversible: "CI/CD" -> "ci~2fcd", "100%" -> "100~25".
// "." and ".." alone, a trailing "." and Windows device names (con, nul …) are escaped too.
import { createHash } from "node:crypto";

// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const UNSAFE = /[~%/\\<>:"|?*\u0000-\u001F\u007F-\u009F]/gu;

const WINDOWS_DEVICE_NAME = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\.|$)/u;

/** Longest slug in UTF-8 bytes: file systems allow 255 bytes per name; keep room for ".gz" etc. */
const MAX_SLUG_BYTES = 200;

/** Case, normalization and whitespace folded: names with the same fold share a feed. */
export function foldTermName(name: string): string {
  return name.normalize("NFC").trim().toLowerCase().replace(/\s+/gu, "-");
}

/**
 * The slug of a name. Computed each time it is asked for: taxonomy.ts keeps what each post's
 * names resolve to, so a scan slugs only the names of new and changed posts.
 */
export function termSlug(name: string): string {
  const folded = foldTermName(name);
  let slug = folded.replace(UNSAFE, (character) => tildeEncode(character));
  // "." and ".." are dot-segments; Windows drops a trailing dot ("etc." would share "etc"'s
  // folder) and reserves device names (con, nul, com1 …, also with an extension).
  if (slug === "." || slug === "..") slug = slug.replace(/\./g, "~2e");
  else if (slug.endsWith(".")) slug = `${slug.slice(0, -1)}~2e`;
  if (WINDOWS_DEVICE_NAME.test(slug)) slug = `${tildeEncode(slug.charAt(0))}${slug.slice(1)}`;
  if (Buffer.byteLength(slug) > MAX_SLUG_BYTES) slug = shortened(slug, folded);
  return slug;
}

/**
 * The slug as it appears in a URL path. Characters RFC 3986 allows in a path segment
 * (unreserved, sub-delims, ":" and "@") stay readable, so "c++" is /tags/c++/; the rest,
 * non-ASCII included, is percent-encoded as UTF-8.
 */
export function slugPathSegment(slug: string): string {
  return encodeURIComponent(slug).replace(/%(21|24|26|27|28|29|2A|2B|2C|3B|3D|3A|40)/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function tildeEncode(character: string): string {
  return [...Buffer.from(character, "utf8")].map((byte) => `~${byte.toString(16).padStart(2, "0")}`).join("");
}

/**
 * Cut at a character boundary (never inside a ~XX escape) and add a hash of the whole name.
 * The hash follows "~-", which no unshortened slug can contain (there "~" always starts a ~XX
 * escape): with a plain "-" a short name spelled like a shortened slug ("aaa…a-9835fa6bf4e2")
 * got the same slug as the long name, and the two feeds merged.
 */
function shortened(slug: string, folded: string): string {
  const hash = createHash("sha256").update(folded).digest("hex").slice(0, 12);
  const budget = MAX_SLUG_BYTES - hash.length - 2;
  let result = "";
  let bytes = 0;
  // Piece by piece from the start, only as far as the budget goes (a name may be 15 KB long).
  const piece = /~[0-9a-f]{2}|[\s\S]/guy;
  for (let match = piece.exec(slug); match; match = piece.exec(slug)) {
    const size = Buffer.byteLength(match[0]);
    if (bytes + size > budget) break;
    result += match[0];
    bytes += size;
  }
  return `${result}~-${hash}`;
}
