import { describe, expect, test } from "vitest";
import type { PostHead } from "../../src/content/post.js";
import { collectTerms, collectTermsAfter, type Term } from "../../src/feeds/taxonomy.js";

function head(sourcePath: string, tags: string[]): PostHead {
  return { sourcePath, id: sourcePath, url: sourcePath, title: "t", date: new Date(0), expires: undefined, updated: undefined, categories: [], tags, authors: [], image: undefined, language: undefined, revision: sourcePath };
}

describe("collectTerms", () => {
  test("puts a post once in a term it names in two spellings, and keeps both spellings", () => {
    const both = head("a.md", ["Machine Learning", "AI", "machine-learning"]);
    const one = head("b.md", ["machine-learning"]);
    const other = head("c.md", ["AI"]);
    const terms = collectTerms([both, one, other], "tag");
    expect(terms.map((term) => ({ slug: term.slug, name: term.name, spellings: term.spellings, posts: term.posts.map((post) => post.sourcePath) }))).toEqual([
      { slug: "ai", name: "AI", spellings: ["AI"], posts: ["a.md", "c.md"] },
      { slug: "machine-learning", name: "machine-learning", spellings: ["Machine Learning", "machine-learning"], posts: ["a.md", "b.md"] },
    ]);
  });

  test("gives the same terms when the same names are grouped again, in other posts", () => {
    const posts = [head("a.md", ["C#", "c#", "C++"]), head("b.md", ["C++", "C"]), head("c.md", ["c#"])];
    const first = collectTerms(posts, "tag");
    const again = collectTerms(posts.map((post) => head(`x-${post.sourcePath}`, [...post.tags])), "tag");
    const shape = (terms: typeof first): unknown => terms.map((term) => [term.slug, term.name, term.spellings, term.posts.length]);
    expect(shape(again)).toEqual(shape(first));
    expect(shape(first)).toEqual([
      ["c", "C", ["C"], 1],
      ["c#", "c#", ["C#", "c#"], 2],
      ["c++", "C++", ["C++"], 2],
    ]);
  });
});

describe("collectTermsAfter", () => {
  const shape = (terms: readonly Term[]): unknown => terms.map((term) => [term.slug, term.name, term.spellings, term.posts.map((post) => post.revision)]);
  const edited = (post: PostHead, tags: string[] = [...post.tags]): PostHead => ({ ...post, tags, revision: `${post.revision}+` });

  test("patches the terms of a post replaced by one with the same names, and keeps every other term object", () => {
    const posts = [head("a.md", ["x", "y"]), head("b.md", ["y", "Z"]), head("c.md", ["w"])];
    const before = collectTerms(posts, "tag");
    const after = [posts[0] as PostHead, edited(posts[1] as PostHead), posts[2] as PostHead];
    const terms = collectTermsAfter({ posts, terms: before }, after, "tag");
    expect(shape(terms)).toEqual(shape(collectTerms(after, "tag")));
    const bySlug = (list: readonly Term[], slug: string): Term | undefined => list.find((term) => term.slug === slug);
    // "b.md" is in y and z: those two are new; w and x are the same objects as before.
    for (const slug of ["w", "x"]) expect(bySlug(terms, slug)).toBe(bySlug(before, slug));
    for (const slug of ["y", "z"]) expect(bySlug(terms, slug)).not.toBe(bySlug(before, slug));
    expect(bySlug(terms, "z")?.posts[0]).toBe(after[1]);
  });

  test("two posts with the same names that swap places swap places in their terms", () => {
    const posts = [head("a.md", ["x"]), head("b.md", ["x"]), head("c.md", ["x", "y"])];
    const before = collectTerms(posts, "tag");
    const after = [posts[1] as PostHead, posts[0] as PostHead, posts[2] as PostHead];
    expect(shape(collectTermsAfter({ posts, terms: before }, after, "tag"))).toEqual(shape(collectTerms(after, "tag")));
  });

  test("groups again when a post's names, the posts' order or their number changed", () => {
    const posts = [head("a.md", ["x", "y"]), head("b.md", ["y"]), head("c.md", ["Y", "w"])];
    const before = collectTerms(posts, "tag");
    const cases: PostHead[][] = [
      [posts[0] as PostHead, edited(posts[1] as PostHead, ["y", "v"]), posts[2] as PostHead],
      [posts[0] as PostHead, edited(posts[1] as PostHead, ["Y"]), posts[2] as PostHead],
      [posts[1] as PostHead, posts[0] as PostHead, posts[2] as PostHead],
      [posts[0] as PostHead, posts[1] as PostHead],
      [...posts, head("d.md", ["x"])],
    ];
    for (const after of cases) expect(shape(collectTermsAfter({ posts, terms: before }, after, "tag"))).toEqual(shape(collectTerms(after, "tag")));
  });

  test("gives what a full grouping gives over a long run of random edits", () => {
    // mulberry32: a small generator whose low bits are as random as its high ones.
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const names = ["a", "A", "b", "c", "C", "d", "日本語", "e-f", "E F"];
    const someNames = (): string[] => Array.from({ length: random(4) }, () => names[random(names.length)] as string);
    let posts = Array.from({ length: 40 }, (_, index) => head(`${index}.md`, someNames()));
    let grouping = { posts, terms: collectTerms(posts, "tag") };
    for (let step = 0; step < 300; step++) {
      const next = [...posts];
      for (let edits = 1 + random(3); edits > 0; edits--) {
        const at = random(next.length);
        const post = next[at] as PostHead;
        // Mostly text edits; sometimes new names or a move to another place.
        const kind = random(10);
        if (kind < 7) next[at] = edited(post);
        else if (kind < 9) next[at] = edited(post, someNames());
        else next.splice(random(next.length), 0, ...next.splice(at, 1));
      }
      const terms = collectTermsAfter(grouping, next, "tag");
      expect(shape(terms)).toEqual(shape(collectTerms(next, "tag")));
      posts = next;
      grouping = { posts, terms };
    }
  });
});
