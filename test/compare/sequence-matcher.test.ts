// sequenceMatcherRatio against Python's own difflib.SequenceMatcher(None, a, b).ratio().
//
// The corpus is made here, from a fixed seed: English and Japanese text (with emoji, which are
// two UTF-16 units but one Python code point), cut and mutated by deletions, insertions,
// substitutions and moved runs, at lengths around the 200 code points where autojunk starts.
// Python's answers are in test/fixtures/difflib-ratios.json, written by
// `RECORD=1 npx vitest run test/compare/sequence-matcher.test.ts` (needs python3); the file
// also holds the SHA-256 of the corpus it was recorded for, so a change to the corpus without a
// new recording fails here instead of comparing against stale answers.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { sequenceMatcherRatio } from "./sequence-matcher.js";

interface RatioCase {
  readonly name: string;
  readonly a: string;
  readonly b: string;
}

interface RecordedRatios {
  readonly comment: string;
  readonly python: string;
  readonly corpusSha256: string;
  /** [case name, Python's ratio] */
  readonly ratios: readonly (readonly [string, number])[];
}

const RECORDING_FILE = new URL("../fixtures/difflib-ratios.json", import.meta.url);

const ENGLISH = `Jekyll is a static site generator. You give it text written in your favorite markup
language and it uses layouts to create a static website. You can tweak how you want the site URLs to
look, what data gets displayed on the site, and more. Feeds are "pulled" by readers -- every hour or
so -- and an item's id must never change, or the reader shows the post again. Footnotes[^1], tables
and definition lists are kramdown's; {% raw %}{{ page.title }}{% endraw %} is Liquid.`;

const JAPANESE = `先週の勉強会では、RSS と Atom、JSON Feed の違いについて話しました。参加者のひとりは、
アラビア語のブログ（«مرحبا بالعالم» — 右から左へ書く言語）でもフィードが正しく表示されるかを確認していました。
絵文字 🎉 も問題ありません 🚀。次回は WebSub について話す予定です。推論コストの比較を三つの観点から整理します。`;

/** mulberry32: a small seeded generator, so that the corpus is the same on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` code points of `source`, repeated as needed, from a random start. */
function excerpt(source: readonly string[], length: number, random: () => number): string[] {
  const start = Math.floor(random() * source.length);
  return Array.from({ length }, (_, index) => source[(start + index) % source.length]!);
}

/** `count` random edits of `text`, each a deletion, an insertion, a substitution or a moved run. */
function mutate(text: readonly string[], count: number, alphabet: readonly string[], random: () => number): string[] {
  const result = [...text];
  const pick = (): string => alphabet[Math.floor(random() * alphabet.length)]!;
  for (let edit = 0; edit < count; edit++) {
    const at = Math.floor(random() * (result.length + 1));
    const runLength = 1 + Math.floor(random() * 12);
    const kind = Math.floor(random() * 4);
    if (kind === 0) result.splice(at, runLength);
    else if (kind === 1) result.splice(at, 0, ...Array.from({ length: runLength }, pick));
    else if (kind === 2) result.splice(at, runLength, ...Array.from({ length: runLength }, pick));
    else {
      const moved = result.splice(at, runLength);
      result.splice(Math.floor(random() * (result.length + 1)), 0, ...moved);
    }
  }
  return result;
}

function makeCorpus(): RatioCase[] {
  const random = seededRandom(20250129);
  const sources = { english: Array.from(ENGLISH), japanese: Array.from(JAPANESE), mixed: Array.from(ENGLISH + JAPANESE) };
  const cases: RatioCase[] = [
    { name: "both empty", a: "", b: "" },
    { name: "first empty", a: "", b: "abc" },
    { name: "second empty", a: "abc", b: "" },
    { name: "identical long", a: ENGLISH + JAPANESE, b: ENGLISH + JAPANESE },
    { name: "one repeated letter, 300 against 250 (every element popular)", a: "a".repeat(300), b: "a".repeat(250) },
    { name: "emoji only", a: "🎉🚀🎉", b: "🚀🎉" },
  ];
  // Lengths below, at and above the 200 code points where autojunk starts, and long ones.
  const lengths = [5, 40, 150, 199, 200, 201, 260, 600, 1500, 4000];
  for (const [language, source] of Object.entries(sources)) {
    for (const length of lengths) {
      for (const edits of [0, 1, 4, 20]) {
        const original = excerpt(source, length, random);
        const alphabet = [...source, " ", "\n", "“", "”", "—", "😀"];
        const changed = mutate(original, Math.ceil((edits * length) / 200), alphabet, random);
        cases.push({ name: `${language}, ${length} code points, ${edits} edits per 200`, a: original.join(""), b: changed.join("") });
        cases.push({ name: `${language}, ${length} code points, ${edits} edits per 200, swapped`, a: changed.join(""), b: original.join("") });
      }
    }
  }
  return cases;
}

function corpusSha256(corpus: readonly RatioCase[]): string {
  return createHash("sha256").update(JSON.stringify(corpus)).digest("hex");
}

/** Python's answers for the corpus: one python3 process, the corpus as JSON on standard input. */
function recordWithPython(corpus: readonly RatioCase[]): RecordedRatios {
  const program = [
    "import difflib, json, sys",
    "cases = json.load(sys.stdin)",
    "print(json.dumps([[c['name'], difflib.SequenceMatcher(None, c['a'], c['b']).ratio()] for c in cases]))",
  ].join("\n");
  const ratios = JSON.parse(execFileSync("python3", ["-c", program], { input: JSON.stringify(corpus), encoding: "utf8" })) as [string, number][];
  const python = execFileSync("python3", ["-c", "import sys; print(sys.version.split()[0])"], { encoding: "utf8" }).trim();
  return {
    comment: "difflib.SequenceMatcher(None, a, b).ratio() for the corpus of test/compare/sequence-matcher.test.ts; RECORD=1 rewrites it",
    python,
    corpusSha256: corpusSha256(corpus),
    ratios,
  };
}

function formatRecording(recording: RecordedRatios): string {
  const rows = recording.ratios.map((row) => `    ${JSON.stringify(row)}`).join(",\n");
  return (
    `{\n  "comment": ${JSON.stringify(recording.comment)},\n  "python": ${JSON.stringify(recording.python)},\n` +
    `  "corpusSha256": ${JSON.stringify(recording.corpusSha256)},\n  "ratios": [\n${rows}\n  ]\n}\n`
  );
}

const corpus = makeCorpus();
if (process.env.RECORD === "1") writeFileSync(RECORDING_FILE, formatRecording(recordWithPython(corpus)));
const recorded = JSON.parse(readFileSync(RECORDING_FILE, "utf8")) as RecordedRatios;

describe("sequenceMatcherRatio agrees with Python's difflib", () => {
  test("the recording is of this corpus, by a Python 3", () => {
    expect(recorded.corpusSha256).toBe(corpusSha256(corpus));
    expect(recorded.python).toMatch(/^3\./);
    expect(recorded.ratios.map(([name]) => name)).toEqual(corpus.map((entry) => entry.name));
  });

  test("the corpus reaches the autojunk cases: ratios well below 1 for long, lightly edited texts", () => {
    // Edits that leave most code points in place still score far below 1 once autojunk drops the
    // popular letters from the index: the reason a port that ignored autojunk would be wrong.
    const lightlyEdited = recorded.ratios.filter(([name]) => /, (1500|4000) code points, 4 edits/.test(name));
    expect(lightlyEdited.length).toBeGreaterThan(0);
    expect(Math.min(...lightlyEdited.map(([, ratio]) => ratio))).toBeLessThan(0.9);
  });

  test.each(corpus.map((entry, index) => [entry.name, index] as const))("%s", (_name, index) => {
    const entry = corpus[index]!;
    expect(sequenceMatcherRatio(entry.a, entry.b)).toBe(recorded.ratios[index]![1]);
  });
});
