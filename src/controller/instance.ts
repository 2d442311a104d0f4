// One controller per PANECREW_HOME: an exclusive pid file, taken over only from a dead owner.
import { linkSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { HomePaths } from '../core/paths.js';
import { processAlive } from '../runner/kill.js';

export interface InstanceLock {
  release(): void;
}

/** Creates `file` holding our pid, atomically: it never exists empty (link() of a full temp file). */
function tryCreate(file: string): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${process.pid}\n`, { mode: 0o600 });
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
}

function readOwner(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** A takeover lock older than this was left by a starter that died mid-takeover. */
const TAKEOVER_STALE_MS = 10_000;

/**
 * Removes a dead owner's pid file. Two starters may both see the owner dead; the takeover lock lets
 * only one of them look again and remove it, so neither can remove a pid file the other just wrote.
 */
function takeOverFromDead(paths: HomePaths): void {
  const takeover = `${paths.pid}.takeover`;
  try {
    if (Date.now() - statSync(takeover).mtimeMs > TAKEOVER_STALE_MS) rmSync(takeover, { force: true });
  } catch {
    // no takeover lock
  }
  if (!tryCreate(takeover)) return; // another starter is taking over: try again from the top
  try {
    const owner = readOwner(paths.pid);
    if (owner === null || !processAlive(owner)) rmSync(paths.pid, { force: true });
  } finally {
    rmSync(takeover, { force: true });
  }
}

export async function acquireInstanceLock(paths: HomePaths): Promise<InstanceLock> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (tryCreate(paths.pid)) {
      // We own the home now: a socket file left by a dead controller is stale.
      rmSync(paths.socket, { force: true });
      return {
        release: () => {
          if (readOwner(paths.pid) === process.pid) rmSync(paths.pid, { force: true });
        },
      };
    }
    const owner = readOwner(paths.pid);
    if (owner !== null && owner !== process.pid && processAlive(owner)) {
      throw new Error(`a controller is already running for ${paths.home} (pid ${owner}); stop it with: panecrew controller stop`);
    }
    takeOverFromDead(paths);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`could not take the controller lock ${paths.pid}; another controller is starting`);
}
