// A time zone as the C library applies ENV["TZ"]: offsets and abbreviations ("JST", "CEST") read
// from the system's compiled tz database (TZif files, RFC 8536), as glibc's localtime() reads
// them for Ruby.
//
// Ruby's Time.zone_offset (lib/time.rb) knows a fixed table of zone names and, besides them, the
// name of the local zone on January 1 and July 1 of the year (`Time.local(year, 1, 1).zone`).
// With Jekyll's ENV["TZ"] = "Europe/Berlin", "10:00 CEST" is read at +02:00 and "10:00 CET" at
// +01:00 in any month; with "UTC" both names are unknown and the time is read as UTC. ICU, which
// Node uses, has no such abbreviations for most zones, so they come from the same files that
// Ruby's C library reads, and so do the offsets (a binary search, where ICU takes microseconds).
// After a file's last transition its POSIX rule applies; when that rule has summer time, ICU
// (luxon), which follows the same rules, gives the offset. Where a system has no tz database,
// ICU gives every offset and no local zone name is known, so such a name is ignored as Ruby
// ignores a name it does not know.
import { readFileSync } from "node:fs";
import path from "node:path";
import { IANAZone } from "luxon";

const ZONEINFO_DIRECTORY = "/usr/share/zoneinfo";

export interface SystemTimeZone {
  /** Seconds east of UTC at an instant (Unix seconds); LMT offsets keep their seconds. */
  offsetAt(epochSeconds: number): number;
  /** tm_zone at an instant, or undefined when the system has no tz database entry for the zone. */
  abbreviationAt(epochSeconds: number): string | undefined;
}

interface ZoneType {
  /** seconds east of UTC */
  readonly offset: number;
  readonly isDst: boolean;
  readonly abbreviation: string;
}

interface FooterRule {
  readonly standard: { readonly name: string; readonly offset: number };
  readonly daylight: { readonly name: string; readonly offset: number } | undefined;
}

interface ZoneFile {
  /** transition instants, Unix seconds, ascending */
  readonly transitions: readonly number[];
  /** the type in force from each transition */
  readonly transitionTypes: readonly number[];
  readonly types: readonly ZoneType[];
  /** the POSIX TZ rule for instants after the last transition (TZif version 2 and later) */
  readonly footer: FooterRule | undefined;
}

/**
 * Zones by name, each read from its file once. Every date of a Jekyll site's post asks for the
 * site's zone several times (measured: 10,000 dates read as Jekyll reads them took 87–128 ms with
 * this map and 552–704 ms without; the heads of 3,000 posts of a Jekyll site 1.00–1.16 s and
 * 1.31–1.77 s, 3 runs each).
 */
const zones = new Map<string, SystemTimeZone>();
/**
 * Whether a name is an IANA zone, by name: ICU answers by making a formatter (measured: the heads
 * of 3,000 posts of a Jekyll site took 1.03–1.19 s with this map and 2.64–3.13 s without, 3 runs
 * each).
 */
const validity = new Map<string, boolean>();

/** Whether `timezone` is an IANA zone (asked of ICU once per name). */
export function isValidTimeZone(timezone: string): boolean {
  let valid = validity.get(timezone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(timezone);
    validity.set(timezone, valid);
  }
  return valid;
}

/** The zone for a valid IANA name, read once and kept. */
export function systemTimeZone(timezone: string): SystemTimeZone {
  let zone = zones.get(timezone);
  if (!zone) {
    const file = loadZoneFile(timezone);
    const icu = IANAZone.create(timezone);
    // ICU answers only within a Date's range; at its ends the zone's last rule holds anyway.
    const icuOffset = (epochSeconds: number): number => Math.round(icu.offset(Math.max(-8.64e15, Math.min(8.64e15, epochSeconds * 1000))) * 60);
    zone = file
      ? { offsetAt: (epochSeconds) => typeAt(file, epochSeconds)?.offset ?? footerOffset(file, epochSeconds, icuOffset), abbreviationAt: (epochSeconds) => abbreviationAt(file, epochSeconds, icuOffset) }
      : { offsetAt: icuOffset, abbreviationAt: () => undefined };
    zones.set(timezone, zone);
  }
  return zone;
}

/** The type in force (glibc __tzfile_compute), or undefined after the last transition when a rule follows. */
function typeAt(zone: ZoneFile, epochSeconds: number): ZoneType | undefined {
  const { transitions, transitionTypes, types } = zone;
  const first = transitions[0];
  if (first === undefined || epochSeconds < first) {
    // No transitions, or before the first: the first type that is not DST.
    return types.find((type) => !type.isDst) ?? types[0];
  }
  const last = transitions[transitions.length - 1] ?? first;
  if (epochSeconds >= last && zone.footer) return undefined;
  let low = 0;
  let high = transitions.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((transitions[middle] ?? Infinity) <= epochSeconds) low = middle;
    else high = middle - 1;
  }
  return types[transitionTypes[low] ?? 0];
}

function footerOffset(zone: ZoneFile, epochSeconds: number, icuOffset: (epochSeconds: number) => number): number {
  const rule = zone.footer;
  if (!rule) return 0;
  return rule.daylight ? icuOffset(epochSeconds) : rule.standard.offset;
}

function abbreviationAt(zone: ZoneFile, epochSeconds: number, icuOffset: (epochSeconds: number) => number): string | undefined {
  const type = typeAt(zone, epochSeconds);
  if (type) return type.abbreviation;
  const rule = zone.footer;
  if (!rule) return undefined;
  // The rule's two names: the offset in force tells which applies.
  if (!rule.daylight) return rule.standard.name;
  return icuOffset(epochSeconds) === rule.daylight.offset ? rule.daylight.name : rule.standard.name;
}

function loadZoneFile(timezone: string): ZoneFile | undefined {
  let zone: ZoneFile | undefined;
  // An IANA name is letters, digits and _ + - separated by single slashes; nothing else is read.
  if (/^[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)*$/.test(timezone)) {
    try {
      zone = parseTzif(readFileSync(path.join(ZONEINFO_DIRECTORY, ...timezone.split("/"))));
    } catch {
      zone = undefined;
    }
  }
  return zone;
}

const HEADER_LENGTH = 44;

/** RFC 8536: the version 2+ (64-bit) data block when present, else the version 1 block. */
function parseTzif(bytes: Buffer): ZoneFile | undefined {
  if (bytes.toString("latin1", 0, 4) !== "TZif") return undefined;
  const version = bytes[4] ?? 0;
  const first = readHeader(bytes, 0);
  if (version === 0) return readBlock(bytes, HEADER_LENGTH, first, 4).zone;
  const secondHeader = HEADER_LENGTH + blockLength(first, 4);
  const second = readHeader(bytes, secondHeader);
  const { zone, end } = readBlock(bytes, secondHeader + HEADER_LENGTH, second, 8);
  return { ...zone, footer: parseFooter(bytes.toString("latin1", end).trim()) };
}

interface TzifCounts {
  readonly isutcnt: number;
  readonly isstdcnt: number;
  readonly leapcnt: number;
  readonly timecnt: number;
  readonly typecnt: number;
  readonly charcnt: number;
}

function readHeader(bytes: Buffer, at: number): TzifCounts {
  const count = (index: number): number => bytes.readUInt32BE(at + 20 + index * 4);
  return { isutcnt: count(0), isstdcnt: count(1), leapcnt: count(2), timecnt: count(3), typecnt: count(4), charcnt: count(5) };
}

function blockLength(counts: TzifCounts, timeSize: number): number {
  return counts.timecnt * timeSize + counts.timecnt + counts.typecnt * 6 + counts.charcnt + counts.leapcnt * (timeSize + 4) + counts.isstdcnt + counts.isutcnt;
}

function readBlock(bytes: Buffer, at: number, counts: TzifCounts, timeSize: number): { zone: ZoneFile; end: number } {
  const transitions: number[] = [];
  let offset = at;
  for (let index = 0; index < counts.timecnt; index += 1, offset += timeSize) {
    transitions.push(timeSize === 8 ? Number(bytes.readBigInt64BE(offset)) : bytes.readInt32BE(offset));
  }
  const transitionTypes = [...bytes.subarray(offset, offset + counts.timecnt)];
  offset += counts.timecnt;
  const charactersAt = offset + counts.typecnt * 6;
  const types: ZoneType[] = [];
  for (let index = 0; index < counts.typecnt; index += 1, offset += 6) {
    const nameAt = charactersAt + (bytes[offset + 5] ?? 0);
    const nameEnd = bytes.indexOf(0, nameAt);
    types.push({
      offset: bytes.readInt32BE(offset),
      isDst: bytes[offset + 4] === 1,
      abbreviation: bytes.toString("latin1", nameAt, nameEnd === -1 ? charactersAt + counts.charcnt : nameEnd),
    });
  }
  return { zone: { transitions, transitionTypes, types, footer: undefined }, end: at + blockLength(counts, timeSize) };
}

// POSIX TZ: std offset [dst [offset] [,rule]], names either letters or <quoted>; offsets are
// hours west of UTC ("CET-1CEST,M3.5.0,M10.5.0/3", "PST8PDT,M3.2.0,M11.1.0", "<+0530>-5:30").
const FOOTER = /^(<[^>]*>|[A-Za-z]+)([+-]?\d+(?::\d+){0,2})(?:(<[^>]*>|[A-Za-z]+)([+-]?\d+(?::\d+){0,2})?)?(?:,.*)?$/;

function parseFooter(text: string): FooterRule | undefined {
  const match = FOOTER.exec(text);
  if (!match) return undefined;
  const [, standardName = "", standardOffset = "0", daylightName, daylightOffset] = match;
  const standard = { name: unquote(standardName), offset: -posixSeconds(standardOffset) };
  const daylight =
    daylightName === undefined ? undefined : { name: unquote(daylightName), offset: daylightOffset === undefined ? standard.offset + 3600 : -posixSeconds(daylightOffset) };
  return { standard, daylight };
}

function unquote(name: string): string {
  return name.startsWith("<") ? name.slice(1, -1) : name;
}

function posixSeconds(text: string): number {
  const negative = text.startsWith("-");
  const [hours = 0, minutes = 0, seconds = 0] = text.replace(/^[+-]/, "").split(":").map(Number);
  const total = hours * 3600 + minutes * 60 + seconds;
  return negative ? -total : total;
}
