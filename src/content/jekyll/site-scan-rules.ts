// Which files of a Jekyll site are posts, as Jekyll 4.3's Reader finds them (jekyll/reader.rb
// read_directories + retrieve_posts, readers/post_reader.rb, entry_filter.rb): every folder the
// EntryFilter lets through is visited, and in each one its `_posts` folder (and `_drafts`, with
// show_drafts) is read at any depth; a file there is a post when its name is dated
// (Document::DATE_FILENAME_MATCHER) — a draft needs no date — and Feedwright can convert it
// (a Markdown extension of `markdown_ext`, or HTML).
import { isIgnoredName, type ScanRules } from "../scan.js";
import type { JekyllSiteConfig } from "./site-config.js";

/** Where a post file sits in a site: what Jekyll derives from its path. */
export interface SitePostPath {
  /** The folder path before `_posts` (or `_drafts`): "ja/news" of "ja/news/_posts/2024/x.md". */
  readonly folder: string;
  /** "_posts" or "_drafts". */
  readonly special: "_posts" | "_drafts";
  /** The path inside that folder: "2024/x.md". */
  readonly inside: string;
}

// Document::DATE_FILENAME_MATCHER, on the file name (the folders are matched by its atomic
// group and contribute nothing).
const DATED_NAME = /^(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$/u;
// Document::DATELESS_FILENAME_MATCHER
const NAME_WITH_EXTENSION = /^(.*)(\.[^.]+)$/u;

/** Where `sourcePath` (relative to the site) sits, or undefined when it is in no `_posts`/`_drafts` folder. */
export function sitePostPath(sourcePath: string): SitePostPath | undefined {
  const segments = sourcePath.split("/");
  const index = segments.findIndex((segment) => segment === "_posts" || segment === "_drafts");
  if (index === -1) return undefined;
  return { folder: segments.slice(0, index).join("/"), special: segments[index] as "_posts" | "_drafts", inside: segments.slice(index + 1).join("/") };
}

/**
 * The categories Jekyll gives a post from its folders (Document#categories_from_path): the
 * folders before `_posts` ("ja/news/_posts/x.md" -> ja, news); none for "_posts/…" at the root.
 * Jekyll removes everything from the first "_posts" in the path (a regexp without anchors), so a
 * folder whose name merely contains "_posts" ends the categories there too.
 */
export function categoriesFromPath(sourcePath: string, special: "_posts" | "_drafts"): string[] {
  if (sourcePath.startsWith(special)) return [];
  const index = sourcePath.indexOf(special);
  const before = index === -1 ? sourcePath : sourcePath.slice(0, index);
  const basename = sourcePath.slice(sourcePath.lastIndexOf("/") + 1);
  return before.split("/").filter((segment) => segment !== "" && segment !== special && segment !== basename);
}

/** The scan rules of a site with this configuration. */
export function siteScanRules(config: Pick<JekyllSiteConfig, "exclude" | "include" | "showDrafts" | "markdownExtensions">): ScanRules {
  const filter = new EntryFilter(config.exclude, config.include);
  const convertible = new Set([...config.markdownExtensions, ".html", ".htm"]);
  const id = JSON.stringify(["site", config.exclude, config.include, config.showDrafts, [...convertible]]);

  // Inside `_posts` (or `_drafts`): PostReader#read_content lists `Dir["**/*"]` there through an
  // EntryFilter whose base is that folder, so names are tested with their path inside it.
  const inside = (special: "_posts" | "_drafts", base: string): ScanRules => {
    const rules: ScanRules = {
      id: `${id}:${special}`,
      folder: "the site",
      classify: (name, relative) => {
        const within = relative.slice(base.length + 1);
        const ignored = filter.rejects(within, name, relative);
        const extension = (NAME_WITH_EXTENSION.exec(name)?.[2] ?? "").toLowerCase();
        const named = special === "_posts" ? DATED_NAME.test(name) : NAME_WITH_EXTENSION.test(name);
        return { ignored, postFile: named && convertible.has(extension) };
      },
      inFolder: () => rules,
    };
    return rules;
  };

  const folders: ScanRules = {
    id,
    folder: "the site",
    classify: (name, relative) => {
      if (name === "_posts" || (name === "_drafts" && config.showDrafts)) return { ignored: filter.excluded(relative) && !filter.included(name), postFile: false };
      return { ignored: filter.rejects(name, name, relative), postFile: false };
    },
    inFolder: (name, relative) => (name === "_posts" || name === "_drafts" ? inside(name, relative) : folders),
  };
  return folders;
}

/**
 * Jekyll's EntryFilter#filter for one entry: `entry` as Jekyll lists it (a name in the folder,
 * or a path inside `_posts`), `name` its last segment, `relative` its path in the site (what
 * `exclude` is matched against).
 */
class EntryFilter {
  readonly #exclude: readonly RegExp[];
  readonly #excludePrefixes: readonly string[];
  readonly #include: readonly RegExp[];
  readonly #includePrefixes: readonly string[];

  constructor(exclude: readonly string[], include: readonly string[]) {
    // `site.exclude - site.include`
    const excluded = exclude.filter((pattern) => !include.includes(pattern));
    this.#exclude = excluded.map(fnmatchPattern);
    this.#excludePrefixes = excluded;
    this.#include = include.map(fnmatchPattern);
    this.#includePrefixes = include;
  }

  rejects(entry: string, name: string, relative: string): boolean {
    if (entry.endsWith(".")) return true;
    const included = this.included(entry) || this.included(name);
    if (this.excluded(relative) && !included) return true;
    if (included) return false;
    // special? (a leading ".", "_", "#" or "~" in the entry or its basename) or backup? ("~" at the end)
    return isIgnoredName(entry) || isIgnoredName(name) || entry.startsWith("~") || name.startsWith("~");
  }

  included(entry: string): boolean {
    return matches(entry, this.#include, this.#includePrefixes);
  }

  excluded(relative: string): boolean {
    return matches(relative, this.#exclude, this.#excludePrefixes);
  }
}

// EntryFilter#glob_include?: File.fnmatch? of the pattern against the entry (both under the
// site's source), or the entry starting with the pattern, or the pattern naming the entry as a
// folder ("drafts/").
function matches(entry: string, patterns: readonly RegExp[], prefixes: readonly string[]): boolean {
  for (let index = 0; index < patterns.length; index++) {
    const prefix = prefixes[index] ?? "";
    if (patterns[index]?.test(entry) || entry.startsWith(prefix) || prefix === `${entry}/`) return true;
  }
  return false;
}

// File.fnmatch? without flags: "*" matches any run of characters, "/" included, "?" one
// character, "[…]" a class; "\" escapes.
function fnmatchPattern(pattern: string): RegExp {
  let source = "";
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index] ?? "";
    if (character === "*") source += ".*";
    else if (character === "?") source += ".";
    else if (character === "\\" && index + 1 < pattern.length) source += escapeRegExp(pattern[++index] ?? "");
    else if (character === "[") {
      const end = pattern.indexOf("]", index + 1);
      if (end === -1) {
        source += "\\[";
        continue;
      }
      const body = pattern.slice(index + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\");
      source += `[${body}]`;
      index = end;
    } else source += escapeRegExp(character);
  }
  return new RegExp(`^${source}$`, "su");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
