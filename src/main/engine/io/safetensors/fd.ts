// Positioned reads on a file descriptor, with Node's fs errors turned into
// SafetensorsErrors that name the file. Reads loop because readSync may return
// fewer bytes than asked and takes at most 2^31-1 bytes per call.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { messageOf, quote, SafetensorsError } from './errors';

/** Largest read per readSync call: well under Node's 2^31-1 limit. */
const MAX_READ = 1 << 30;

export function openForReading(file: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new SafetensorsError('IO_ERROR', `cannot open ${file}: ${messageOf(err)}`, file, null, { cause: err });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new SafetensorsError('IO_ERROR', `${file} is not a regular file`, file);
    return { fd, size: stat.size };
  } catch (err) {
    closeSync(fd);
    if (err instanceof SafetensorsError) throw err;
    throw new SafetensorsError('IO_ERROR', `cannot stat ${file}: ${messageOf(err)}`, file, null, { cause: err });
  }
}

/** Fills `target` with the bytes at `position`; a file that ends first is an error (FILE_CHANGED). */
export function readExactly(fd: number, target: Uint8Array, position: number, file: string, tensor: string | null = null): void {
  let done = 0;
  while (done < target.length) {
    const want = Math.min(target.length - done, MAX_READ);
    let got: number;
    try {
      got = readSync(fd, target, done, want, position + done);
    } catch (err) {
      const what = tensor === null ? '' : ` tensor ${quote(tensor)}`;
      throw new SafetensorsError('IO_ERROR', `cannot read${what} from ${file}: ${messageOf(err)}`, file, tensor, { cause: err });
    }
    if (got === 0) {
      throw new SafetensorsError(
        'FILE_CHANGED',
        `${file} ended at byte ${position + done}, before the ${target.length} bytes at ${position}` +
          `${tensor === null ? '' : ` of tensor ${quote(tensor)}`}; was it truncated after it was opened?`,
        file,
        tensor,
      );
    }
    done += got;
  }
}
