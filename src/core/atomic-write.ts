import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { writeWhole } from './write-whole.js';

/** Write a whole file so that readers see either the old content or the new, never half. */
export function writeFileAtomic(path: string, data: string, mode = 0o644): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w', mode);
    try {
      writeWhole(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    // A full disk must not also be left holding the half-written copy.
    rmSync(tmp, { force: true });
    throw err;
  }
}
