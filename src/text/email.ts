// An author's e-mail address as the feeds write it: Atom's <email> is an RFC 2822 addr-spec
// (RFC 4287 §3.2.2), and XML 1.0 cannot carry most control characters or U+FFFE/U+FFFF at all.
// An address is taken only when it is already clean text and has the shape local@domain with no
// space, angle bracket or quote; anything else cannot be made into a valid address by dropping
// characters (which would change whose address it is), so the caller drops it and says so.
import { cleanText } from "./clean-text.js";

const ADDRESS = /^[^\s@<>"()[\]\\,;:]+@[^\s@<>"()[\]\\,;:]+$/u;

/** The address, trimmed, or undefined when it is not one that every format can carry. */
export function validEmail(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (trimmed === "" || cleanText(trimmed) !== trimmed || !ADDRESS.test(trimmed)) return undefined;
  return trimmed;
}
