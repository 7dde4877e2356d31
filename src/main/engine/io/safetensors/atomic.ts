// Atomic replacement of a file: write a temporary file in the same folder,
// fsync it, rename it over the destination, fsync the folder. A crash at any
// point leaves either the old file or the complete new one at the destination,
// never a half-written one (docs/ARCHITECTURE.md "Errors"); the rename is atomic only
// within one file system, hence the temp file beside the destination.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { messageOf, SafetensorsError } from './errors';

const MAX_WRITE = 1 << 30;

/** A fresh name beside `file`; hidden, so a folder listing mid-write shows no partial weights. */
export function tempPathFor(file: string): string {
  const name = `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  return path.join(path.dirname(file), name);
}

/** Creates the temp file; 'wx' so an existing file (a name clash) is never overwritten. */
export function createTemp(file: string): { fd: number; temp: string } {
  const temp = tempPathFor(file);
  try {
    return { fd: openSync(temp, 'wx'), temp };
  } catch (err) {
    throw ioError(`cannot create a temporary file for ${file} in ${path.dirname(file)}`, file, err);
  }
}

/** Writes all of `bytes` at `position`, looping over short writes. */
export function writeAt(fd: number, bytes: Uint8Array, position: number, file: string): void {
  let done = 0;
  while (done < bytes.length) {
    const length = Math.min(bytes.length - done, MAX_WRITE);
    try {
      done += writeSync(fd, bytes, done, length, position + done);
    } catch (err) {
      throw ioError(`cannot write ${file}`, file, err);
    }
  }
}

/** fsyncs and closes `fd`, renames `temp` to `file`, and fsyncs the folder so the rename itself is durable. */
export function commit(fd: number, temp: string, file: string): void {
  try {
    fsyncSync(fd);
  } catch (err) {
    throw ioError(`cannot flush ${file} to disk`, file, err);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (err) {
    throw ioError(`cannot move the finished file into place at ${file}`, file, err);
  }
  fsyncDir(path.dirname(file));
}

/** Removes a temp file, ignoring one that is already gone. */
export function removeTemp(temp: string): void {
  rmSync(temp, { force: true });
}

/** Writes `data` to `file` atomically (see the file header). */
export function writeFileAtomic(file: string, data: Uint8Array): void {
  const { fd, temp } = createTemp(file);
  try {
    writeAt(fd, data, 0, file);
  } catch (err) {
    closeSync(fd);
    removeTemp(temp);
    throw err;
  }
  try {
    commit(fd, temp, file);
  } catch (err) {
    removeTemp(temp);
    throw err;
  }
}

function fsyncDir(dir: string): void {
  // Windows cannot open a folder as a file, and its renames need no folder flush.
  if (process.platform === 'win32') return;
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (err) {
    // Some file systems (network mounts, some FUSE) do not support a folder
    // fsync; the file itself is already flushed, so only durability of the name is lost.
    const code = (err as { code?: unknown }).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EPERM' && code !== 'EISDIR') {
      throw ioError(`cannot flush folder ${dir} to disk`, dir, err);
    }
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function ioError(what: string, file: string, err: unknown): SafetensorsError {
  return new SafetensorsError('IO_ERROR', `${what}: ${messageOf(err)}`, file, null, { cause: err });
}
