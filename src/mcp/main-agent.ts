// Which process is the main agent that ran a hook: the nearest ancestor that is not a shell (Claude
// Code runs hook commands through one). A waiter that outlives it would wait forever.
import { existsSync, readFileSync } from 'node:fs';

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'fish']);

/** Name and parent pid of a process, from /proc; null when it is gone (or there is no /proc). */
function stat(pid: number): { comm: string; ppid: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The name is in parentheses and may itself contain spaces or parentheses: cut at the last one.
    const close = text.lastIndexOf(')');
    const fields = text.slice(close + 2).split(' ');
    return { comm: text.slice(text.indexOf('(') + 1, close), ppid: Number(fields[1]) };
  } catch {
    return null;
  }
}

/** Its pid, or null when it is already gone: a shell that init adopted was left by an agent that
 *  exited as it ran the hook (Claude Code runs Stop hooks while it shuts down). */
export function findMainAgent(start = process.ppid): number | null {
  let pid = start;
  for (let hops = 0; hops < 8; hops++) {
    const s = stat(pid);
    // Without /proc (not Linux) the parent is all there is to watch.
    if (!s) return existsSync('/proc/self/stat') ? null : pid;
    if (!SHELLS.has(s.comm)) return pid <= 1 ? null : pid;
    if (s.ppid <= 1) return null;
    pid = s.ppid;
  }
  return pid;
}

export function mainAgentAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The main agent runs one prompt and exits (`claude -p`): nobody would read a wake, so none is armed. */
export function runsOnePrompt(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.includes('-p') || argv.includes('--print');
  } catch {
    return false;
  }
}
