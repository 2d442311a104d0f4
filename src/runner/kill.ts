// Ending a task's whole process tree: the runner leads its own process group (setsid for headless,
// tmux makes each pane's process a session leader), so one signal to -pgid reaches every descendant
// that did not move itself into another group.

/** Whether a process (pid) or any member of a process group (-pgid) is alive. */
export function processAlive(pidOrGroup: number): boolean {
  try {
    process.kill(pidOrGroup, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
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
