// One controller per PANECREW_HOME: an exclusive pid file, taken over only from a dead owner.
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { HomePaths } from '../core/paths.js';
import { pidAlive } from '../runner/kill.js';

export interface InstanceLock {
  release(): void;
}

function tryCreate(file: string): boolean {
  try {
    const fd = openSync(file, 'wx', 0o600);
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

export async function acquireInstanceLock(paths: HomePaths): Promise<InstanceLock> {
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(paths.pid)) {
      // We own the home now: a socket file left by a dead controller is stale.
      rmSync(paths.socket, { force: true });
      return {
        release: () => {
          try {
            if (readFileSync(paths.pid, 'utf8').trim() === String(process.pid)) rmSync(paths.pid);
          } catch {
            // already gone
          }
        },
      };
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(paths.pid, 'utf8').trim());
    } catch {
      continue; // removed meanwhile: try again
    }
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && pidAlive(owner)) {
      throw new Error(`a controller is already running for ${paths.home} (pid ${owner}); stop it with: panecrew controller stop`);
    }
    // A dead owner's file: move it aside atomically, so of two racing starters only one takes over.
    try {
      renameSync(paths.pid, `${paths.pid}.stale`);
    } catch {
      // another starter moved it first
    }
  }
  throw new Error(`could not take the controller lock ${paths.pid}; another controller is starting`);
}
