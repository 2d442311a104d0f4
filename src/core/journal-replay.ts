// Reading the journal back at start: the snapshot, then every entry after it. Nothing read here may
// stop the controller: a bad line or snapshot task is quarantined (kept aside, counted, reported) and
// an unreadable snapshot is moved aside, and replay goes on with what is valid.
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { basename } from 'node:path';
import type { TaskRecord } from './task.js';
import { describeIssue, parseEntry, parseSnapshotTask, SnapshotSchema, type JournalEntry } from './journal-schema.js';
import { Quarantine } from './journal-quarantine.js';

export interface Replayed {
  tasks: Map<string, TaskRecord>;
  /** Journal lines not applied because they are unreadable or not entries: each is quarantined. */
  skipped: number;
  /** Records this replay added to `quarantineFile`: bad journal lines and bad snapshot tasks. */
  quarantined: number;
  /** The side file bad records are kept in (JSONL, 0600), beside the journal. */
  quarantineFile: string;
  /** Where an unreadable snapshot was moved, when one was. */
  snapshotMovedTo?: string;
  /** One sentence per thing found wrong, for the log and `panecrew doctor`; empty when all was well. */
  problems: string[];
}

export function applyEntry(tasks: Map<string, TaskRecord>, entry: JournalEntry): void {
  switch (entry.type) {
    case 'created':
      tasks.set(entry.task.id, entry.task);
      break;
    case 'created-batch':
      for (const task of entry.tasks) tasks.set(task.id, task);
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

export interface ReplayState extends Replayed {
  /** The highest valid seq seen: the next entry gets the one after it. */
  seq: number;
  /** Valid entries in the journal file, for the compaction threshold. */
  entries: number;
}

export function readJournal(journalFile: string, snapshotFile: string, quarantineFile: string): ReplayState {
  const quarantine = new Quarantine(quarantineFile);
  const tasks = new Map<string, TaskRecord>();
  const snap = readSnapshot(snapshotFile, tasks, quarantine);
  const valid: JournalEntry[] = [];
  let skipped = 0;
  if (existsSync(journalFile)) {
    const name = basename(journalFile);
    readFileSync(journalFile, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!line) return;
        const read = parseEntry(line);
        if ('entry' in read) valid.push(read.entry);
        else {
          skipped++;
          quarantine.add({ from: name, line: i + 1, problem: read.problem, text: line });
        }
      });
  }
  // In seq order, each seq once: after a failed fsync the journal appends again the entries it could
  // not confirm, so a copy can follow later entries whose originals reached the disk.
  valid.sort((a, b) => a.seq - b.seq);
  let seq = snap.seq;
  for (const entry of valid) {
    if (entry.seq <= seq) continue; // already applied, or in the snapshot (a crash came before the truncation)
    applyEntry(tasks, entry);
    seq = entry.seq;
  }
  const quarantined = quarantine.flush();
  return { tasks, seq, entries: valid.length, skipped, quarantined, quarantineFile, snapshotMovedTo: snap.movedTo, problems: [...snap.problems, ...quarantine.problems] };
}

interface SnapshotRead {
  seq: number;
  movedTo?: string;
  problems: string[];
}

function readSnapshot(file: string, tasks: Map<string, TaskRecord>, quarantine: Quarantine): SnapshotRead {
  if (!existsSync(file)) return { seq: 0, problems: [] };
  const text = readFileSync(file, 'utf8');
  let problem: string;
  try {
    const parsed = SnapshotSchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      parsed.data.tasks.forEach((value, index) => {
        const read = parseSnapshotTask(value);
        if ('task' in read) tasks.set(read.task.id, read.task);
        else quarantine.add({ from: basename(file), index, problem: read.problem, value });
      });
      return { seq: parsed.data.seq, problems: [] };
    }
    problem = describeIssue(parsed.error);
  } catch {
    problem = text ? 'not JSON (truncated?)' : 'empty';
  }
  // Kept for a person to look at; the journal still holds every change since the snapshot before it.
  const movedTo = `${file}.bad-${Date.now()}`;
  try {
    renameSync(file, movedTo);
  } catch (err) {
    return { seq: 0, problems: [`${basename(file)} is unreadable (${problem}) and could not be moved aside (${(err as NodeJS.ErrnoException).code}): ignored; the next compaction replaces it`] };
  }
  return { seq: 0, movedTo, problems: [`${basename(file)} is unreadable (${problem}): moved to ${movedTo}; tasks recorded only in it are missing`] };
}
