/**
 * Reading a file a user hands us (a submission, a points file, an input file) when the file itself may
 * be hostile: only a regular file is read, and at most `maxBytes` of it. A path to /dev/zero or
 * /dev/urandom would otherwise be read until memory runs out, and a FIFO with no writer would block
 * the reading thread for good (a worker blocked in read() cannot even be terminated).
 *
 * The file is opened non-blocking (so opening a FIFO returns at once), its type and size are taken
 * from the open descriptor (so a file swapped after the check is still checked), and the read stops
 * one byte past the cap (so a file that grows while read is refused too).
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Why a file could not be read; `reason` says it in the user's terms ("not a regular file (a FIFO)"). */
export class FileReadError extends Error {
  override readonly name = 'FileReadError';
  constructor(
    readonly file: string,
    readonly reason: string,
    /** The system error code (ENOENT, EACCES, ELOOP...), when the system refused. */
    readonly code?: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** Bytes read per call. */
const READ_CHUNK_BYTES = 64 * 1024;

/** O_NONBLOCK is POSIX (opening a FIFO without a writer returns at once); Windows has no FIFOs in its file system. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** What a non-regular file is, for messages. */
export function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * The text of `file` (UTF-8), which must be a regular file of at most `maxBytes` bytes; throws
 * FileReadError. `what` names the file's role in the size message ("a submission is at most ...").
 */
export function readRegularFile(file: string, maxBytes: number, what = 'a file'): string {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FileReadError(file, `cannot read the file (${describeCode(code, (err as Error).message)})`, code);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new FileReadError(file, `${fileKind(stats)}, not a regular file: only regular files are read`);
    if (stats.size > maxBytes) throw new FileReadError(file, tooLarge(`${stats.size} bytes`, what, maxBytes));
    // Read up to one byte past the cap: that byte tells a file at the cap from one that grew past it.
    const chunks: Buffer[] = [];
    const chunk = Buffer.alloc(Math.min(maxBytes + 1, READ_CHUNK_BYTES));
    let total = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, maxBytes + 1 - total), null);
      if (n === 0) break;
      chunks.push(Buffer.from(chunk.subarray(0, n)));
      total += n;
      if (total > maxBytes) throw new FileReadError(file, tooLarge('larger than that (it grew while being read)', what, maxBytes));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (err) {
    if (err instanceof FileReadError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new FileReadError(file, `cannot read the file (${describeCode(code, (err as Error).message)})`, code);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(size: string, what: string, maxBytes: number): string {
  return `the file is ${size}; ${what} is at most ${maxBytes} bytes`;
}

function describeCode(code: string | undefined, message: string): string {
  switch (code) {
    case 'ENOENT':
      return 'ENOENT: no such file, or a symbolic link that leads nowhere';
    case 'ELOOP':
      return 'ELOOP: a loop of symbolic links';
    case 'EACCES':
    case 'EPERM':
      return `${code}: permission denied`;
    case 'EISDIR':
      return 'EISDIR: a folder';
    default:
      return code ?? message;
  }
}
