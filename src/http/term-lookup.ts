// Finds a category or tag feed from the path segment of a request. The canonical segment is the
// slug percent-encoded (feeds/slug.ts); any other spelling of the same name — the original
// "Machine Learning", upper case, NFD from a Mac — is found too, and the router redirects it to
// the canonical one.
import type { FeedDocuments } from "../feeds/build-site.js";
import { foldTermName, uncachedTermSlug } from "../feeds/slug.js";

export interface FoundTerm {
  readonly feed: FeedDocuments;
  /** The slug of the feed found: the segment's canonical form. */
  readonly slug: string;
}

/** `segment` is the decoded path segment. */
export function findTerm(terms: ReadonlyMap<string, FeedDocuments>, segment: string): FoundTerm | undefined {
  const exact = terms.get(segment);
  if (exact) return { feed: exact, slug: segment };
  // Not remembered: the segment is whatever a client sent, and most are names of no feed.
  const slug = uncachedTermSlug(segment);
  const folded = terms.get(slug);
  if (folded) return { feed: folded, slug };
  // The canonical slug typed in another case ("/tags/CI~2FCD/"): termSlug would escape its "~"
  // once more, so fold the segment as a slug instead.
  const foldedSlug = foldTermName(segment);
  const asSlug = terms.get(foldedSlug);
  if (asSlug) return { feed: asSlug, slug: foldedSlug };
  return undefined;
}
