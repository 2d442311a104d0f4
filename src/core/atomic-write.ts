import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/** Write a whole file so that readers see either the old content or the new, never half. */
export function writeFileAtomic(path: string, data: string, mode = 0o644): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
