// Peak RSS measured per agent on earlier runs: what memory admission expects the next run to take.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic-write.js';

/** Peaks kept per agent; the expectation is their maximum, so one light run does not hide a heavy one. */
const KEEP = 10;
const PeaksSchema = z.record(z.string().max(64), z.array(z.number().int().min(0)).max(KEEP));
type Peaks = z.infer<typeof PeaksSchema>;

export const peaksFile = (home: string): string => join(home, 'agent-peaks.json');

export class PeakStore {
  private readonly peaks: Peaks;
  /** Why the file on disk was not used (it is replaced on the next record), for `doctor`. */
  readonly problem: string | null = null;

  /** `fallback`: what to expect of an agent never measured (the configured per-agent defaults). */
  constructor(
    private readonly file: string,
    private readonly fallback: (agent: string) => number,
  ) {
    let text: string | null = null;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.problem = `cannot read ${file}: ${(err as Error).message}`;
    }
    let parsed: ReturnType<typeof PeaksSchema.safeParse> | null = null;
    if (text !== null) {
      try {
        parsed = PeaksSchema.safeParse(JSON.parse(text));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) this.problem = `${file} is not a valid peaks file; measured peaks start again`;
    }
    this.peaks = parsed?.success ? Object.assign(Object.create(null) as Peaks, parsed.data) : (Object.create(null) as Peaks);
  }

  /** The peak RSS (bytes) the agent's next run is expected to reach. */
  expectedRss(agent: string): number {
    const seen = this.peaks[agent];
    return seen?.length ? Math.max(...seen) : this.fallback(agent);
  }

  /** Records the peak RSS of a finished run (written at once, atomically: a crash keeps the old file or the new). */
  recordPeak(agent: string, bytes: number): void {
    if (!Number.isFinite(bytes) || bytes <= 0) return; // never measured: nothing learned
    this.peaks[agent] = [...(this.peaks[agent] ?? []), Math.round(bytes)].slice(-KEEP);
    writeFileAtomic(this.file, `${JSON.stringify(this.peaks)}\n`, 0o600);
  }
}
