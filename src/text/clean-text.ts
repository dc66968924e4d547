// Text that every output format can carry. XML 1.0 cannot contain most C0 control characters,
// U+FFFE/U+FFFF or unpaired surrogates at all (not even as character references), and a lone
// surrogate is not valid Unicode in JSON either. Cleaning once, when a post is read, keeps the
// three formats in agreement: what the RSS item says, the JSON item says too.

// C0 controls except tab, line feed and carriage return; DEL and C1 controls (allowed by XML but
// "discouraged" and shown as garbage by readers); the two noncharacters XML forbids.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/gu;

/** NFC, well-formed (lone surrogates become U+FFFD) and free of characters XML forbids. */
export function cleanText(text: string): string {
  return toWellFormed(text).normalize("NFC").replace(FORBIDDEN, "");
}

/** String.prototype.toWellFormed exists from Node 20; this keeps the typings honest on ES2023. */
function toWellFormed(text: string): string {
  const withMethod = text as string & { toWellFormed?: () => string };
  if (typeof withMethod.toWellFormed === "function") return withMethod.toWellFormed();
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}
