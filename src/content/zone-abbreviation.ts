// The abbreviation the C library gives for a time zone at an instant ("JST", "CEST", "PST"), read
// from the system's compiled tz database (TZif files, RFC 8536) as glibc reads it.
//
// Ruby's Time.zone_offset (lib/time.rb) knows a fixed table of zone names and, besides them, the
// name of the local zone on January 1 and July 1 of the year (`Time.local(year, 1, 1).zone`).
// With Jekyll's ENV["TZ"] = "Europe/Berlin", "10:00 CEST" is read at +02:00 and "10:00 CET" at
// +01:00 in any month; with "UTC" both names are unknown and the time is read as UTC. ICU, which
// Node uses, has no such abbreviations for most zones, so they come from the same files that
// Ruby's C library reads. Where a system has no tz database, no local name is known and such a
// time is read in the zone, as Ruby would read a name it does not know.
import { readFileSync } from "node:fs";
import path from "node:path";
import { IANAZone } from "luxon";

const ZONEINFO_DIRECTORY = "/usr/share/zoneinfo";

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

const zoneFiles = new Map<string, ZoneFile | undefined>();

/**
 * The abbreviation of `timezone` in force at `epochSeconds`, as glibc's localtime() reports it in
 * tm_zone; undefined when the system has no tz database entry for the zone.
 */
export function zoneAbbreviation(timezone: string, epochSeconds: number): string | undefined {
  const zone = loadZoneFile(timezone);
  if (!zone) return undefined;
  const { transitions, transitionTypes, types } = zone;
  const first = transitions[0];
  if (first === undefined || epochSeconds < first) {
    // glibc (__tzfile_compute): before the first transition, the first type that is not DST.
    return (types.find((type) => !type.isDst) ?? types[0])?.abbreviation;
  }
  const last = transitions[transitions.length - 1] ?? first;
  if (epochSeconds >= last && zone.footer) return footerAbbreviation(zone.footer, timezone, epochSeconds);
  let low = 0;
  let high = transitions.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((transitions[middle] ?? Infinity) <= epochSeconds) low = middle;
    else high = middle - 1;
  }
  return types[transitionTypes[low] ?? 0]?.abbreviation;
}

/** After the last transition glibc follows the footer's rule; the offset in force tells which name applies. */
function footerAbbreviation(rule: FooterRule, timezone: string, epochSeconds: number): string {
  if (!rule.daylight) return rule.standard.name;
  const offset = Math.round(IANAZone.create(timezone).offset(epochSeconds * 1000) * 60);
  return offset === rule.daylight.offset ? rule.daylight.name : rule.standard.name;
}

function loadZoneFile(timezone: string): ZoneFile | undefined {
  if (zoneFiles.has(timezone)) return zoneFiles.get(timezone);
  let zone: ZoneFile | undefined;
  // An IANA name is letters, digits and _ + - separated by single slashes; nothing else is read.
  if (/^[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)*$/.test(timezone)) {
    try {
      zone = parseTzif(readFileSync(path.join(ZONEINFO_DIRECTORY, ...timezone.split("/"))));
    } catch {
      zone = undefined;
    }
  }
  zoneFiles.set(timezone, zone);
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
