// Decides which task changes are worth a notification under the configured strategy.
import { isFinal, type Task } from '../core/task.js';
import type { NotifyItem } from './message.js';
import type { NotificationOptions } from './options.js';

export interface Classification {
  /** The task reached a final state with this change (whether or not `events` lets it notify). */
  ended: boolean;
  item: NotifyItem | null;
}

type EventName = keyof NotificationOptions['events'];

export class TaskClassifier {
  /** Highest progress milestone already notified, per running task. */
  private readonly milestones = new Map<string, number>();

  constructor(private readonly options: Pick<NotificationOptions, 'strategy' | 'events' | 'min_progress_delta'>) {}

  classify(task: Task, previous: Task | undefined): Classification {
    const { strategy } = this.options;
    if (isFinal(task.state)) {
      this.milestones.delete(task.id);
      const ended = !previous || !isFinal(previous.state);
      const notify = ended && strategy !== 'silent' && this.options.events[task.state as Exclude<EventName, 'waiting'>];
      return { ended, item: notify ? { kind: 'ended', task } : null };
    }
    if (task.state === 'waiting') {
      const asks = previous?.state !== 'waiting' && strategy !== 'silent' && this.options.events.waiting;
      return { ended: false, item: asks ? { kind: 'waiting', task } : null };
    }
    if (task.state !== 'running' || strategy === 'silent' || strategy === 'completion') return { ended: false, item: null };

    if (strategy === 'verbose' && previous?.state !== 'running') {
      // A fresh run (or a retry) starts counting milestones again.
      this.milestones.delete(task.id);
      return { ended: false, item: { kind: 'started', task } };
    }
    const percent = task.progress.percent;
    if (percent === undefined || !Number.isFinite(percent)) return { ended: false, item: null };
    const step = this.options.min_progress_delta;
    const reached = Math.floor(Math.min(100, Math.max(0, percent)) / step) * step;
    if (reached <= (this.milestones.get(task.id) ?? 0)) return { ended: false, item: null };
    this.milestones.set(task.id, reached);
    return { ended: false, item: { kind: 'progress', task, percent: Math.round(Math.min(100, percent)) } };
  }
}
