// Ruby's answers about date strings (test/fixtures/ruby-time.json, or fresh from Ruby in
// test/jekyll/ruby-time.jekyll.test.ts) and the comparison of Feedwright's ports with them.
//
// A case is one date string. For each time zone it holds:
//  - timeParse: Time.parse(text, now) for the two days of REFERENCE_NOWS;
//  - quoted: the date Jekyll gives a post whose front matter says `date: "<text>"`;
//  - plain: the same for `date: <text>` unquoted, with the class Psych made of the value (null
//    when YAML cannot hold the text unquoted).
// An answer is "<Unix seconds>.<nanoseconds>", "!<Ruby exception class>: <message>", or a pair of
// those when the two days give different answers (the text has no year).
import { DateFormatError } from "../../src/content/dates.js";
import { jekyllPostDate } from "../../src/content/jekyll-post-date.js";
import { PsychTime } from "../../src/content/psych-timestamp.js";
import { rubyDateParse, type RubyDateHash } from "../../src/content/ruby-date-parse.js";
import { RubyError } from "../../src/content/ruby-error.js";
import { MissingYearError, parseRubyTime, rubyTimeParse, UnrepresentableTimeError, type RubyTime } from "../../src/content/ruby-time.js";
import { parseYamlSource, YamlSyntaxError } from "../../src/yaml-source.js";
import { PSYCH_TIME_TAGS } from "../../src/content/psych-yaml-tags.js";

export type RubyAnswer = string | readonly [string, string];
export type AnswersByZone = Readonly<Record<string, RubyAnswer>>;
/** Date._parse's hash (sorted keys, Rationals as "n/d", integers beyond 2^53 as strings), or "!Class: message". */
export type RecordedDateHash = Readonly<Record<string, number | string | null>> | string;

export interface RecordedRubyTimeCase {
  readonly text: string;
  readonly dateParse: RecordedDateHash;
  readonly timeParse: AnswersByZone;
  readonly quoted: AnswersByZone | null;
  readonly plain: { readonly psych: string; readonly answers: AnswersByZone } | null;
}

export interface RecordedRubyTime {
  readonly comment: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly timezones: readonly string[];
  /** ISO instants: the `now` of the two Time.parse calls for each text */
  readonly nows: readonly [string, string];
  readonly cases: readonly RecordedRubyTimeCase[];
}

export interface Disagreement {
  readonly text: string;
  readonly check: string;
  readonly timezone?: string;
  readonly ruby: unknown;
  readonly ours: unknown;
}

export interface KnownDifference {
  readonly text: string;
  readonly check: string;
  readonly timezone: string;
  readonly reason: string;
}

export interface ComparisonReport {
  /** checks made: one Date._parse check per text, three per text and time zone (fewer where YAML cannot hold the text unquoted) */
  readonly checks: number;
  readonly agreements: number;
  readonly knownDifferences: readonly KnownDifference[];
  readonly disagreements: readonly Disagreement[];
}

/** The largest |Unix milliseconds| a JavaScript Date holds. */
const REPRESENTABLE_MILLISECONDS = 8.64e15;

/** "<seconds>.<nanoseconds>" for a Ruby Time, as the Ruby side records it. */
export function rubyTimeAnswer(time: RubyTime): string {
  const nanoseconds = time.fraction ? (time.fraction.numerator * 1_000_000_000n) / time.fraction.denominator : 0n;
  return `${time.epochSeconds}.${nanoseconds.toString().padStart(9, "0")}`;
}

/** Date._parse's hash in the recorded form. */
export function recordedDateHash(hash: RubyDateHash): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  for (const key of Object.keys(hash).sort()) {
    const value = hash[key as keyof RubyDateHash];
    if (value === undefined) continue;
    out[key] = value !== null && typeof value === "object" ? `${value.numerator}/${value.denominator}` : value;
  }
  return out;
}

function ourDateHash(text: string): RecordedDateHash {
  try {
    return recordedDateHash(rubyDateParse(text));
  } catch (error) {
    if (error instanceof RubyError) return `!${error.rubyClass}: ${error.message}`;
    throw error;
  }
}

/** Equal, except that an integer Ruby recorded beyond 2^53 is compared as a double (see the report). */
function sameDateHash(ruby: RecordedDateHash, ours: RecordedDateHash): boolean {
  if (typeof ruby === "string" || typeof ours === "string") return ruby === ours;
  const keys = Object.keys(ruby);
  if (keys.join() !== Object.keys(ours).join()) return false;
  return keys.every((key) => {
    const theirs = ruby[key];
    const mine = ours[key];
    if (typeof theirs === "string" && /^-?\d+$/.test(theirs) && typeof mine === "number") return Number(theirs) === mine;
    return theirs === mine;
  });
}

type Outcome =
  | { readonly kind: "instant"; readonly milliseconds: number }
  | { readonly kind: "refused"; readonly why: "error" | "clock" | "range"; readonly message: string };

/** What Jekyll does with a recorded answer, as Feedwright must: an instant, or a refusal and why. */
function expectedOutcome(answer: RubyAnswer): Outcome {
  if (typeof answer !== "string") {
    const [first, second] = answer;
    const bothRefused = first.startsWith("!") && second.startsWith("!");
    return { kind: "refused", why: bothRefused && first === second ? "error" : "clock", message: `${first} / ${second}` };
  }
  if (answer.startsWith("!")) return { kind: "refused", why: "error", message: answer };
  const [seconds = "0", nanoseconds = "0"] = answer.split(".");
  const milliseconds = Number(seconds) * 1000 + Math.floor(Number(nanoseconds) / 1e6);
  if (!(Math.abs(milliseconds) <= REPRESENTABLE_MILLISECONDS)) return { kind: "refused", why: "range", message: answer };
  return { kind: "instant", milliseconds };
}

function ourOutcome(read: () => Date): Outcome {
  try {
    return { kind: "instant", milliseconds: read().getTime() };
  } catch (error) {
    if (!(error instanceof DateFormatError) && !(error instanceof YamlSyntaxError)) throw error;
    const cause = error.cause;
    const why = cause instanceof MissingYearError ? "clock" : cause instanceof UnrepresentableTimeError ? "range" : "error";
    return { kind: "refused", why, message: error.message };
  }
}

function outcomesAgree(expected: Outcome, ours: Outcome): boolean {
  if (expected.kind === "instant" || ours.kind === "instant") return expected.kind === ours.kind && expected.kind === "instant" && ours.kind === "instant" && expected.milliseconds === ours.milliseconds;
  return expected.why === ours.why;
}

function exactAnswer(text: string, timezone: string, now: Date): string {
  try {
    return rubyTimeAnswer(rubyTimeParse(text, timezone, now));
  } catch (error) {
    if (error instanceof RubyError) return `!${error.rubyClass}: ${error.message}`;
    if (error instanceof UnrepresentableTimeError) return `beyond a JavaScript Date: ${error.message}`;
    throw error;
  }
}

/** The JavaScript type the YAML layer must give for the class Psych made. */
function psychClassMatches(psychClass: string, value: unknown): boolean {
  switch (psychClass) {
    case "Time":
      return value instanceof PsychTime;
    case "Date":
    case "String":
      return typeof value === "string";
    case "Integer":
    case "Float":
      return typeof value === "number";
    case "NilClass":
      return value === null;
    case "TrueClass":
    case "FalseClass":
      return typeof value === "boolean";
    default:
      return false;
  }
}

/** Compares every case with Feedwright's ports; `nows` are the recorded reference days. */
export function compareWithRuby(recorded: RecordedRubyTime): ComparisonReport {
  const nows = recorded.nows.map((iso) => new Date(iso));
  let checks = 0;
  let agreements = 0;
  const knownDifferences: KnownDifference[] = [];
  const disagreements: Disagreement[] = [];
  const judge = (text: string, check: string, timezone: string | undefined, ruby: unknown, ours: unknown, agree: boolean, knownReason?: string): void => {
    checks += 1;
    if (!agree) disagreements.push({ text, check, ...(timezone === undefined ? {} : { timezone }), ruby, ours });
    else if (knownReason !== undefined && timezone !== undefined) knownDifferences.push({ text, check, timezone, reason: knownReason });
    else agreements += 1;
  };
  const judgeOutcome = (text: string, check: string, timezone: string, expected: Outcome, ours: Outcome, alsoRequired = true): void => {
    const known = expected.kind === "refused" && expected.why === "range" ? `Ruby accepts it (${expected.message}), in a year beyond a JavaScript Date's range` : undefined;
    judge(text, check, timezone, expected, ours, alsoRequired && outcomesAgree(expected, ours), known);
  };

  for (const entry of recorded.cases) {
    const { text } = entry;
    const hash = ourDateHash(text);
    judge(text, "Date._parse", undefined, entry.dateParse, hash, sameDateHash(entry.dateParse, hash));

    const plainValue = entry.plain === null ? undefined : readPlain(text);
    for (const timezone of recorded.timezones) {
      const answer = answerIn(entry.timeParse, text, timezone);
      // Time.parse exactly (nanoseconds, or Ruby's exception and message) on both reference days,
      // and what parseRubyTime makes of that.
      const pair = typeof answer === "string" ? [answer, answer] : answer;
      const exact = nows.map((now) => exactAnswer(text, timezone, now));
      const exactAgrees = exact.every((ours, index) => {
        const theirs = pair[index] ?? "";
        if (ours.startsWith("beyond")) {
          const expected = expectedOutcome(theirs);
          return expected.kind === "refused" && expected.why === "range";
        }
        return ours === theirs;
      });
      if (!exactAgrees) judge(text, "Time.parse", timezone, pair, exact, false);
      else judgeOutcome(text, "Time.parse", timezone, expectedOutcome(answer), ourOutcome(() => parseRubyTime(text, timezone)));

      if (entry.quoted !== null) {
        judgeOutcome(text, "Jekyll, quoted", timezone, expectedOutcome(answerIn(entry.quoted, text, timezone)), ourOutcome(() => jekyllPostDate(text, timezone)));
      }

      if (entry.plain !== null && plainValue !== undefined) {
        const psych = entry.plain.psych;
        const check = `Jekyll, plain (Psych: ${psych})`;
        if (psych.startsWith("!")) {
          // Psych itself fails, so the front matter cannot be read: the YAML layer must refuse it too.
          judge(text, check, timezone, psych, plainValue.ok ? plainValue.value : plainValue.message, !plainValue.ok);
          continue;
        }
        if (!plainValue.ok) {
          judge(text, check, timezone, psych, plainValue.message, false);
          continue;
        }
        const expected = expectedOutcome(answerIn(entry.plain.answers, text, timezone));
        const ours = ourOutcome(() => jekyllPostDate(plainValue.value, timezone));
        if (psych === "Float" && Number.isInteger(plainValue.value) && !outcomesAgree(expected, ours)) {
          // Ruby prints the Float 20140605.0 with its ".0"; the YAML layer's number cannot say it was one.
          judge(text, check, timezone, expected, ours, true, "a YAML float with a zero fraction reaches Feedwright as a whole number, which Ruby would print without its .0");
          continue;
        }
        judgeOutcome(text, check, timezone, expected, ours, psychClassMatches(psych, plainValue.value));
      }
    }
  }
  return { checks, agreements, knownDifferences, disagreements };
}

function answerIn(answers: AnswersByZone, text: string, timezone: string): RubyAnswer {
  const answer = answers[timezone];
  if (answer === undefined) throw new Error(`the recording has no answer for ${JSON.stringify(text)} in ${timezone}`);
  return answer;
}

type PlainValue = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** The value of `date: <text>` in front matter read as a Jekyll site's. */
function readPlain(text: string): PlainValue {
  try {
    const value = parseYamlSource(`date: ${text}\n`, { timeTags: PSYCH_TIME_TAGS }).value as Record<string, unknown> | null;
    return { ok: true, value: value?.date ?? null };
  } catch (error) {
    if (error instanceof YamlSyntaxError) return { ok: false, message: error.message };
    throw error;
  }
}
