// The side file for journal records that could not be replayed: kept (never silently dropped) for a
// person and `panecrew doctor`, in one durable append, before compaction removes them from the journal.
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { basename } from 'node:path';
import { fsyncFolderOf, writeWhole } from './write-whole.js';

export interface QuarantineRecord {
  /** The file it was read from (journal.jsonl or snapshot.json). */
  from: string;
  /** 1-based line of the journal, or index of a snapshot task. */
  line?: number;
  index?: number;
  problem: string;
  /** The raw journal line, or the snapshot's task value. */
  text?: string;
  value?: unknown;
}

/** Problems listed one by one; beyond this many, one sentence says how many more there are. */
const LISTED = 20;

export class Quarantine {
  private readonly records: Array<QuarantineRecord & { at: number }> = [];
  readonly problems: string[] = [];

  constructor(private readonly file: string) {}

  add(record: QuarantineRecord): void {
    this.records.push({ at: Date.now(), ...record });
  }

  /** Writes what was added; returns how many records are now kept in the file (0 if it could not be written). */
  flush(): number {
    if (!this.records.length) return 0;
    const failed = this.write();
    const where = failed ? `left in place: ${this.file} could not be written (${failed})` : `kept in ${basename(this.file)}`;
    for (const r of this.records.slice(0, LISTED)) {
      this.problems.push(`${r.from} ${r.line !== undefined ? `line ${r.line}` : `task #${r.index}`}: ${r.problem}; ${where}`);
    }
    if (this.records.length > LISTED) this.problems.push(`…and ${this.records.length - LISTED} more; ${where}`);
    return failed ? 0 : this.records.length;
  }

  /** Appends the records durably; returns the error code when it could not. */
  private write(): string | null {
    try {
      const fd = openSync(this.file, 'a', 0o600);
      try {
        writeWhole(fd, this.records.map((r) => `${JSON.stringify(r)}\n`).join(''));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      fsyncFolderOf(this.file);
      return null;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code ?? String(err);
    }
  }
}
