import { describe, expect, test } from "vitest";
import type { PostHead } from "../../src/content/post.js";
import { collectTerms } from "../../src/feeds/taxonomy.js";

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
