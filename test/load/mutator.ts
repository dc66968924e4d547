// Changes the posts folder underneath the running server, one change per tick, the way an author,
// a git pull or an rsync does: new files appear, existing ones grow or are rewritten in place,
// some disappear. Writes are plain (not write-then-rename), so a scan may meet a half-written
// file; the server must skip it or read it whole, never answer badly because of it.
import { appendFileSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generatePosts, type GeneratedPost } from "../../bench/gen-corpus.js";
import { pick, seededRandom } from "./random.js";

export interface MutatorOptions {
  readonly postsDir: string;
  /** The corpus's file names. */
  readonly initialFiles: readonly string[];
  /** Never deleted: they keep the requested categories and tags (and their page 2) alive. */
  readonly protectedFiles: ReadonlySet<string>;
  /** Seed of the posts added (another seed than the corpus's, so they are new posts). */
  readonly seed: number;
  /** No deletion takes the folder below this many posts. */
  readonly minPosts: number;
}

export interface MutationCounts {
  added: number;
  edited: number;
  deleted: number;
  /** File system operations that threw (each one is also in `errors`). */
  failed: number;
}

export interface AddedPost {
  readonly file: string;
  readonly title: string;
}

export class PostMutator {
  readonly counts: MutationCounts = { added: 0, edited: 0, deleted: 0, failed: 0 };
  /** The first few errors, for the report. */
  readonly errors: string[] = [];
  /** Every post file added, edited or deleted at least once. */
  readonly touched = new Set<string>();
  readonly #options: MutatorOptions;
  readonly #random: () => number;
  readonly #source: Generator<GeneratedPost>;
  /** Every post file now in the folder. */
  readonly #live: Set<string>;
  /** Live corpus posts that may be deleted. */
  readonly #deletable: string[];
  /** Live posts this mutator added. */
  readonly #added: string[] = [];
  #serial = 0;

  constructor(options: MutatorOptions) {
    this.#options = options;
    this.#random = seededRandom(options.seed);
    this.#source = generatePosts(Number.MAX_SAFE_INTEGER, options.seed);
    this.#live = new Set(options.initialFiles);
    this.#deletable = options.initialFiles.filter((file) => !options.protectedFiles.has(file));
  }

  get livePosts(): number {
    return this.#live.size;
  }

  /** One change: an addition (30%), an edit (45%) or a deletion (25%). */
  tick(): void {
    const roll = this.#random();
    if (roll < 0.3) this.add();
    else if (roll < 0.75) this.edit();
    else this.delete();
  }

  /**
   * Writes a new post dated a minute ago (newer than every corpus post, not in the future), so
   * it tops the site feed and its categories' and tags' feeds. `secondsAgo` below 60 makes it
   * newer than every other added post too.
   */
  add(secondsAgo = 60): AddedPost | undefined {
    const generated = this.#source.next();
    if (generated.done) return undefined;
    const serial = ++this.#serial;
    const date = new Date(Math.floor(Date.now() / 1000) * 1000 - secondsAgo * 1000);
    const day = date.toISOString().slice(0, 10);
    const file = `${day}-load-${serial}-${generated.value.fileName.slice("YYYY-MM-DD-".length)}`;
    let title = "";
    const text = generated.value.text
      .split("\n")
      .filter((line) => !line.startsWith("last_modified_at:"))
      .map((line) => {
        if (line.startsWith("title: ")) {
          title = `[load ${serial}] ${JSON.parse(line.slice("title: ".length)) as string}`;
          return `title: ${JSON.stringify(title)}`;
        }
        // Jekyll's own form, with an explicit offset: YYYY-MM-DD HH:MM:SS +0000.
        if (line.startsWith("date: ")) return `date: ${date.toISOString().slice(0, 19).replace("T", " ")} +0000`;
        return line;
      })
      .join("\n");
    if (!this.#attempt(() => writeFileSync(this.#path(file), text))) return undefined;
    this.#live.add(file);
    this.#added.push(file);
    this.touched.add(file);
    this.counts.added++;
    return { file, title };
  }

  /** Appends a paragraph (3 edits in 4) or rewrites the file in place with a new title. */
  edit(): void {
    const pool = this.#added.length > 0 && this.#random() < 0.5 ? this.#added : [...this.#live];
    if (pool.length === 0) return;
    const file = pick(this.#random, pool);
    const serial = ++this.#serial;
    const done =
      this.#random() < 0.75
        ? this.#attempt(() => appendFileSync(this.#path(file), `\n\nAppended by the load test (change ${serial}, ${new Date().toISOString()}).\n`))
        : this.#attempt(() => {
            const text = readFileSync(this.#path(file), "utf8");
            writeFileSync(this.#path(file), text.replace(/^title: (.*)$/m, (_line, quoted: string) => `title: ${JSON.stringify(`${JSON.parse(quoted) as string} (rev ${serial})`)}`));
          });
    if (!done) return;
    this.touched.add(file);
    this.counts.edited++;
  }

  /** Deletes an added post (half the time, when there is one) or an unprotected corpus post. */
  delete(): void {
    if (this.#live.size <= this.#options.minPosts) return;
    const fromAdded = this.#added.length > 0 && (this.#random() < 0.5 || this.#deletable.length === 0);
    const pool = fromAdded ? this.#added : this.#deletable;
    if (pool.length === 0) return;
    const index = Math.floor(this.#random() * pool.length);
    const file = pool[index];
    if (file === undefined) return;
    if (!this.#attempt(() => unlinkSync(this.#path(file)))) return;
    // Swap-remove: the order of the pool does not matter.
    pool[index] = pool[pool.length - 1] ?? file;
    pool.pop();
    this.#live.delete(file);
    this.touched.add(file);
    this.counts.deleted++;
  }

  #path(file: string): string {
    return path.join(this.#options.postsDir, file);
  }

  #attempt(operation: () => void): boolean {
    try {
      operation();
      return true;
    } catch (error) {
      this.counts.failed++;
      if (this.errors.length < 5) this.errors.push((error as Error).message);
      return false;
    }
  }
}
