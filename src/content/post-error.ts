import path from "node:path";
import type { PostProblem } from "./post.js";

/** A post that cannot be published: the message says what is wrong and what to do. */
export class PostError extends Error {
  /** 1-based line in the post file, when known. */
  readonly line: number | undefined;
  constructor(message: string, line?: number, options?: ErrorOptions) {
    super(message, options);
    this.name = "PostError";
    this.line = line;
  }
}

/** One problem as `file:line: message`, the file relative to the working directory when it is under it. */
export function formatProblem(postsDir: string, problem: PostProblem): string {
  const relative = path.relative(process.cwd(), postsDir) || ".";
  // Relative when the folder is under the working directory (as editors expect), absolute otherwise.
  const shownDir = relative.startsWith("..") ? postsDir : relative;
  const file = path.posix.join(shownDir.split(path.sep).join("/"), problem.file);
  return escapeControls(`${file}${problem.line ? `:${problem.line}` : ""}: ${problem.message}`);
}

// eslint-disable-next-line no-control-regex -- control characters are what must not reach a terminal
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/gu;

/**
 * A file name or a front-matter value quoted in a message can hold a line break or an escape
 * sequence ("date: |" spanning lines, a file named with "\n" or "\u001b[2J"). Printed as they
 * are, they would split one problem over several `file:line:` lines, or drive the terminal of
 * whoever runs `feedwright check`; they are shown escaped, as JSON would.
 */
function escapeControls(line: string): string {
  return line.replace(CONTROLS, (character) => {
    if (character === "\n") return "\\n";
    if (character === "\r") return "\\r";
    if (character === "\t") return "\\t";
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}
