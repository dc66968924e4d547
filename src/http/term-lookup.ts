// Finds a category or tag feed from the path segment of a request. The canonical segment is the
// slug percent-encoded (feeds/slug.ts); any other spelling of the same name — the original
// "Machine Learning", upper case, NFD from a Mac — is found too, and the router redirects it to
// the canonical one.
import type { FeedDocuments } from "../feeds/build-site.js";
import { foldTermName, termSlug } from "../feeds/slug.js";

/** The slug of the feed `segment` (decoded) names among `terms`, or undefined when it names none. */
export function findTerm(terms: ReadonlyMap<string, FeedDocuments>, segment: string): string | undefined {
  if (terms.has(segment)) return segment;
  // termSlug remembers nothing: the segment is whatever a client sent, and most name no feed.
  const slug = termSlug(segment);
  if (terms.has(slug)) return slug;
  // The canonical slug typed in another case ("/tags/CI~2FCD/"): termSlug would escape its "~"
  // once more, so fold the segment as a slug instead.
  const foldedSlug = foldTermName(segment);
  if (terms.has(foldedSlug)) return foldedSlug;
  return undefined;
}
