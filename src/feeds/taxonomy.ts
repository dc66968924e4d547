// Categories and tags as feeds: every name used by at least one published post becomes a Term
// with a slug (feeds/slug.ts); spellings that fold to the same slug share the Term, and all of
// them are kept so pages and OPML can show them.
import type { PostHead } from "../content/post.js";
import { termSlug } from "./slug.js";

export type TermKind = "category" | "tag";

export interface Term<P extends PostHead = PostHead> {
  readonly kind: TermKind;
  readonly slug: string;
  /** The spelling used most often (ties: the one that sorts first), shown as the feed's name. */
  readonly name: string;
  /** Every spelling seen, sorted. */
  readonly spellings: readonly string[];
  /** Its posts, in the order given (newest first). */
  readonly posts: readonly P[];
}

/** Groups posts by category or tag; the result is sorted by slug so it never depends on input order. */
export function collectTerms<P extends PostHead>(posts: readonly P[], kind: TermKind): Term<P>[] {
  const groups = new Map<string, { posts: P[]; counts: Map<string, number> }>();
  for (const post of posts) {
    const names = kind === "category" ? post.categories : post.tags;
    const slugsInPost = new Set<string>();
    for (const name of names) {
      const slug = termSlug(name);
      let group = groups.get(slug);
      if (!group) {
        group = { posts: [], counts: new Map() };
        groups.set(slug, group);
      }
      group.counts.set(name, (group.counts.get(name) ?? 0) + 1);
      // "Machine Learning" and "machine learning" in one post put it in the feed once.
      if (!slugsInPost.has(slug)) {
        slugsInPost.add(slug);
        group.posts.push(post);
      }
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([slug, group]) => {
      const spellings = [...group.counts.keys()].sort();
      const name = spellings.reduce((best, spelling) => ((group.counts.get(spelling) ?? 0) > (group.counts.get(best) ?? 0) ? spelling : best));
      return { kind, slug, name, spellings, posts: group.posts };
    });
}
