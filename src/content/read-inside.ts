// Reading a file the scan listed, and only that kind of file: a regular file that is, once open,
// still inside the folder it was listed in. Between the listing and the read anything can happen
// to a name (an editor saving, a sync tool, someone with write access swapping things in a loop):
// - a named pipe would block open() on a libuv thread for ever (no writer ever comes), and with
//   it every later scan; so files are opened with O_NONBLOCK, which returns at once for a FIFO,
//   and anything fstat does not call a regular file is refused;
// - a symbolic link swapped in for the file, or for a folder on its path, would make the read
//   follow it out of the folder (to /etc/passwd, say); so the last step is opened with
//   O_NOFOLLOW, and the real path of the open descriptor must be inside the folder.
import { closeSync, constants, fstatSync, openSync, readlinkSync, readSync, realpathSync, statSync, type Stats } from "node:fs";
import { open, readlink, realpath, stat } from "node:fs/promises";
import path from "node:path";

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** A file that is not read: not a regular file, or not inside its folder once open. */
export class FileRefusedError extends Error {
  readonly code = "EREFUSED";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "FileRefusedError";
  }
}

/** What a listing entry is, for messages ("a named pipe (FIFO)"). */
export function fileKind(info: Stats): string {
  if (info.isFIFO()) return "a named pipe (FIFO)";
  if (info.isSocket()) return "a socket";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device file";
  if (info.isDirectory()) return "a folder";
  if (info.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

/** Refusal for an entry that is not a regular file. */
export function notRegularFile(info: Stats): FileRefusedError {
  return new FileRefusedError(`${fileKind(info)}, not a regular file; only regular files are read — remove it or replace it by the file itself`);
}

function isInside(candidate: string, folder: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

const DELETED_SUFFIX = " (deleted)";

/** Where the kernel says descriptor `fd` is (Linux's /proc), or undefined where it cannot say. */
function descriptorPath(link: string | undefined): string | undefined {
  if (link === undefined || !link.startsWith("/")) return undefined;
  return link.endsWith(DELETED_SUFFIX) ? link.slice(0, -DELETED_SUFFIX.length) : link;
}

function outside(folder: string): FileRefusedError {
  return new FileRefusedError(`leads outside ${folder} (a symbolic link on its path); not read — move the file itself into the folder`);
}

function refusalOf(error: unknown): unknown {
  // O_NOFOLLOW on a symbolic link: a link was put where the listing saw a file.
  if ((error as NodeJS.ErrnoException).code === "ELOOP") return new FileRefusedError("became a symbolic link while it was read; not followed (the next scan looks at it again)", { cause: error });
  return error;
}

/**
 * The bytes of `absolutePath`, or its size when that is over `maxBytes` (at most maxBytes + 1
 * bytes are ever read, even from a file growing while it is read). Throws FileRefusedError for
 * anything but a regular file inside `folder` (a real path), or the open's error.
 */
export async function readFileInside(absolutePath: string, folder: string, maxBytes: number): Promise<Buffer | number> {
  let handle;
  try {
    handle = await open(absolutePath, OPEN_FLAGS);
  } catch (error) {
    throw refusalOf(error);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notRegularFile(info);
    let real: string | undefined;
    try {
      real = descriptorPath(await readlink(`/proc/self/fd/${handle.fd}`));
    } catch {
      real = undefined;
    }
    if (real === undefined) {
      // No /proc: the path resolved now must be inside and be the very file that is open.
      const resolved = await realpath(absolutePath);
      const now = await stat(resolved);
      if (!isInside(resolved, folder) || now.ino !== info.ino || now.dev !== info.dev) throw outside(folder);
    } else if (!isInside(real, folder)) {
      throw outside(folder);
    }
    if (info.size > maxBytes) return info.size;
    // One byte more than the file holds: a normal file takes one read and one that finds its end.
    // (Not from Buffer's shared pool: a pooled slice would carry its whole slab to a worker.)
    let buffer = Buffer.allocUnsafeSlow(info.size + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (total > maxBytes) break;
        // The file grew since it was opened: make room, up to one byte over the limit.
        const larger = Buffer.allocUnsafeSlow(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(larger, 0, 0, total);
        buffer = larger;
      }
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > maxBytes) return Math.max(total, info.size);
    return buffer.subarray(0, total);
  } finally {
    await handle.close();
  }
}

/**
 * A descriptor of `absolutePath`, opened as readFileInside opens a file and checked the same way
 * (a regular file inside `folder`, a real path); the caller closes it.
 */
export function openInsideSync(absolutePath: string, folder: string): { descriptor: number; info: Stats } {
  let descriptor: number;
  try {
    descriptor = openSync(absolutePath, OPEN_FLAGS);
  } catch (error) {
    throw refusalOf(error);
  }
  try {
    const info = fstatSync(descriptor);
    if (!info.isFile()) throw notRegularFile(info);
    let real: string | undefined;
    try {
      real = descriptorPath(readlinkSync(`/proc/self/fd/${descriptor}`));
    } catch {
      real = undefined;
    }
    if (real === undefined) {
      const resolved = realpathSync(absolutePath);
      const now = statSync(resolved);
      if (!isInside(resolved, folder) || now.ino !== info.ino || now.dev !== info.dev) throw outside(folder);
    } else if (!isInside(real, folder)) {
      throw outside(folder);
    }
    return { descriptor, info };
  } catch (error) {
    closeSync(descriptor);
    throw error;
  }
}

/**
 * readFileInside for small settings files read synchronously (a site's _config.yml, _data/,
 * _includes/): the bytes, or the size when over `maxBytes`.
 */
export function readFileInsideSync(absolutePath: string, folder: string, maxBytes: number): Buffer | number {
  const { descriptor, info } = openInsideSync(absolutePath, folder);
  try {
    if (info.size > maxBytes) return info.size;
    // One byte more than the limit: a file that grew since its size was taken is caught by it.
    let buffer = Buffer.alloc(info.size + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (total > maxBytes) return total;
        // The file grew since it was opened: room up to one byte over the limit.
        const larger = Buffer.alloc(maxBytes + 1);
        buffer.copy(larger, 0, 0, total);
        buffer = larger;
      }
      const count = readSync(descriptor, buffer, total, buffer.length - total, total);
      if (count === 0) break;
      total += count;
    }
    return buffer.subarray(0, total);
  } finally {
    closeSync(descriptor);
  }
}
