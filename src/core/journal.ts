// The append-only journal: every task state change is written here before it is acted on, and is
// reported durable only once fdatasync has said so.
import { closeSync, fdatasync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync } from 'node:fs';
import type { TaskRecord as Task } from './task.js';
import { writeFileAtomic } from './atomic-write.js';
import { JournalWriteError } from './journal-error.js';
import { readJournal, type Replayed } from './journal-replay.js';
import type { JournalEntry } from './journal-schema.js';
import { fsyncFolderOf, writeWhole } from './write-whole.js';

export { applyEntry, type Replayed } from './journal-replay.js';
export type { JournalEntry } from './journal-schema.js';
export { JournalWriteError } from './journal-error.js';

/** The largest page size Linux uses (arm64, ppc64): a multiple of every page and block size. */
const PAGE_ALIGN = 64 * 1024;
/** After a failed sync, how often the unconfirmed lines are written again: each try adds them to the file. */
const RETRY_EVERY_MS = 1000;
/** How long an entry no one waits for may wait for its fdatasync: the changes of that window share one. */
export const LAZY_SYNC_MS = 50;

type NewEntry = JournalEntry extends infer E ? (E extends JournalEntry ? Omit<E, 'seq' | 'at'> : never) : never;

export class Journal {
  private fd = -1;
  private seq = 0;
  private entriesSinceSnapshot = 0;
  /** Bytes of whole lines in the file: a failed write is cut back to this. */
  private size = 0;
  /** The file ends inside a line (torn by a crash, or a cut-back that failed): the next write starts a new one. */
  private tornTail = false;
  /** Every entry up to this seq is known to be on disk. */
  private durableSeq = 0;
  /** Lines written after `durableSeq`, kept until a sync confirms them, to be written again if one fails. */
  private unconfirmed: Array<{ seq: number; line: string }> = [];
  /**
   * The last fdatasync failed. Linux may then have dropped the failed pages, and a later fdatasync
   * succeeds without writing them, so until the unconfirmed lines are written again and synced (or
   * folded into a snapshot) nothing after `durableSeq` is reported as durable.
   */
  private syncFailure: JournalWriteError | null = null;
  private lastRewriteAt = 0;
  private syncing: Promise<void> | null = null;
  private dirty = false;
  /** The fdatasync due for entries no one waits for. */
  private lazySync: NodeJS.Timeout | undefined;
  /** Callers of synced() still waiting: while there are any, syncs follow each other at once. */
  private waiting = 0;
  /** Where replay keeps lines and snapshot tasks it cannot use: beside the journal. */
  readonly quarantineFile: string;

  constructor(
    private readonly journalFile: string,
    private readonly snapshotFile: string,
    private readonly compactEvery = 20_000,
  ) {
    this.quarantineFile = `${journalFile.replace(/\.jsonl$/, '')}.quarantine.jsonl`;
  }

  /** Reads the snapshot and the journal back and opens the journal for appending. Never fails on bad content. */
  replay(): Replayed {
    const { seq, entries, ...replayed } = readJournal(this.journalFile, this.snapshotFile, this.quarantineFile);
    this.seq = this.durableSeq = seq;
    this.entriesSinceSnapshot = entries;
    this.fd = openSync(this.journalFile, 'a+', 0o600);
    this.size = fstatSync(this.fd).size;
    this.tornTail = this.size > 0 && lastByte(this.fd, this.size) !== 0x0a;
    if (replayed.quarantined > 0) {
      // The bad records are kept in the quarantine file now: fold them out so the next start does not
      // find (and quarantine) them again.
      try {
        this.compact(replayed.tasks.values());
      } catch (err) {
        replayed.problems.push(`the journal keeps its bad lines until the next compaction: ${(err as Error).message}`);
      }
    }
    return replayed;
  }

  /**
   * Appends an entry with a synchronous, whole write: once this returns, the entry survives the
   * controller being killed at any moment (the kernel has it), so acting on it right away is safe.
   * Reaching the disk (fdatasync, against a machine crash) is batched (group commit): one fsync, off
   * the event loop, for every entry written meanwhile, at once when someone waits for it (`synced()`,
   * which a reply to a client awaits), else within LAZY_SYNC_MS. Call `synced()` before telling a
   * client something is stored.
   * Throws JournalWriteError (a full disk) with the file as it was: the caller must not make the change.
   */
  append(entry: NewEntry): JournalEntry {
    if (this.fd < 0) throw new Error('internal: the journal is not open (replay() opens it)');
    // The seq is spent even when the write fails: a line cut short that could not be cut back must
    // never share its seq with the next entry.
    const full = { seq: ++this.seq, at: Date.now(), ...entry } as JournalEntry;
    const line = `${JSON.stringify(full)}\n`;
    this.writeLines(line, 'append');
    this.unconfirmed.push({ seq: full.seq, line });
    this.entriesSinceSnapshot++;
    this.dirty = true;
    this.syncLater();
    return full;
  }

  /** Writes whole lines, or throws with no part of them left in the file (so the next entry starts clean). */
  private writeLines(lines: string, op: 'append' | 'sync', onNewLine = this.tornTail): void {
    const data = onNewLine ? `\n${lines}` : lines;
    let written: number;
    try {
      written = writeWhole(this.fd, data);
    } catch (err) {
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        this.tornTail = true; // the part written stays: the next write starts on a new line
      }
      throw new JournalWriteError(op, this.journalFile, err);
    }
    this.size += written;
    this.tornTail = false;
  }

  /** The next fdatasync, within LAZY_SYNC_MS, unless one is under way (it is followed by another). */
  private syncLater(): void {
    if (this.syncing) return;
    this.lazySync ??= setTimeout(() => this.syncSoon(), LAZY_SYNC_MS);
    this.lazySync.unref(); // close() syncs what is left
  }

  private syncSoon(): void {
    this.dirty = true;
    clearTimeout(this.lazySync);
    this.lazySync = undefined;
    this.syncing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.syncLoop());
  }

  private async syncLoop(): Promise<void> {
    while (this.dirty && this.fd >= 0) {
      this.dirty = false;
      const fd = this.fd;
      const upTo = this.seq;
      const err = await this.syncOnce(fd);
      if (!err) this.confirm(upTo);
      else if (upTo > this.durableSeq) this.syncFailure = err instanceof JournalWriteError ? err : new JournalWriteError('sync', this.journalFile, err);
      if (!this.waiting) break; // what came meanwhile waits for the next lazy sync
    }
    this.syncing = null;
    if (this.dirty && this.fd >= 0) this.syncLater();
  }

  /** One fdatasync; after a failed one, the unconfirmed lines are written again first (at most once a second). */
  private async syncOnce(fd: number): Promise<Error | null> {
    if (this.syncFailure) {
      if (!this.mayRetry()) return this.syncFailure;
      const err = this.rewriteUnconfirmed();
      if (err) return err;
    }
    return new Promise((resolve) => fdatasync(fd, resolve));
  }

  /**
   * After a failed sync: the unconfirmed lines again (replay applies each seq once). They start on a
   * fresh page, after newlines (empty lines, skipped on replay): a page whose writeback failed can stay
   * lost even once written to again, taking the start of the copy with it (seen on ext4).
   */
  private rewriteUnconfirmed(): JournalWriteError | null {
    this.lastRewriteAt = Date.now();
    const pad = '\n'.repeat(PAGE_ALIGN - (this.size % PAGE_ALIGN));
    try {
      this.writeLines(pad + this.unconfirmed.map((u) => u.line).join(''), 'sync', false);
      return null;
    } catch (err) {
      return err as JournalWriteError;
    }
  }

  private mayRetry(): boolean {
    return Date.now() - this.lastRewriteAt >= RETRY_EVERY_MS;
  }

  private confirm(upTo: number): void {
    if (upTo > this.durableSeq) this.durableSeq = upTo;
    this.unconfirmed = this.unconfirmed.filter((u) => u.seq > this.durableSeq);
    this.syncFailure = null;
  }

  /**
   * Resolves when everything appended so far is on disk. Rejects with a JournalWriteError when it is
   * not (a sync failed, and trying again, at most once a second, failed too): the change was made but
   * must not be reported durable.
   */
  async synced(): Promise<void> {
    const target = this.seq;
    let tried = false;
    this.waiting++;
    try {
      while (this.durableSeq < target) {
        if (this.syncing) {
          await this.syncing;
          continue;
        }
        if (this.syncFailure && (tried || !this.mayRetry())) throw this.syncFailure;
        if (this.fd < 0) throw new Error('internal: the journal was closed before its last changes were synced');
        tried = true;
        this.syncSoon();
      }
    } finally {
      this.waiting--;
    }
  }

  get needsCompaction(): boolean {
    return this.entriesSinceSnapshot >= this.compactEvery;
  }

  /**
   * Folds the journal into snapshot.json. The snapshot is on disk (file and folder synced) before the
   * journal is truncated, and a crash between the two is safe: replay skips seq ≤ snapshot. Throws
   * JournalWriteError with the journal as it was when the snapshot cannot be written.
   */
  compact(tasks: Iterable<Task>): void {
    const snap = { seq: this.seq, tasks: [...tasks] };
    try {
      writeFileAtomic(this.snapshotFile, JSON.stringify(snap), 0o600);
      fsyncFolderOf(this.snapshotFile);
      ftruncateSync(this.fd, 0);
    } catch (err) {
      throw new JournalWriteError('compact', this.snapshotFile, err);
    }
    this.size = 0;
    this.tornTail = false;
    this.entriesSinceSnapshot = 0;
    this.confirm(snap.seq);
  }

  /** Syncs what is left and closes; throws JournalWriteError when the last changes could not be synced. */
  close(): void {
    if (this.fd < 0) return;
    clearTimeout(this.lazySync);
    this.lazySync = undefined;
    try {
      if (this.syncFailure) {
        const err = this.rewriteUnconfirmed();
        if (err) throw err;
      }
      fdatasyncSync(this.fd);
    } catch (err) {
      throw err instanceof JournalWriteError ? err : new JournalWriteError('sync', this.journalFile, err);
    } finally {
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}

function lastByte(fd: number, size: number): number | undefined {
  const buf = Buffer.alloc(1);
  readSync(fd, buf, 0, 1, size - 1);
  return buf[0];
}
