// jekyll-feed 0.17 (lib/jekyll-feed/feed.xml, generator.rb): what a site that moves from it to
// Feedwright must keep so its subscribers see nothing twice — each entry's id — and the URLs its
// feeds were at.
import { absoluteUrl } from "../liquid/filters/urls.js";

/**
 * jekyll-feed's entry id: `{{ post.id | absolute_url }}`, where Jekyll's Document#id is
 * `File.join(File.dirname(url), data["slug"])` — the post's URL (no baseurl) with its last segment
 * replaced by the slug — so "/2025/01/29/jekyll-4-4-1-released.html" and the pretty
 * "/2025/01/29/jekyll-4-4-1-released/" both have the id ".../2025/01/29/jekyll-4-4-1-released".
 * `base` is the site's `url` and `baseurl` as absolute_url joins them.
 */
export function jekyllFeedId(base: { readonly url: string; readonly baseurl: string }, postUrlPath: string, slug: string): string {
  return absoluteUrl(base, jekyllDocumentId(postUrlPath, slug)) ?? "";
}

/** Jekyll's Document#id: `File.join(File.dirname(url), slug)`. */
export function jekyllDocumentId(postUrlPath: string, slug: string): string {
  return rubyFileJoin(rubyDirname(postUrlPath), slug);
}

/** Ruby's File.dirname for "/"-separated paths: "/a/b.html" -> "/a", "/a/b/" -> "/a", "/a" -> "/". */
function rubyDirname(filePath: string): string {
  const trimmed = filePath.replace(/\/+$/u, "");
  if (trimmed === "") return filePath.startsWith("/") ? "/" : ".";
  const slash = trimmed.lastIndexOf("/");
  if (slash === -1) return ".";
  const parent = trimmed.slice(0, slash).replace(/\/+$/u, "");
  return parent === "" ? "/" : parent;
}

/** Ruby's File.join of two parts: one "/" between them, whatever each ends or starts with. */
function rubyFileJoin(first: string, second: string): string {
  return `${first.replace(/\/+$/u, "")}/${second.replace(/^\/+/u, "")}`;
}
