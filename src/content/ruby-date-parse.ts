// Ruby's Date._parse(string, comp) from the date gem 3.2.2 (Ruby 3.1), ported from
// ext/date/date_parse.c as compiled by Ruby (TIGHT_PARSER undefined). Time.parse, and so Jekyll,
// reads every front-matter date through it.
//
// The C code is kept recognisable: one function per parse_* function and callback, each with the
// pattern exactly as in the C source (compiled by ruby-regexp.ts), tried in the same order on a
// string that each successful pattern overwrites with a space (the SUBS macro), and the same
// field juggling in s3e. Date._parse is not a validator: it takes whatever fields its patterns
// find, and Time.parse (ruby-time.ts) decides what is valid.
//
// Byte semantics: the C code counts bytes and uses ASCII-only ctype functions. Patterns run on
// characters in Ruby as here; where the C code looks at bytes (the 128-byte limit, the zone
// offset parser, day_num/mon_num's strncasecmp), this port does so on the UTF-8 bytes.
import { num2int, RubyError } from "./ruby-error.js";
import { dateParseZoneOffset, LONGEST_ZONE_NAME } from "./ruby-date-zones.js";
import { isAscii, isAsciiDigit, rubyRegExp, type RubyRegExp } from "./ruby-regexp.js";

/** A Ruby Rational, reduced, as Date._parse returns for fractions of a second and some offsets. */
export interface RubyRational {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/**
 * What Date._parse returns, under Ruby's own key names. A key is present only when Ruby sets it;
 * `offset` is null when Ruby found a zone it has no offset for.
 */
export interface RubyDateHash {
  year?: number;
  mon?: number;
  mday?: number;
  hour?: number;
  min?: number;
  sec?: number;
  sec_fraction?: RubyRational;
  zone?: string;
  offset?: number | RubyRational | null;
  wday?: number;
  yday?: number;
  cwyear?: number;
  cweek?: number;
  cwday?: number;
}

/**
 * The hash while parsing. The C code also keeps `_comp` (complete two-digit years) and `_bc` in
 * it and deletes them at the end; here they are the two fields below.
 */
interface WorkingHash extends RubyDateHash {
  _comp: boolean;
  _bc: boolean;
}

interface ParseState {
  /** The text, with each part already read replaced by a space. */
  str: string;
  /** Whether `str` is ASCII (replacing parts with spaces keeps it so): the patterns' fast form applies. */
  readonly ascii: boolean;
  readonly hash: WorkingHash;
  /** whether to work out the `offset` entry (date_zone_to_diff) */
  readonly withOffset: boolean;
  /** check_class of `str`, remembered until `str` changes */
  classes: { readonly of: string; readonly flags: number } | undefined;
}

/** Date._parse's default `limit:` (date_core.c check_limit), in bytes. */
export const DATE_PARSE_LIMIT = 128;

const encoder = new TextEncoder();

/**
 * Ruby's Date._parse(text, comp). Throws RubyError where Ruby raises: ArgumentError for a string
 * longer than 128 bytes, RangeError for an hour too large for a C int (parse_time2_cb's NUM2INT).
 */
export function rubyDateParse(text: string, comp = true): RubyDateHash {
  return dateParseWithLimit(text, comp, true);
}

/**
 * Date._parse(text) as Time.parse calls it, without the `offset` entry: Time.parse reads the
 * zone's name with its own table and never looks at Date._parse's offset.
 */
export function rubyDateParseForTime(text: string): RubyDateHash {
  return dateParseWithLimit(text, true, false);
}

function dateParseWithLimit(text: string, comp: boolean, withOffset: boolean): RubyDateHash {
  // date_core.c check_limit: Date._parse(string, comp = true, limit: 128)
  const bytes = utf8Length(text);
  if (bytes > DATE_PARSE_LIMIT) throw new RubyError("ArgumentError", `string length (${bytes}) exceeds the limit ${DATE_PARSE_LIMIT}`);
  return dateParse(text, comp, withOffset);
}

// ---------------------------------------------------------------------------------------------
// date__parse

const HAVE_ALPHA = 1 << 0;
const HAVE_DIGIT = 1 << 1;
const HAVE_DASH = 1 << 2;
const HAVE_DOT = 1 << 3;
const HAVE_SLASH = 1 << 4;

function utf8Length(text: string): number {
  let length = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      length += 4;
      index += 1;
    } else length += 3;
  }
  return length;
}

/** check_class: which kinds of ASCII character the text still holds. */
function checkClass(str: string): number {
  let flags = 0;
  for (let index = 0; index < str.length; index += 1) {
    const code = str.charCodeAt(index);
    if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) flags |= HAVE_ALPHA;
    else if (code >= 0x30 && code <= 0x39) flags |= HAVE_DIGIT;
    else if (code === 0x2d) flags |= HAVE_DASH;
    else if (code === 0x2e) flags |= HAVE_DOT;
    else if (code === 0x2f) flags |= HAVE_SLASH;
  }
  return flags;
}

/** HAVE_ELEM_P: asked again before every step, of the text as the earlier steps left it. */
function haveElements(state: ParseState, flags: number): boolean {
  if (state.classes?.of !== state.str) state.classes = { of: state.str, flags: checkClass(state.str) };
  return (state.classes.flags & flags) === flags;
}

// Everything but these characters becomes a single space before parsing.
const NOT_DATE_CHARACTERS = rubyRegExp("[^-+',./:@[:alnum:]\\[\\]]+", { global: true });

// The date proper: the first of these that matches wins (the C code's `goto ok`).
const DATE_STEPS: readonly (readonly [number, (state: ParseState) => boolean])[] = [
  [HAVE_ALPHA | HAVE_DIGIT, parseEu],
  [HAVE_ALPHA | HAVE_DIGIT, parseUs],
  [HAVE_DIGIT | HAVE_DASH, parseIso],
  [HAVE_DIGIT | HAVE_DOT, parseJis],
  [HAVE_ALPHA | HAVE_DIGIT | HAVE_DASH, parseVms],
  [HAVE_DIGIT | HAVE_SLASH, parseSla],
  [HAVE_DIGIT | HAVE_DOT, parseDot],
  [HAVE_DIGIT, parseIso2],
  [HAVE_DIGIT, parseYear],
  [HAVE_ALPHA, parseMon],
  [HAVE_DIGIT, parseMday],
  [HAVE_DIGIT, parseDdd],
];

function dateParse(text: string, comp: boolean, withOffset: boolean): RubyDateHash {
  const ascii = isAscii(text);
  const str = text.replace(NOT_DATE_CHARACTERS.for(text, ascii), " ");
  const state: ParseState = { str, ascii, withOffset, hash: { _comp: comp, _bc: false }, classes: undefined };

  if (haveElements(state, HAVE_ALPHA)) parseDay(state);
  if (haveElements(state, HAVE_DIGIT)) parseTime(state);

  for (const [flags, step] of DATE_STEPS) {
    if (haveElements(state, flags) && step(state)) break;
  }

  if (haveElements(state, HAVE_ALPHA)) parseBc(state);
  if (haveElements(state, HAVE_DIGIT)) parseFrag(state);

  const { _comp: complete, _bc: bc, ...hash } = state.hash;
  if (bc) {
    if (hash.cwyear !== undefined) hash.cwyear = -hash.cwyear + 1;
    if (hash.year !== undefined) hash.year = -hash.year + 1;
  }
  if (complete) {
    if (hash.cwyear !== undefined) hash.cwyear = completeYear(hash.cwyear);
    if (hash.year !== undefined) hash.year = completeYear(hash.year);
  }
  if (withOffset && hash.zone !== undefined && (hash.offset === undefined || hash.offset === null)) hash.offset = dateZoneToDiff(hash.zone);
  return hash;
}

/** A year from 0 to 99 is 1969-2068. */
function completeYear(year: number): number {
  if (year >= 0 && year <= 99) return year >= 69 ? year + 1900 : year + 2000;
  return year;
}

/**
 * The SUBS macro (subx): on a match, replace the matched text with one space, then let the
 * callback read the groups. The step counts as done even if the callback finds nothing.
 */
function subs(state: ParseState, pattern: RubyRegExp, callback: (match: RegExpExecArray, hash: WorkingHash) => void): boolean {
  const match = pattern.exec(state.str, state.ascii);
  if (!match) return false;
  state.str = `${state.str.slice(0, match.index)} ${state.str.slice(match.index + match[0].length)}`;
  callback(match, state.hash);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Numbers and names

/** str2num / cstr2num (rb_cstr_to_inum(s, 10, 0)): leading sign and digits; 0 without digits. */
function str2num(text: string): number {
  if (isDigits(text)) return Number(text);
  const match = /^[\t\n\v\f\r ]*([+-]?)([0-9]+(?:_[0-9]+)*)?/.exec(text);
  const digits = match?.[2];
  if (digits === undefined) return 0;
  const value = Number(digits.replaceAll("_", ""));
  return match?.[1] === "-" ? -value : value;
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/** rb_rational_new2(str2num(digits), 10 ** digits.length), reduced: Rational("0.<digits>"). */
export function decimalFractionOf(digits: string): RubyRational {
  return rational(digits === "" ? 0n : BigInt(digits), 10n ** BigInt(digits.length));
}

function rational(numerator: bigint, denominator: bigint): RubyRational {
  const divisor = gcd(numerator < 0n ? -numerator : numerator, denominator);
  return divisor <= 1n ? { numerator, denominator } : { numerator: numerator / divisor, denominator: denominator / divisor };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

const ABBR_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const ABBR_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;

/**
 * strncasecmp(word, text, 3) === 0 on the text's UTF-8 bytes (ASCII case only). A character
 * beyond ASCII is bytes of 0x80 and up, which match no letter of the word, so characters will do.
 */
function startsWithAsciiCaseless(text: string, word: string): boolean {
  for (let index = 0; index < word.length; index += 1) {
    const code = text.charCodeAt(index);
    const lower = code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
    if (lower !== word.charCodeAt(index)) return false;
  }
  return true;
}

/** day_num: 0 for Sunday; 7 when the name is not one (possible only through Unicode case folding). */
function dayNum(name: string): number {
  const index = ABBR_DAYS.findIndex((day) => startsWithAsciiCaseless(name, day));
  return index === -1 ? ABBR_DAYS.length : index;
}

/** mon_num: 1 for January; 13 when the name is not one. */
function monNum(name: string): number {
  const index = ABBR_MONTHS.findIndex((month) => startsWithAsciiCaseless(name, month));
  return (index === -1 ? ABBR_MONTHS.length : index) + 1;
}

const DAYS_PATTERN = ABBR_DAYS.join("|");
const MONTHS_PATTERN = ABBR_MONTHS.join("|");
const ERA_PATTERN = "(c(?:e|\\.e\\.)|b(?:ce|\\.c\\.e\\.)|a(?:d|\\.d\\.)|b(?:c|\\.c\\.))?";

function isBeforeChrist(era: string | undefined): boolean {
  return era !== undefined && (era.startsWith("B") || era.startsWith("b"));
}

// ---------------------------------------------------------------------------------------------
// s3e: a year, a month and a day in some order, told apart by their width and apostrophes

const isSign = (char: string | undefined): boolean => char === "-" || char === "+";

/** The position of the first sign or digit, or -1. */
function firstSignOrDigit(text: string): number {
  for (let index = 0; index < text.length; index += 1) if (isSign(text[index]) || isAsciiDigit(text[index])) return index;
  return -1;
}

function firstDigit(text: string): number {
  for (let index = 0; index < text.length; index += 1) if (isAsciiDigit(text[index])) return index;
  return -1;
}

function digitSpan(text: string, from: number): number {
  let length = 0;
  while (isAsciiDigit(text[from + length])) length += 1;
  return length;
}

function s3e(hash: WorkingHash, yIn: string | undefined, mIn: string | number | undefined, dIn: string | undefined, bc: boolean): void {
  let y = yIn;
  let m = typeof mIn === "number" ? String(mIn) : mIn;
  let d = dIn;
  let complete: boolean | undefined;

  if (y !== undefined && m !== undefined && d === undefined) {
    [y, m, d] = [d, y, m];
  }

  if (y === undefined) {
    if (d !== undefined && d.length > 2) {
      y = d;
      d = undefined;
    }
    if (d !== undefined && d.length > 0 && d.startsWith("'")) {
      y = d;
      d = undefined;
    }
  }

  if (y !== undefined) {
    // A year followed by more than digits ("5th") is the day, and the day is the year.
    const start = firstSignOrDigit(y);
    if (start !== -1) {
      let s = start;
      if (isSign(y[s])) s += 1;
      const end = s + digitSpan(y, s);
      if (end < y.length) {
        const digits = y.slice(start, end);
        y = d;
        d = digits;
      }
    }
  }

  if (m !== undefined && (m.startsWith("'") || m.length > 2)) {
    // us -> be
    [y, m, d] = [m, d, y];
  }

  if (d !== undefined && (d.startsWith("'") || d.length > 2)) {
    [y, d] = [d, y];
  }

  if (y !== undefined) {
    const start = firstSignOrDigit(y);
    if (start !== -1) {
      let s = start;
      if (isSign(y[s])) {
        s += 1;
        complete = false;
      }
      const length = digitSpan(y, s);
      if (length > 2) complete = false;
      hash.year = str2num(y.slice(start, s + length));
    }
  }

  if (bc) hash._bc = true;

  if (m !== undefined) {
    const start = firstDigit(m);
    if (start !== -1) hash.mon = str2num(m.slice(start, start + digitSpan(m, start)));
  }

  if (d !== undefined) {
    const start = firstDigit(d);
    if (start !== -1) hash.mday = str2num(d.slice(start, start + digitSpan(d, start)));
  }

  if (complete !== undefined) hash._comp = complete;
}

// ---------------------------------------------------------------------------------------------
// parse_day, parse_time

const DAY_PATTERN = rubyRegExp(`\\b(${DAYS_PATTERN})[^-/\\d\\s]*`, { ignoreCase: true });

function parseDay(state: ParseState): boolean {
  return subs(state, DAY_PATTERN, (match, hash) => {
    hash.wday = dayNum(match[1] ?? "");
  });
}

const TIME_PATTERN = rubyRegExp(
  "(" +
    "(?:" +
    "\\d+\\s*:\\s*\\d+" +
    "(?:" +
    "\\s*:\\s*\\d+(?:[,.]\\d*)?" +
    ")?" +
    "|" +
    "\\d+\\s*h(?:\\s*\\d+m?(?:\\s*\\d+s?)?)?" +
    ")" +
    "(?:" +
    "\\s*" +
    "[ap](?:m\\b|\\.m\\.)" +
    ")?" +
    "|" +
    "\\d+\\s*[ap](?:m\\b|\\.m\\.)" +
    ")" +
    "(?:" +
    "\\s*" +
    "(" +
    "(?:gmt|utc?)?[-+]\\d+(?:[,.:]\\d+(?::\\d+)?)?" +
    "|" +
    "(?-i:[[:alpha:].\\s]+)(?:standard|daylight)\\stime\\b" +
    "|" +
    "(?-i:[[:alpha:]]+)(?:\\sdst)?\\b" +
    ")" +
    ")?",
  { ignoreCase: true },
);

const TIME_FIELDS_PATTERN = rubyRegExp(
  "\\A(\\d+)h?" +
    "(?:\\s*:?\\s*(\\d+)m?" +
    "(?:" +
    "\\s*:?\\s*(\\d+)(?:[,.](\\d+))?s?" +
    ")?" +
    ")?" +
    "(?:\\s*([ap])(?:m\\b|\\.m\\.))?",
  { ignoreCase: true },
);

function parseTime2Cb(match: RegExpExecArray, hash: WorkingHash): void {
  let hour = str2num(match[1] ?? "");
  const minText = match[2];
  const secText = match[3];
  const fraction = match[4];
  const meridian = match[5];
  if (meridian !== undefined) {
    hour = num2int(BigInt(match[1] ?? "0")) % 12;
    if (meridian === "P" || meridian === "p") hour += 12;
  }
  hash.hour = hour;
  if (minText !== undefined) hash.min = str2num(minText);
  if (secText !== undefined) hash.sec = str2num(secText);
  if (fraction !== undefined) hash.sec_fraction = decimalFractionOf(fraction);
}

function parseTimeCb(match: RegExpExecArray, hash: WorkingHash): void {
  const zone = match[2];
  if (zone !== undefined) hash.zone = zone;
  const fields = TIME_FIELDS_PATTERN.exec(match[1] ?? "");
  if (fields) parseTime2Cb(fields, hash);
}

function parseTime(state: ParseState): boolean {
  return subs(state, TIME_PATTERN, parseTimeCb);
}

// ---------------------------------------------------------------------------------------------
// parse_eu, parse_us, parse_iso

const EU_PATTERN = rubyRegExp(
  "('?\\d+)[^-\\d\\s]*" + "\\s*" + `(${MONTHS_PATTERN})[^-\\d\\s']*` + "(?:" + "\\s*" + ERA_PATTERN + "\\s*" + "('?-?\\d+(?:(?:st|nd|rd|th)\\b)?)" + ")?",
  { ignoreCase: true },
);

function parseEu(state: ParseState): boolean {
  return subs(state, EU_PATTERN, (match, hash) => {
    const [, d, mon, b, y] = match;
    s3e(hash, y, monNum(mon ?? ""), d, isBeforeChrist(b));
  });
}

const US_PATTERN = rubyRegExp(
  `\\b(${MONTHS_PATTERN})[^-\\d\\s']*` + "\\s*" + "('?\\d+)[^-\\d\\s']*" + "(?:" + "\\s*,?" + "\\s*" + ERA_PATTERN + "\\s*" + "('?-?\\d+)" + ")?",
  { ignoreCase: true },
);

function parseUs(state: ParseState): boolean {
  return subs(state, US_PATTERN, (match, hash) => {
    const [, mon, d, b, y] = match;
    s3e(hash, y, monNum(mon ?? ""), d, isBeforeChrist(b));
  });
}

const ISO_PATTERN = rubyRegExp("('?[-+]?\\d+)-(\\d+)-('?-?\\d+)");

function parseIso(state: ParseState): boolean {
  return subs(state, ISO_PATTERN, (match, hash) => {
    const [, y, mon, d] = match;
    s3e(hash, y, mon, d, false);
  });
}

// ---------------------------------------------------------------------------------------------
// parse_iso2: ISO 8601 week dates, ordinal dates and truncated forms

const ISO21_PATTERN = rubyRegExp("\\b(\\d{2}|\\d{4})?-?w(\\d{2})(?:-?(\\d))?\\b", { ignoreCase: true });

function parseIso21(state: ParseState): boolean {
  return subs(state, ISO21_PATTERN, (match, hash) => {
    const [, y, w, d] = match;
    if (y !== undefined) hash.cwyear = str2num(y);
    hash.cweek = str2num(w ?? "");
    if (d !== undefined) hash.cwday = str2num(d);
  });
}

const ISO22_PATTERN = rubyRegExp("-w-(\\d)\\b", { ignoreCase: true });

function parseIso22(state: ParseState): boolean {
  return subs(state, ISO22_PATTERN, (match, hash) => {
    hash.cwday = str2num(match[1] ?? "");
  });
}

const ISO23_PATTERN = rubyRegExp("--(\\d{2})?-(\\d{2})\\b");

function parseIso23(state: ParseState): boolean {
  return subs(state, ISO23_PATTERN, (match, hash) => {
    const [, mon, d] = match;
    if (mon !== undefined) hash.mon = str2num(mon);
    hash.mday = str2num(d ?? "");
  });
}

const ISO24_PATTERN = rubyRegExp("--(\\d{2})(\\d{2})?\\b");

function parseIso24(state: ParseState): boolean {
  return subs(state, ISO24_PATTERN, (match, hash) => {
    const [, mon, d] = match;
    hash.mon = str2num(mon ?? "");
    if (d !== undefined) hash.mday = str2num(d);
  });
}

const ISO25_EXCLUDED = rubyRegExp("[,.](\\d{2}|\\d{4})-\\d{3}\\b");
const ISO25_PATTERN = rubyRegExp("\\b(\\d{2}|\\d{4})-(\\d{3})\\b");

function parseIso25(state: ParseState): boolean {
  if (ISO25_EXCLUDED.test(state.str, state.ascii)) return false;
  return subs(state, ISO25_PATTERN, (match, hash) => {
    hash.year = str2num(match[1] ?? "");
    hash.yday = str2num(match[2] ?? "");
  });
}

const ISO26_EXCLUDED = rubyRegExp("\\d-\\d{3}\\b");
const ISO26_PATTERN = rubyRegExp("\\b-(\\d{3})\\b");

function parseIso26(state: ParseState): boolean {
  if (ISO26_EXCLUDED.test(state.str, state.ascii)) return false;
  return subs(state, ISO26_PATTERN, (match, hash) => {
    hash.yday = str2num(match[1] ?? "");
  });
}

function parseIso2(state: ParseState): boolean {
  return parseIso21(state) || parseIso22(state) || parseIso23(state) || parseIso24(state) || parseIso25(state) || parseIso26(state);
}

// ---------------------------------------------------------------------------------------------
// parse_jis: JIS X 0301 era dates (H31.04.30, R1.05.01)

/** gengo: the year before the era's first year. */
function gengo(initial: string): number {
  switch (initial) {
    case "M":
    case "m":
      return 1867;
    case "T":
    case "t":
      return 1911;
    case "S":
    case "s":
      return 1925;
    case "H":
    case "h":
      return 1988;
    case "R":
    case "r":
      return 2018;
    default:
      return 0;
  }
}

const JIS_PATTERN = rubyRegExp("\\b([mtshr])(\\d+)\\.(\\d+)\\.(\\d+)", { ignoreCase: true });

function parseJis(state: ParseState): boolean {
  return subs(state, JIS_PATTERN, (match, hash) => {
    const [, era, y, mon, d] = match;
    hash.year = str2num(y ?? "") + gengo(era ?? "");
    hash.mon = str2num(mon ?? "");
    hash.mday = str2num(d ?? "");
  });
}

// ---------------------------------------------------------------------------------------------
// parse_vms: 05-Jun-2014, Jun-05-2014

const VMS11_PATTERN = rubyRegExp(`('?-?\\d+)-(${MONTHS_PATTERN})[^-/.]*` + "-('?-?\\d+)", { ignoreCase: true });

function parseVms11(state: ParseState): boolean {
  return subs(state, VMS11_PATTERN, (match, hash) => {
    const [, d, mon, y] = match;
    s3e(hash, y, monNum(mon ?? ""), d, false);
  });
}

const VMS12_PATTERN = rubyRegExp(`\\b(${MONTHS_PATTERN})[^-/.]*` + "-('?-?\\d+)(?:-('?-?\\d+))?", { ignoreCase: true });

function parseVms12(state: ParseState): boolean {
  return subs(state, VMS12_PATTERN, (match, hash) => {
    const [, mon, d, y] = match;
    s3e(hash, y, monNum(mon ?? ""), d, false);
  });
}

function parseVms(state: ParseState): boolean {
  return parseVms11(state) || parseVms12(state);
}

// ---------------------------------------------------------------------------------------------
// parse_sla (2014/06/05, 6/5/2014), parse_dot (2014.06.05, 5.6.2014)

const SLA_PATTERN = rubyRegExp("('?-?\\d+)/\\s*('?\\d+)(?:\\D\\s*('?-?\\d+))?", { ignoreCase: true });

function parseSla(state: ParseState): boolean {
  return subs(state, SLA_PATTERN, (match, hash) => {
    const [, y, mon, d] = match;
    s3e(hash, y, mon, d, false);
  });
}

const DOT_PATTERN = rubyRegExp("('?-?\\d+)\\.\\s*('?\\d+)\\.\\s*('?-?\\d+)", { ignoreCase: true });

function parseDot(state: ParseState): boolean {
  return subs(state, DOT_PATTERN, (match, hash) => {
    const [, y, mon, d] = match;
    s3e(hash, y, mon, d, false);
  });
}

// ---------------------------------------------------------------------------------------------
// parse_year ('99), parse_mon (Jun), parse_mday (5th)

const YEAR_PATTERN = rubyRegExp("'(\\d+)\\b");

function parseYear(state: ParseState): boolean {
  return subs(state, YEAR_PATTERN, (match, hash) => {
    hash.year = str2num(match[1] ?? "");
  });
}

const MON_PATTERN = rubyRegExp(`\\b(${MONTHS_PATTERN})\\S*`, { ignoreCase: true });

function parseMon(state: ParseState): boolean {
  return subs(state, MON_PATTERN, (match, hash) => {
    hash.mon = monNum(match[1] ?? "");
  });
}

const MDAY_PATTERN = rubyRegExp("(\\d+)(st|nd|rd|th)\\b", { ignoreCase: true });

function parseMday(state: ParseState): boolean {
  return subs(state, MDAY_PATTERN, (match, hash) => {
    hash.mday = str2num(match[1] ?? "");
  });
}

// ---------------------------------------------------------------------------------------------
// parse_ddd: runs of digits (20140605, 20140605T101500, 101500.123+0900)

const DDD_PATTERN = rubyRegExp(
  "([-+]?)(\\d{2,14})" +
    "(?:" +
    "\\s*" +
    "t?" +
    "\\s*" +
    "(\\d{2,6})?(?:[,.](\\d*))?" +
    ")?" +
    "(?:" +
    "\\s*" +
    "(" +
    "z\\b" +
    "|" +
    "[-+]\\d{1,4}\\b" +
    "|" +
    "\\[[-+]?\\d[^\\]]*\\]" +
    ")" +
    ")?",
  { ignoreCase: true },
);

/** n2i: the number written by `width` digits from `from`. */
function n2i(digits: string, from: number, width: number): number {
  let value = 0;
  for (let index = from; index < from + width; index += 1) value = value * 10 + (digits.charCodeAt(index) - 48);
  return value;
}

function parseDddCb(match: RegExpExecArray, hash: WorkingHash, withOffset: boolean): void {
  const s1 = match[1];
  const s2 = match[2] ?? "";
  const s3 = match[3];
  const s4 = match[4];
  const s5 = match[5];
  const negative = s1 !== undefined && s1.startsWith("-");
  const signed = (year: number): number => (negative ? -year : year);
  // Digits then a fraction with no time group: the digits are a time counted from the right.
  const timeOnly = s3 === undefined && s4 !== undefined;
  const l2 = s2.length;

  switch (l2) {
    case 2:
      if (timeOnly) hash.sec = n2i(s2, l2 - 2, 2);
      else hash.mday = n2i(s2, 0, 2);
      break;
    case 4:
      if (timeOnly) {
        hash.sec = n2i(s2, l2 - 2, 2);
        hash.min = n2i(s2, l2 - 4, 2);
      } else {
        hash.mon = n2i(s2, 0, 2);
        hash.mday = n2i(s2, 2, 2);
      }
      break;
    case 6:
      if (timeOnly) {
        hash.sec = n2i(s2, l2 - 2, 2);
        hash.min = n2i(s2, l2 - 4, 2);
        hash.hour = n2i(s2, l2 - 6, 2);
      } else {
        hash.year = signed(n2i(s2, 0, 2));
        hash.mon = n2i(s2, 2, 2);
        hash.mday = n2i(s2, 4, 2);
      }
      break;
    case 8:
    case 10:
    case 12:
    case 14:
      if (timeOnly) {
        hash.sec = n2i(s2, l2 - 2, 2);
        hash.min = n2i(s2, l2 - 4, 2);
        hash.hour = n2i(s2, l2 - 6, 2);
        hash.mday = n2i(s2, l2 - 8, 2);
        if (l2 >= 10) hash.mon = n2i(s2, l2 - 10, 2);
        if (l2 === 12) hash.year = signed(n2i(s2, l2 - 12, 2));
        if (l2 === 14) {
          hash.year = signed(n2i(s2, l2 - 14, 4));
          hash._comp = false;
        }
      } else {
        hash.year = signed(n2i(s2, 0, 4));
        hash.mon = n2i(s2, 4, 2);
        hash.mday = n2i(s2, 6, 2);
        if (l2 >= 10) hash.hour = n2i(s2, 8, 2);
        if (l2 >= 12) hash.min = n2i(s2, 10, 2);
        if (l2 >= 14) hash.sec = n2i(s2, 12, 2);
        hash._comp = false;
      }
      break;
    case 3:
      if (timeOnly) {
        hash.sec = n2i(s2, l2 - 2, 2);
        hash.min = n2i(s2, l2 - 3, 1);
      } else {
        hash.yday = n2i(s2, 0, 3);
      }
      break;
    case 5:
      if (timeOnly) {
        hash.sec = n2i(s2, l2 - 2, 2);
        hash.min = n2i(s2, l2 - 4, 2);
        hash.hour = n2i(s2, l2 - 5, 1);
      } else {
        hash.year = signed(n2i(s2, 0, 2));
        hash.yday = n2i(s2, 2, 3);
      }
      break;
    case 7:
      if (timeOnly) {
        hash.sec = n2i(s2, l2 - 2, 2);
        hash.min = n2i(s2, l2 - 4, 2);
        hash.hour = n2i(s2, l2 - 6, 2);
        hash.mday = n2i(s2, l2 - 7, 1);
      } else {
        hash.year = signed(n2i(s2, 0, 4));
        hash.yday = n2i(s2, 4, 3);
      }
      break;
  }
  if (s3 !== undefined) {
    const l3 = s3.length;
    if (l3 === 2 || l3 === 4 || l3 === 6) {
      if (s4 !== undefined) {
        hash.sec = n2i(s3, l3 - 2, 2);
        if (l3 >= 4) hash.min = n2i(s3, l3 - 4, 2);
        if (l3 >= 6) hash.hour = n2i(s3, l3 - 6, 2);
      } else {
        hash.hour = n2i(s3, 0, 2);
        if (l3 >= 4) hash.min = n2i(s3, 2, 2);
        if (l3 >= 6) hash.sec = n2i(s3, 4, 2);
      }
    }
  }
  if (s4 !== undefined) hash.sec_fraction = decimalFractionOf(s4);
  if (s5 !== undefined) {
    hash.zone = s5;
    if (s5.startsWith("[")) {
      // [-5:EST] names the zone after the colon and gives the offset before it; [9] is +9 hours.
      const inner = s5.slice(1, -1);
      const colon = inner.indexOf(":");
      let offsetText: string;
      if (colon !== -1) {
        hash.zone = inner.slice(colon + 1);
        offsetText = inner.slice(0, colon + 1);
      } else {
        hash.zone = inner;
        offsetText = isAsciiDigit(inner[0]) ? `+${inner}` : inner;
      }
      if (withOffset) hash.offset = dateZoneToDiff(offsetText);
    }
  }
}

function parseDdd(state: ParseState): boolean {
  return subs(state, DDD_PATTERN, (match, hash) => parseDddCb(match, hash, state.withOffset));
}

// ---------------------------------------------------------------------------------------------
// parse_bc, parse_frag

const BC_PATTERN = rubyRegExp("\\b(bc\\b|bce\\b|b\\.c\\.|b\\.c\\.e\\.)", { ignoreCase: true });

function parseBc(state: ParseState): boolean {
  return subs(state, BC_PATTERN, (_match, hash) => {
    hash._bc = true;
  });
}

const FRAG_PATTERN = rubyRegExp("\\A\\s*(\\d{1,2})\\s*\\z", { ignoreCase: true });

/** A lone number left over: the day when there is a time, the hour when there is a day. */
function parseFrag(state: ParseState): boolean {
  return subs(state, FRAG_PATTERN, (match, hash) => {
    const n = str2num(match[1] ?? "");
    if (hash.hour !== undefined && hash.mday === undefined) {
      if (n >= 1 && n <= 31) hash.mday = n;
    }
    if (hash.mday !== undefined && hash.hour === undefined) {
      if (n >= 0 && n <= 24) hash.hour = n;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// date_zone_to_diff: the offset in seconds of a zone name or number, on the name's bytes

const SPACE_BYTES = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);
const decoder = new TextDecoder();

/** The byte at `index`, or 0 past the end, as C reads a NUL-terminated string. */
function byteAt(bytes: Uint8Array, index: number): number {
  return bytes[index] ?? 0;
}

function bytesEqualCaseless(bytes: Uint8Array, from: number, word: string): boolean {
  for (let index = 0; index < word.length; index += 1) {
    const byte = byteAt(bytes, from + index);
    const lower = byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte;
    if (lower !== word.charCodeAt(index)) return false;
  }
  return true;
}

/** str_end_with_word: the length of " word" (with all the spaces before it) ending the text, or 0. */
function strEndWithWord(bytes: Uint8Array, length: number, word: string): number {
  let n = word.length;
  if (length <= n || !SPACE_BYTES.has(byteAt(bytes, length - n - 1))) return 0;
  if (!bytesEqualCaseless(bytes, length - n, word)) return 0;
  do n += 1;
  while (length > n && SPACE_BYTES.has(byteAt(bytes, length - n - 1)));
  return n;
}

/** shrunk_size + shrink_space: runs of white space as one space, trailing white space dropped. */
function shrinkSpace(bytes: Uint8Array, length: number): Uint8Array {
  const out: number[] = [];
  let space = false;
  for (let index = 0; index < length; index += 1) {
    const byte = byteAt(bytes, index);
    if (!SPACE_BYTES.has(byte)) {
      if (space) out.push(0x20);
      space = false;
      out.push(byte);
    } else {
      space = true;
    }
  }
  return Uint8Array.from(out);
}

/** ruby_scan_digits: at most `max` decimal digits from `from` (all of them when max < 0). */
function scanDigits(bytes: Uint8Array, from: number, max: number): { value: number; length: number } {
  let value = 0;
  let length = 0;
  while (max < 0 || length < max) {
    const byte = byteAt(bytes, from + length);
    if (byte < 0x30 || byte > 0x39) break;
    value = value * 10 + (byte - 0x30);
    length += 1;
  }
  return { value, length };
}

/** ruby_strtoul(s, &end, 10): white space, a sign, digits; `end` is where the number stops. */
function strtoul(bytes: Uint8Array, from: number): { value: number; end: number } {
  let index = from;
  let found = from;
  while (byteAt(bytes, index) !== 0 && SPACE_BYTES.has(byteAt(bytes, index))) index += 1;
  let sign = 1;
  if (byteAt(bytes, index) === 0x2b) index += 1;
  else if (byteAt(bytes, index) === 0x2d) {
    sign = -1;
    index += 1;
  }
  if (byteAt(bytes, index) === 0x30) {
    found = index + 1;
    index += 1;
  }
  const digits = scanDigits(bytes, index, -1);
  if (digits.length > 0) found = index + digits.length;
  return { value: sign * digits.value, end: found };
}

/** date_zone_to_diff: "JST" 32400, "+09:00" 32400, "Eastern Daylight Time" -14400; null when unknown. */
export function dateZoneToDiff(zone: string): number | RubyRational | null {
  let bytes: Uint8Array = isAscii(zone) ? Uint8Array.from(zone, (char) => char.charCodeAt(0)) : encoder.encode(zone);
  let length = bytes.length;
  let dst = false;

  let w = strEndWithWord(bytes, length, "time");
  if (w > 0) {
    const withTime = w;
    length -= w;
    if ((w = strEndWithWord(bytes, length, "standard")) > 0) {
      length -= w;
    } else if ((w = strEndWithWord(bytes, length, "daylight")) > 0) {
      length -= w;
      dst = true;
    } else {
      length += withTime;
    }
  } else if ((w = strEndWithWord(bytes, length, "dst")) > 0) {
    length -= w;
    dst = true;
  }
  const shrunk = shrinkSpace(bytes, length);
  if (shrunk.length > 0 && shrunk.length < length && shrunk.length <= LONGEST_ZONE_NAME) {
    bytes = shrunk;
    length = shrunk.length;
  }
  if (length > 0 && length <= LONGEST_ZONE_NAME) {
    const known = dateParseZoneOffset(decoder.decode(bytes.subarray(0, length)));
    if (known !== undefined) return known + (dst ? 3600 : 0);
  }

  let s = 0;
  if (length > 3 && (bytesEqualCaseless(bytes, 0, "gmt") || bytesEqualCaseless(bytes, 0, "utc"))) {
    s += 3;
    length -= 3;
  }
  const signByte = byteAt(bytes, s);
  if (signByte !== 0x2b && signByte !== 0x2d) return null;
  const negative = signByte === 0x2d;
  s += 1;
  length -= 1;

  let hour: number;
  let min = 0;
  let sec = 0;
  const parsedHour = strtoul(bytes, s);
  hour = parsedHour.value;
  let p = parsedHour.end;
  if (byteAt(bytes, p) === 0x3a) {
    const parsedMin = strtoul(bytes, p + 1);
    min = parsedMin.value;
    p = parsedMin.end;
    if (byteAt(bytes, p) === 0x3a) sec = strtoul(bytes, p + 1).value;
  } else if (byteAt(bytes, p) === 0x2c || byteAt(bytes, p) === 0x2e) {
    // "+9.5": a decimal fraction of an hour, kept exact as Ruby keeps it (a Rational).
    const fraction = strtoul(bytes, p + 1);
    const places = fraction.end - (p + 1);
    let hours = BigInt(hour);
    let sixtieths = BigInt(fraction.value) * 3600n;
    if (negative) {
      hours = -hours;
      sixtieths = -sixtieths;
    }
    const partial = rational(sixtieths, 10n ** BigInt(places));
    // Integer + Rational is a Rational in Ruby even when it is whole.
    return rational(hours * 3600n * partial.denominator + partial.numerator, partial.denominator);
  } else if (length > 2) {
    // "+0930", "+093015", "+930": two digits of hours (one when the length is odd), then minutes, seconds
    const odd = length % 2;
    hour = scanDigits(bytes, s, 2 - odd).value;
    if (length >= 3) min = scanDigits(bytes, s + 2 - odd, 2).value;
    if (length >= 5) sec = scanDigits(bytes, s + 4 - odd, 2).value;
  }
  sec += min * 60 + hour * 3600;
  return negative ? -sec : sec;
}
