// PANECREW_HOME holds what panecrew runs (run.nul, client-env.json): a folder that another
// user can write to lets them make a task run their binary, as whoever runs the controller. Such a
// folder is refused, and task files are created afresh (O_EXCL, O_NOFOLLOW), never written through
// a symlink someone left in their place.
import { closeSync, constants, lstatSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import type { HomePaths } from './paths.js';

export class UnsafeFolderError extends Error {
  override name = 'UnsafeFolderError';
}

const PLANT = 'another user could plant files that panecrew runs';

/**
 * Creates `dir` (0700) when missing; throws when it is not a folder owned by this user, or is
 * writable by its group or others. `follow`: whether `dir` itself may be a symlink (a home may be;
 * a task folder, created by panecrew, may not).
 */
export function ensurePrivateDir(dir: string, follow: boolean): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const uid = process.getuid?.();
  if (uid === undefined) return; // no POSIX owners and modes to check (Windows)
  const st = follow ? statSync(dir) : lstatSync(dir);
  if (!st.isDirectory()) throw new UnsafeFolderError(`${dir} is not a folder${st.isSymbolicLink() ? ' but a symlink' : ''}: ${PLANT}. Fix: remove it`);
  if (st.uid !== uid) {
    throw new UnsafeFolderError(`${dir} belongs to uid ${st.uid}, not to you (uid ${uid}): ${PLANT}. Fix: use a folder of your own (unset PANECREW_HOME, or point it at one)`);
  }
  if (st.mode & 0o022) {
    throw new UnsafeFolderError(`${dir} is writable by other users (mode ${(st.mode & 0o777).toString(8)}): ${PLANT}. Fix: chmod 700 ${dir}`);
  }
}

/** Checks (creating when missing) PANECREW_HOME and its tasks folder. */
export function checkHome(paths: Pick<HomePaths, 'home' | 'tasks'>): void {
  ensurePrivateDir(paths.home, true);
  ensurePrivateDir(paths.tasks, false);
}

/** Writes a 0600 file that is certainly new: whatever was at `file` (a stale file, a planted symlink) goes first. */
export function writePrivateFile(file: string, data: string): void {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  let fd: number;
  try {
    fd = openSync(file, flags, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    rmSync(file, { force: true }); // only then: in a new task folder there is nothing to remove
    fd = openSync(file, flags, 0o600);
  }
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
}
