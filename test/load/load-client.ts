// The load: `connections` loops, each sending one request at a time over keep-alive connections
// (node:http with one Agent), until told to stop. Every response is read whole and checked
// (check-response.ts); every status, latency, connection error and problem is counted.
import { Agent, request, type IncomingHttpHeaders } from "node:http";
import type { Socket } from "node:net";
import type { Exchange, Problem, ResponseChecker, Target } from "./check-response.js";
import { pick, seededRandom } from "./random.js";

export interface LoadOptions {
  readonly port: number;
  readonly connections: number;
  /** The load goes on until this settles (the caller decides when: after the measured time and the last checkpoint). */
  readonly until: Promise<void>;
  /** The URLs to request, by group; a group is picked by its weight, then a URL in it. */
  readonly groups: readonly { readonly weight: number; readonly targets: readonly Target[] }[];
  readonly checker: ResponseChecker;
  readonly seed: number;
  /** A request without its whole response after this long counts as a timeout. */
  readonly requestTimeoutMs: number;
}

/** Accept-Encoding values sent, one picked per request: none (identity), gzip, Brotli, both. */
const ACCEPT_ENCODINGS: readonly (string | undefined)[] = [undefined, "gzip", "br", "gzip, deflate, br"];
/** Share of document requests that revalidate, when an ETag was seen for the URL and coding. */
const REVALIDATE_SHARE = 0.5;
const MAX_EXAMPLES = 5;

export interface Tally {
  count: number;
  readonly examples: string[];
}

export interface LoadStats {
  readonly elapsedMs: number;
  readonly responses: number;
  readonly statuses: ReadonlyMap<number, number>;
  /** Statuses per target group (feed, page, missing, redirect). */
  readonly groups: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** 200s by Content-Encoding. */
  readonly codings: ReadonlyMap<string, number>;
  /** Milliseconds from sending the request to the end of the response body, sorted. */
  readonly latenciesMs: readonly number[];
  /** Responses finished in each second of the load. */
  readonly perSecond: readonly number[];
  /** Requests sent with If-None-Match, answered 304, and answered 200 because the document had changed. */
  readonly revalidations: { readonly sent: number; readonly notModified: number; readonly changed: number };
  /** Requests that got no complete response, by error code. */
  readonly errors: ReadonlyMap<string, Tally>;
  /** Responses that broke a rule, by kind. */
  readonly problems: ReadonlyMap<string, Tally>;
  readonly sockets: number;
  readonly bodyBytes: number;
  /** The first 5xx responses, in full detail. */
  readonly serverErrors: readonly string[];
}

interface Sent {
  readonly target: Target;
  readonly acceptEncoding: string | undefined;
  readonly ifNoneMatch: string | undefined;
}

export async function runLoad(options: LoadOptions): Promise<LoadStats> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections });
  const sockets = new Set<Socket>();
  const statuses = new Map<number, number>();
  const groups = new Map<string, Map<number, number>>();
  const codings = new Map<string, number>();
  const latencies: number[] = [];
  const perSecond: number[] = [];
  const errors = new Map<string, Tally>();
  const problems = new Map<string, Tally>();
  const serverErrors: string[] = [];
  const etags = new Map<string, string>();
  const revalidations = { sent: 0, notModified: 0, changed: 0 };
  let bodyBytes = 0;
  const totalWeight = options.groups.reduce((sum, group) => sum + group.weight, 0);
  const started = performance.now();
  let stopping = false;
  void options.until.finally(() => {
    stopping = true;
  });

  const when = (at: number): string => `${new Date(performance.timeOrigin + at).toISOString()} (+${((at - started) / 1000).toFixed(3)} s)`;
  const describe = (sent: Sent): string =>
    `GET ${sent.target.path}${sent.acceptEncoding ? ` Accept-Encoding: ${sent.acceptEncoding}` : ""}${sent.ifNoneMatch ? ` If-None-Match: ${sent.ifNoneMatch}` : ""}`;

  const loop = async (connection: number): Promise<void> => {
    const random = seededRandom(options.seed * 1000 + connection);
    const chooseTarget = (): Target => {
      let roll = random() * totalWeight;
      for (const group of options.groups) {
        roll -= group.weight;
        if (roll < 0) return pick(random, group.targets);
      }
      return pick(random, options.groups.at(-1)?.targets ?? []);
    };
    while (!stopping) {
      const target = chooseTarget();
      const acceptEncoding = pick(random, ACCEPT_ENCODINGS);
      const etagKey = `${target.path}\u0000${acceptEncoding ?? ""}`;
      const known = target.kind === "document" ? etags.get(etagKey) : undefined;
      const ifNoneMatch = known !== undefined && random() < REVALIDATE_SHARE ? known : undefined;
      const sent: Sent = { target, acceptEncoding, ifNoneMatch };
      const sentAt = performance.now();
      let answer: Answer;
      try {
        answer = await get(agent, options.port, sent, options.requestTimeoutMs, sockets);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        tally(errors, code, `${when(sentAt)} ${describe(sent)}: ${(error as Error).message}`);
        // Not a hot loop of refused connections when the server is gone.
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      const endedAt = performance.now();
      latencies.push(endedAt - sentAt);
      const second = Math.floor((endedAt - started) / 1000);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
      bodyBytes += answer.body.length;
      count(statuses, answer.status);
      let groupStatuses = groups.get(target.group);
      if (!groupStatuses) groups.set(target.group, (groupStatuses = new Map<number, number>()));
      count(groupStatuses, answer.status);
      if (ifNoneMatch !== undefined) {
        revalidations.sent++;
        if (answer.status === 304) revalidations.notModified++;
        else if (answer.status === 200) revalidations.changed++;
      }
      if (answer.status === 200 && target.kind === "document") {
        count(codings, answer.headers["content-encoding"] ?? "identity");
        if (answer.headers.etag !== undefined) etags.set(etagKey, answer.headers.etag);
      }
      const exchange: Exchange = { ...sent, ...answer };
      const found: Problem[] = options.checker.check(exchange);
      const summary = `${when(sentAt)} ${describe(sent)} -> ${answer.status} in ${(endedAt - sentAt).toFixed(1)} ms ${headerSummary(answer.headers)}, body ${answer.body.length} bytes`;
      for (const problem of found) tally(problems, problem.kind, `${summary}: ${problem.detail}`);
      if (answer.status >= 500 && serverErrors.length < MAX_EXAMPLES) serverErrors.push(`${summary}: ${JSON.stringify(answer.body.toString("utf8").slice(0, 300))}`);
    }
  };

  try {
    await Promise.all(Array.from({ length: options.connections }, (_, connection) => loop(connection)));
  } finally {
    agent.destroy();
  }
  const elapsedMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    elapsedMs,
    responses: latencies.length,
    statuses,
    groups,
    codings,
    latenciesMs: latencies,
    perSecond: Array.from({ length: Math.ceil(elapsedMs / 1000) }, (_, second) => perSecond[second] ?? 0),
    revalidations,
    errors,
    problems,
    sockets: sockets.size,
    bodyBytes,
    serverErrors,
  };
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One GET, read to its end; rejects on any connection error, an incomplete body or the timeout. */
function get(agent: Agent, port: number, sent: Sent, timeoutMs: number, sockets: Set<Socket>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: "*/*" };
    if (sent.acceptEncoding !== undefined) headers["Accept-Encoding"] = sent.acceptEncoding;
    if (sent.ifNoneMatch !== undefined) headers["If-None-Match"] = sent.ifNoneMatch;
    const req = request({ host: "127.0.0.1", port, path: sent.target.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("close", () => {
        if (!res.complete) reject(Object.assign(new Error("the connection closed before the end of the response"), { code: "INCOMPLETE_RESPONSE" }));
      });
    });
    req.on("socket", (socket) => sockets.add(socket));
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no complete response within ${timeoutMs} ms`), { code: "TIMEOUT" })));
    req.on("error", reject);
    req.end();
  });
}

function headerSummary(headers: IncomingHttpHeaders): string {
  const names = ["content-type", "content-length", "content-encoding", "etag", "location"];
  return `[${names.filter((name) => headers[name] !== undefined).map((name) => `${name}: ${String(headers[name])}`).join("; ")}]`;
}

function count<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function tally(map: Map<string, Tally>, kind: string, example: string): void {
  let entry = map.get(kind);
  if (!entry) map.set(kind, (entry = { count: 0, examples: [] }));
  entry.count++;
  if (entry.examples.length < MAX_EXAMPLES) entry.examples.push(example);
}
