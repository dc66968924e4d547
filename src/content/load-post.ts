// One post file's text -> one Post, following Jekyll's rules for what front matter means.
// Every problem becomes a PostError that names the line (when known) and says what to fix; the
// caller skips that post and keeps every other one.
import path from "node:path";
import { DateFormatError, dateFromFileName, parsePostDate, writableDate } from "./dates.js";
import { FrontMatterError, parseFrontMatter, type FrontMatter } from "./front-matter.js";
import { collapseWhitespace, firstParagraphText, htmlNestingBound, htmlToText, resolveUrl, sanitizePostHtml, strictUri } from "./html.js";
import { markdownBeforeMore, renderMarkdown, renderPostMarkdown, type PostHtml } from "./markdown.js";
import { jekyllPermalink, postFileName, titleizeSlug } from "./permalink.js";
import type { Author } from "../config.js";
import type { PostBody, PostHead, PostProblem } from "./post.js";
import { PostError } from "./post-error.js";
import { validEmail } from "../text/email.js";
import { cleanText } from "../text/clean-text.js";
import { frontMatterDefaults, withDefaults } from "./jekyll/front-matter-defaults.js";
import { jekyllExcerptSource } from "./jekyll/excerpt.js";
import { jekyllDocumentId, jekyllFeedId } from "./jekyll/jekyll-feed.js";
import { analyzeLiquid, hasLiquid, LiquidError, renderLiquid, type LiquidSite, type LiquidUse } from "./liquid/index.js";
import { jekyllPostDate } from "./jekyll-post-date.js";
import { categoriesFromPath, sitePostPath, type SitePostPath } from "./jekyll/site-scan-rules.js";
import type { ContentSettings } from "./settings.js";
import type { KramdownOptions } from "./kramdown/options.js";

/** A post's front matter read: enough to place it in feeds; its body is rendered separately. */
export type LoadedHead =
  | {
      readonly kind: "post";
      readonly head: PostHead;
      readonly warnings: readonly PostProblem[];
      readonly hints: BodyHints;
    }
  | { readonly kind: "unpublished"; readonly reason: string };

/** What rendering a post's body needs to know from its front matter, besides its bytes. */
export interface BodyHints {
  /** The summary when the front matter gives one (excerpt, description); else the body's. */
  readonly givenSummary: string | undefined;
  /** A Jekyll site's post: the separator of its excerpt (its front matter's, else the site's). */
  readonly excerptSeparator?: string | undefined;
  /** A Jekyll site's post: its URL path (Jekyll's post.url, no baseurl), for others' `{% link %}`. */
  readonly urlPath?: string | undefined;
  /** A Jekyll site's post that is not Markdown (an .html post): its body is HTML as written. */
  readonly html?: boolean | undefined;
  /** A Jekyll site's post with Liquid to render (and no `render_with_liquid: false`). */
  readonly liquid?: LiquidHints | undefined;
  /** A Jekyll site's Markdown post: the kramdown options its body and excerpt render with. */
  readonly kramdown?: KramdownOptions | undefined;
}

/** What rendering a post's Liquid needs besides the site: what it reads, and its `page`. */
export interface LiquidHints {
  readonly use: LiquidUse;
  /** `page`: the front matter with defaults, and what Jekyll computes (url, id, date, …). */
  readonly page: Readonly<Record<string, unknown>>;
  /** The line of the file where the body starts, so that messages name file lines. */
  readonly firstLine: number;
}

/** Longest summary taken from the post body (a front-matter excerpt is used whole). */
const MAX_DERIVED_SUMMARY = 400;

/**
 * Deepest HTML nesting a post may have: past it, parsing the HTML costs quadratic time
 * (content/html.ts, htmlNestingBound); at this depth sanitizing takes tens of milliseconds, and
 * no real post comes near it.
 */
const MAX_HTML_NESTING = 10_000;

/** The head of one file's post, from its front matter alone (no Markdown rendered). Throws PostError. */
export function loadPostHead(sourcePath: string, text: string, settings: ContentSettings, revision = "", facts?: PostFileFacts): LoadedHead {
  return headOf(sourcePath, parseFrontMatterOrThrow(text, settings), settings, revision, facts);
}

/**
 * The rendered body of a post: `markdown` is the text after its front matter, `url` the post's
 * URL (relative links resolve against it), `givenSummary` its head's. Throws PostError.
 */
export function renderPostBody(markdown: string, url: string, hints: BodyHints, liquid?: PostLiquid, warnings?: { line: number | undefined; message: string }[]): PostBody {
  const source = hints.liquid ? renderedLiquid(markdown, hints.liquid, liquid, warnings) : markdown;
  const rendered = hints.html ? htmlAsWritten(source, url) : renderPostMarkdown(source, url, hints.kramdown);
  const bodyHtml = rendered.html;
  checkNesting(bodyHtml, "the post");
  const contentHtml = cleanText(rendered.safeHtml());
  if (hints.givenSummary !== undefined) return { summary: hints.givenSummary, contentHtml };
  const summary = hints.excerptSeparator !== undefined ? jekyllExcerptText(markdown, hints, liquid) : derivedSummary(markdown, bodyHtml, hints.kramdown);
  return { summary: cleanText(summary), contentHtml };
}

/** The site a post's Liquid renders with, and the post's path in it. */
export interface PostLiquid {
  readonly site: LiquidSite;
  readonly path: string;
}

/** A post's body through Liquid; what stops it becomes the post's problem, with the file's line. */
function renderedLiquid(source: string, hints: LiquidHints, liquid: PostLiquid | undefined, warnings?: { line: number | undefined; message: string }[]): string {
  if (!liquid) throw new Error("content: a post with Liquid was rendered without its site");
  try {
    const rendered = renderLiquid({ source, path: liquid.path, firstLine: hints.firstLine, page: hints.page }, liquid.site);
    warnings?.push(...rendered.warnings);
    return rendered.output;
  } catch (error) {
    if (!(error instanceof LiquidError)) throw error;
    const message = error.message.replace(/^content: /u, "").replace(new RegExp(`^${escapeRegExp(liquid.path)}(?::\\d+)?: `, "u"), "");
    throw new PostError(message, error.line, { cause: error });
  }
}

/** An HTML post's body (Jekyll converts only Markdown): as written, sanitized like any other. */
function htmlAsWritten(html: string, url: string): PostHtml {
  return { html, safeHtml: () => sanitizePostHtml(html, url), madeSafeBy: "sanitizer" };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}

/** What the file system says of a post file besides its bytes. */
export interface PostFileFacts {
  /** Modification time: the date of a draft whose front matter gives none (Jekyll's rule). */
  readonly mtimeMs: number;
}

function headOf(sourcePath: string, frontMatter: FrontMatter, settings: ContentSettings, revision: string, facts: PostFileFacts | undefined): LoadedHead {
  const { site, jekyll } = settings;
  const warnings: PostProblem[] = [];
  const warn = (message: string, line?: number): void => {
    warnings.push({ file: sourcePath, line, message });
  };

  for (const key of frontMatter.duplicateKeys) {
    warn(`front-matter key "${key}" appears more than once; the last one is used — remove the others`, frontMatter.lineOf(key));
  }
  const place = jekyll ? sitePostPath(sourcePath) : undefined;
  const data = jekyll ? withDefaults(frontMatterDefaults(jekyll.defaults, sourcePath, "posts"), frontMatter.data) : frontMatter.data;

  // Jekyll publishes `published: false` posts only with `unpublished: true` (Publisher#can_be_published?);
  // jekyll-feed leaves `draft: true` posts out unless `show_drafts` is set.
  if (data.published === false && !jekyll?.unpublished) return { kind: "unpublished", reason: "published: false" };
  if (data.draft === true && !jekyll?.showDrafts) return { kind: "unpublished", reason: "draft: true" };

  const fileName = postFileName(path.posix.basename(sourcePath));
  const extension = fileName.extension;

  const date = postDate(data, frontMatter, fileName.date, settings, place?.special === "_drafts" ? facts?.mtimeMs : undefined);
  const slug = cleanText(stringField(data, "slug", frontMatter) ?? fileName.slug);
  if (slug.trim() === "") throw new PostError('the post has no slug: give the file a name such as 2025-11-04-my-post.md or add slug: my-post');

  // A Jekyll site's titles are HTML (themes write them as they are, and jekyll-feed strips the
  // tags): their text is the title. In a folder of posts a title is plain text.
  const writtenTitle = stringField(data, "title", frontMatter) ?? "";
  let title = collapseWhitespace(cleanText(jekyll && /[<&]/u.test(writtenTitle) ? htmlToText(writtenTitle) : writtenTitle));
  if (title === "") {
    title = titleizeSlug(slug);
    warn(`no title: using "${title}" from the file name (Jekyll's rule); add title: to the front matter`, frontMatter.lineOf("title"));
  }

  const categories = postCategories(sourcePath, data, frontMatter, place, jekyll === undefined ? undefined : frontMatterDefaults(jekyll.defaults, sourcePath, "posts"), warn);
  const tags = data.tag !== undefined && data.tag !== null ? nameList(data, "tag", frontMatter, warn, { whole: true }) : nameList(data, "tags", frontMatter, warn);

  let permalinkPath: string;
  try {
    permalinkPath = jekyllPermalink({
      style: site.permalink,
      frontMatterPermalink: stringField(data, "permalink", frontMatter),
      categories,
      date,
      timezone: site.timezone,
      slug,
      extension,
      // :path and :name (Document#cleaned_relative_path) take the path with the collection's
      // folder removed, the first "_posts" wherever it is.
      sourcePath: jekyll ? sourcePath.replace("_posts", "").replace(/^\/+/, "") : sourcePath,
    });
  } catch (error) {
    throw new PostError(`permalink: ${(error as Error).message}`, frontMatter.lineOf("permalink"), { cause: error });
  }
  const url = joinSiteUrl(site.url, permalinkPath);
  const id = jekyll ? jekyllFeedId(jekyll.idBase, permalinkPath, stringField(data, "slug", frontMatter) ?? fileName.slug) : (postId(data, frontMatter, site.url) ?? url);
  const givenSummary = jekyll ? jekyllFeedSummary(data, frontMatter) : frontMatterSummary(data, frontMatter);

  const html = jekyll !== undefined && !jekyll.markdownExtensions.includes(extension.toLowerCase());
  const hints: BodyHints = {
    givenSummary: givenSummary === undefined ? undefined : cleanText(givenSummary),
    ...(jekyll ? { excerptSeparator: stringField(data, "excerpt_separator", frontMatter) ?? jekyll.excerptSeparator, urlPath: permalinkPath } : {}),
    ...(html ? { html } : {}),
    ...(!html && jekyll?.kramdown ? { kramdown: jekyll.kramdown } : {}),
    ...(jekyll && data.render_with_liquid !== false && hasLiquid(frontMatter.body)
      ? {
          liquid: {
            use: analyzedLiquid(frontMatter.body, frontMatter.bodyLine),
            firstLine: frontMatter.bodyLine,
            page: {
              ...data,
              // Document#to_liquid: the keys Jekyll computes, over the front matter's.
              title: writtenTitle === "" ? titleizeSlug(slug) : writtenTitle,
              slug,
              date,
              categories,
              tags,
              url: permalinkPath,
              id: jekyllDocumentId(permalinkPath, stringField(data, "slug", frontMatter) ?? fileName.slug),
              path: sourcePath,
              relative_path: sourcePath,
              ext: extension,
              collection: "posts",
              draft: place?.special === "_drafts",
            },
          },
        }
      : {}),
  };
  return {
    kind: "post",
    warnings,
    hints,
    head: {
      sourcePath,
      id,
      url,
      title,
      date,
      expires: postExpires(data, frontMatter, date, settings),
      updated: postUpdated(data, frontMatter, date, settings, warn),
      categories,
      tags,
      authors: postAuthors(data, frontMatter, site.author, jekyll?.authors, warn),
      image: postImage(data, frontMatter, site.url, warn),
      language: postLanguage(data, frontMatter, warn),
      revision,
    },
  };
}

/**
 * Jekyll 4.3's categories (Document#categories_from_path, #merge_categories!,
 * #populate_categories): the folders before `_posts`, then those of `defaults:`, then the front
 * matter's — each set adds to the ones before it, a plural string split on whitespace — and the
 * singular `category` taken whole. Without a site, the front matter's alone.
 */
function postCategories(
  sourcePath: string,
  data: Readonly<Record<string, unknown>>,
  frontMatter: FrontMatter,
  place: SitePostPath | undefined,
  defaults: Readonly<Record<string, unknown>> | undefined,
  warn: (message: string, line?: number) => void,
): string[] {
  const fromPath = place ? categoriesFromPath(sourcePath, place.special).map((name) => collapseWhitespace(cleanText(name))) : [];
  const fromDefaults = defaults ? nameList(defaults, "categories", frontMatter, warn) : [];
  const fromFrontMatter = nameList(frontMatter.data, "categories", frontMatter, warn);
  const plural = defaults ? [...fromPath, ...fromDefaults, ...fromFrontMatter] : nameList(data, "categories", frontMatter, warn);
  return unique([...plural, ...nameList(data, "category", frontMatter, warn, { whole: true })]);
}

/** What a post's Liquid reads; a syntax error makes the post a problem with the file's line. */
function analyzedLiquid(body: string, bodyLine: number): LiquidUse {
  try {
    return analyzeLiquid(body);
  } catch (error) {
    if (error instanceof LiquidError) {
      const message = error.message.replace(/^content: /u, "").replace(/^Liquid syntax error at line \S+: /u, "Liquid syntax error: ");
      throw new PostError(message, error.line === undefined ? undefined : error.line + bodyLine - 1, { cause: error });
    }
    throw error;
  }
}

/** A Jekyll site's front matter is read as Psych reads it, plain timestamps included (content/psych-timestamp.ts). */
function parseFrontMatterOrThrow(text: string, settings: ContentSettings): FrontMatter {
  try {
    return parseFrontMatter(text, { psychTimestamps: settings.jekyll !== undefined });
  } catch (error) {
    if (error instanceof FrontMatterError) throw new PostError(error.message, error.line, { cause: error });
    throw error;
  }
}

function postDate(
  data: Readonly<Record<string, unknown>>,
  frontMatter: FrontMatter,
  fileNameDate: string | undefined,
  settings: ContentSettings,
  draftMtimeMs: number | undefined,
): Date {
  const timezone = settings.site.timezone;
  if (data.date !== undefined && data.date !== null) {
    try {
      return readDate(data.date, settings);
    } catch (error) {
      if (error instanceof DateFormatError) throw new PostError(`date: ${error.message}`, frontMatter.lineOf("date"), { cause: error });
      throw error;
    }
  }
  if (fileNameDate !== undefined && settings.jekyll) {
    // Document#modify_date: the name's date goes through parse_date like a front-matter one.
    try {
      return writableDate(jekyllPostDate(fileNameDate, timezone), fileNameDate);
    } catch (error) {
      if (error instanceof DateFormatError) throw new PostError(`the date in the file name (${fileNameDate}): ${error.message}; rename the file or add date: to the front matter`, undefined, { cause: error });
      throw error;
    }
  }
  if (fileNameDate !== undefined) {
    const [year, month, day] = fileNameDate.split("-").map(Number);
    const fromName = dateFromFileName(year ?? 0, month ?? 0, day ?? 0, timezone);
    if (!fromName) throw new PostError(`the date in the file name (${fileNameDate}) does not exist; rename the file or add date: to the front matter`);
    return fromName;
  }
  // Document#date: a draft without a date is dated by its file's modification time.
  if (draftMtimeMs !== undefined) return new Date(Math.floor(draftMtimeMs / 1000) * 1000);
  throw new PostError("no date: name the file YYYY-MM-DD-slug.md or add date: YYYY-MM-DD HH:MM:SS +ZZZZ to the front matter");
}

/**
 * A front-matter date: in a Jekyll site as Jekyll reads it (Psych, then Time.parse in the site's
 * zone: content/ruby-time.ts), in a folder of posts by Feedwright's documented rule (a time
 * without an offset is in the site's zone: content/dates.ts). Throws DateFormatError.
 */
function readDate(value: unknown, settings: ContentSettings): Date {
  if (!settings.jekyll) return parsePostDate(value, settings.site.timezone);
  // Jekyll takes years feeds cannot write; such a post is skipped, as in a posts folder.
  const date = jekyllPostDate(value, settings.site.timezone);
  return writableDate(date, typeof value === "string" ? value : date.toISOString());
}

/** `expires` (or `expiry_date`, as some Jekyll themes write it): when the post leaves the feeds. */
function postExpires(data: Readonly<Record<string, unknown>>, frontMatter: FrontMatter, date: Date, settings: ContentSettings): Date | undefined {
  const key = data.expires !== undefined && data.expires !== null ? "expires" : data.expiry_date !== undefined && data.expiry_date !== null ? "expiry_date" : undefined;
  if (key === undefined) return undefined;
  let expires: Date;
  try {
    expires = readDate(data[key], settings);
  } catch (error) {
    if (error instanceof DateFormatError) throw new PostError(`${key}: ${error.message}`, frontMatter.lineOf(key), { cause: error });
    throw error;
  }
  if (expires.getTime() <= date.getTime()) {
    throw new PostError(`${key} is not after the post's date, so the post would never be published; fix one of the two`, frontMatter.lineOf(key));
  }
  return expires;
}

function postUpdated(
  data: Readonly<Record<string, unknown>>,
  frontMatter: FrontMatter,
  date: Date,
  settings: ContentSettings,
  warn: (message: string, line?: number) => void,
): Date | undefined {
  const key = data.last_modified_at !== undefined ? "last_modified_at" : data.updated !== undefined ? "updated" : undefined;
  if (key === undefined || data[key] === null) return undefined;
  try {
    const updated = readDate(data[key], settings);
    if (updated.getTime() < date.getTime()) {
      warn(`${key} is earlier than date and is ignored; set it to the time of the last edit`, frontMatter.lineOf(key));
      return undefined;
    }
    return updated.getTime() === date.getTime() ? undefined : updated;
  } catch (error) {
    if (!(error instanceof DateFormatError)) throw error;
    warn(`${key}: ${error.message}; ignored`, frontMatter.lineOf(key));
    return undefined;
  }
}

function stringField(data: Readonly<Record<string, unknown>>, key: string, frontMatter: FrontMatter): string | undefined {
  const value = data[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new PostError(`${key} must be text, not ${Array.isArray(value) ? "a list" : "a mapping"}`, frontMatter.lineOf(key));
}

function nameList(
  data: Readonly<Record<string, unknown>>,
  key: string,
  frontMatter: FrontMatter,
  warn: (message: string, line?: number) => void,
  options: { whole?: boolean } = {},
): string[] {
  const value = data[key];
  let values: unknown[];
  if (value === undefined || value === null) values = [];
  else if (typeof value === "string") values = options.whole ? [value] : value.split(/\s+/u);
  else values = [value].flat(Infinity);
  const names: string[] = [];
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      warn(`${key}: an entry is not a name and is ignored; write each name as text`, frontMatter.lineOf(key));
      continue;
    }
    const name = collapseWhitespace(cleanText(String(value)));
    if (name !== "") names.push(name);
  }
  return unique(names);
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/**
 * `author` (a name or a mapping) or `authors` (a list of those); the site's author otherwise. In a
 * Jekyll site a name that is a key of `_data/authors.yml` stands for that entry, as jekyll-feed
 * looks it up (`site.data.authors[post_author]`).
 */
function postAuthors(
  data: Readonly<Record<string, unknown>>,
  frontMatter: FrontMatter,
  siteAuthor: Author,
  authorsData: Readonly<Record<string, unknown>> | undefined,
  warn: (message: string, line?: number) => void,
): Author[] {
  const key = data.authors !== undefined && data.authors !== null ? "authors" : "author";
  const raw = data[key];
  if (raw === undefined || raw === null) return [siteAuthor];
  const authors: Author[] = [];
  for (const written of [raw].flat(Infinity)) {
    const known = typeof written === "string" && authorsData && Object.hasOwn(authorsData, written) ? authorsData[written] : undefined;
    const entry = known !== null && typeof known === "object" && !Array.isArray(known) ? { name: written, ...known } : written;
    const author = toAuthor(entry, (message) => warn(`${key}: ${message}`, frontMatter.lineOf(key)));
    if (author) authors.push(author);
    else warn(`${key}: each author must be a name or a mapping with name:, email:, url:; ignored`, frontMatter.lineOf(key));
  }
  return authors.length > 0 ? authors : [siteAuthor];
}

function toAuthor(entry: unknown, warn: (message: string) => void): Author | undefined {
  if (typeof entry === "string" || typeof entry === "number") {
    const name = collapseWhitespace(cleanText(String(entry)));
    return name ? { name } : undefined;
  }
  if (entry && typeof entry === "object") {
    const record = entry as Record<string, unknown>;
    const name = typeof record.name === "string" ? collapseWhitespace(cleanText(record.name)) : "";
    if (!name) return undefined;
    const email = typeof record.email === "string" ? validEmail(record.email) : undefined;
    if (typeof record.email === "string" && email === undefined && record.email.trim() !== "") {
      warn(`email ${JSON.stringify(record.email)} is not an e-mail address every feed format can carry; it is left out — write it as name@example.com`);
    }
    const rawUrl = typeof record.url === "string" ? record.url : typeof record.uri === "string" ? record.uri : undefined;
    const url = rawUrl ? httpUrl(rawUrl) : undefined;
    return { name, email, url };
  }
  return undefined;
}

/** Feedwright's order for a folder of posts: excerpt, then description; both used as text with any HTML stripped. */
function frontMatterSummary(data: Readonly<Record<string, unknown>>, frontMatter: FrontMatter, keys: readonly string[] = ["excerpt", "description"]): string | undefined {
  for (const key of keys) {
    const value = stringField(data, key, frontMatter);
    if (value !== undefined && value.trim() !== "") {
      checkNesting(value, key, frontMatter.lineOf(key));
      return htmlToText(value);
    }
  }
  return undefined;
}

/**
 * jekyll-feed's summary (`post.description | default: post.excerpt`, HTML stripped): the
 * front-matter description, else a front-matter excerpt; else the excerpt made from the body.
 */
function jekyllFeedSummary(data: Readonly<Record<string, unknown>>, frontMatter: FrontMatter): string | undefined {
  return frontMatterSummary(data, frontMatter, ["description", "excerpt"]);
}

/**
 * The text of a post's Jekyll excerpt (content/jekyll/excerpt.ts), whole, as jekyll-feed shows
 * it: the excerpt is cut from the post's text before Liquid, then rendered like the post.
 */
function jekyllExcerptText(markdown: string, hints: BodyHints, liquid: PostLiquid | undefined): string {
  const excerpt = jekyllExcerptSource(markdown, hints.excerptSeparator ?? "");
  if (excerpt === undefined) return "";
  const source = hints.liquid ? renderedLiquid(excerpt, hints.liquid, liquid) : excerpt;
  return htmlToText(hints.html ? source : renderMarkdown(source, hints.kramdown));
}

/** The text before <!--more-->, else the first paragraph, cut to MAX_DERIVED_SUMMARY. */
function derivedSummary(markdown: string, bodyHtml: string, kramdown: KramdownOptions | undefined): string {
  const beforeMore = markdownBeforeMore(markdown);
  const derived = beforeMore !== undefined ? htmlToText(renderMarkdown(beforeMore, kramdown)) : firstParagraphText(bodyHtml);
  return truncate(derived, MAX_DERIVED_SUMMARY);
}

function checkNesting(html: string, what: string, line?: number): void {
  const depth = htmlNestingBound(html, MAX_HTML_NESTING);
  if (depth > MAX_HTML_NESTING) {
    throw new PostError(`${what} nests HTML elements up to ${depth} levels deep, over the ${MAX_HTML_NESTING} Feedwright reads; close the tags that are left open`, line);
  }
}

/** Cuts at a word boundary when the text has spaces (English), at a character otherwise (Japanese). */
function truncate(text: string, max: number): string {
  const characters = [...text];
  if (characters.length <= max) return text;
  const cut = characters.slice(0, max).join("");
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

function postId(data: Readonly<Record<string, unknown>>, frontMatter: FrontMatter, siteUrl: string): string | undefined {
  const raw = stringField(data, "id", frontMatter);
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = cleanText(raw.trim());
  // An absolute URI (https:, tag:, urn:) is used as it is, so ids from an earlier feed survive a move.
  if (/^[a-z][a-z0-9+.-]*:/iu.test(value)) {
    try {
      return strictUri(new URL(value).href);
    } catch {
      throw new PostError(`id "${value}" looks like a URI but is not a valid one; fix it or use a plain name`, frontMatter.lineOf("id"));
    }
  }
  // Anything else is a path under the site, as jekyll-feed's `post.id | absolute_url` does.
  return joinSiteUrl(siteUrl, value.startsWith("/") ? value : `/${value}`);
}

function postImage(
  data: Readonly<Record<string, unknown>>,
  frontMatter: FrontMatter,
  siteUrl: string,
  warn: (message: string, line?: number) => void,
): string | undefined {
  let raw = data.image;
  // jekyll-seo-tag style: image: { path: ..., alt: ... }
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    const record = raw as Record<string, unknown>;
    raw = record.path ?? record.url;
  }
  if (raw === undefined || raw === null || raw === "") return undefined;
  if (typeof raw !== "string") {
    warn("image must be a URL or a path under the site; ignored", frontMatter.lineOf("image"));
    return undefined;
  }
  const value = raw.trim();
  // Like jekyll-feed's `absolute_url`: a relative image is relative to the site root, not the post.
  const resolved = /^[a-z][a-z0-9+.-]*:/iu.test(value) || value.startsWith("//") ? httpUrl(value.startsWith("//") ? `https:${value}` : value) : httpUrl(joinSiteUrl(siteUrl, value.startsWith("/") ? value : `/${value}`));
  if (!resolved) warn(`image "${value}" is not an http(s) URL or a path; ignored`, frontMatter.lineOf("image"));
  return resolved;
}

function postLanguage(
  data: Readonly<Record<string, unknown>>,
  frontMatter: FrontMatter,
  warn: (message: string, line?: number) => void,
): string | undefined {
  const raw = data.lang;
  if (raw === undefined || raw === null) return undefined;
  try {
    if (typeof raw !== "string") throw new TypeError("not text");
    const [canonical] = Intl.getCanonicalLocales(raw);
    return canonical;
  } catch {
    warn(`lang "${typeof raw === "string" ? raw : JSON.stringify(raw)}" is not a BCP 47 language tag such as en or ja; ignored`, frontMatter.lineOf("lang"));
    return undefined;
  }
}

function httpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? strictUri(url.href) : undefined;
  } catch {
    return undefined;
  }
}

/** site.url (which may have a path, Jekyll's baseurl) + a path that starts with "/". */
export function joinSiteUrl(siteUrl: string, pathname: string): string {
  return resolveUrl(`${siteUrl}${pathname}`, siteUrl) ?? `${siteUrl}${pathname}`;
}
