// The append-only journal: every task state change is written and fsynced here before it is acted on.
import { closeSync, existsSync, fdatasync, fdatasyncSync, openSync, readFileSync, ftruncateSync, writeSync } from 'node:fs';
import type { TaskRecord as Task } from './task.js';
import { writeFileAtomic } from './atomic-write.js';

export type JournalEntry = { seq: number; at: number } & (
  | { type: 'created'; task: Task }
  | { type: 'updated'; id: string; patch: Partial<Task> }
  | { type: 'removed'; ids: string[] }
);
type NewEntry = JournalEntry extends infer E ? (E extends JournalEntry ? Omit<E, 'seq' | 'at'> : never) : never;

interface Snapshot {
  seq: number;
  tasks: Task[];
}

export interface Replayed {
  tasks: Map<string, Task>;
  /** Lines that could not be read: only a torn last line is expected after a crash. */
  skipped: number;
}

export function applyEntry(tasks: Map<string, Task>, entry: JournalEntry): void {
  switch (entry.type) {
    case 'created':
      tasks.set(entry.task.id, entry.task);
      break;
    case 'updated': {
      const task = tasks.get(entry.id);
      if (task) tasks.set(entry.id, { ...task, ...entry.patch });
      break;
    }
    case 'removed':
      for (const id of entry.ids) tasks.delete(id);
      break;
  }
}

export class Journal {
  private fd = -1;
  private seq = 0;
  private entriesSinceSnapshot = 0;

  constructor(
    private readonly journalFile: string,
    private readonly snapshotFile: string,
    private readonly compactEvery = 20_000,
  ) {}

  replay(): Replayed {
    const tasks = new Map<string, Task>();
    if (existsSync(this.snapshotFile)) {
      const snap = JSON.parse(readFileSync(this.snapshotFile, 'utf8')) as Snapshot;
      for (const t of snap.tasks) tasks.set(t.id, t);
      this.seq = snap.seq;
    }
    let skipped = 0;
    if (existsSync(this.journalFile)) {
      for (const line of readFileSync(this.journalFile, 'utf8').split('\n')) {
        if (!line) continue;
        let entry: JournalEntry;
        try {
          entry = JSON.parse(line) as JournalEntry;
        } catch {
          skipped++;
          continue;
        }
        this.entriesSinceSnapshot++;
        if (entry.seq <= this.seq) continue; // already in the snapshot
        applyEntry(tasks, entry);
        this.seq = entry.seq;
      }
    }
    this.fd = openSync(this.journalFile, 'a', 0o600);
    return { tasks, skipped };
  }

  /**
   * Appends an entry with a synchronous write: once this returns, the entry survives the controller
   * being killed at any moment (the kernel has it), so acting on it right away is safe. Reaching the
   * disk (fdatasync, against a machine crash) is batched: one fsync, off the event loop, for every
   * entry written in the same turn. Call `synced()` before telling a client something is stored.
   */
  append(entry: NewEntry): JournalEntry {
    const full = { seq: ++this.seq, at: Date.now(), ...entry } as JournalEntry;
    writeSync(this.fd, `${JSON.stringify(full)}\n`);
    this.entriesSinceSnapshot++;
    this.syncSoon();
    return full;
  }

  private syncing: Promise<void> | null = null;
  private dirty = false;

  private syncSoon(): void {
    this.dirty = true;
    this.syncing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.syncLoop());
  }

  private async syncLoop(): Promise<void> {
    while (this.dirty && this.fd >= 0) {
      this.dirty = false;
      const fd = this.fd;
      await new Promise<void>((resolve) => fdatasync(fd, () => resolve()));
    }
    this.syncing = null;
  }

  /** Resolves when everything appended so far is on disk. */
  async synced(): Promise<void> {
    while (this.syncing) await this.syncing;
  }

  get needsCompaction(): boolean {
    return this.entriesSinceSnapshot >= this.compactEvery;
  }

  /** Folds the journal into snapshot.json. A crash between the two steps is safe: replay skips seq ≤ snapshot. */
  compact(tasks: Iterable<Task>): void {
    const snap: Snapshot = { seq: this.seq, tasks: [...tasks] };
    writeFileAtomic(this.snapshotFile, JSON.stringify(snap), 0o600);
    ftruncateSync(this.fd, 0);
    fdatasyncSync(this.fd);
    this.entriesSinceSnapshot = 0;
  }

  close(): void {
    if (this.fd >= 0) {
      fdatasyncSync(this.fd);
      closeSync(this.fd);
    }
    this.fd = -1;
  }
}
