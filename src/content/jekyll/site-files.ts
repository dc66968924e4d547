// A Jekyll site's `_data/` and `_includes/`, which posts' Liquid reads: `site.data` as Jekyll's
// DataReader builds it (readers/data_reader.rb: YAML and JSON parsed, CSV and TSV as lists of
// rows keyed by their header, folders as nested mappings) and the include files by name. Each is
// read again at the scan after it changes, and digested, so a post is rendered again exactly
// when something it reads changed (content/jekyll/liquid-dependencies.ts).
//
// Only regular files inside those folders are read: a symbolic link is not followed (so nothing
// outside the site is ever read through one), and a file over the size limit is refused, each
// with a report naming it.
import { isUtf8 } from "node:buffer";
import { lstatSync, readdirSync, realpathSync, type Stats } from "node:fs";
import { FileRefusedError, readFileInside } from "../read-inside.js";
import { createHash } from "node:crypto";
import path from "node:path";
import { createRequire } from "node:module";
import type * as CsvParse from "csv-parse/sync";
import { parseYamlSource, YamlSyntaxError } from "../../yaml-source.js";
import type { PostProblem } from "../post.js";

export interface SiteFiles {
  /** `site.data` */
  readonly data: Readonly<Record<string, unknown>>;
  /** A digest of each top-level key of `site.data`, and of the whole (key ""). */
  readonly dataDigests: ReadonlyMap<string, string>;
  /** Include files by their path inside `_includes/` ("nav/menu.html"). */
  readonly includes: ReadonlyMap<string, IncludeFile>;
  /** Files that could not be used, by their path in the site. */
  readonly problems: readonly PostProblem[];
}

export interface IncludeFile {
  readonly text: string;
  readonly digest: string;
}

export const DATA_FOLDER = "_data";
export const INCLUDES_FOLDER = "_includes";

// DataReader#read_data_to: `Dir["*.{yaml,yml,json,csv,tsv}"]`, extensions as written.
const DATA_EXTENSIONS = new Set([".yaml", ".yml", ".json", ".csv", ".tsv"]);

interface ReadFile {
  readonly identity: string;
  readonly value: unknown;
  readonly problem: string | undefined;
}

/**
 * Reads `_data/` and `_includes/` of a site, again only where a file changed since the last
 * call (its inode, size and time).
 */
export class SiteFilesReader {
  readonly #siteDir: string;
  readonly #maxBytes: number;
  #files = new Map<string, ReadFile>();
  #last: { identity: string; files: SiteFiles } | undefined;

  constructor(siteDir: string, maxBytes: number) {
    this.#siteDir = siteDir;
    this.#maxBytes = maxBytes;
  }

  read(): SiteFiles {
    const problems: PostProblem[] = [];
    const seen = new Map<string, ReadFile>();
    const dataFiles = this.#listData(DATA_FOLDER, problems);
    const includeFiles = this.#listIncludes(INCLUDES_FOLDER, problems);
    const identity = [...dataFiles, ...includeFiles].map(([relative, info]) => `${relative}:${statIdentity(info)}`).join("\n");
    if (this.#last && this.#last.identity === identity) return this.#last.files;

    const load = (relative: string, info: Stats, parse: (text: string) => unknown): ReadFile => {
      const known = this.#files.get(relative);
      const fileIdentity = statIdentity(info);
      const file = known && known.identity === fileIdentity ? known : this.#readFile(relative, fileIdentity, parse);
      seen.set(relative, file);
      if (file.problem !== undefined) problems.push({ file: relative, line: undefined, message: file.problem });
      return file;
    };

    const data: Record<string, unknown> = {};
    for (const [relative, info] of dataFiles) {
      const file = load(relative, info, (text) => parseDataFile(relative, text));
      if (file.problem !== undefined) continue;
      // Nested folders are nested mappings; a folder and a file of the same name: the later wins,
      // as in Jekyll (files are read before folders in each folder).
      const parts = relative.slice(DATA_FOLDER.length + 1).split("/");
      let node = data;
      for (const folder of parts.slice(0, -1)) {
        const key = sanitizeDataName(folder);
        const next = node[key];
        node = (typeof next === "object" && next !== null && !Array.isArray(next) ? next : (node[key] = {})) as Record<string, unknown>;
      }
      const name = parts.at(-1) ?? "";
      node[sanitizeDataName(name.slice(0, name.length - path.extname(name).length))] = file.value;
    }
    const includes = new Map<string, IncludeFile>();
    for (const [relative, info] of includeFiles) {
      const file = load(relative, info, (text) => text);
      if (file.problem === undefined && typeof file.value === "string") includes.set(relative.slice(INCLUDES_FOLDER.length + 1), { text: file.value, digest: digestOf(file.value) });
    }
    const dataDigests = new Map<string, string>(Object.entries(data).map(([key, value]) => [key, digestOf(JSON.stringify(value) ?? "")]));
    dataDigests.set("", digestOf(JSON.stringify([...dataDigests])));
    this.#files = seen;
    const files: SiteFiles = { data, dataDigests, includes, problems };
    this.#last = { identity, files };
    return files;
  }

  /** Data files in Jekyll's order: in each folder, its files (sorted), then its folders. */
  #listData(relative: string, problems: PostProblem[]): [string, Stats][] {
    const entries = this.#entries(relative, problems);
    const files = entries.filter(([name, info]) => info.isFile() && DATA_EXTENSIONS.has(path.extname(name)));
    const folders = entries.filter(([, info]) => info.isDirectory());
    return [...files.map(([name, info]): [string, Stats] => [`${relative}/${name}`, info]), ...folders.flatMap(([name]) => this.#listData(`${relative}/${name}`, problems))];
  }

  #listIncludes(relative: string, problems: PostProblem[]): [string, Stats][] {
    return this.#entries(relative, problems).flatMap(([name, info]): [string, Stats][] =>
      info.isDirectory() ? this.#listIncludes(`${relative}/${name}`, problems) : info.isFile() ? [[`${relative}/${name}`, info]] : [],
    );
  }

  /** The entries of a folder of the site, sorted, without dot files; links reported, not followed. */
  #entries(relative: string, problems: PostProblem[]): [string, Stats][] {
    let names: string[];
    try {
      names = readdirSync(path.join(this.#siteDir, relative)).sort();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") problems.push({ file: relative, line: undefined, message: `cannot read this folder (${code ?? String(error)}); check its permissions` });
      return [];
    }
    const entries: [string, Stats][] = [];
    for (const name of names) {
      if (name.startsWith(".")) continue;
      let info: Stats;
      try {
        info = lstatSync(path.join(this.#siteDir, relative, name));
      } catch {
        continue;
      }
      if (info.isSymbolicLink()) {
        problems.push({ file: `${relative}/${name}`, line: undefined, message: "a symbolic link; Feedwright does not follow links in _data and _includes (put the file itself there)" });
        continue;
      }
      entries.push([name.normalize("NFC"), info]);
    }
    return entries;
  }

  #readFile(relative: string, identity: string, parse: (text: string) => unknown): ReadFile {
    const read = readRegularFile(path.join(this.#siteDir, relative), this.#maxBytes, this.#siteDir);
    if (typeof read !== "string") return { identity, value: undefined, problem: read.problem };
    try {
      return { identity, value: parse(read), problem: undefined };
    } catch (error) {
      return { identity, value: undefined, problem: error instanceof DataFileError ? error.message : `cannot read it: ${(error as Error).message}` };
    }
  }
}

class DataFileError extends Error {}

/**
 * csv-parse, loaded when a site's _data/ first holds a CSV or TSV file: most sites have none,
 * and a folder of posts never does (it is 15–20 ms of every start otherwise). Its CommonJS
 * build, so that reading the data files stays synchronous.
 */
let csvParse: typeof CsvParse | undefined;

function csvParser(): typeof CsvParse.parse {
  csvParse ??= createRequire(import.meta.url)("csv-parse/sync") as typeof CsvParse;
  return csvParse.parse;
}

function parseDataFile(relative: string, text: string): unknown {
  const extension = path.extname(relative);
  if (extension === ".csv" || extension === ".tsv") {
    try {
      // CSV.read(path, headers: true).map(&:to_hash): rows keyed by the header; an unquoted empty
      // field is nil, a quoted one "".
      return csvParser()(text, {
        columns: true,
        delimiter: extension === ".tsv" ? "\t" : ",",
        bom: true,
        relax_column_count: true,
        cast: (value, context) => (value === "" && !context.quoting ? null : value),
      });
    } catch (error) {
      throw new DataFileError(`not valid ${extension === ".tsv" ? "TSV" : "CSV"} (${(error as Error).message}); fix it so that Jekyll can read it too`);
    }
  }
  try {
    return parseYamlSource(text.startsWith("\uFEFF") ? text.slice(1) : text).value;
  } catch (error) {
    if (error instanceof YamlSyntaxError) throw new DataFileError(`${error.line ? `line ${error.line}: ` : ""}${error.message}; fix it so that Jekyll can read it too`);
    throw error;
  }
}

// DataReader#sanitize_filename
function sanitizeDataName(name: string): string {
  return name.replace(/[^\p{L}\p{M}\p{Nd}\p{Pc}\s-]+|(?<=^|\b\s)\s+(?=$|\s?\b)/gu, "").replace(/\s+/gu, "_");
}

function statIdentity(info: Stats): string {
  return `${info.ino}:${info.size}:${info.mtimeMs}`;
}

/**
 * A regular file's text: opened without following a link or waiting on a FIFO, checked once open
 * to be a regular file inside the site (a folder on its path swapped for a link is caught too),
 * and read no further than `maxBytes`.
 */
function readRegularFile(file: string, maxBytes: number, siteDir: string): string | { problem: string } {
  let read: Buffer | number;
  try {
    read = readFileInside(file, realpathSync(siteDir), maxBytes);
  } catch (error) {
    if (error instanceof FileRefusedError) return { problem: error.message };
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: `cannot read it (${code ?? String(error)}); check its permissions` };
  }
  if (typeof read === "number") return { problem: `the file is ${read} bytes, over the limit of ${maxBytes} (max_post_bytes); make it smaller or raise the limit` };
  if (!isUtf8(read)) return { problem: "not valid UTF-8; save it as UTF-8" };
  return read.toString("utf8");
}

/**
 * The file `{% include_relative relative %}` in the post at `postPath` reads (jekyll/tags/
 * include.rb IncludeRelativeTag): relative to the post's folder, which it may not leave (no
 * "..", no link out of the site), a regular file under `maxBytes`; undefined otherwise.
 */
export function readRelativeInclude(siteDir: string, postPath: string, relative: string, maxBytes: number): string | undefined {
  if (relative === "" || relative.startsWith("/") || relative.split("/").some((segment) => segment === ".." || segment === "")) return undefined;
  const folder = path.posix.dirname(postPath);
  const file = path.join(siteDir, folder === "." ? "" : folder, relative);
  try {
    const siteReal = realpathSync(siteDir);
    const folderReal = realpathSync(path.dirname(file));
    if (folderReal !== siteReal && !folderReal.startsWith(`${siteReal}${path.sep}`)) return undefined;
  } catch {
    return undefined;
  }
  const read = readRegularFile(file, maxBytes, siteDir);
  return typeof read === "string" ? read : undefined;
}

function digestOf(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 22);
}
