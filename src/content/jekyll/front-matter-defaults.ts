// `defaults:` of a Jekyll site applied to one post, as jekyll/frontmatter_defaults.rb does it:
// every set whose scope matches the post's path (relative to the site) and type is merged, a
// set with a longer scope path (or, at equal length, one with a type) taking precedence, and the
// post's own front matter wins over all of them (Document#merge_defaults, then read_content).
import { deepMerge, type FrontMatterDefaultSet } from "./site-config.js";

/** The values `defaults:` gives the post at `sourcePath` ("ja/_posts/2024-01-01-a.md") of type `type`. */
export function frontMatterDefaults(sets: readonly FrontMatterDefaultSet[], sourcePath: string, type: string): Record<string, unknown> {
  let defaults: Record<string, unknown> = {};
  let oldScope: FrontMatterDefaultSet | undefined;
  for (const set of sets) {
    if (set.type !== undefined && set.type !== type) continue;
    if (!appliesToPath(set.path, sourcePath)) continue;
    if (hasPrecedence(oldScope, set)) {
      defaults = deepMerge(defaults, set.values);
      oldScope = set;
    } else {
      defaults = deepMerge(set.values, defaults);
    }
  }
  return defaults;
}

/** The front matter after defaults: the file's own keys win, mappings merge key by key. */
export function withDefaults(defaults: Readonly<Record<string, unknown>>, frontMatter: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return deepMerge(defaults, frontMatter);
}

// FrontmatterDefaults#applies_path?: a scope path is a prefix of the post's path (a string
// prefix, as Ruby's start_with? is), or a glob that matches a folder the post is in. The scope
// path is used as written there (only has_precedence? strips its leading "/"), so a scope
// written "/blog" matches no post, in Jekyll as here.
function appliesToPath(scopePath: string, sourcePath: string): boolean {
  if (scopePath === "") return true;
  if (!scopePath.includes("*")) return sourcePath.startsWith(scopePath);
  // Dir.glob of the scope lists existing paths; those the post's path starts with are its own
  // folders and the file itself.
  const pattern = globPattern(scopePath);
  const segments = sourcePath.split("/");
  for (let length = 1; length <= segments.length; length++) {
    if (pattern.test(segments.slice(0, length).join("/"))) return true;
  }
  return false;
}

// FrontmatterDefaults#sanitize_path: a leading "/" goes.
function sanitizePath(scopePath: string): string {
  return scopePath.startsWith("/") ? scopePath.replace(/^\//, "") : scopePath;
}

// Ruby's Dir.glob: "*" matches within one path segment (not a leading dot), "**/" any number of
// folders, "?" one character, "{a,b}" either.
function globPattern(glob: string): RegExp {
  let source = "";
  for (let index = 0; index < glob.length; index++) {
    const character = glob[index] ?? "";
    if (glob.startsWith("**/", index)) {
      source += "(?:[^/]+/)*";
      index += 2;
    } else if (character === "*") {
      source += "[^/]*";
    } else if (character === "?") {
      source += "[^/]";
    } else if (character === "{") {
      const end = glob.indexOf("}", index);
      if (end === -1) {
        source += "\\{";
        continue;
      }
      source += `(?:${glob.slice(index + 1, end).split(",").map(escapeRegExp).join("|")})`;
      index = end;
    } else {
      source += escapeRegExp(character);
    }
  }
  return new RegExp(`^${source}/?$`, "u");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

// FrontmatterDefaults#has_precedence?
function hasPrecedence(oldScope: FrontMatterDefaultSet | undefined, newScope: FrontMatterDefaultSet): boolean {
  if (oldScope === undefined) return true;
  const newPath = sanitizePath(newScope.path);
  const oldPath = sanitizePath(oldScope.path);
  if (newPath.length !== oldPath.length) return newPath.length >= oldPath.length;
  if (newScope.type !== undefined) return true;
  return oldScope.type === undefined;
}
