// The one normalized model every later stage works from. A Post is built once from a file on
// disk (content/load-post.ts) and never changed afterwards: every string in it is NFC, every URL
// absolute, every date an instant.
import type { Author } from "../config.js";

/**
 * Everything about a post except its rendered content: what decides which feeds and pages it is
 * in, and how it is listed. Built from the front matter alone, which is cheap, so a scan can know
 * every post before any Markdown is rendered (a cold build renders first the bodies that the
 * first pages show).
 */
export interface PostHead {
  /** Path of the source file relative to the posts folder, "/"-separated, NFC. */
  readonly sourcePath: string;
  /** Stable identity of the item across edits: front-matter `id` or the permalink URL. */
  readonly id: string;
  /** Absolute URL of the post on the blog (site.url + Jekyll permalink). */
  readonly url: string;
  readonly title: string;
  /** Publication instant; the post is not published before it. */
  readonly date: Date;
  /** From `expires` or `expiry_date`: the post leaves every feed at this instant. */
  readonly expires: Date | undefined;
  /** Last edit, from `last_modified_at` or `updated`, when given and later than `date`. */
  readonly updated: Date | undefined;
  /** Category and tag names as written (NFC, trimmed, duplicates removed, Jekyll's order). */
  readonly categories: readonly string[];
  readonly tags: readonly string[];
  readonly authors: readonly Author[];
  /** Absolute URL of the post's image, if any. */
  readonly image: string | undefined;
  /** BCP 47 language of the post when it differs from the site's (front-matter `lang`). */
  readonly language: string | undefined;
  /**
   * Which rendering of which bytes this is (content/render-key.ts): equal revisions mean equal
   * posts, so a feed whose items' revisions did not change need not be rendered again.
   */
  readonly revision: string;
}

/** What rendering the Markdown gives: the heavy part of a post, needed only to write feed items. */
export interface PostBody {
  /** Plain-text summary: front-matter `excerpt`, the text before <!--more-->, or the first paragraph. */
  readonly summary: string;
  /** Full content as sanitized HTML with absolute links. */
  readonly contentHtml: string;
}

export interface Post extends PostHead, PostBody {}

/** A post that was read but is not published, or a file that could not be read. */
export interface PostProblem {
  /** Path relative to the posts folder. */
  readonly file: string;
  /** 1-based line in the file, when known. */
  readonly line: number | undefined;
  /** What is wrong and what to do about it. */
  readonly message: string;
}
