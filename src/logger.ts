// Where Feedwright's messages go: structured JSON lines (pino) that log collectors parse, or
// readable colored lines when a person runs it in a terminal. Every module logs through this
// small interface, so tests can record or silence it.
import type * as Pino from "pino";
import { createRequire } from "node:module";
import type PinoPretty from "pino-pretty";
import { BatchedLineWriter } from "./batched-line-writer.js";

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Whether a level is logged at all (skip building fields that would be dropped). */
  enabled(level: LogLevel): boolean;
  /** Writes out buffered lines now (after start-up lines, before exiting). */
  flush(): void;
  /**
   * Writes one info line whose fields are already JSON (`"key":value,…` without braces): the
   * request log, where building and serializing an object per request would cost more than the
   * request. Written only when info is enabled.
   */
  infoJson(message: string, jsonFields: string): void;
}

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error", "silent"];

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Human-readable lines instead of JSON (default: when stdout is a terminal). */
  readonly pretty?: boolean;
  /** Where JSON lines go (default: standard output). */
  readonly destination?: NodeJS.WritableStream;
}

/** A pino logger behind the Logger interface. */
export function createLogger(options: LoggerOptions): Logger {
  const usePretty = options.pretty ?? process.stdout.isTTY === true;
  // JSON lines on standard output go through one buffer written out in large chunks: a write per
  // line would cost a system call per request, more than the request itself on the fast path.
  const batched = usePretty || options.destination ? undefined : new BatchedLineWriter(1);
  const stream = usePretty ? prettyStream() : (options.destination ?? batched);
  if (batched) {
    // At a quiet time no line waits longer than this to be written.
    const timer = setInterval(() => batched.flush(), FLUSH_INTERVAL_MS);
    timer.unref();
    // Lines still buffered when the process ends (after the shutdown, or a fatal error) are
    // written before it exits.
    process.once("exit", () => batched.flush());
  }
  // Loaded here, not with the module: `build` and `check` log through consoleLogger and never
  // need pino (20–35 ms of their start-up).
  const { pino } = createRequire(import.meta.url)("pino") as typeof Pino;
  const log = pino(
    {
      level: options.level,
      base: { service: "feedwright" },
      timestamp: () => `,"time":"${isoTime()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  const write = (level: Pino.Level) => (message: string, fields?: LogFields) => {
    if (fields) log[level](fields, message);
    else log[level](message);
  };
  // The same shape as pino's own lines (level label, ISO time, service, msg), written as is.
  const infoEnabled = log.isLevelEnabled("info");
  let lastMessage = "";
  let lastMessageJson = '""';
  const infoJson = (message: string, jsonFields: string): void => {
    if (!infoEnabled) return;
    if (message !== lastMessage) {
      lastMessage = message;
      lastMessageJson = JSON.stringify(message);
    }
    const line = `{"level":"info","time":"${isoTime()}","service":"feedwright","msg":${lastMessageJson},${jsonFields}}\n`;
    if (batched) batched.write(line);
    else log.info(JSON.parse(`{${jsonFields}}`) as object, message);
  };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    enabled: (level) => level !== "silent" && log.isLevelEnabled(level),
    flush: () => batched?.flush(),
    infoJson,
  };
}

let isoTimeMs = Number.NaN;
let isoTimeText = "";

/**
 * The time as ISO 8601 (what pino's isoTime writes), formatted at most once per millisecond: at
 * tens of thousands of request lines a second, most lines share their millisecond.
 */
function isoTime(): string {
  const now = Date.now();
  if (now !== isoTimeMs) {
    isoTimeMs = now;
    isoTimeText = new Date(now).toISOString();
  }
  return isoTimeText;
}

const FLUSH_INTERVAL_MS = 100;

/**
 * Readable colored lines, for a terminal. pino-pretty is loaded only then: a service logging
 * JSON (in a container, under systemd) never needs it, and it is a tenth of the start-up time.
 */
function prettyStream(): NodeJS.WritableStream {
  const pretty = createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty;
  return pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname", sync: true });
}

/** Plain lines on the console, for the one-shot commands (check, build) and errors at start-up. */
export const consoleLogger: Logger = {
  debug: () => undefined,
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
  enabled: (level) => level !== "debug" && level !== "silent",
  flush: () => undefined,
  infoJson: (message, jsonFields) => console.log(`${message} {${jsonFields}}`),
};

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  enabled: () => false,
  flush: () => undefined,
  infoJson: () => undefined,
};
