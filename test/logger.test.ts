// Log lines kept in memory and written out in chunks (src/batched-line-writer.ts): they reach the
// file descriptor whole and in order, when a chunk is full or on flush(), and the JSON logger on
// standard output writes out what it still holds when the process ends, a fatal error included.
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { BatchedLineWriter } from "../src/batched-line-writer.js";
import { useScratch } from "./helpers/scratch.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const scratch = useScratch("feedwright-logger-");

/** A writer on a new temporary file, and a way to read what reached the file. */
function writerOnFile(chunkCharacters: number): { writer: BatchedLineWriter; written: () => string } {
  const file = path.join(scratch.temporaryDir(), "out.log");
  const fd = openSync(file, "w");
  scratch.afterTest(() => closeSync(fd));
  return { writer: new BatchedLineWriter(fd, chunkCharacters), written: () => readFileSync(file, "utf8") };
}

describe("BatchedLineWriter", () => {
  test("holds lines until a chunk is full, then writes them all, in order; flush() writes the rest", () => {
    const { writer, written } = writerOnFile(30);
    writer.write("one\n");
    writer.write("two\n");
    expect(written()).toBe("");
    writer.write("a line that fills the chunk\n");
    expect(written()).toBe("one\ntwo\na line that fills the chunk\n");
    writer.write("four\n");
    expect(written()).toBe("one\ntwo\na line that fills the chunk\n");
    writer.flush();
    expect(written()).toBe("one\ntwo\na line that fills the chunk\nfour\n");
    writer.flush();
    expect(written()).toBe("one\ntwo\na line that fills the chunk\nfour\n");
  });

  test("a line longer than a chunk, and text in every script, arrive whole as UTF-8", () => {
    const { writer, written } = writerOnFile(16);
    const lines = ["ascii\n", `${"長い行".repeat(40)}\n`, "Ünïcödé 🎉 عربى עברית\n", "x\n"];
    for (const line of lines) writer.write(line);
    writer.flush();
    expect(written()).toBe(lines.join(""));
  });
});

/** Runs a module (ES, TypeScript through tsx) in a child process; its exit code and stdout. */
function runModule(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", source], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("createLogger, JSON lines on standard output", () => {
  const logger = pathToFileURL(path.join(ROOT, "src", "logger.ts")).href;
  const lines = 2000;

  test("a fatal error right after many request lines: every line is written before the process exits", async () => {
    const run = await runModule(
      `import { createLogger } from ${JSON.stringify(logger)};
       const log = createLogger({ level: "info", pretty: false });
       for (let i = 0; i < ${lines}; i++) log.infoJson("request", '"n":' + i);
       setImmediate(() => { throw new Error("a fatal error"); });`,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("a fatal error");
    const written = run.stdout.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as { msg: string; n: number });
    expect(written.map((record) => record.n)).toEqual(Array.from({ length: lines }, (_, index) => index));
  }, 30_000);

  test("a normal exit, without a flush: every line is written", async () => {
    const run = await runModule(
      `import { createLogger } from ${JSON.stringify(logger)};
       const log = createLogger({ level: "info", pretty: false });
       for (let i = 0; i < ${lines}; i++) log.infoJson("request", '"n":' + i);
       log.info("last");`,
    );
    expect(run.code).toBe(0);
    const written = run.stdout.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as { msg: string });
    expect(written).toHaveLength(lines + 1);
    expect(written.at(-1)?.msg).toBe("last");
  }, 30_000);
});
