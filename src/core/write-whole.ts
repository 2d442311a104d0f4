// Whole writes and durable renames. `writeSync` may write part of a buffer (a disk that fills up
// mid-write returns the short count first and ENOSPC only on the next call), so one call is not a write.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes all of `data` at the file's position, or throws the error that stopped it. */
export function writeWhole(fd: number, data: Buffer): void {
  for (let done = 0; done < data.length; ) {
    const n = writeSync(fd, data, done, data.length - done);
    if (n <= 0) throw Object.assign(new Error(`write returned ${n} with ${data.length - done} bytes left`), { code: 'EIO' });
    done += n;
  }
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
