// At most so many categories, and so many tags, per post. A post is an item of every feed of its
// terms, and each of those items lists all its terms: a post with N tags costs N feeds of N
// names each, so one post with 4,000 tags took three minutes and 3 GB to build. The first names
// (in the order written) are kept, and the post is published with a warning naming the limit.
import type { PostHead, PostProblem } from "./post.js";

export function withTermLimit<H extends PostHead>(head: H, warnings: readonly PostProblem[], max: number): { head: H; warnings: readonly PostProblem[] } {
  if (head.categories.length <= max && head.tags.length <= max) return { head, warnings };
  const added: PostProblem[] = [];
  for (const [key, names] of [["categories", head.categories], ["tags", head.tags]] as const) {
    if (names.length <= max) continue;
    added.push({
      file: head.sourcePath,
      line: undefined,
      message: `${key}: ${names.length} names, over the limit of ${max} per post (feed.max_terms_per_post); only the first ${max} are used — remove the others or raise the limit`,
    });
  }
  return {
    head: { ...head, categories: head.categories.slice(0, max), tags: head.tags.slice(0, max) },
    warnings: [...warnings, ...added],
  };
}
