// Data flows one way through src/: disk -> posts -> documents -> HTTP. Each folder (and each
// file directly in src/) has a layer below; a module may import only from its own layer or an
// earlier one, and no modules import each other in a circle. A new folder must be given a layer
// here before anything can import it or be imported by it.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "src");

/** Upstream first. A part is a folder of src/ or a file directly in it. */
const LAYERS: readonly (readonly string[])[] = [
  // Text every format can carry, YAML as Jekyll reads it, log line batching, sharing the event
  // loop, starting worker threads: no stage's code.
  ["text", "yaml-source.ts", "batched-line-writer.ts", "time-slices.ts", "worker-pool.ts"],
  ["logger.ts"],
  // Read once at start-up and handed to every stage.
  ["config.ts"],
  ["cache"],
  // The stages, in the order data flows through them.
  ["content"],
  ["feeds"],
  ["delivery"],
  ["ops"],
  ["publish"],
  ["http"],
  // Wires config -> pipeline -> server.
  ["cli.ts"],
];

const RANK = new Map(LAYERS.flatMap((parts, rank) => parts.map((part) => [part, rank] as const)));

/** Static imports and re-exports, type-only ones included, and dynamic import("./…") of relative paths. */
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+"(\.{1,2}\/[^"]+)"|\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g;

function sourceFiles(): string[] {
  return readdirSync(SRC, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => path.join(SRC, file));
}

function partOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0] ?? "";
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT)].map((match) => path.join(path.dirname(file), (match[1] ?? match[2] ?? "").replace(/\.js$/, ".ts")));
}

const graph = new Map(sourceFiles().map((file) => [file, importsOf(file)]));
const shown = (file: string): string => path.relative(path.dirname(SRC), file).split(path.sep).join("/");

test("every part of src/ has a layer", () => {
  const parts = new Set([...graph.keys()].map(partOf));
  expect([...parts].filter((part) => !RANK.has(part))).toEqual([]);
});

test("no module imports from a later layer", () => {
  const upstream: string[] = [];
  for (const [file, imports] of graph) {
    for (const target of imports) {
      const from = partOf(file);
      const to = partOf(target);
      if ((RANK.get(to) ?? Infinity) > (RANK.get(from) ?? -Infinity)) upstream.push(`${shown(file)} imports ${shown(target)}: ${from} comes before ${to}`);
    }
  }
  expect(upstream).toEqual([]);
});

test("every import names a module that exists", () => {
  const missing = [...graph].flatMap(([file, imports]) => imports.filter((target) => !graph.has(target)).map((target) => `${shown(file)} -> ${shown(target)}`));
  expect(missing).toEqual([]);
});

test("no modules import each other in a circle", () => {
  const circles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, "open");
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === "open") circles.push([...stack.slice(stack.indexOf(target)), target].map(shown).join(" -> "));
      else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  expect(circles).toEqual([]);
});
