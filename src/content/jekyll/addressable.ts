// Jekyll's `absolute_url` and `relative_url` filters (jekyll/filters/url_filters.rb), which
// jekyll-feed applies to every entry id and link: the parts are joined and the result passed
// through Addressable::URI#normalize (addressable 2.8.1, lib/addressable/uri.rb). Normalizing
// percent-decodes each path segment, applies Unicode NFKC, and percent-encodes (upper-case hex)
// every character outside the segment's allowed set; scheme and host are lower-cased, a default
// port is dropped, dot segments are removed.

// Addressable::URI::CharacterClasses
const UNRESERVED = "A-Za-z0-9\\-._~";
const SUB_DELIMS = "!$&'()*+,;=";
const PCHAR = `${UNRESERVED}${SUB_DELIMS}:@`;
const OUTSIDE_PCHAR = new RegExp(`[^${PCHAR}]`, "u");
const OUTSIDE_FRAGMENT = new RegExp(`[^${PCHAR}/?]`, "u");
// NormalizeCharacterClasses::QUERY keeps "%" as it is except before "2B" (a "+" stays encoded).
const OUTSIDE_QUERY = new RegExp(`[^${PCHAR}/?]`, "u");

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: "80", https: "443", ftp: "21", tftp: "69" };

// RFC 3986 appendix B, as Addressable::URI.parse splits a reference.
const URI_PARTS = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/su;

/** Jekyll's `relative_url`: baseurl (without a trailing "/") + the input, each with a leading "/", normalized. */
export function jekyllRelativeUrl(baseurl: string, input: string): string {
  if (isAbsolute(input)) return input;
  const base = baseurl.endsWith("/") ? baseurl.slice(0, -1) : baseurl;
  return normalizeUri([base, input].map(withLeadingSlash).join(""));
}

/** Jekyll's `absolute_url`: the site's `url` + relative_url(input), normalized; relative_url alone without a `url`. */
export function jekyllAbsoluteUrl(url: string | undefined, baseurl: string, input: string): string {
  if (isAbsolute(input)) return input;
  const relative = jekyllRelativeUrl(baseurl, input);
  if (url === undefined || url === "") return relative;
  return normalizeUri(url + relative);
}

function withLeadingSlash(part: string): string {
  return part === "" || part.startsWith("/") ? part : `/${part}`;
}

function isAbsolute(input: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/u.test(input);
}

/** Addressable::URI.parse(text).normalize.to_s */
export function normalizeUri(text: string): string {
  const [, scheme, authority, rawPath = "", query, fragment] = URI_PARTS.exec(text) ?? [];
  const normalizedScheme = scheme?.toLowerCase();
  let result = normalizedScheme === undefined ? "" : `${normalizedScheme}:`;
  if (authority !== undefined) result += `//${normalizedAuthority(authority, normalizedScheme)}`;
  let normalizedPath = removeDotSegments(
    rawPath
      .trim()
      .split("/")
      .map((segment) => normalizeComponent(segment, OUTSIDE_PCHAR))
      .join("/"),
  );
  if (normalizedPath === "" && normalizedScheme !== undefined && ["http", "https", "ftp", "tftp"].includes(normalizedScheme)) normalizedPath = "/";
  result += normalizedPath;
  if (query !== undefined) {
    const normalizedQuery = query
      .split("&")
      .map((pair) => normalizeComponent(pair, OUTSIDE_QUERY, "+"))
      .join("&");
    if (normalizedQuery !== "") result += `?${normalizedQuery}`;
  }
  if (fragment !== undefined) {
    const normalizedFragment = normalizeComponent(fragment, OUTSIDE_FRAGMENT);
    if (normalizedFragment !== "") result += `#${normalizedFragment}`;
  }
  return result;
}

function normalizedAuthority(authority: string, scheme: string | undefined): string {
  const at = authority.lastIndexOf("@");
  const userinfo = at === -1 ? undefined : authority.slice(0, at);
  const hostPort = at === -1 ? authority : authority.slice(at + 1);
  const portMatch = /:(\d*)$/u.exec(hostPort);
  const host = portMatch ? hostPort.slice(0, portMatch.index) : hostPort;
  const port = portMatch?.[1];
  let normalizedHost = decodeBytes(host.trim().toLowerCase());
  if (/[^\u0000-\u007f]/u.test(normalizedHost)) { // eslint-disable-line no-control-regex -- any non-ASCII character
    try {
      normalizedHost = new URL(`http://${normalizedHost}`).hostname;
    } catch {
      // Addressable leaves a host it cannot convert to ASCII as it is.
    }
  }
  if (/[^.]\.$/u.test(normalizedHost)) normalizedHost = normalizedHost.slice(0, -1);
  const keepPort = port !== undefined && port !== "" && DEFAULT_PORTS[scheme ?? ""] !== String(Number(port));
  return `${userinfo === undefined ? "" : `${userinfo}@`}${normalizedHost}${keepPort ? `:${port}` : ""}`;
}

const UTF8 = new TextEncoder();

/**
 * Addressable::URI.normalize_component with a character class: decode every %XX, apply NFKC
 * (when the bytes are UTF-8), then percent-encode every character `outside` matches.
 * `leaveEncoded` lists characters whose %XX form is kept as written.
 */
function normalizeComponent(component: string, outside: RegExp, leaveEncoded = ""): string {
  const kept = leaveEncoded === "" ? undefined : new Set([...leaveEncoded].map((character) => character.charCodeAt(0)));
  const decoded = decodeBytesKeeping(component, kept);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(decoded).normalize("NFKC");
  } catch {
    // Not UTF-8: Addressable encodes the raw bytes with its default (reserved + unreserved) class.
    let encoded = "";
    for (const byte of decoded) encoded += byte < 0x80 && /[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]/u.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : hex(byte);
    return encoded;
  }
  let encoded = "";
  for (const character of text) {
    if (kept && character === "%") {
      encoded += character;
      continue;
    }
    if (!outside.test(character)) encoded += character;
    else for (const byte of UTF8.encode(character)) encoded += hex(byte);
  }
  return encoded;
}

function hex(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}

/** Percent-decodes into bytes; a %XX of a byte in `kept` stays as the three characters. */
function decodeBytesKeeping(text: string, kept: ReadonlySet<number> | undefined): Uint8Array {
  const raw = UTF8.encode(text);
  const bytes: number[] = [];
  for (let index = 0; index < raw.length; index++) {
    const byte = raw[index] ?? 0;
    const hexText = String.fromCharCode(raw[index + 1] ?? 0, raw[index + 2] ?? 0);
    if (byte === 0x25 && /^[0-9A-Fa-f]{2}$/u.test(hexText)) {
      const value = Number.parseInt(hexText, 16);
      if (kept?.has(value)) bytes.push(byte, raw[index + 1] ?? 0, raw[index + 2] ?? 0);
      else bytes.push(value);
      index += 2;
    } else {
      bytes.push(byte);
    }
  }
  return new Uint8Array(bytes);
}

function decodeBytes(text: string): string {
  return new TextDecoder("utf-8").decode(decodeBytesKeeping(text, undefined));
}

/** RFC 3986 section 5.2.4, plus Addressable's removal of leading "/../" segments. */
function removeDotSegments(path: string): string {
  if (!path.includes(".")) return path;
  const input = path.split("/");
  const output: string[] = [];
  const absolute = path.startsWith("/");
  for (let index = absolute ? 1 : 0; index < input.length; index++) {
    const segment = input[index] ?? "";
    const last = index === input.length - 1;
    if (segment === ".") {
      if (last) output.push("");
    } else if (segment === "..") {
      if (output.length > 0) output.pop();
      if (last) output.push("");
    } else {
      output.push(segment);
    }
  }
  return `${absolute ? "/" : ""}${output.join("/")}`;
}
