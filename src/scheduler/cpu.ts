// Recent CPU utilisation of the whole machine, from /proc/stat. The 1-minute load average lags a
// busy or idle spell by a minute and counts tasks blocked on I/O; busy time over seconds does neither.
import { readFileSync } from 'node:fs';

export interface CpuTimes {
  busy: number;
  total: number;
}

/** Aggregate CPU times (clock ticks) from the first line of /proc/stat; null where there is none. */
export function readCpuTimes(statFile = '/proc/stat'): CpuTimes | null {
  let text: string;
  try {
    text = readFileSync(statFile, 'utf8');
  } catch {
    return null;
  }
  // cpu user nice system idle iowait irq softirq steal (guest time is already inside user)
  const fields = text.slice(0, text.indexOf('\n')).trim().split(/\s+/);
  if (fields[0] !== 'cpu') return null;
  const ticks = fields.slice(1, 9).map(Number);
  if (ticks.length < 5 || ticks.some((n) => !Number.isFinite(n))) return null;
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: total - ticks[3]! - ticks[4]!, total };
}

/**
 * Keeps the previous reading so that each call costs one small file read (none within a window):
 * the busy share between two readings at least `windowMs` apart. A reading older than `staleMs`
 * says nothing about now, so after a quiet spell the sampler starts a new window and answers null.
 */
export class CpuSampler {
  private previous: (CpuTimes & { at: number }) | null;
  private last: number | null = null;

  constructor(
    private readonly windowMs = 1_000,
    private readonly staleMs = 10_000,
    private readonly statFile = '/proc/stat',
  ) {
    this.previous = this.read();
  }

  private read(): (CpuTimes & { at: number }) | null {
    const times = readCpuTimes(this.statFile);
    return times && { ...times, at: Date.now() };
  }

  /** Busy percentage of all CPUs over the last window; null while the first window is being measured. */
  percent(): number | null {
    const previous = this.previous;
    if (previous && Date.now() - previous.at < this.windowMs) return this.last;
    const current = this.read();
    if (!current) return null;
    this.previous = current;
    if (!previous || current.at - previous.at > this.staleMs) return (this.last = null);
    const total = current.total - previous.total;
    return (this.last = total > 0 ? ((current.busy - previous.busy) / total) * 100 : 0);
  }
}
