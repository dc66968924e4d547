// What a process kept between two heap snapshots of it (V8's .heapsnapshot JSON, as written by
// node --heapsnapshot-signal): the objects allocated after the first snapshot and still alive
// at the second, grouped by constructor, with the retainer chain of a few of them. Node ids are
// stable within one process, so "id above every id of the first snapshot" means "allocated
// since". A leak shows as a group that keeps growing; a plateau as caches that were filled and
// replaced (the same kinds of object, roughly the same totals, in both snapshots).
//
//   npx tsx test/load/heap-diff.ts FIRST.heapsnapshot SECOND.heapsnapshot
import { readFileSync } from "node:fs";

interface RawSnapshot {
  readonly snapshot: {
    readonly meta: {
      readonly node_fields: readonly string[];
      readonly node_types: readonly [readonly string[], ...unknown[]];
      readonly edge_fields: readonly string[];
      readonly edge_types: readonly [readonly string[], ...unknown[]];
    };
  };
  readonly nodes: readonly number[];
  readonly edges: readonly number[];
  readonly strings: readonly string[];
}

/** One snapshot, indexed: node i's fields at nodes[i * nodeWidth …]. */
class Snapshot {
  readonly raw: RawSnapshot;
  readonly nodeWidth: number;
  readonly edgeWidth: number;
  readonly count: number;
  readonly #type: number;
  readonly #name: number;
  readonly #id: number;
  readonly #size: number;
  readonly #edgeCount: number;
  readonly #edgeType: number;
  readonly #edgeName: number;
  readonly #edgeTo: number;
  readonly nodeTypes: readonly string[];
  readonly edgeTypes: readonly string[];
  /** First edge of each node (edges are stored node after node). */
  readonly firstEdge: Uint32Array;
  #retainers: { readonly start: Uint32Array; readonly from: Uint32Array; readonly edge: Uint32Array } | undefined;

  constructor(file: string) {
    this.raw = JSON.parse(readFileSync(file, "utf8")) as RawSnapshot;
    const meta = this.raw.snapshot.meta;
    this.nodeWidth = meta.node_fields.length;
    this.edgeWidth = meta.edge_fields.length;
    this.#type = meta.node_fields.indexOf("type");
    this.#name = meta.node_fields.indexOf("name");
    this.#id = meta.node_fields.indexOf("id");
    this.#size = meta.node_fields.indexOf("self_size");
    this.#edgeCount = meta.node_fields.indexOf("edge_count");
    this.#edgeType = meta.edge_fields.indexOf("type");
    this.#edgeName = meta.edge_fields.indexOf("name_or_index");
    this.#edgeTo = meta.edge_fields.indexOf("to_node");
    this.nodeTypes = meta.node_types[0];
    this.edgeTypes = meta.edge_types[0];
    this.count = this.raw.nodes.length / this.nodeWidth;
    this.firstEdge = new Uint32Array(this.count + 1);
    let edge = 0;
    for (let node = 0; node < this.count; node++) {
      this.firstEdge[node] = edge;
      edge += this.#field(node, this.#edgeCount);
    }
    this.firstEdge[this.count] = edge;
  }

  #field(node: number, field: number): number {
    return this.raw.nodes[node * this.nodeWidth + field] ?? 0;
  }

  type(node: number): string {
    return this.nodeTypes[this.#field(node, this.#type)] ?? "?";
  }

  name(node: number): string {
    return this.raw.strings[this.#field(node, this.#name)] ?? "?";
  }

  /** Node's own objects and the snapshot's synthetic roots, as opposed to V8 heap objects. */
  isNative(node: number): boolean {
    const type = this.type(node);
    return type === "native" || type === "synthetic";
  }

  /** The nodes that point at `node` by a strong edge. */
  retainerNodes(node: number): number[] {
    const { start, from, edge } = this.retainers();
    const found: number[] = [];
    for (let slot = start[node] ?? 0; slot < (start[node + 1] ?? 0); slot++) if (this.edgeType(edge[slot] ?? 0) !== "weak") found.push(from[slot] ?? 0);
    return found;
  }

  id(node: number): number {
    return this.#field(node, this.#id);
  }

  size(node: number): number {
    return this.#field(node, this.#size);
  }

  /** What a node is, for grouping: strings by kind, objects and closures by constructor or name. */
  group(node: number): string {
    const type = this.type(node);
    if (type === "string" || type === "concatenated string" || type === "sliced string" || type === "number" || type === "code" || type === "object shape") return `(${type})`;
    const name = this.name(node);
    return `${type} ${name.length > 80 ? `${name.slice(0, 80)}…` : name}`;
  }

  edgeLabel(edge: number): string {
    const type = this.edgeTypes[this.raw.edges[edge * this.edgeWidth + this.#edgeType] ?? 0] ?? "?";
    const name = this.raw.edges[edge * this.edgeWidth + this.#edgeName] ?? 0;
    return type === "element" || type === "hidden" ? `[${name}]` : `.${this.raw.strings[name] ?? "?"}${type === "property" ? "" : ` (${type})`}`;
  }

  edgeType(edge: number): string {
    return this.edgeTypes[this.raw.edges[edge * this.edgeWidth + this.#edgeType] ?? 0] ?? "?";
  }

  /** Who points at each node (built on first use). */
  retainers(): { readonly start: Uint32Array; readonly from: Uint32Array; readonly edge: Uint32Array } {
    if (this.#retainers) return this.#retainers;
    const edges = this.raw.edges.length / this.edgeWidth;
    const counts = new Uint32Array(this.count + 1);
    for (let edge = 0; edge < edges; edge++) counts[(this.raw.edges[edge * this.edgeWidth + this.#edgeTo] ?? 0) / this.nodeWidth]! += 1;
    const start = new Uint32Array(this.count + 1);
    for (let node = 0; node < this.count; node++) start[node + 1] = start[node]! + counts[node]!;
    const fill = start.slice(0, this.count);
    const from = new Uint32Array(edges);
    const via = new Uint32Array(edges);
    for (let node = 0; node < this.count; node++) {
      for (let edge = this.firstEdge[node]!; edge < this.firstEdge[node + 1]!; edge++) {
        const to = (this.raw.edges[edge * this.edgeWidth + this.#edgeTo] ?? 0) / this.nodeWidth;
        const slot = fill[to]!++;
        from[slot] = node;
        via[slot] = edge;
      }
    }
    this.#retainers = { start, from, edge: via };
    return this.#retainers;
  }

  /** Nodes reachable from the snapshot's root by strong edges, not passing through `blocked`. */
  reachable(blocked: ReadonlySet<number> = new Set()): Uint8Array {
    const seen = new Uint8Array(this.count);
    const stack = [0];
    seen[0] = 1;
    while (stack.length > 0) {
      const node = stack.pop() ?? 0;
      if (blocked.has(node)) continue;
      for (let edge = this.firstEdge[node] ?? 0; edge < (this.firstEdge[node + 1] ?? 0); edge++) {
        if (this.edgeType(edge) === "weak") continue;
        const to = (this.raw.edges[edge * this.edgeWidth + this.#edgeTo] ?? 0) / this.nodeWidth;
        if (!seen[to]) {
          seen[to] = 1;
          stack.push(to);
        }
      }
    }
    return seen;
  }

  /** Every object whose constructor is `name`. */
  objectsNamed(name: string): Set<number> {
    const found = new Set<number>();
    for (let node = 0; node < this.count; node++) if (this.type(node) === "object" && this.name(node) === name) found.add(node);
    return found;
  }

  /** A path from a GC root to `node` (shortest by breadth-first search over retainers, weak edges skipped), as text. */
  retainerChain(node: number, maxSteps = 40): string {
    const { start, from, edge } = this.retainers();
    const seen = new Map<number, { next: number; via: number }>();
    seen.set(node, { next: -1, via: -1 });
    let frontier = [node];
    let root = -1;
    for (let step = 0; step < maxSteps && root === -1 && frontier.length > 0; step++) {
      const next: number[] = [];
      for (const current of frontier) {
        for (let slot = start[current]!; slot < start[current + 1]!; slot++) {
          const retainer = from[slot]!;
          if (seen.has(retainer) || this.edgeType(edge[slot]!) === "weak") continue;
          seen.set(retainer, { next: current, via: edge[slot]! });
          if (this.type(retainer) === "synthetic" || this.name(retainer).startsWith("(GC roots)") || retainer === 0) {
            root = retainer;
            break;
          }
          next.push(retainer);
        }
        if (root !== -1) break;
      }
      frontier = next;
    }
    if (root === -1) return `(no root within ${maxSteps} steps)`;
    const parts: string[] = [];
    for (let current = root; current !== -1; ) {
      const link = seen.get(current);
      if (!link) break;
      parts.push(this.group(current));
      if (link.next !== -1) parts.push(`  ${this.edgeLabel(link.via)} ->`);
      current = link.next;
    }
    return parts.join("\n      ");
  }
}

interface Group {
  count: number;
  bytes: number;
  sample: number;
}

function tally(snapshot: Snapshot, include: (node: number) => boolean): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (let node = 0; node < snapshot.count; node++) {
    if (!include(node)) continue;
    const key = snapshot.group(node);
    const group = groups.get(key);
    if (group) {
      group.count++;
      group.bytes += snapshot.size(node);
    } else {
      groups.set(key, { count: 1, bytes: snapshot.size(node), sample: node });
    }
  }
  return groups;
}

export interface HeapDiff {
  readonly lines: readonly string[];
}

/** Compares two snapshots of one process; `top`: how many groups to list. */
export function diffHeapSnapshots(firstFile: string, secondFile: string, top = 15, chains = 4): HeapDiff {
  const lines: string[] = [];
  const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(2)} MB`;
  const first = new Snapshot(firstFile);
  // V8 numbers its own objects in allocation order; the embedder's (Node's native objects, the
  // backing stores of ArrayBuffers) are numbered by address, so they say nothing about age.
  let maxId = 0;
  let firstBytes = 0;
  for (let node = 0; node < first.count; node++) {
    if (!first.isNative(node)) maxId = Math.max(maxId, first.id(node));
    firstBytes += first.size(node);
  }
  const firstGroups = tally(first, () => true);
  // The first snapshot's arrays are large: let them go before the second is parsed.
  const firstTotals = new Map([...firstGroups].map(([key, group]) => [key, { count: group.count, bytes: group.bytes }]));
  firstGroups.clear();
  const second = new Snapshot(secondFile);
  let secondBytes = 0;
  for (let node = 0; node < second.count; node++) secondBytes += second.size(node);
  lines.push(`heap-diff: first ${first.count.toLocaleString("en-US")} objects, ${mb(firstBytes)}; second ${second.count.toLocaleString("en-US")} objects, ${mb(secondBytes)} (${secondBytes >= firstBytes ? "+" : ""}${mb(secondBytes - firstBytes)})`);

  const secondGroups = tally(second, () => true);
  const growth = [...secondGroups].map(([key, group]) => ({ key, bytes: group.bytes - (firstTotals.get(key)?.bytes ?? 0), count: group.count - (firstTotals.get(key)?.count ?? 0), total: group }));
  growth.sort((a, b) => b.bytes - a.bytes);
  lines.push(`  groups that grew most (self size, second minus first):`);
  for (const entry of growth.slice(0, top)) {
    lines.push(`    ${entry.bytes >= 0 ? "+" : ""}${mb(entry.bytes).padStart(10)}  ${entry.count >= 0 ? "+" : ""}${entry.count.toLocaleString("en-US").padStart(9)} objects  ${entry.key} (now ${entry.total.count.toLocaleString("en-US")}, ${mb(entry.total.bytes)})`);
  }

  // A native object is new when a V8 object allocated since points at it (a Buffer's bytes, say).
  const isFresh = (node: number): boolean => !second.isNative(node) && second.id(node) > maxId;
  const fresh = tally(second, (node) => isFresh(node) || (second.isNative(node) && second.retainerNodes(node).some(isFresh)));
  const freshList = [...fresh].sort((a, b) => b[1].bytes - a[1].bytes);
  const freshBytes = freshList.reduce((total, [, group]) => total + group.bytes, 0);
  const freshCount = freshList.reduce((total, [, group]) => total + group.count, 0);
  lines.push(`  allocated after the first snapshot and alive at the second: ${freshCount.toLocaleString("en-US")} objects, ${mb(freshBytes)}; largest groups:`);
  for (const [key, group] of freshList.slice(0, top)) lines.push(`    ${mb(group.bytes).padStart(10)}  ${group.count.toLocaleString("en-US").padStart(9)} objects  ${key}`);
  lines.push(`  how some of them are held (a path from a GC root):`);
  const holders = new Set<string>();
  for (const [key, group] of freshList.filter(([key]) => !key.startsWith("(")).slice(0, chains)) {
    lines.push(`    ${key}:`);
    const chain = second.retainerChain(group.sample);
    lines.push(`      ${chain}`);
    // The application's own objects along the way (not Node's or V8's internals).
    for (const found of chain.matchAll(/^\s*object ([A-Z][\w$]*)$/gm)) if (found[1] && !["Object", "Array", "Map", "Set", "Buffer", "ArrayBuffer", "Promise"].includes(found[1])) holders.add(found[1]);
  }
  // What each of those objects holds that nothing else does: the memory freed if it let go.
  if (holders.size > 0) {
    const everything = second.reachable();
    lines.push(`  held only through each of these (at the second snapshot):`);
    for (const name of [...holders].slice(0, 8)) {
      const only = second.reachable(second.objectsNamed(name));
      let bytes = 0;
      let buffers = 0;
      for (let node = 0; node < second.count; node++) {
        if (!everything[node] || only[node]) continue;
        bytes += second.size(node);
        if (second.name(node) === "system / JSArrayBufferData") buffers++;
      }
      lines.push(`    ${name}: ${mb(bytes)} (${buffers.toLocaleString("en-US")} Buffer stores)`);
    }
  }
  return { lines };
}

if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  const [firstFile, secondFile] = process.argv.slice(2);
  if (!firstFile || !secondFile) {
    process.stderr.write("usage: npx tsx test/load/heap-diff.ts FIRST.heapsnapshot SECOND.heapsnapshot\n");
    process.exitCode = 2;
  } else {
    for (const line of diffHeapSnapshots(firstFile, secondFile).lines) process.stdout.write(`${line}\n`);
  }
}
