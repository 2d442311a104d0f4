// The one place task state changes: journal first, then memory, then listeners. An illegal change
// is a bug in the caller, so it throws instead of being silently dropped.
import { EventEmitter } from 'node:events';
import type { Journal } from '../core/journal.js';
import { isFinal, type Attempt, type TaskRecord, type TaskState } from '../core/task.js';
import { checkAttemptTransition, checkTaskTransition } from '../core/transitions.js';

export interface StoreEvents {
  change: [task: TaskRecord, previous: TaskRecord | undefined];
  removed: [ids: string[]];
}

export class TaskStore extends EventEmitter<StoreEvents> {
  constructor(
    private readonly journal: Journal,
    readonly tasks: Map<string, TaskRecord>,
    private readonly log: (message: string) => void = () => {},
  ) {
    super();
  }

  /** Resolves once every change so far is on disk: wait for it before acknowledging one. */
  synced(): Promise<void> {
    return this.journal.synced();
  }

  get(id: string): TaskRecord | undefined {
    return this.tasks.get(id);
  }

  /** The task, which must exist: callers hold ids of tasks they created or looked up. */
  must(id: string): TaskRecord {
    const task = this.tasks.get(id);
    if (!task) throw new Error(`internal: no task ${id} in the store`);
    return task;
  }

  create(task: TaskRecord): TaskRecord {
    this.journal.append({ type: 'created', task });
    this.tasks.set(task.id, task);
    this.emit('change', task, undefined);
    this.maybeCompact();
    return task;
  }

  /** Creates many tasks in one journal entry: after a crash, all of them exist or none does. */
  createMany(tasks: TaskRecord[]): TaskRecord[] {
    this.journal.append({ type: 'created-batch', tasks });
    for (const task of tasks) this.tasks.set(task.id, task);
    for (const task of tasks) this.emit('change', task, undefined);
    this.maybeCompact();
    return tasks;
  }

  /** Applies a patch. A state change must be legal from the current state, else it throws. */
  update(id: string, patch: Partial<TaskRecord>): TaskRecord {
    const previous = this.must(id);
    if (patch.state && patch.state !== previous.state) checkTaskTransition(id, previous.state, patch.state);
    return this.write(previous, patch);
  }

  /** Starts attempt n+1 in `preparing`; the task takes its slot (running) in the same entry. */
  beginAttempt(id: string, startedAt: number): TaskRecord {
    const previous = this.must(id);
    checkTaskTransition(id, previous.state, 'running');
    const attempt: Attempt = { n: previous.attempts.length + 1, state: 'preparing', startedAt };
    return this.write(previous, { state: 'running', cause: null, notBefore: null, attempts: [...previous.attempts, attempt] });
  }

  /** Changes the current attempt; with `task`, the task's own fields in the same journal entry. */
  updateAttempt(id: string, n: number, patch: Partial<Attempt>, task: Partial<TaskRecord> = {}): TaskRecord {
    const previous = this.must(id);
    const current = previous.attempts.at(-1);
    if (!current || current.n !== n) throw new Error(`internal: attempt ${n} of ${id} is not its current attempt`);
    if (patch.state && patch.state !== current.state) checkAttemptTransition(id, n, current.state, patch.state);
    if (task.state && task.state !== previous.state) checkTaskTransition(id, previous.state, task.state as TaskState);
    return this.write(previous, { ...task, attempts: [...previous.attempts.slice(0, -1), { ...current, ...patch }] });
  }

  /** Drops an attempt that never started its agent (the controller stopped while preparing it). */
  abandonAttempt(id: string, n: number): TaskRecord {
    const previous = this.must(id);
    if (previous.attempts.at(-1)?.n !== n) throw new Error(`internal: attempt ${n} of ${id} is not its current attempt`);
    checkTaskTransition(id, previous.state, 'pending');
    return this.write(previous, { state: 'pending', attempts: previous.attempts.slice(0, -1) });
  }

  /** Progress is derived from files on disk again after a restart, so it is not journaled. */
  setProgress(id: string, patch: Pick<Partial<TaskRecord>, 'progress' | 'usage'>): void {
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

  private write(previous: TaskRecord, patch: Partial<TaskRecord>): TaskRecord {
    this.journal.append({ type: 'updated', id: previous.id, patch });
    const next = { ...previous, ...patch };
    this.tasks.set(previous.id, next);
    this.emit('change', next, previous);
    this.maybeCompact();
    return next;
  }

  /** The change itself is written: a compaction that fails (a full disk) must not look like the
   *  change failed. It stays due, and the next change tries again. */
  private maybeCompact(): void {
    if (!this.journal.needsCompaction) return;
    try {
      this.journal.compact(this.tasks.values());
    } catch (err) {
      this.log(`journal compaction failed, will retry: ${(err as Error).message}`);
    }
  }
}
