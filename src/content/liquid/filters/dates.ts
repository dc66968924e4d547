// The date filters: Liquid's `date` (standardfilters.rb: the Time in its own zone, through
// Ruby's strftime) and Jekyll's date_to_* (filters/date_filters.rb: the Time moved to the
// site's zone first).
import { renderStateOf } from "../render-state.js";
import { parseRubyTime, RubyTime, rubyStrftime as strftime } from "../ruby-time.js";
import { rubyInspect, rubyToS } from "../ruby-value.js";
import { plain, type FilterImpl, type FilterTable } from "./filter-support.js";

function ordinal(day: number): string {
  if (day >= 11 && day <= 13) return "th";
  return ({ 1: "st", 2: "nd", 3: "rd" } as Readonly<Record<number, string>>)[day % 10] ?? "th";
}

export const DATE_FILTERS: FilterTable = {
  date(input, format) {
    const pattern = rubyToS(plain(format));
    if (pattern === "") return input;
    const state = renderStateOf(this.context);
    const time = toRubyTime(input, state.timezone, state.now);
    if (!time) return input;
    const output = strftime(time, pattern);
    this.context.memoryLimit.use(output.length);
    return output;
  },
  date_to_xmlschema(input) {
    const value = plain(input);
    if (rubyToS(value) === "") return value;
    return jekyllTime(this, value).xmlschema();
  },
  date_to_rfc822(input) {
    const value = plain(input);
    if (rubyToS(value) === "") return value;
    return jekyllTime(this, value).rfc822();
  },
  date_to_string(input, type, style) {
    return stringifyDate(this, input, "%b", plain(type), plain(style));
  },
  date_to_long_string(input, type, style) {
    return stringifyDate(this, input, "%B", plain(type), plain(style));
  },
};

// DateFilters#time: the date in the site's zone (Time#localtime).
function jekyllTime(filter: FilterImpl, input: unknown): RubyTime {
  const state = renderStateOf(filter.context);
  const time = toRubyTime(input, state.timezone, state.now);
  if (!time) throw new Error(`Invalid Date: '${rubyInspect(input)}' is not a valid datetime.`);
  return RubyTime.local(time.epochMilliseconds, state.timezone);
}

function stringifyDate(filter: FilterImpl, input: unknown, month: string, type: unknown, style: unknown): unknown {
  const value = plain(input);
  if (rubyToS(value) === "") return value;
  const time = jekyllTime(filter, value);
  if (type === "ordinal") {
    const day = time.fields().day;
    const ordinalDay = `${day}${ordinal(day)}`;
    return style === "US" ? strftime(time, `${month} ${ordinalDay}, %Y`) : strftime(time, `${ordinalDay} ${month} %Y`);
  }
  return strftime(time, `%d ${month} %Y`);
}

/**
 * Liquid's Utils.to_date: a Time as it is; "now" and "today" as the site's time (Jekyll reads the
 * clock; feeds must not); a string of digits or an integer as seconds since 1970; other strings
 * through Time.parse; anything else nil.
 */
export function toRubyTime(input: unknown, timezone: string, now: RubyTime): RubyTime | undefined {
  const value = plain(input);
  if (value instanceof RubyTime) return value;
  if (typeof value === "number" && Number.isInteger(value)) return RubyTime.local(value * 1000, timezone);
  if (typeof value !== "string" || value === "") return undefined;
  const lower = value.toLowerCase();
  if (lower === "now" || lower === "today") return now;
  if (/^\d+$/.test(lower)) return RubyTime.local(Number(lower) * 1000, timezone);
  return parseRubyTime(lower, timezone, now);
}
