// The URL Jekyll 4.3 gives a file of the site that is not a post, for `{% link path %}`: a page
// (a file with front matter: jekyll/page.rb, Page#url and #template) or a static file
// (static_file.rb, StaticFile#url). Posts' URLs come from their heads.
import { closeSync, readSync, realpathSync } from "node:fs";
import { openInsideSync } from "../read-inside.js";
import path from "node:path";
import { escapeJekyllPath, JEKYLL_PERMALINK_STYLES, sanitizeJekyllUrl } from "../permalink.js";

/** Bytes read from the start of a file to find its front matter's `permalink:`. */
const HEAD_BYTES = 16 * 1024;

/**
 * The URL path (no baseurl) of the file at `relative` in the site, or undefined when there is no
 * such regular file inside the site. `permalinkStyle` is the site's `permalink` setting.
 */
export function siteFileUrl(siteDir: string, relative: string, permalinkStyle: string, markdownExtensions: readonly string[]): string | undefined {
  const clean = relative.replace(/^\/+/u, "");
  if (clean === "" || clean.split("/").some((segment) => segment === ".." || segment === "")) return undefined;
  const head = readHead(siteDir, clean);
  if (head === undefined) return undefined;
  const extension = path.posix.extname(clean);
  if (!/^---[ \t]*\r?\n/u.test(head)) return `/${clean}`;

  const outputExtension = markdownExtensions.includes(extension.toLowerCase()) ? ".html" : extension;
  const basename = path.posix.basename(clean, extension);
  const dir = path.posix.dirname(clean) === "." ? "" : `/${path.posix.dirname(clean)}`;
  const permalink = /^permalink:[ \t]*["']?([^"'\r\n]*?)["']?[ \t]*$/mu.exec(frontMatterOf(head))?.[1];
  const html = outputExtension === ".html" || outputExtension === ".htm";
  const template = permalink !== undefined && permalink !== "" ? permalink : !html ? "/:path/:basename:output_ext" : basename === "index" ? "/:path/" : withPermalinkSuffix("/:path/:basename", permalinkStyle);
  const values: Readonly<Record<string, string>> = { path: dir, basename, output_ext: outputExtension };
  return sanitizeJekyllUrl(template.replace(/:(path|basename|output_ext)/gu, (_match, name: string) => escapeJekyllPath(values[name] ?? "")));
}

// Utils.add_permalink_suffix
function withPermalinkSuffix(template: string, style: string): string {
  if (style === "pretty") return `${template}/`;
  if (style === "date" || style === "ordinal" || style === "none") return `${template}:output_ext`;
  const pattern = JEKYLL_PERMALINK_STYLES[style] ?? style;
  return `${template}${pattern.endsWith("/") ? "/" : ""}${pattern.endsWith(":output_ext") ? ":output_ext" : ""}`;
}

function frontMatterOf(head: string): string {
  const end = head.search(/\n(?:---|\.\.\.)[ \t]*\r?\n/u);
  return end === -1 ? head : head.slice(0, end);
}

/** The start of a regular file inside the site, never through a link or from a FIFO. */
function readHead(siteDir: string, relative: string): string | undefined {
  let opened: { descriptor: number };
  try {
    opened = openInsideSync(path.join(siteDir, relative), realpathSync(siteDir));
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const count = readSync(opened.descriptor, buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, count).toString("utf8");
  } catch {
    return undefined;
  } finally {
    closeSync(opened.descriptor);
  }
}
