// A post file's bytes -> its text, refusing what is not a Markdown post: empty files, files over
// the size limit, binary files and invalid UTF-8 (with the line of the first bad byte).
import { isUtf8 } from "node:buffer";
import { PostError } from "./post-error.js";

/** Why a post file of `size` bytes is refused, and what to do: the one wording of the limit. */
export function tooLargeMessage(size: number, maxBytes: number): string {
  return `the file is ${size} bytes, over the limit of ${maxBytes} (max_post_bytes); split it or raise the limit`;
}

export function decodePostBytes(bytes: Buffer, maxBytes: number): string {
  if (bytes.length === 0) throw new PostError("the file is empty; write front matter and text, or delete it");
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new PostError("the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8", 1);
  }
  if (bytes.length > maxBytes) {
    throw new PostError(tooLargeMessage(bytes.length, maxBytes));
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) throw new PostError("binary content (a NUL byte); only UTF-8 text files can be posts", lineAt(bytes, nul));
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8Offset(bytes);
    throw new PostError("invalid UTF-8; save the file as UTF-8", offset === undefined ? undefined : lineAt(bytes, offset));
  }
  return bytes.toString("utf8");
}

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index++) if (bytes[index] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8Offset(bytes: Buffer): number | undefined {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index] ?? 0;
    let length: number;
    if (lead < 0x80) length = 1;
    else if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) length = 3;
    else if (lead >= 0xf0 && lead <= 0xf4) length = 4;
    else return index;
    if (length > 1 && !isUtf8(bytes.subarray(index, index + length))) return index;
    index += length;
  }
  return undefined;
}
