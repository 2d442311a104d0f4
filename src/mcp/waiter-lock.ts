// One rewake waiter per main session: a file under PANECREW_HOME/waiters holding the waiter's pid and
// its main agent's, made with a hard link (atomic: exactly one of two racing waiters gets it). It is
// taken over from a waiter that died, and from one whose main agent is gone: a main agent restarted
// in the same session (`claude --continue`) arms its waiter before the old waiter's next look at its
// own agent, which a loaded machine can put seconds away; waiting for it would leave no waiter at all.
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { panecrewHome } from '../core/paths.js';
import { mainAgentAlive } from './main-agent.js';

/** Is `pid` a live waiter (not a process that took a dead waiter's pid)? */
function isWaiter(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('hook-main.js');
  } catch {
    return false;
  }
}

/** Whether the holder `text` names (`WAITER MAIN`) still serves a main agent: a live waiter whose
 *  main agent is alive (or unknown, in a file of an earlier version). */
function serving(text: string): boolean {
  const [waiter = NaN, main = NaN] = text.split(' ').map(Number);
  return isWaiter(waiter) && (!Number.isInteger(main) || mainAgentAlive(main));
}

/** The lock, or null when a live waiter of a live main agent already holds it. `session` is a
 *  checked session id; `mainPid` the main agent this waiter serves. */
export function holdWaiterLock(env: NodeJS.ProcessEnv, session: string, mainPid: number): { release(): void } | null {
  const dir = join(panecrewHome(env), 'waiters');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${session}.pid`);
  const mine = join(dir, `${session}.${process.pid}.tmp`);
  const content = `${process.pid} ${mainPid}`;
  writeFileSync(mine, content, { mode: 0o600 });
  try {
    for (let tries = 0; tries < 3; tries++) {
      try {
        linkSync(mine, file);
        return {
          release: () => {
            try {
              if (readFileSync(file, 'utf8') === content) unlinkSync(file);
            } catch {
              // already gone
            }
          },
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      let holder: string;
      try {
        holder = readFileSync(file, 'utf8');
      } catch {
        continue; // released meanwhile: try again
      }
      if (serving(holder)) return null;
      try {
        if (readFileSync(file, 'utf8') === holder) unlinkSync(file);
      } catch {
        // someone else took it over first
      }
    }
    return null;
  } finally {
    unlinkSync(mine);
  }
}
