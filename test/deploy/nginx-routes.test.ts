// deploy/nginx.conf serves a static export the way Feedwright serves it, so its regular
// expressions spell the URL scheme too. Each is written here from the route table
// (src/feeds/routes.ts) and must appear in the file exactly: a change of the scheme fails this
// test, which prints the lines the configuration needs. `npm run test:nginx` runs nginx itself.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { FEED_FILE_NAMES, ARCHIVE_FOLDER, INDEX_FILE, TERM_FOLDERS, type FeedFormat } from "../../src/feeds/routes.js";

const CONFIG = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "deploy", "nginx.conf");

/** A regular expression matching exactly these file names, names sharing an extension grouped: "(?:feed|atom)\.xml|feed\.json". */
function fileNamesPattern(formats: readonly FeedFormat[], group: "(?:" | "("): string {
  const byExtension = new Map<string, string[]>();
  for (const format of formats) {
    const name = FEED_FILE_NAMES[format];
    const dot = name.lastIndexOf(".");
    const stems = byExtension.get(name.slice(dot)) ?? [];
    stems.push(name.slice(0, dot));
    byExtension.set(name.slice(dot), stems);
  }
  return [...byExtension].map(([extension, stems]) => `${stems.length > 1 ? `${group}${stems.join("|")})` : stems[0]}${extension.replace(".", "\\.")}`).join("|");
}

/** The lines of deploy/nginx.conf that depend on the URL scheme, as the route table gives them. */
function routeLines(): string[] {
  const termFolder = `(?:(?:${Object.values(TERM_FOLDERS).join("|")})/[^/]+/)?`;
  const feedFiles = fileNamesPattern(["rss", "atom", "json"], "(?:");
  return [
    // RSS and Atom vary with Accept (a browser gets them as application/xml).
    `    ~(^|/)${fileNamesPattern(["rss", "atom"], "(")}$        "Accept, Accept-Encoding";`,
    // Archive numbers with leading zeros are redirected.
    `    rewrite ^(/${termFolder}${ARCHIVE_FOLDER}/)0+([1-9][0-9]*/(?:${feedFiles}))$ $1$2 permanent;`,
    `        index ${INDEX_FILE};`,
    `    location = /${INDEX_FILE} {`,
    // The media types of RSS and Atom by file name.
    `    location ~ (?:^|/)${fileNamesPattern(["rss"], "(?:")}$ {`,
    `    location ~ (?:^|/)${fileNamesPattern(["atom"], "(?:")}$ {`,
  ];
}

test("deploy/nginx.conf spells the URL scheme as the route table does", () => {
  const lines = new Set(readFileSync(CONFIG, "utf8").split("\n"));
  const missing = routeLines().filter((line) => !lines.has(line));
  expect(missing, `deploy/nginx.conf needs these lines:\n${missing.join("\n")}`).toEqual([]);
});
