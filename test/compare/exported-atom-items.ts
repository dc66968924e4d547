// Every item of a Feedwright static export, read from its Atom documents: the subscription
// document atom.xml and every older document reached from it through RFC 5005 links ("next" for
// paged feeds, "prev-archive" for archived ones), whatever URLs they have. A link's URL is
// mapped to a file of the export through atom.xml's own rel="self" URL.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { readAtomDocument, type AtomEntry } from "./atom-entries.js";
import type { FeedwrightItem } from "./compare-posts.js";

export interface ExportedItems {
  readonly items: readonly FeedwrightItem[];
  /** the Atom documents read, relative to the export, in the order read */
  readonly documents: readonly string[];
  /** category terms whose scheme is neither …/categories/ nor …/tags/, "document: term (scheme)" */
  readonly unknownCategorySchemes: readonly string[];
}

/** Every item of the Atom documents of the export in `out`, from atom.xml on, each once. */
export async function readExportedItems(out: string): Promise<ExportedItems> {
  const first = "atom.xml";
  const firstDocument = readAtomDocument(await readFile(path.join(out, first), "utf8"), first);
  const self = firstDocument.links.find((link) => link.rel === "self")?.href;
  if (self === undefined || !self.endsWith(`/${first}`)) {
    throw new Error(`compare: ${first} has no rel="self" link ending in /${first}; cannot tell its URL from the export's file names`);
  }
  const base = self.slice(0, -first.length);
  const items: FeedwrightItem[] = [];
  const itemIds = new Set<string>();
  const documents: string[] = [];
  const unknownCategorySchemes: string[] = [];
  const queue = [first];
  const seen = new Set(queue);
  for (let relative = queue.shift(); relative !== undefined; relative = queue.shift()) {
    const document = relative === first ? firstDocument : readAtomDocument(await readFile(path.join(out, ...relative.split("/")), "utf8"), relative);
    documents.push(relative);
    // RFC 5005 §4 lets the subscription document and the newest archive hold the same entries:
    // each is read once, from the newest document that holds it.
    for (const entry of document.entries) {
      const item = itemOf(entry, relative, unknownCategorySchemes);
      if (itemIds.has(item.id)) continue;
      itemIds.add(item.id);
      items.push(item);
    }
    for (const link of document.links) {
      if (link.rel !== "next" && link.rel !== "prev-archive") continue;
      const older = exportedFile(link.href, base, relative);
      if (!seen.has(older)) {
        seen.add(older);
        queue.push(older);
      }
    }
  }
  return { items, documents, unknownCategorySchemes };
}

/** The export's file for a URL under `base`: its path, percent-decoded (the export names folders by the slugs themselves). */
function exportedFile(href: string, base: string, from: string): string {
  const url = href.split("#")[0]!;
  if (!url.startsWith(base) || url.includes("?")) {
    throw new Error(`compare: ${from} links to ${href}, which is not a file under ${base}; cannot read it from the export`);
  }
  const segments = url.slice(base.length).split("/").map((segment) => decodeURIComponent(segment));
  if (segments.some((segment) => segment === ".." || segment === "." || segment === "")) {
    throw new Error(`compare: ${from} links to ${href}, which does not name a file of the export`);
  }
  return segments.join("/");
}

function itemOf(entry: AtomEntry, document: string, unknownCategorySchemes: string[]): FeedwrightItem {
  const categories: string[] = [];
  const tags: string[] = [];
  for (const category of entry.categories) {
    // Feedwright's Atom renderer gives each term the scheme of the feeds it has: <site>/categories/ or <site>/tags/.
    if (category.scheme?.endsWith("/categories/")) categories.push(category.term);
    else if (category.scheme?.endsWith("/tags/")) tags.push(category.term);
    else unknownCategorySchemes.push(`${document}: ${category.term} (${category.scheme ?? "no scheme"})`);
  }
  return {
    document,
    url: entry.link ?? "",
    id: entry.id ?? "",
    titleHtml: entry.titleHtml ?? "",
    published: entry.published ?? entry.updated ?? "",
    categories,
    tags,
    contentHtml: entry.contentHtml ?? "",
    summaryHtml: entry.summaryHtml ?? "",
  };
}
