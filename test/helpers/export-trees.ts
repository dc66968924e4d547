// What the trees folder beside an export's DIR holds between exports: the tree DIR leads to, one
// spare tree, and the manifest of each.
import { readdirSync, readlinkSync } from "node:fs";
import path from "node:path";

export interface ExportTrees {
  readonly live: string;
  readonly spare: string;
  /** Everything in the trees folder, sorted. */
  readonly entries: readonly string[];
  /** What it should hold: the two trees and their manifests, sorted. */
  readonly expected: readonly string[];
}

export function exportTrees(out: string): ExportTrees {
  const trees = path.join(path.dirname(out), `.${path.basename(out)}.trees`);
  const entries = readdirSync(trees).sort();
  const live = path.basename(readlinkSync(out));
  const spare = entries.find((name) => name !== live && !name.endsWith(".manifest.json")) ?? "";
  return { live, spare, entries, expected: [live, spare, `${live}.manifest.json`, `${spare}.manifest.json`].sort() };
}
