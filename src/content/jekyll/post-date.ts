// A front-matter date as Jekyll reads it. Stand-in until Ruby's Time.parse is ported
// (content/ruby-time.ts): the forms content/dates.ts knows, in the site's zone.
import { parsePostDate } from "../dates.js";

export function jekyllPostDate(value: unknown, timezone: string): Date {
  return parsePostDate(value, timezone);
}
