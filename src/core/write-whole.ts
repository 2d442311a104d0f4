// Whole writes and durable renames. `writeSync` may write part of a buffer (a disk that fills up
// mid-write returns the short count first and ENOSPC only on the next call), so one call is not a write.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes all of `text` at the file's position and returns its length in bytes, or throws the error that stopped it. */
export function writeWhole(fd: number, text: string): number {
  // One call, with no copy, in the usual case where all of it is written.
  const first = writeSync(fd, text);
  const length = Buffer.byteLength(text);
  if (first === length) return length;
  const bytes = Buffer.from(text);
  for (let done = first; done < length; ) {
    const n = writeSync(fd, bytes, done, length - done);
    if (n <= 0) throw Object.assign(new Error(`write returned ${n} with ${length - done} bytes left`), { code: 'EIO' });
    done += n;
  }
  return length;
}

/** Makes a rename or a new file in `file`'s folder survive a machine crash (the entry is in the folder). */
export function fsyncFolderOf(file: string): void {
  const fd = openSync(dirname(file), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
