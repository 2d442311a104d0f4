// Reading /proc/<pid>/stat: the process group and CPU time of the processes on this machine.
import { readdirSync, readFileSync } from 'node:fs';

interface ProcStat {
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

/** CPU ticks used by every live process of a process group; null when none is found (or no /proc). */
export function groupCpuTicks(pgid: number): number | null {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return null;
  }
  let total: number | null = null;
  for (const name of names) {
    if (name.charCodeAt(0) > 57) continue; // not a pid
    let stat: ProcStat | null;
    try {
      stat = parseProcStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
    } catch {
      continue; // it exited while we looked
    }
    if (stat?.pgrp === pgid && stat.state !== 'Z') total = (total ?? 0) + stat.cpuTicks;
  }
  return total;
}
