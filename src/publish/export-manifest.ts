// What an export's tree holds, saved beside it (`.DIR.trees/<tree>.manifest.json`, never inside
// DIR, so no web server serves it): for every document, the key its bytes were made from, the
// ETag of its bytes, and which compressed siblings were written. The next export takes every
// document whose key or bytes are the same from that tree instead of writing it again.
//
// A manifest also holds the modification time of each folder of its tree as the export left it: a
// file added, deleted or renamed by hand changes its folder's time, so while no time changed the
// tree still holds exactly the files listed, and the next export need not list DIR's 35,000 files
// (10,000 posts) to know it, nor the spare's before it changes it.
import { readFile, writeFile } from "node:fs/promises";
import { COMPRESSION_LEVELS } from "../delivery/served-document.js";

export interface ManifestEntry {
  /** What the bytes were made from: a feed document's key and format, or a listing's ETag. */
  readonly key: string;
  /** The ETag of the identity bytes (a hash of them). */
  readonly etag: string;
  /** The files written for it: "" (the identity), ".gz", ".br". */
  readonly suffixes: readonly string[];
}

/** Documents by their file, relative to DIR with "/". */
export type ExportManifest = ReadonlyMap<string, ManifestEntry>;

/** Folders (relative to the tree with "/"; "" is the tree itself) and their modification times in ms. */
export type FolderTimes = ReadonlyMap<string, number>;

export interface ManifestFile {
  readonly documents: ExportManifest;
  /** None in a manifest of an older Feedwright: then the tree is listed. */
  readonly folders: FolderTimes | undefined;
}

export const MANIFEST_SUFFIX = ".manifest.json";

/**
 * Bump when the files of the same document can differ from before for a reason no key names.
 * The compression levels are part of it: other levels, other compressed bytes.
 */
const MANIFEST_VERSION = JSON.stringify(["feedwright-export-1", COMPRESSION_LEVELS]);

/** The manifest in `file`, or undefined when there is none or it is of another version. */
export async function readManifest(file: string): Promise<ManifestFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as { version?: unknown; documents?: unknown; folders?: unknown };
    if (parsed.version !== MANIFEST_VERSION || typeof parsed.documents !== "object" || parsed.documents === null) return undefined;
    const documents = new Map<string, ManifestEntry>();
    for (const [relative, entry] of Object.entries(parsed.documents as Record<string, unknown>)) {
      if (!isEntry(entry)) return undefined;
      documents.set(relative, entry);
    }
    return { documents, folders: folderTimes(parsed.folders) };
  } catch {
    // A manifest cut short (a full disk) is no manifest: the export renders everything.
    return undefined;
  }
}

export async function writeManifest(file: string, documents: ExportManifest, folders?: FolderTimes): Promise<void> {
  await writeFile(file, JSON.stringify({ version: MANIFEST_VERSION, documents: Object.fromEntries(documents), folders: folders && Object.fromEntries(folders) }));
}

function folderTimes(value: unknown): FolderTimes | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const times = new Map<string, number>();
  for (const [folder, time] of Object.entries(value as Record<string, unknown>)) {
    if (typeof time !== "number") return undefined;
    times.set(folder, time);
  }
  return times;
}

function isEntry(value: unknown): value is ManifestEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.key === "string" && typeof entry.etag === "string" && Array.isArray(entry.suffixes) && entry.suffixes.every((suffix) => suffix === "" || suffix === ".gz" || suffix === ".br");
}
