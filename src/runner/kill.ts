// Ending a task's whole process tree: the runner leads its own process group (setsid for headless,
// tmux makes each pane's process a session leader), so one signal to -pgid reaches every descendant
// that did not move itself into another group.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Whether kill(2) can reach it: true for a zombie, which is dead but not yet reaped. */
function signalable(pidOrGroup: number): boolean {
  try {
    process.kill(pidOrGroup, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** State letter and process group from /proc/<pid>/stat; null without /proc or once it is gone. */
function procStat(pid: number | string): { state: string; pgrp: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return state && pgrp ? { state, pgrp: Number(pgrp) } : null;
  } catch {
    return null;
  }
}

// Z: exited, waiting for its parent to reap it (forever if that parent never does); X: being reaped.
const isDead = (state: string): boolean => state === 'Z' || state === 'X';

/**
 * Whether a process (pid) or any member of a process group (-pgid) is alive. A zombie is dead:
 * kill(pid, 0) succeeds on one until it is reaped, which in a container whose PID 1 never reaps is
 * never. Where there is no /proc, kill(2) is all there is to ask.
 */
export function processAlive(pidOrGroup: number): boolean {
  if (!signalable(pidOrGroup)) return false;
  if (!existsSync('/proc/self/stat')) return true;
  if (pidOrGroup > 0) {
    const stat = procStat(pidOrGroup);
    // Unreadable (hidepid) or reaped since: kill(2) says which.
    return stat === null ? signalable(pidOrGroup) : !isDead(stat.state);
  }
  const pgid = -pidOrGroup;
  return readdirSync('/proc').some((name) => {
    if (!/^\d+$/.test(name)) return false;
    const stat = procStat(name);
    return stat !== null && stat.pgrp === pgid && !isDead(stat.state);
  });
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** TERM now, KILL after the grace period if anything of the group is still alive. */
export function killGroup(pgid: number, graceMs: number): void {
  signalGroup(pgid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (processAlive(-pgid)) signalGroup(pgid, 'SIGKILL');
  }, graceMs);
  timer.unref();
}
