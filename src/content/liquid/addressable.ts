// The parts of Addressable 2.8.1 (lib/addressable/uri.rb) that Jekyll's URL filters call:
// URI.parse(...).absolute?, URI.parse(...).normalize.to_s (relative_url, absolute_url) and
// URI.normalize_component (uri_escape). Addressable works on UTF-8 bytes; so does this port.
import { domainToASCII } from "node:url";

/** Addressable::URI::InvalidURIError */
export class InvalidUriError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidUriError";
  }
}

// CharacterClasses, as the characters each component keeps unencoded.
const ALPHA_DIGIT = "a-zA-Z0-9";
const UNRESERVED = `${ALPHA_DIGIT}\\-._~`;
const SUB_DELIMS = "!$&'()*+,;=";
const GEN_DELIMS = ":/?#\\[\\]@";
const PCHAR = `${UNRESERVED}${SUB_DELIMS}:@`;

// NormalizeCharacterClasses: what normalize_component encodes.
const ENCODE = {
  scheme: new RegExp(`[^${ALPHA_DIGIT}\\-+.]`),
  unreserved: new RegExp(`[^${UNRESERVED}]`),
  host: new RegExp(`[^${UNRESERVED}${SUB_DELIMS}\\[:\\]]`),
  pchar: new RegExp(`[^${PCHAR}]`),
  fragment: new RegExp(`[^${PCHAR}/?]`),
  // the query keeps "&" and ";" encoded and "%2B" (a "+") as it is
  query: /[^a-zA-Z0-9\-._~!$'()*+,=:@/?%]|%(?!2B|2b)/,
  // normalize_component's default: RESERVED + UNRESERVED
  reservedOrUnreserved: new RegExp(`[^${GEN_DELIMS}${SUB_DELIMS}${UNRESERVED}]`),
};

// URI.port_mapping: the ports normalize drops, and the schemes that need a host (ip_based?).
const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  http: 80, https: 443, ftp: 21, tftp: 69, sftp: 22, ssh: 22, "svn+ssh": 22, telnet: 23, nntp: 119, gopher: 70, wais: 210, ldap: 389, prospero: 1525,
};

interface Uri {
  scheme: string | undefined;
  user: string | undefined;
  password: string | undefined;
  host: string | undefined;
  port: number | undefined;
  path: string;
  query: string | undefined;
  fragment: string | undefined;
}

// URIREGEX, with Ruby's line-anchored "$" (the last group stops at a newline).
const URI_PARTS = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#([^\n]*))?(?=\n|$)/;

/** Addressable::URI.parse; throws InvalidUriError where Addressable raises. */
export function parseUri(text: string): Uri {
  const match = URI_PARTS.exec(text);
  if (!match) throw new InvalidUriError(`cannot parse '${text}' as a URI`);
  const [, scheme, authority, path = "", query, fragment] = match;
  return buildUri({ scheme, authority, path, query, fragment });
}

/** Addressable::URI#absolute?: the URI has a scheme. */
export function isAbsoluteUri(text: string): boolean {
  return parseUri(text).scheme !== undefined;
}

interface UriText {
  scheme: string | undefined;
  authority: string | undefined;
  path: string;
  query: string | undefined;
  fragment: string | undefined;
}

// Addressable::URI.new(...): the setters and validate.
function buildUri(parts: UriText): Uri {
  const { scheme, authority } = parts;
  if (scheme !== undefined && !/^[a-z][a-z0-9.+-]*$/i.test(scheme)) throw new InvalidUriError(`Invalid scheme format: '${scheme}'`);
  let user: string | undefined;
  let password: string | undefined;
  let host: string | undefined;
  let port: number | undefined;
  if (authority !== undefined) {
    const userinfo = /^([^[\]]*)@/.exec(authority)?.[1];
    if (userinfo !== undefined) {
      user = /^([^:]*):?/.exec(rubyStrip(userinfo))?.[1];
      password = /:(.*)$/.exec(rubyStrip(userinfo))?.[1];
    }
    host = authority.replace(/^([^[\]]*)@/, "").replace(/:([^:@[\]]*?)$/, "");
    const portText = /:([^:@[\]]*?)$/.exec(authority)?.[1];
    port = portText === undefined || portText === "" ? undefined : parsePort(portText);
  }
  if (password !== undefined && user === undefined) user = "";
  let path = parts.path;
  if (path !== "" && !path.startsWith("/") && host !== undefined) path = `/${path}`;
  const uri: Uri = { scheme: scheme === undefined || rubyStrip(scheme) === "" ? undefined : scheme, user, password, host, port, path, query: parts.query, fragment: parts.fragment };
  validate(uri);
  return uri;
}

function parsePort(text: string): number | undefined {
  const decoded = decodeText(text, "");
  if (!/^\d+$/m.test(decoded)) throw new InvalidUriError(`Invalid port number: ${JSON.stringify(decoded)}`);
  const port = Number.parseInt(decoded, 10);
  return port === 0 ? undefined : port;
}

function validate(uri: Uri): void {
  const text = () => uriToString(uri);
  if (uri.scheme !== undefined && Object.hasOwn(DEFAULT_PORTS, rubyStrip(uri.scheme).toLowerCase()) && !uri.host && uri.path === "") {
    throw new InvalidUriError(`Absolute URI missing hierarchical segment: '${text()}'`);
  }
  if (uri.host === undefined && (uri.port !== undefined || uri.user !== undefined || uri.password !== undefined)) {
    throw new InvalidUriError(`Hostname not supplied: '${text()}'`);
  }
  const hasAuthority = uri.host !== undefined;
  if (uri.path !== "" && !uri.path.startsWith("/") && hasAuthority) throw new InvalidUriError(`Cannot have a relative path with an authority set: '${text()}'`);
  if (uri.path.startsWith("//") && !hasAuthority) throw new InvalidUriError(`Cannot have a path with two leading slashes without an authority set: '${text()}'`);
  if (uri.host !== undefined) {
    const bracketed = /^\[(.*)\]$/.exec(uri.host)?.[1];
    if (/[<>{}/\\?#@"\s]/u.test(uri.host) || (bracketed !== undefined && !new RegExp(`^[${UNRESERVED}${SUB_DELIMS}:]*$`).test(bracketed))) {
      throw new InvalidUriError(`Invalid character in host: '${uri.host}'`);
    }
  }
}

function authorityOf(uri: Uri): string | undefined {
  if (uri.host === undefined) return undefined;
  const userinfo = uri.user === undefined && uri.password === undefined ? "" : `${uri.user ?? ""}${uri.password === undefined ? "" : `:${uri.password}`}@`;
  return `${userinfo}${uri.host}${uri.port === undefined ? "" : `:${uri.port}`}`;
}

function uriToString(uri: Uri): string {
  const authority = authorityOf(uri);
  return `${uri.scheme === undefined ? "" : `${uri.scheme}:`}${authority === undefined ? "" : `//${authority}`}${uri.path}${uri.query === undefined ? "" : `?${uri.query}`}${uri.fragment === undefined ? "" : `#${uri.fragment}`}`;
}

// NORMPATH: a relative path whose first segment has a ":" would read back as a scheme.
const AMBIGUOUS_PATH = /^(?!\/)[^/:]*:[^\n]*$/m;

/** Addressable::URI.parse(text).normalize.to_s */
export function normalizeUri(text: string): string {
  const uri = parseUri(text);
  const scheme = uri.scheme === undefined ? undefined : normalizeComponent(rubyStrip(uri.scheme).toLowerCase(), ENCODE.scheme);
  const normalized = buildUri({
    scheme,
    authority: normalizedAuthority(uri, scheme),
    path: normalizedPath(uri, scheme),
    query: normalizedQuery(uri.query),
    fragment: uri.fragment === undefined ? undefined : normalizeComponent(uri.fragment, ENCODE.fragment) || undefined,
  });
  if (normalized.scheme === undefined && normalized.path !== "" && AMBIGUOUS_PATH.test(normalized.path)) {
    throw new InvalidUriError(`Cannot assemble URI string with ambiguous path: '${normalized.path}'`);
  }
  return uriToString(normalized);
}

function normalizedAuthority(uri: Uri, scheme: string | undefined): string | undefined {
  if (uri.host === undefined) return undefined;
  const blank = (value: string | undefined) => value === undefined || rubyStrip(value) === "";
  let user: string | undefined;
  if (uri.user !== undefined && !(/https?/.test(scheme ?? "") && blank(uri.user) && blank(uri.password))) {
    user = normalizeComponent(rubyStrip(uri.user), ENCODE.unreserved);
  }
  let password: string | undefined;
  if (uri.password !== undefined && !(/https?/.test(scheme ?? "") && blank(uri.password) && blank(uri.user))) {
    password = normalizeComponent(rubyStrip(uri.password), ENCODE.unreserved);
  }
  const userinfo = user === undefined && password === undefined ? "" : `${user ?? ""}${password === undefined ? "" : `:${password}`}@`;
  const port = uri.port !== undefined && DEFAULT_PORTS[scheme ?? ""] === uri.port ? undefined : uri.port;
  return `${userinfo}${normalizedHost(uri.host)}${port === undefined ? "" : `:${port}`}`;
}

function normalizedHost(host: string): string {
  if (rubyStrip(host) === "") return "";
  let result = decodeText(rubyStrip(host).toLowerCase(), "");
  // IDNA.to_ascii: only hosts with non-ASCII labels change
  if (/[\u0080-\u{10FFFF}]/u.test(result)) result = domainToASCII(result) || result;
  if (/[^.]\.$/.test(result)) result = result.slice(0, -1);
  return normalizeComponent(result, ENCODE.host);
}

function normalizedPath(uri: Uri, scheme: string | undefined): string {
  let path = uri.path;
  if (uri.scheme === undefined && AMBIGUOUS_PATH.test(path)) path = path.replace(":", "%2F");
  let result = removeDotSegments(rubyStrip(path).split("/").map((segment) => normalizeComponent(segment, ENCODE.pchar)).join("/"));
  if (result === "" && ["http", "https", "ftp", "tftp"].includes(scheme ?? "")) result = "/";
  return result;
}

function normalizedQuery(query: string | undefined): string | undefined {
  if (query === undefined) return undefined;
  const component = query.split("&").map((pair) => normalizeComponent(pair, ENCODE.query, "+")).join("&");
  return component === "" ? undefined : component;
}

// URI.normalize_path: RFC 3986 5.2.4's rules, applied in Addressable's order until none applies.
function removeDotSegments(path: string): string {
  let result = path;
  for (;;) {
    let changed = replaceAll(/\/\.\/|\/\.$/g, "/");
    if (!changed) {
      const pair = /\/([^/]*)\/\.\.\/|\/([^/]*)\/\.\.$/.exec(result);
      const parent = pair?.[1];
      const current = pair?.[2];
      if (pair && ((parent !== "." && parent !== "..") || (current !== "." && current !== ".."))) {
        changed = replaceAll(new RegExp(`/${escapeRegExp(parent ?? "")}/\\.\\./|(/${escapeRegExp(current ?? "")}/\\.\\.$)`, "g"), "/");
      }
    }
    if (!changed) changed = replaceAll(/^\.\.?\/?/g, "");
    if (!changed) changed = replaceAll(/^\/\.\.?\/|^(\/\.\.?)+\/?$/g, "/");
    if (!changed) return result;
  }
  // Ruby's gsub!: true when the pattern matched (and was replaced).
  function replaceAll(pattern: RegExp, replacement: string): boolean {
    if (!new RegExp(pattern.source).test(result)) return false;
    result = result.replace(pattern, replacement);
    return true;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * URI.normalize_component(component, character_class, leave_encoded): percent-decode (except
 * the characters in `leaveEncoded`), NFKC-normalize, then percent-encode every byte the class
 * does not keep, in upper-case hex. Text that is not valid UTF-8 once decoded skips NFKC and
 * is encoded with the default class, as Addressable's rescue does.
 */
export function normalizeComponent(component: string, encode: RegExp = ENCODE.reservedOrUnreserved, leaveEncoded = ""): string {
  const bytes = decodeBytes(component, leaveEncoded);
  const text = utf8Text(bytes);
  if (text === undefined) return encodeBytes(bytes, ENCODE.reservedOrUnreserved, leaveEncoded);
  return encodeBytes(Buffer.from(text.normalize("NFKC"), "utf8"), encode, leaveEncoded);
}

function decodeBytes(text: string, leaveEncoded: string): Buffer {
  const bytes: number[] = [];
  const source = Buffer.from(text, "utf8");
  for (let index = 0; index < source.length; index += 1) {
    const byte = source[index] ?? 0;
    if (byte === 0x25 && isHexDigit(source[index + 1]) && isHexDigit(source[index + 2])) {
      const value = Number.parseInt(String.fromCharCode(source[index + 1] ?? 0, source[index + 2] ?? 0), 16);
      if (!leaveEncoded.includes(String.fromCharCode(value))) {
        bytes.push(value);
        index += 2;
        continue;
      }
    }
    bytes.push(byte);
  }
  return Buffer.from(bytes);
}

function decodeText(text: string, leaveEncoded: string): string {
  return decodeBytes(text, leaveEncoded).toString("utf8");
}

function isHexDigit(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66));
}

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

function utf8Text(bytes: Buffer): string | undefined {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

// encode_component: each byte the class matches becomes %XX; then the "%xx" of the characters
// in `upcaseEncoded` are upper-cased.
function encodeBytes(bytes: Buffer, encode: RegExp, upcaseEncoded: string): string {
  // One character per byte, so that the class matches bytes as Ruby's gsub on a binary string
  // does; bytes above 0x7F are outside every class.
  let output = bytes.toString("latin1").replace(new RegExp(encode.source, "g"), (sequence) =>
    [...sequence].map((character) => `%${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(2, "0")}`).join(""));
  for (const character of upcaseEncoded) {
    const sequence = `%${(character.codePointAt(0) ?? 0).toString(16).padStart(2, "0")}`;
    output = output.replaceAll(new RegExp(escapeRegExp(sequence), "gi"), sequence.toUpperCase());
  }
  return output;
}

/** Ruby's String#strip: ASCII whitespace and NUL. */
export function rubyStrip(text: string): string {
  return text.replace(/^[\0\t\n\v\f\r ]+|[\0\t\n\v\f\r ]+$/g, "");
}
