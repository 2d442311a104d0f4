// Reading /proc/<pid>/stat: the state, process group and CPU time of the processes on this machine.
// One reader for everything that judges processes: liveness (a zombie is dead), a group's memory for
// the resource gate, a group's CPU as a quiet agent's sign of life.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcStat {
  state: string;
  pgrp: number;
  /** utime + stime + cutime + cstime, in clock ticks: CPU used by the process and its reaped children. */
  cpuTicks: number;
}

/** Fields after the command name, which may itself hold spaces and parentheses. */
export function parseProcStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state); pgrp is field 5, utime..cstime are fields 14–17.
  const pgrp = Number(f[2]);
  const ticks = [11, 12, 13, 14].map((i) => Number(f[i]));
  if (!f[0] || !Number.isFinite(pgrp) || ticks.some((t) => !Number.isFinite(t))) return null;
  return { state: f[0], pgrp, cpuTicks: ticks.reduce((a, b) => a + b, 0) };
}

/** The process's stat; null without /proc, when unreadable, or once it is gone. */
export function readProcStat(pid: number | string, proc = '/proc'): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`${proc}/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Z: exited, waiting for its parent to reap it (forever if that parent never does); X: being reaped. */
export const isDeadState = (state: string): boolean => state === 'Z' || state === 'X';

/** The pids in /proc (its numeric entries); none without /proc. */
function pids(proc: string): string[] {
  try {
    return readdirSync(proc).filter((name) => name.charCodeAt(0) <= 57);
  } catch {
    return [];
  }
}

/** The live (not zombie) members of the given process groups, with their stat, in one pass over /proc. */
export function groupMembers(pgids: Iterable<number>, proc = '/proc'): Map<number, Array<{ pid: string; stat: ProcStat }>> {
  const wanted = new Set(pgids);
  const found = new Map<number, Array<{ pid: string; stat: ProcStat }>>();
  if (!wanted.size) return found;
  for (const pid of pids(proc)) {
    const stat = readProcStat(pid, proc);
    if (!stat || !wanted.has(stat.pgrp) || isDeadState(stat.state)) continue;
    const list = found.get(stat.pgrp) ?? [];
    list.push({ pid, stat });
    found.set(stat.pgrp, list);
  }
  return found;
}

/** The files a process holds open (the targets of /proc/<pid>/fd/*); empty when it is gone or they
 *  cannot be read. */
export function openFiles(pid: number | string, proc = '/proc'): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`${proc}/${pid}/fd`);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const fd of fds) {
    try {
      files.push(readlinkSync(`${proc}/${pid}/fd/${fd}`));
    } catch {
      // closed since
    }
  }
  return files;
}

/** The live processes holding `file` open (its real path, as /proc shows it), in one pass over /proc. */
export function processesHolding(file: string, proc = '/proc'): number[] {
  const found: number[] = [];
  for (const pid of pids(proc)) {
    if (!openFiles(pid, proc).includes(file)) continue;
    const stat = readProcStat(pid, proc);
    if (stat && !isDeadState(stat.state)) found.push(Number(pid));
  }
  return found;
}

/** CPU ticks used by every live process of a process group; null when none is found (or no /proc). */
export function groupCpuTicks(pgid: number): number | null {
  const members = groupMembers([pgid]).get(pgid);
  return members ? members.reduce((n, m) => n + m.stat.cpuTicks, 0) : null;
}
