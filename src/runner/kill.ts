// Ending a task's whole process tree: the runner leads its own process group (setsid for headless,
// tmux makes each pane's process a session leader), so one signal to -pgid reaches every descendant
// that did not move itself into another group.
import { existsSync } from 'node:fs';
import { groupMembers, isDeadState, readProcStat } from '../system/proc.js';

/** Whether kill(2) can reach it: true for a zombie, which is dead but not yet reaped. */
function signalable(pidOrGroup: number): boolean {
  try {
    process.kill(pidOrGroup, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a process (pid) or any member of a process group (-pgid) is alive. A zombie is dead:
 * kill(pid, 0) succeeds on one until it is reaped, which in a container whose PID 1 never reaps is
 * never. Where there is no /proc, kill(2) is all there is to ask.
 */
export function processAlive(pidOrGroup: number): boolean {
  if (!signalable(pidOrGroup)) return false;
  if (!existsSync('/proc/self/stat')) return true;
  if (pidOrGroup > 0) {
    const stat = readProcStat(pidOrGroup);
    // Unreadable (hidepid) or reaped since: kill(2) says which.
    return stat === null ? signalable(pidOrGroup) : !isDeadState(stat.state);
  }
  return groupMembers([-pidOrGroup]).has(-pidOrGroup);
}

/** Sends `signal` to the group; false when no process of it exists any more. */
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

/**
 * TERM now, KILL after the grace period if anything of the group is still alive. Returns whether
 * the TERM reached a process. No /proc scan on this path: cancelling many tasks at once stays cheap.
 */
export function killGroup(pgid: number, graceMs: number): boolean {
  if (!signalGroup(pgid, 'SIGTERM')) return false;
  const timer = setTimeout(() => {
    if (processAlive(-pgid)) signalGroup(pgid, 'SIGKILL');
  }, graceMs);
  timer.unref();
  return true;
}
