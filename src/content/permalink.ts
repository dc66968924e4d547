// A post's URL path exactly as Jekyll 4.3 computes `post.url` for a file in `_posts`.
//
// Ported from the jekyll 4.3.1 gem (lib/jekyll/url.rb, drops/url_drop.rb, utils.rb, document.rb,
// renderer.rb, configuration.rb) and from addressable 2.8.1 (lib/addressable/uri.rb), which Jekyll
// uses to percent-encode. test/jekyll/permalink.jekyll.test.ts compares every rule here with a real
// `jekyll build`; test/fixtures/jekyll-permalinks.json holds its recorded answers.
//
// Deliberate gaps, all outside what a post in `_posts` meets in practice: slugify mode "latin"
// (needs Ruby I18n's transliteration tables); Ruby method names that Jekyll's UrlDrop happens to
// answer (":to_s", ":hash", ":keys"), which we reject as unknown placeholders; and characters that
// Unicode assigned after version 13, the version Ruby 3.1 knows.
import { DateTime } from "luxon";

export interface PermalinkInput {
  /** site-wide `permalink` setting: "date" (Jekyll's default), "pretty", "ordinal", "weekdate", "none", or a custom pattern such as "/:categories/:year/:month/:day/:title:output_ext" */
  style: string;
  /** the post's front-matter `permalink`, if any (may contain placeholders, as Jekyll allows); "" counts as given */
  frontMatterPermalink?: string | undefined;
  /** categories in Jekyll's order, as strings (front matter `category`/`categories` already resolved to a list by the caller) */
  categories: readonly string[];
  /** the post date (an instant) */
  date: Date;
  /** IANA time zone in which :year/:month/:day/etc. are computed (Jekyll sets TZ from the site's `timezone`) */
  timezone: string;
  /** the post's slug source: front-matter `slug` if given, else the file-name slug ("cloud-gpu" of 2025-11-04-cloud-gpu.md; for a file without a date prefix, the name without extension) */
  slug: string;
  /** file extension of the source, ".md" or ".markdown" (both output ".html") */
  extension: string;
  /**
   * The source file's path relative to the posts folder (`_posts`), "/"-separated, for example
   * "2024/2024-12-24-year-end-notes.md". Only the :name and :path placeholders need it; without
   * it they throw.
   */
  sourcePath?: string | undefined;
}

/** The built-in permalink styles (configuration.rb STYLE_TO_PERMALINK). Any other style is itself the pattern. */
export const JEKYLL_PERMALINK_STYLES: Readonly<Record<string, string>> = Object.freeze({
  none: "/:categories/:title:output_ext",
  date: "/:categories/:year/:month/:day/:title:output_ext",
  ordinal: "/:categories/:year/:y_day/:title:output_ext",
  pretty: "/:categories/:year/:month/:day/:title/",
  weekdate: "/:categories/:year/W:week/:short_day/:title:output_ext",
});

/** The pattern Jekyll uses for posts under a site-wide `permalink` setting (Configuration#style_to_permalink). */
export function permalinkTemplate(style: string): string {
  return Object.hasOwn(JEKYLL_PERMALINK_STYLES, style) ? (JEKYLL_PERMALINK_STYLES[style] ?? style) : style;
}

/** Computes the URL path Jekyll 4.3 gives a post (Document#url). Throws Error on an unknown placeholder. */
export function jekyllPermalink(input: PermalinkInput): string {
  // URL#to_s: a front-matter permalink replaces the pattern entirely (and may use placeholders too).
  const template = input.frontMatterPermalink ?? permalinkTemplate(input.style);
  const values = urlPlaceholderValues(input);
  return sanitizeJekyllUrl(expandPermalinkTemplate(template, values));
}

// ---------------------------------------------------------------------------------------------
// Placeholders (drops/url_drop.rb)

/** The value of a placeholder, or undefined for a name Jekyll does not know (":constructor" too). */
type PlaceholderValues = (name: string) => string | undefined;

/** Every placeholder Jekyll 4.3's UrlDrop offers a post, in url_drop.rb's order. */
export const JEKYLL_URL_PLACEHOLDERS: readonly string[] = Object.freeze([
  "output_ext", "path", "collection", "name", "title", "slug", "categories", "slugified_categories",
  "year", "month", "day", "hour", "minute", "second", "i_day", "i_month", "short_month", "long_month",
  "short_year", "w_year", "week", "w_day", "short_day", "long_day", "y_day",
]);

// Ruby's strftime %b %B %a %A always use English names (Jekyll runs in the C locale).
const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const SHORT_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

// Markdown converter: `markdown_ext` default "markdown,mkdown,mkdn,mkd,md", compared lower-cased.
const MARKDOWN_EXTENSIONS = new Set([".markdown", ".mkdown", ".mkdn", ".mkd", ".md"]);

function urlPlaceholderValues(input: PermalinkInput): PlaceholderValues {
  const time = DateTime.fromJSDate(input.date, { zone: input.timezone });
  if (!time.isValid) {
    throw new Error(`cannot compute the post's date in time zone "${input.timezone}": ${time.invalidExplanation ?? time.invalidReason ?? "invalid date"}`);
  }
  // A switch rather than a table of closures: every post computes its URL, and a pattern uses
  // a handful of the 25 placeholders.
  return (name) => {
    switch (name) {
      case "output_ext": return outputExtension(input);
      case "path": return cleanedRelativePath(requireSourcePath(input, "path"));
      case "collection": return "posts";
      case "name": return jekyllSlugify(basenameWithoutExtension(requireSourcePath(input, "name")));
      // `data["slug"]` is always set for a post (Document#populate_title), so UrlDrop's fallback
      // to the file's basename never applies.
      case "title": return jekyllSlugify(input.slug, "pretty", true);
      case "slug": return jekyllSlugify(input.slug);
      case "categories": return unique(input.categories.map(rubyDowncase)).join("/");
      case "slugified_categories": return unique(input.categories.map((category) => jekyllSlugify(category))).join("/");
      case "year": return pad(time.year, 4);
      case "month": return pad(time.month, 2);
      case "day": return pad(time.day, 2);
      case "hour": return pad(time.hour, 2);
      case "minute": return pad(time.minute, 2);
      case "second": return pad(time.second, 2);
      case "i_day": return String(time.day);
      case "i_month": return String(time.month);
      case "short_month": return SHORT_MONTHS[time.month - 1] ?? "";
      case "long_month": return LONG_MONTHS[time.month - 1] ?? "";
      case "short_year": return pad(time.year % 100, 2);
      case "w_year": return pad(time.weekYear, 4); // %G, the ISO 8601 week-numbering year
      case "week": return pad(time.weekNumber, 2); // %V
      case "w_day": return String(time.weekday); // %u (luxon: 1 = Monday)
      case "short_day": return SHORT_DAYS[time.weekday - 1] ?? "";
      case "long_day": return LONG_DAYS[time.weekday - 1] ?? "";
      case "y_day": return pad(time.ordinal, 3); // %j
      default: return undefined;
    }
  };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

/**
 * Replaces each `:name` in a permalink pattern (URL#generate_url_from_drop). The value is escaped
 * with {@link escapeJekyllPath}; the pattern's own text is not, so a literal "/日本語/" stays as is.
 * `valueOf` returns undefined for a name it does not know, which throws.
 */
export function expandPermalinkTemplate(template: string, valueOf: (name: string) => string | undefined): string {
  return template.replace(/:([a-z_]+)/g, (_match, name: string) => {
    // Jekyll matches [a-z_]+, so "/:month_:day" first sees "month_". It then tries the name
    // without one trailing underscore and keeps that underscore in the URL. (Its pool lists the
    // full name too, but `chomp!` has already shortened it, so only the shortened name is tried.)
    const key = name.endsWith("_") ? name.slice(0, -1) : name;
    const value = valueOf(key);
    if (value === undefined) throw unknownPlaceholderError(name, template);
    return escapeJekyllPath(value) + name.slice(key.length);
  });
}

function unknownPlaceholderError(name: string, template: string): Error {
  const supported = JEKYLL_URL_PLACEHOLDERS.map((key) => `:${key}`).join(" ");
  const trailing = name.endsWith("_") ? ` (nor ":${name.slice(0, -1)}" followed by "_")` : "";
  return new Error(
    `unknown placeholder ":${name}"${trailing} in "${template}"; Jekyll 4.3 supports ${supported}` +
      ` (a single trailing "_" is allowed, as in :year_:month)`,
  );
}

function requireSourcePath(input: PermalinkInput, placeholder: string): string {
  if (input.sourcePath === undefined) {
    throw new Error(`the :${placeholder} placeholder needs the post's file path (PermalinkInput.sourcePath)`);
  }
  return input.sourcePath;
}

// Renderer#output_ext: the extension of a front-matter permalink that does not end in "/",
// else the converter's (".html" for Markdown, the source's own extension otherwise).
function outputExtension(input: PermalinkInput): string {
  const permalink = input.frontMatterPermalink;
  if (permalink !== undefined && !permalink.endsWith("/")) {
    const extension = rubyExtname(permalink);
    if (extension !== "") return extension;
  }
  return MARKDOWN_EXTENSIONS.has(input.extension.toLowerCase()) ? ".html" : input.extension;
}

// Document#cleaned_relative_path for "_posts/<sourcePath>": extension and trailing dots removed,
// "_posts" removed, so "2024/2024-12-24-year-end-notes.md" becomes "/2024/2024-12-24-year-end-notes".
function cleanedRelativePath(sourcePath: string): string {
  const extension = rubyExtname(sourcePath);
  return `/${sourcePath.slice(0, sourcePath.length - extension.length)}`.replace(/\.*$/, "");
}

function basenameWithoutExtension(sourcePath: string): string {
  const basename = sourcePath.slice(sourcePath.lastIndexOf("/") + 1);
  return basename.slice(0, basename.length - rubyExtname(basename).length);
}

/**
 * Ruby's File.extname on Linux: from the last "." of the last path segment, ignoring the segment's
 * leading dots; "." alone when the name ends with a dot ("a." -> "."), "" when there is no dot.
 */
export function rubyExtname(filePath: string): string {
  const trimmed = filePath.replace(/\/+$/, "");
  const name = trimmed.slice(trimmed.lastIndexOf("/") + 1).replace(/^\.+/, "");
  const dot = name.lastIndexOf(".");
  return dot === -1 ? "" : name.slice(dot);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

// ---------------------------------------------------------------------------------------------
// File names (document.rb)

// Jekyll::Document::DATE_FILENAME_MATCHER. Jekyll matches it against "_posts/<path>", whose atomic
// directory group leaves only the last path segment to match, so that is all we look at.
const DATED_FILE_NAME = /^(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$/u;

export interface PostFileName {
  /** "2025-11-04" as written in the file name; undefined when the name has no date (then Jekyll does not treat the file as a post) */
  date: string | undefined;
  /** the slug Jekyll takes from the file name: "cloud-gpu" of "2025-11-04-cloud-gpu.md" */
  slug: string;
  /** ".md" */
  extension: string;
}

/**
 * Splits a post file name the way Document#populate_title does. Trailing dots of the slug are
 * dropped ("2025-01-01-etc...md" has the slug "etc").
 */
export function postFileName(fileName: string): PostFileName {
  const basename = fileName.slice(fileName.lastIndexOf("/") + 1);
  const dated = DATED_FILE_NAME.exec(basename);
  if (dated) {
    const [, date = "", slug = "", extension = ""] = dated;
    return { date, slug: slug.replace(/\.*$/, ""), extension };
  }
  // DATELESS_FILENAME_MATCHER; a name without any "." keeps its whole basename as the slug.
  const [, slug = basename, extension = ""] = /^(.*)(\.[^.]+)$/u.exec(basename) ?? [];
  return { date: undefined, slug: slug.replace(/\.*$/, ""), extension };
}

// ---------------------------------------------------------------------------------------------
// Slugs and titles (utils.rb)

/**
 * Utils.slugify modes. "none" stands for any name Jekyll does not know: the text is returned
 * as is, though still lower-cased unless `cased`. "latin" is not supported (see the file header).
 */
export type JekyllSlugifyMode = "raw" | "default" | "pretty" | "ascii" | "none";

const SLUGIFY_REPLACED: Readonly<Record<Exclude<JekyllSlugifyMode, "none">, RegExp>> = {
  raw: /[ \t\n\v\f\r]+/g, // Ruby's \s is ASCII-only
  default: /[^\p{M}\p{L}\p{Nd}]+/gu,
  pretty: /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu,
  ascii: /[^A-Za-z0-9]+/g,
};

/**
 * Jekyll's Utils.slugify: runs of characters the mode does not keep become one "-", leading and
 * trailing "-" go, and the result is lower-cased unless `cased`.
 *
 *   jekyllSlugify("The _config.yml file")                  // "the-config-yml-file"
 *   jekyllSlugify("The _config.yml file", "pretty")        // "the-_config.yml-file"
 *   jekyllSlugify("The _config.yml file", "pretty", true)  // "The-_config.yml-file"
 */
export function jekyllSlugify(text: string, mode: JekyllSlugifyMode = "default", cased = false): string {
  if (mode === "none") return cased ? text : rubyDowncase(text);
  // No newline survives the replacement, so Ruby's line anchors in %r!^-|-$! act as string anchors.
  const slug = text.replace(SLUGIFY_REPLACED[mode], "-").replace(/^-|-$/g, "");
  return cased ? slug : rubyDowncase(slug);
}

/**
 * Jekyll's Utils.titleize_slug, the title of a post without one: "no-title" -> "No Title".
 * Ruby's capitalize also lower-cases the rest of each word ("iphone-TIPS" -> "Iphone Tips").
 */
export function titleizeSlug(slug: string): string {
  const words = slug.split("-");
  while (words.at(-1) === "") words.pop(); // Ruby's String#split drops trailing empty fields
  return words.map(rubyCapitalize).join(" ");
}

/** Ruby's String#downcase: full Unicode lower-casing, but without JavaScript's final-sigma rule ("ΟΔΟΣ" -> "οδοσ"). */
export function rubyDowncase(text: string): string {
  return text.replaceAll("Σ", "σ").toLowerCase();
}

/** Ruby's String#capitalize: the first character in title case, the rest lower-cased. */
export function rubyCapitalize(word: string): string {
  const first = word.codePointAt(0);
  if (first === undefined) return word;
  const head = String.fromCodePoint(first);
  return rubyTitlecase(head) + rubyDowncase(word.slice(head.length));
}

// Titlecase differs from uppercase for these (Unicode SpecialCasing.txt; checked against Ruby 3.1).
const SPECIAL_TITLECASE: Readonly<Record<string, string>> = {
  "ß": "Ss", "\u0587": "\u0535\u0582",
  "\uFB00": "Ff", "\uFB01": "Fi", "\uFB02": "Fl", "\uFB03": "Ffi", "\uFB04": "Ffl", "\uFB05": "St", "\uFB06": "St",
  "\uFB13": "\u0544\u0576", "\uFB14": "\u0544\u0565", "\uFB15": "\u0544\u056B", "\uFB16": "\u054E\u0576", "\uFB17": "\u0544\u056D",
  "\u1FB2": "\u1FBA\u0345", "\u1FB3": "\u1FBC", "\u1FB4": "\u0386\u0345", "\u1FB7": "\u0391\u0342\u0345", "\u1FBC": "\u1FBC",
  "\u1FC2": "\u1FCA\u0345", "\u1FC3": "\u1FCC", "\u1FC4": "\u0389\u0345", "\u1FC7": "\u0397\u0342\u0345", "\u1FCC": "\u1FCC",
  "\u1FF2": "\u1FFA\u0345", "\u1FF3": "\u1FFC", "\u1FF4": "\u038F\u0345", "\u1FF7": "\u03A9\u0342\u0345", "\u1FFC": "\u1FFC",
};

function rubyTitlecase(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  // DŽ Dž dž, LJ Lj lj, NJ Nj nj and DZ Dz dz have a titlecase letter of their own (the middle one).
  if (code >= 0x1c4 && code <= 0x1cc) return String.fromCodePoint(0x1c5 + 3 * Math.floor((code - 0x1c4) / 3));
  if (code >= 0x1f1 && code <= 0x1f3) return "\u01F2";
  // Georgian Mkhedruli is its own titlecase; Mtavruli titlecases to Mkhedruli.
  if ((code >= 0x10d0 && code <= 0x10fa) || (code >= 0x10fd && code <= 0x10ff)) return character;
  if ((code >= 0x1c90 && code <= 0x1cba) || (code >= 0x1cbd && code <= 0x1cbf)) return String.fromCodePoint(code - 0x1c90 + 0x10d0);
  // Greek with ypogegrammeni titlecases to the prosgegrammeni letter (U+1F80 -> U+1F88).
  if (code >= 0x1f80 && code <= 0x1faf) return String.fromCodePoint(code | 0x8);
  return SPECIAL_TITLECASE[character] ?? character.toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// Escaping and sanitising (url.rb, addressable/uri.rb)

/**
 * URL#sanitize_url: prefix "/", turn every ".." into "/", drop every "./", squeeze "/" runs.
 * "../a/./b//c" -> "/a/b/c"; "no-slash/x.html" -> "/no-slash/x.html".
 */
export function sanitizeJekyllUrl(url: string): string {
  return `/${url}`.replaceAll("..", "/").replaceAll("./", "").replace(/\/+/g, "/");
}

/**
 * Jekyll's URL.escape_path, applied to every placeholder value: left alone when it is all
 * [a-zA-Z0-9./-]; otherwise Addressable::URI.encode, then the first "#" becomes "%23".
 * Addressable parses the value as a URI first, so "c#" -> "c%23", "what?" keeps its "?",
 * "100%" -> "100%25", "a b" -> "a%20b", "AI導入戦略" -> "AI%E5%B0%8E%E5%85%A5%E6%88%A6%E7%95%A5".
 * Throws where Addressable raises InvalidURIError (a value such as ":)" or "日本:x").
 */
export function escapeJekyllPath(value: string): string {
  // %r!^[a-zA-Z0-9./-]+$! with Ruby's line anchors: one such line anywhere is enough.
  if (value === "" || value.split("\n").some((line) => /^[a-zA-Z0-9./-]+$/.test(line))) return value;
  return addressableEncode(value).replace("#", "%23");
}

// Addressable::URI::CharacterClasses: the ASCII characters each component keeps unencoded.
const UNRESERVED = "A-Za-z0-9\\-._~";
const SUB_DELIMS = "!$&'()*+,;=";
const PCHAR = `${UNRESERVED}${SUB_DELIMS}:@`;
const KEPT = {
  scheme: new RegExp(`^[A-Za-z0-9\\-+.]$`),
  authority: new RegExp(`^[${PCHAR}\\[\\]]$`),
  path: new RegExp(`^[${PCHAR}/]$`),
  queryOrFragment: new RegExp(`^[${PCHAR}/?]$`),
};

const IP_LITERAL = new RegExp(`^[${UNRESERVED}${SUB_DELIMS}:]*$`);

interface UriParts {
  scheme: string | undefined;
  authority: Authority | undefined;
  path: string;
  query: string | undefined;
  fragment: string | undefined;
}

interface Authority {
  user: string | undefined;
  password: string | undefined;
  host: string;
  port: number | undefined;
}

// Ruby regexps differ from JavaScript's: "^" and "$" match at every line, "." stops only at "\n".
// The ports below spell that out with (?<=^|\n), (?=\n|$) and [^\n].
const URI_PARTS = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#([^\n]*))?(?=\n|$)/;

/** Addressable::URI.encode(value): parse, encode each component, validate, reassemble. */
function addressableEncode(value: string): string {
  const parsed = parseUri(value);
  const authorityText = parsed.authority && encodeComponent(authorityToString(parsed.authority), KEPT.authority);
  return uriToString({
    scheme: parsed.scheme && encodeComponent(parsed.scheme, KEPT.scheme),
    authority: authorityText === undefined ? undefined : parseAuthority(authorityText, value),
    path: encodeComponent(parsed.path, KEPT.path),
    query: parsed.query === undefined ? undefined : encodeComponent(parsed.query, KEPT.queryOrFragment),
    fragment: parsed.fragment === undefined ? undefined : encodeComponent(parsed.fragment, KEPT.queryOrFragment),
  }, value);
}

function parseUri(value: string): UriParts {
  const match = URI_PARTS.exec(value);
  if (!match) throw invalidUri(value, "it does not parse as a URI reference");
  const [, scheme, authority, path = "", query, fragment] = match;
  if (scheme !== undefined && !/^[A-Za-z][A-Za-z0-9.+-]*$/.test(scheme)) {
    throw invalidUri(value, `"${scheme}" before ":" is not a valid URI scheme`);
  }
  const parts: UriParts = {
    scheme,
    authority: authority === undefined ? undefined : parseAuthority(authority, value),
    path,
    query,
    fragment,
  };
  validateUri(parts, value);
  return parts;
}

// Addressable::URI#authority= : userinfo up to an "@" (no brackets before it), port after the last ":".
function parseAuthority(text: string, value: string): Authority {
  const userinfo = /(?<=^|\n)([^[\]]*)@/.exec(text)?.[1];
  let user: string | undefined;
  let password: string | undefined;
  if (userinfo !== undefined) {
    const stripped = userinfo.replace(/^[\0\t\n\v\f\r ]+|[\0\t\n\v\f\r ]+$/g, "");
    user = /^([^:]*)/.exec(stripped)?.[1] ?? "";
    password = /:([^\n]*)(?=\n|$)/.exec(stripped)?.[1];
  }
  const host = text.replace(/(?<=^|\n)([^[\]]*)@/, "").replace(/:([^:@[\]]*?)(?=\n|$)/, "");
  const portText = /:([^:@[\]]*?)(?=\n|$)/.exec(text)?.[1];
  const port = portText === undefined || portText === "" ? undefined : parsePort(portText, value);
  validateHost(host, value);
  return { user, password, host, port };
}

function parsePort(text: string, value: string): number | undefined {
  const decoded = percentDecode(text);
  if (decoded === undefined) throw invalidUri(value, "its port is not valid UTF-8");
  if (!decoded.split("\n").some((line) => /^[0-9]+$/.test(line))) throw invalidUri(value, `"${decoded}" is not a port number`);
  const digits = /^[\t\n\v\f\r ]*([0-9]+)/.exec(decoded)?.[1]; // Ruby's String#to_i
  const port = digits === undefined ? 0 : Number.parseInt(digits, 10);
  return port === 0 ? undefined : port;
}

function validateHost(host: string, value: string): void {
  if (/[<>{}/\\?#@"\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/.test(host)) {
    throw invalidUri(value, `"${host}" after "//" is not a valid host`);
  }
  const bracketed = /(?<=^|\n)\[([^\n]*)\](?=\n|$)/.exec(host)?.[1];
  if (bracketed !== undefined && !IP_LITERAL.test(bracketed)) {
    throw invalidUri(value, `"${host}" after "//" is not a valid host`);
  }
}

// Addressable::URI#validate and #to_s's ambiguity check.
function validateUri(parts: UriParts, value: string): void {
  const ipBased = ["http", "https", "ftp", "tftp", "sftp", "ssh", "svn+ssh", "telnet", "nntp", "gopher", "wais", "ldap", "prospero"];
  if (parts.scheme !== undefined && ipBased.includes(parts.scheme.trim().toLowerCase()) && !parts.authority?.host && parts.path === "") {
    throw invalidUri(value, `"${parts.scheme}:" needs a host or a path`);
  }
  if (parts.scheme === undefined && parts.path !== "" && /(?<=^|\n)(?!\/)[^/:]*:/.test(parts.path)) {
    throw invalidUri(value, `its path "${parts.path}" would read as a URI scheme`);
  }
}

function uriToString(parts: UriParts, value: string): string {
  validateUri(parts, value);
  let text = "";
  if (parts.scheme !== undefined) text += `${parts.scheme}:`;
  if (parts.authority !== undefined) text += `//${authorityToString(parts.authority)}`;
  text += parts.path;
  if (parts.query !== undefined) text += `?${parts.query}`;
  if (parts.fragment !== undefined) text += `#${parts.fragment}`;
  return text;
}

function authorityToString(authority: Authority): string {
  const { user, password, host, port } = authority;
  const userinfo = user === undefined ? undefined : password === undefined ? user : `${user}:${password}`;
  return `${userinfo === undefined ? "" : `${userinfo}@`}${host}${port === undefined ? "" : `:${port}`}`;
}

const UTF8 = new TextEncoder();

/** Addressable::URI.encode_component: every UTF-8 byte outside `kept` becomes %XX (upper-case hex). */
function encodeComponent(text: string, kept: RegExp): string {
  let encoded = "";
  for (const character of text) {
    if (character.length === 1 && character.charCodeAt(0) < 0x80 && kept.test(character)) {
      encoded += character;
    } else {
      for (const byte of UTF8.encode(character)) encoded += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
  }
  return encoded;
}

function percentDecode(text: string): string | undefined {
  const raw = UTF8.encode(text);
  const bytes: number[] = [];
  for (let index = 0; index < raw.length; index += 1) {
    const hex = String.fromCharCode(raw[index + 1] ?? 0, raw[index + 2] ?? 0);
    if (raw[index] === 0x25 && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(raw[index] ?? 0);
    }
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

function invalidUri(value: string, reason: string): Error {
  return new Error(`Jekyll cannot percent-encode "${value}" for a URL (Addressable::URI raises InvalidURIError): ${reason}`);
}
