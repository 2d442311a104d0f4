// What each running task's process group holds now and at most so far: the controller samples on a
// timer while tasks run, the gate sets aside what a task has yet to grow by, and a task's peak is
// recorded for its agent when it ends (PeakStore.recordPeak).
import { processGroupsRss } from './memory.js';

export class RssTracker {
  private readonly seen = new Map<string, { current: number; peak: number }>();

  /** One pass over /proc for all running tasks (a few ms with a few hundred processes). */
  sample(running: Iterable<{ id: string; pid: number | null }>): void {
    const tasks = [...running].filter((t): t is { id: string; pid: number } => t.pid !== null);
    const rss = processGroupsRss(tasks.map((t) => t.pid));
    for (const t of tasks) {
      const current = rss.get(t.pid) ?? 0;
      this.seen.set(t.id, { current, peak: Math.max(current, this.seen.get(t.id)?.peak ?? 0) });
    }
  }

  /** The task's RSS at the last sample; null if it was never sampled. */
  current(id: string): number | null {
    return this.seen.get(id)?.current ?? null;
  }

  /** The task ended: its peak RSS (0 if never sampled), and it is forgotten here. */
  finish(id: string): number {
    const peak = this.seen.get(id)?.peak ?? 0;
    this.seen.delete(id);
    return peak;
  }
}
