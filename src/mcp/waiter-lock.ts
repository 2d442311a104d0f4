// One rewake waiter per main session: a pid file under PANECREW_HOME/waiters, made with a hard link
// (atomic: exactly one of two racing waiters gets it). A file left by a waiter that died is taken over.
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { panecrewHome } from '../core/paths.js';

/** Is `pid` a live waiter (not a process that took a dead waiter's pid)? */
function isWaiter(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('hook-main.js');
  } catch {
    return false;
  }
}

/** The lock, or null when a live waiter already holds it. `session` is a checked session id. */
export function holdWaiterLock(env: NodeJS.ProcessEnv, session: string): { release(): void } | null {
  const dir = join(panecrewHome(env), 'waiters');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${session}.pid`);
  const mine = join(dir, `${session}.${process.pid}.tmp`);
  writeFileSync(mine, String(process.pid), { mode: 0o600 });
  try {
    for (let tries = 0; tries < 3; tries++) {
      try {
        linkSync(mine, file);
        return {
          release: () => {
            try {
              if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
            } catch {
              // already gone
            }
          },
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      let holder = NaN;
      try {
        holder = Number(readFileSync(file, 'utf8'));
      } catch {
        continue; // released meanwhile: try again
      }
      if (isWaiter(holder)) return null;
      try {
        if (readFileSync(file, 'utf8') === String(holder)) unlinkSync(file);
      } catch {
        // someone else took it over first
      }
    }
    return null;
  } finally {
    unlinkSync(mine);
  }
}
