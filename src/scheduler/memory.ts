// Memory readings for admission: what the machine has available (/proc/meminfo) and what a task's
// process group takes now (the sum of VmRSS of the processes in it).
import { readFileSync } from 'node:fs';
import { groupMembers } from '../system/proc.js';
import { freemem, totalmem } from 'node:os';

export interface MemoryReading {
  totalBytes: number;
  /** MemAvailable: what can be given to new processes without swapping. */
  availableBytes: number;
}

const kB = (text: string, field: string): number | null => {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) * 1024 : null;
};

export function readMemory(meminfo = '/proc/meminfo'): MemoryReading {
  try {
    const text = readFileSync(meminfo, 'utf8');
    const total = kB(text, 'MemTotal');
    const available = kB(text, 'MemAvailable');
    if (total !== null && available !== null) return { totalBytes: total, availableBytes: available };
  } catch {
    // not Linux: fall back to what Node knows
  }
  return { totalBytes: totalmem(), availableBytes: freemem() };
}

/** The process group of /proc/<pid>/stat: after the `)` that ends the command name (which may hold spaces), state, ppid, pgrp. */
/** Current RSS of each of the given process groups, in one pass over /proc (groups with no process are absent). */
export function processGroupsRss(pgids: Iterable<number>, proc = '/proc'): Map<number, number> {
  const rss = new Map<number, number>();
  for (const [pgid, members] of groupMembers(pgids, proc)) {
    for (const { pid } of members) {
      let status: string;
      try {
        status = readFileSync(`${proc}/${pid}/status`, 'utf8');
      } catch {
        continue; // gone meanwhile
      }
      rss.set(pgid, (rss.get(pgid) ?? 0) + (kB(status, 'VmRSS') ?? 0));
    }
  }
  return rss;
}

/** Current RSS of one process group (a task's runner leads its group): 0 when nothing of it runs. */
export function processGroupRss(pgid: number, proc = '/proc'): number {
  return processGroupsRss([pgid], proc).get(pgid) ?? 0;
}
