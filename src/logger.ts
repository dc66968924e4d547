// Where Feedwright's messages go: structured JSON lines (pino) that log collectors parse, or
// readable colored lines when a person runs it in a terminal. Every module logs through this
// small interface, so tests can record or silence it.
import { pino, type Level } from "pino";
import pretty from "pino-pretty";

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Whether a level is logged at all (skip building fields that would be dropped). */
  enabled(level: LogLevel): boolean;
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
  const stream = usePretty
    ? pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname", sync: true })
    : (options.destination ?? pino.destination({ dest: 1, sync: false }));
  const log = pino(
    {
      level: options.level,
      base: { service: "feedwright" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  const write = (level: Level) => (message: string, fields?: LogFields) => {
    if (fields) log[level](fields, message);
    else log[level](message);
  };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    enabled: (level) => level !== "silent" && log.isLevelEnabled(level),
  };
}

/** Plain lines on the console, for the one-shot commands (check, build) and errors at start-up. */
export const consoleLogger: Logger = {
  debug: () => undefined,
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
  enabled: (level) => level !== "debug" && level !== "silent",
};

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  enabled: () => false,
};
