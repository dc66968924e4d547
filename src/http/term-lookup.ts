// Finds a category or tag feed from the path segment of a request. The canonical segment is the
// slug percent-encoded (feeds/slug.ts); any other spelling of the same name — the original
// "Machine Learning", upper case, NFD from a Mac — is found too, and answered with a redirect.
import type { FeedDocuments } from "../feeds/build-site.js";
import { foldTermName, slugPathSegment, uncachedTermSlug } from "../feeds/slug.js";

export interface FoundTerm {
  readonly feed: FeedDocuments;
  readonly redirect: boolean;
  readonly canonicalSegment: string;
}

/** `segment` is the decoded path segment (Express decodes route parameters). */
export function findTerm(terms: ReadonlyMap<string, FeedDocuments>, segment: string): FoundTerm | undefined {
  const exact = terms.get(segment);
  if (exact) return { feed: exact, redirect: false, canonicalSegment: slugPathSegment(segment) };
  // Not remembered: the segment is whatever a client sent, and most are names of no feed.
  const slug = uncachedTermSlug(segment);
  const folded = terms.get(slug);
  if (folded) return { feed: folded, redirect: true, canonicalSegment: slugPathSegment(slug) };
  // The canonical slug typed in another case ("/tags/CI~2FCD/"): termSlug would escape its "~"
  // once more, so fold the segment as a slug instead.
  const foldedSlug = foldTermName(segment);
  const asSlug = terms.get(foldedSlug);
  if (asSlug) return { feed: asSlug, redirect: true, canonicalSegment: slugPathSegment(foldedSlug) };
  return undefined;
}
