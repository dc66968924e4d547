// Psych's readings of plain scalars that YAML 1.1 reads otherwise, as tags for parseYamlSource's
// `timeTags`: a plain (unquoted) scalar that Psych reads as a Time becomes a PsychTime (a Date),
// so that the content stage can tell `date: 2024-12-24 17:00:00` (UTC, to Psych) from the same
// text quoted (the site's zone, to Jekyll), and base-60 numbers are Psych's (`12:00` is 43200,
// not 720). Date-only values stay strings: Jekyll re-reads their text.
import type { ScalarTag } from "yaml";
import { PSYCH_TIME_PATTERN, PsychTime, psychBase60, psychTimestamp } from "./psych-timestamp.js";

// Psych::ScalarScanner#tokenize: a plain scalar matching its TIME pattern is a Time, or stays a
// string where Psych gives up on it (February 30th at 25:00); a few break Psych altogether.
const psychTime: ScalarTag = {
  tag: "tag:yaml.org,2002:timestamp",
  default: true,
  test: PSYCH_TIME_PATTERN.regExp,
  resolve: (source: string, onError: (message: string) => void) => {
    const timestamp = psychTimestamp(source);
    if (timestamp?.kind === "time") return new PsychTime(timestamp.epochMilliseconds, timestamp.display);
    if (timestamp?.kind === "error") onError(`Jekyll's YAML parser (Psych) fails on the timestamp ${JSON.stringify(source)}: ${timestamp.message}; quote it or write it as 2025-11-04 09:15:00 +0900`);
    return source;
  },
};

// Psych's base-60 numbers, which a time of day written unquoted is: `12:00` is 43200 to Psych
// (hours and minutes), 720 to YAML 1.1 (minutes and seconds).
const psychBase60Integer: ScalarTag = {
  tag: "tag:yaml.org,2002:int",
  default: true,
  test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}$/,
  resolve: (source: string) => psychBase60(source) ?? source,
};

const psychBase60Float: ScalarTag = {
  tag: "tag:yaml.org,2002:float",
  default: true,
  test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}\.[0-9_]*$/,
  resolve: (source: string) => psychBase60(source) ?? source,
};

/** What a Jekyll site's front matter is read with (its _config.yml keeps timestamps as strings). */
export const PSYCH_TIME_TAGS: readonly ScalarTag[] = [psychTime, psychBase60Integer, psychBase60Float];
