// The one place task state changes: journal first, then memory, then listeners.
import { EventEmitter } from 'node:events';
import type { Journal } from '../core/journal.js';
import { isFinal, type Task, type TaskState } from '../core/task.js';

const LEGAL: Record<TaskState, readonly TaskState[]> = {
  pending: ['running', 'cancelled', 'error'],
  // running → pending is a retry: the attempt ended with a retryable exit and waits for its backoff.
  running: ['completed', 'error', 'cancelled', 'interrupt', 'pending'],
  completed: [],
  error: [],
  cancelled: [],
  interrupt: [],
};

export interface StoreEvents {
  change: [task: Task, previous: Task | undefined];
  removed: [ids: string[]];
}

export class TaskStore extends EventEmitter<StoreEvents> {
  constructor(
    private readonly journal: Journal,
    readonly tasks: Map<string, Task>,
  ) {
    super();
  }

  /** Resolves once every change so far is on disk: wait for it before acknowledging one. */
  synced(): Promise<void> {
    return this.journal.synced();
  }

  get(id: string): Task | undefined {
    return this.tasks.get(id);
  }

  create(task: Task): Task {
    this.journal.append({ type: 'created', task });
    this.tasks.set(task.id, task);
    this.emit('change', task, undefined);
    this.maybeCompact();
    return task;
  }

  /** Applies a patch; a state change must be legal from the current state or it is refused (returns undefined). */
  update(id: string, patch: Partial<Task>): Task | undefined {
    const previous = this.tasks.get(id);
    if (!previous) return undefined;
    if (patch.state && patch.state !== previous.state && !LEGAL[previous.state].includes(patch.state)) return undefined;
    this.journal.append({ type: 'updated', id, patch });
    const next = { ...previous, ...patch };
    this.tasks.set(id, next);
    this.emit('change', next, previous);
    this.maybeCompact();
    return next;
  }

  /** Progress is derived from files on disk again after a restart, so it is not journaled. */
  setProgress(id: string, patch: Pick<Partial<Task>, 'progress' | 'usage'>): void {
    const previous = this.tasks.get(id);
    if (!previous || isFinal(previous.state)) return;
    const next = { ...previous, ...patch };
    this.tasks.set(id, next);
    this.emit('change', next, previous);
  }

  remove(ids: string[]): void {
    if (!ids.length) return;
    this.journal.append({ type: 'removed', ids });
    for (const id of ids) this.tasks.delete(id);
    this.emit('removed', ids);
  }

  private maybeCompact(): void {
    if (this.journal.needsCompaction) this.journal.compact(this.tasks.values());
  }
}
