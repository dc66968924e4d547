// Where a Feedwright process spends its CPU: a summary of a V8 .cpuprofile (`node --cpu-prof`)
// by self time, split into Feedwright's own code (the fast path apart from the rest), its
// dependencies, Node's JavaScript internals, native bindings and V8 itself.
//
//   npx tsx bench/summarize-profile.ts FILE.cpuprofile [--top N] [--root DIR]
//
// bench/http.ts --profile calls summarizeProfile with the time window of one load scenario, so
// start-up (reading and rendering the posts) is left out. A profile's timestamps are microseconds
// of the monotonic clock, the same clock as process.hrtime in any process of this machine.
import { readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

/** The parts of the .cpuprofile format (Chrome DevTools protocol `Profiler.Profile`) read here. */
export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
  readonly children?: readonly number[];
}

/** What a sample's innermost frame belongs to. */
export type Category =
  | "feedwright fast path"
  | "feedwright other"
  | "dependencies"
  | "node http (JS)"
  | "node net/streams (JS)"
  | "node other (JS)"
  | "native bindings"
  | "V8/libuv/llhttp (program)"
  | "garbage collector";

/** The files every answered request runs through (the fast path, the request log and metrics), relative to the build output (dist/). */
const FAST_PATH_FILES = [/^http\/server\.js$/, /^http\/send-document\.js$/, /^delivery\/[^/]+\.js$/, /^ops\/[^/]+\.js$/, /^logger\.js$/];

export interface FunctionCost {
  readonly name: string;
  readonly location: string;
  readonly category: Category;
  readonly samples: number;
}

export interface ProfileSummary {
  /** Samples in the window, idle included. */
  readonly samples: number;
  readonly idle: number;
  /** Non-idle samples: every percentage below is of these. */
  readonly busy: number;
  readonly milliseconds: number;
  readonly byCategory: ReadonlyMap<Category, number>;
  /** Busy samples whose stack passes through Feedwright's request listener (dist/http/server.js). */
  readonly underRequestListener: number;
  /** The functions with the most self time, most first. */
  readonly top: readonly FunctionCost[];
  /** The functions with the most total time (self and callees), most first. */
  readonly topInclusive: readonly FunctionCost[];
}

export interface SummaryOptions {
  /** Window start and end, in the profile's clock (microseconds); the whole profile by default. */
  readonly from?: number;
  readonly to?: number;
  /** The project folder: frames under ROOT/dist/ are Feedwright's. */
  readonly root: string;
  readonly top?: number;
}

export function summarizeProfile(profile: CpuProfile, options: SummaryOptions): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const distPrefix = pathToFileURL(path.join(options.root, "dist")).href + "/";
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;

  const hits = new Map<number, number>();
  let time = profile.startTime;
  let samples = 0;
  let first: number | undefined;
  let last = 0;
  profile.samples.forEach((id, index) => {
    time += profile.timeDeltas[index] ?? 0;
    if (time < from || time > to) return;
    hits.set(id, (hits.get(id) ?? 0) + 1);
    samples++;
    first ??= time;
    last = time;
  });

  const category = (node: CpuProfileNode): Category | "idle" => {
    const { functionName, url } = node.callFrame;
    if (functionName === "(idle)") return "idle";
    if (functionName === "(garbage collector)") return "garbage collector";
    if (functionName === "(program)" || functionName === "(root)") return "V8/libuv/llhttp (program)";
    if (url.startsWith(distPrefix)) {
      const file = url.slice(distPrefix.length);
      return FAST_PATH_FILES.some((pattern) => pattern.test(file)) ? "feedwright fast path" : "feedwright other";
    }
    if (url.includes("/node_modules/")) return "dependencies";
    if (url.startsWith("node:_http_") || url === "node:http") return "node http (JS)";
    if (url === "node:net" || url.startsWith("node:internal/stream") || url.startsWith("node:internal/streams/")) return "node net/streams (JS)";
    if (url.startsWith("node:")) return "node other (JS)";
    // No script: a C++ function called from JavaScript (writev, writeLatin1String, …).
    return url === "" ? "native bindings" : "dependencies";
  };
  const isRequestListener = (node: CpuProfileNode): boolean => node.callFrame.url === `${distPrefix}http/server.js`;

  const describe = (node: CpuProfileNode): { key: string; name: string; location: string } => {
    const { functionName, url, lineNumber } = node.callFrame;
    const location = url === "" ? "" : `${shortUrl(url, options.root)}:${lineNumber + 1}`;
    return { key: `${functionName}\u0000${location}`, name: functionName || "(anonymous)", location };
  };
  const byCategory = new Map<Category, number>();
  const byFunction = new Map<string, FunctionCost>();
  const inclusive = new Map<string, FunctionCost>();
  let idle = 0;
  let underRequestListener = 0;
  for (const [id, count] of hits) {
    const node = byId.get(id);
    if (!node) continue;
    const kind = category(node);
    if (kind === "idle") {
      idle += count;
      continue;
    }
    byCategory.set(kind, (byCategory.get(kind) ?? 0) + count);
    const self = describe(node);
    byFunction.set(self.key, { name: self.name, location: self.location, category: kind, samples: (byFunction.get(self.key)?.samples ?? 0) + count });
    // Every function on the stack gets the sample once, however often it recurs.
    const seen = new Set<string>();
    let listener = false;
    for (let at: CpuProfileNode | undefined = node; at; at = byId.get(parentOf.get(at.id) ?? -1)) {
      listener ||= isRequestListener(at);
      const frame = describe(at);
      const atKind = category(at);
      if (seen.has(frame.key) || atKind === "idle" || frame.name.startsWith("(")) continue;
      seen.add(frame.key);
      inclusive.set(frame.key, { name: frame.name, location: frame.location, category: atKind, samples: (inclusive.get(frame.key)?.samples ?? 0) + count });
    }
    if (listener) underRequestListener += count;
  }
  const mostFirst = (costs: Iterable<FunctionCost>): FunctionCost[] => [...costs].sort((a, b) => b.samples - a.samples).slice(0, options.top ?? 15);
  return {
    samples,
    idle,
    busy: samples - idle,
    milliseconds: first === undefined ? 0 : (last - first) / 1000,
    byCategory,
    underRequestListener,
    top: mostFirst(byFunction.values()),
    topInclusive: mostFirst(inclusive.values()),
  };
}

function shortUrl(url: string, root: string): string {
  if (!url.startsWith("file:")) return url;
  const file = fileURLToPath(url);
  const relative = path.relative(root, file);
  return relative.startsWith("..") ? file : relative;
}

const CATEGORY_ORDER: readonly Category[] = [
  "feedwright fast path",
  "feedwright other",
  "dependencies",
  "node http (JS)",
  "node net/streams (JS)",
  "node other (JS)",
  "native bindings",
  "V8/libuv/llhttp (program)",
  "garbage collector",
];

/**
 * `cpuSeconds`: the process's CPU time in the same window (from /proc), when known. V8 counts as
 * "(idle)" everything outside JavaScript while libuv polls, and libuv reads the sockets and
 * llhttp parses the requests in that phase, so the busy samples miss that work.
 */
export function formatProfileSummary(summary: ProfileSummary, title: string, cpuSeconds?: number): string {
  const percent = (count: number): string => `${((100 * count) / Math.max(1, summary.busy)).toFixed(1).padStart(5)}%`;
  const lines = [
    `${title}: ${summary.samples} samples over ${(summary.milliseconds / 1000).toFixed(1)} s, ` +
      `${summary.busy} busy (${((100 * summary.busy) / Math.max(1, summary.samples)).toFixed(0)}% of the window; percentages below are of busy samples)`,
  ];
  if (cpuSeconds !== undefined && summary.milliseconds > 0) {
    const cpuShare = cpuSeconds / (summary.milliseconds / 1000);
    const busyShare = summary.busy / Math.max(1, summary.samples);
    lines.push(
      `  the process used ${(100 * cpuShare).toFixed(0)}% of a core in this window (/proc), the profile saw ${(100 * busyShare).toFixed(0)}% busy: ` +
        `the difference (${Math.max(0, 100 * (cpuShare - busyShare)).toFixed(0)} points) is socket reads and llhttp parsing, which V8 files under (idle)`,
    );
  }
  lines.push("  self time by owner:");
  for (const category of CATEGORY_ORDER) {
    const count = summary.byCategory.get(category) ?? 0;
    if (count > 0) lines.push(`    ${percent(count)}  ${category}`);
  }
  const ours = (summary.byCategory.get("feedwright fast path") ?? 0) + (summary.byCategory.get("feedwright other") ?? 0);
  lines.push(
    `  Feedwright's own code (self): ${percent(ours).trim()}; everything else is Node, V8 and the kernel calls they make.`,
    `  inside Feedwright's request listener (inclusive, with the writeHead/end work it calls): ${percent(summary.underRequestListener).trim()}`,
    "  top functions by self time:",
  );
  const list = (entries: readonly FunctionCost[]): void => {
    for (const entry of entries) lines.push(`    ${percent(entry.samples)}  ${entry.name.padEnd(34)} ${entry.location.padEnd(44)} [${entry.category}]`);
  };
  list(summary.top);
  lines.push("  top functions by total time (with what they call):");
  list(summary.topInclusive);
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Command line: summarize a whole profile file.

const USAGE = `usage: npx tsx bench/summarize-profile.ts FILE.cpuprofile [--top N] [--root DIR]
  --top N     functions to list (default 15)
  --root DIR  the Feedwright checkout whose dist/ the profiled process ran (default: this one)`;

function runCommandLine(args: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { top: { type: "string" }, root: { type: "string" }, help: { type: "boolean", short: "h" } } });
  } catch (error) {
    process.stderr.write(`summarize-profile: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const file = positionals[0];
  if (file === undefined || positionals.length > 1 || (values.top !== undefined && !/^\d+$/.test(values.top))) {
    process.stderr.write(`summarize-profile: give one .cpuprofile file (and --top as a whole number)\n${USAGE}\n`);
    return 2;
  }
  let profile: CpuProfile;
  try {
    profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  } catch (error) {
    process.stderr.write(`summarize-profile: cannot read ${file} (${(error as Error).message}); give a file written by node --cpu-prof\n`);
    return 1;
  }
  const root = path.resolve(values.root ?? path.join(path.dirname(fileURLToPath(import.meta.url)), ".."));
  const summary = summarizeProfile(profile, { root, top: values.top === undefined ? 15 : Number(values.top) });
  process.stdout.write(`${formatProfileSummary(summary, path.basename(file))}\n`);
  return 0;
}

function isMainModule(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isMainModule()) process.exitCode = runCommandLine(process.argv.slice(2));
