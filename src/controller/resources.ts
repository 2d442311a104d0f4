// What the resource gate knows of our own tasks: each running task's sampled RSS (one /proc pass on a
// timer while tasks run), and the peaks measured on earlier runs of each agent.
import type { BackgroundTaskOptions } from '../config/schema.js';
import { shownAttempt, type TaskRecord } from '../core/task.js';
import { configuredRss, readGate } from '../scheduler/gate.js';
import { PeakStore, peaksFile } from '../scheduler/peaks.js';
import type { Gate } from '../scheduler/plan.js';
import { RssTracker } from '../scheduler/rss-tracker.js';

/** How often running tasks' memory is sampled: peaks between samples are missed, which is fine for a gate. */
const SAMPLE_EVERY_MS = 2_000;

export class Resources {
  readonly peaks: PeakStore;
  private readonly rss = new RssTracker();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: BackgroundTaskOptions,
    home: string,
    private readonly running: () => Iterable<TaskRecord>,
  ) {
    this.peaks = new PeakStore(peaksFile(home), configuredRss(options.resourceGate));
  }

  gate(): Gate {
    const running = [...this.running()].map((t) => ({ agent: t.agent, rssBytes: this.rss.current(t.id) }));
    if (running.length) this.sampleLater();
    return readGate(this.options.resourceGate, { running, expectedRss: (a) => this.peaks.expectedRss(a) });
  }

  /** A task's attempt ended: a run that went its course teaches its agent's peak; a cancelled one is cut short. */
  ended(task: TaskRecord): void {
    const peak = this.rss.finish(task.id);
    if (task.state === 'completed' || task.state === 'error') this.peaks.recordPeak(task.agent, peak);
  }

  private sampleLater(): void {
    this.timer ??= setInterval(() => {
      const running = [...this.running()];
      if (!running.length) return this.close();
      this.rss.sample(running.map((t) => ({ id: t.id, pid: shownAttempt(t)?.pid ?? null })));
    }, SAMPLE_EVERY_MS).unref();
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
