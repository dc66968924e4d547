// Jekyll's URL filters (jekyll/filters/url_filters.rb): relative_url puts site.baseurl in front
// of a path, absolute_url puts site.url in front of that, both through Addressable's
// normalization ("/blog/a b/" becomes "/blog/a%20b/", "/a/./b/../c" becomes "/a/c"). A URL
// that already has a scheme comes back as it is.
import { isAbsoluteUri, normalizeUri } from "../addressable.js";
import { renderStateOf } from "../render-state.js";
import { rubyToS } from "../ruby-value.js";
import { documentUrl } from "../scope.js";
import { plain, type FilterTable } from "./filter-support.js";

/** relative_url(input) with the site's config; undefined for nil. Throws where Addressable raises. */
export function relativeUrl(config: Readonly<Record<string, unknown>>, input: unknown): string | undefined {
  const value = plain(input);
  if (value === undefined || value === null) return undefined;
  const url = rubyToS(documentUrl(value) ?? value);
  if (isAbsoluteUri(url)) return url;
  const baseurl = config.baseurl === undefined || config.baseurl === null ? "" : rubyToS(config.baseurl).replace(/\/$/, "");
  return normalizeUri([baseurl, url].map(ensureLeadingSlash).join(""));
}

/** absolute_url(input) with the site's config; undefined for nil. */
export function absoluteUrl(config: Readonly<Record<string, unknown>>, input: unknown): string | undefined {
  const value = plain(input);
  if (value === undefined || value === null) return undefined;
  const url = rubyToS(documentUrl(value) ?? value);
  if (isAbsoluteUri(url)) return url;
  const siteUrl = config.url;
  const relative = relativeUrl(config, value) ?? "";
  if (siteUrl === undefined || siteUrl === null || siteUrl === "") return relative;
  return normalizeUri(rubyToS(siteUrl) + relative);
}

function ensureLeadingSlash(part: string): string {
  return part === "" || part.startsWith("/") ? part : `/${part}`;
}

export const URL_FILTERS: FilterTable = {
  relative_url(input) {
    return relativeUrl(renderStateOf(this.context).site.config, input);
  },
  absolute_url(input) {
    return absoluteUrl(renderStateOf(this.context).site.config, input);
  },
  strip_index(input) {
    const value = plain(input);
    if (value === undefined || value === null || rubyToS(value) === "") return undefined;
    if (typeof value !== "string") throw new Error(`undefined method 'sub' for ${rubyToS(value)}`);
    // Ruby's $ matches before a newline too.
    return value.replace(/\/index\.html?(?=\n|$)/, "/");
  },
};
