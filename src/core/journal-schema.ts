// What a journal line and the snapshot must look like to be replayed. A line that does not fit is
// quarantined instead of being applied: `42` or `{"seq":"x"}` once made every later entry unreadable.
// Tasks are checked loosely (an object with a task id); the task model's own schema is its concern.
import { z } from 'zod';
import { TaskIdSchema, type TaskRecord } from './task.js';

const LooseTask = z.looseObject({ id: TaskIdSchema });
const Seq = z.number().int().nonnegative();

export const JournalEntrySchema = z.discriminatedUnion('type', [
  z.looseObject({ seq: Seq, at: z.number(), type: z.literal('created'), task: LooseTask }),
  /** A batch of tasks created all or nothing: one line, so a torn write loses the whole batch. */
  z.looseObject({ seq: Seq, at: z.number(), type: z.literal('created-batch'), tasks: z.array(LooseTask).min(1) }),
  z.looseObject({ seq: Seq, at: z.number(), type: z.literal('updated'), id: TaskIdSchema, patch: z.looseObject({}) }),
  z.looseObject({ seq: Seq, at: z.number(), type: z.literal('removed'), ids: z.array(TaskIdSchema) }),
]);

export const SnapshotSchema = z.looseObject({ seq: Seq, tasks: z.array(z.unknown()) });

export type JournalEntry = { seq: number; at: number } & (
  | { type: 'created'; task: TaskRecord }
  | { type: 'created-batch'; tasks: TaskRecord[] }
  | { type: 'updated'; id: string; patch: Partial<TaskRecord> }
  | { type: 'removed'; ids: string[] }
);

/** A task of the snapshot, checked on its own so that one bad record does not cost the others. */
export function parseSnapshotTask(value: unknown): { task: TaskRecord } | { problem: string } {
  const parsed = LooseTask.safeParse(value);
  return parsed.success ? { task: parsed.data as unknown as TaskRecord } : { problem: describeIssue(parsed.error) };
}

/** One journal line as an entry, or why it is not one. */
export function parseEntry(line: string): { entry: JournalEntry } | { problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { problem: 'not JSON (a torn write?)' };
  }
  const parsed = JournalEntrySchema.safeParse(raw);
  return parsed.success ? { entry: parsed.data as unknown as JournalEntry } : { problem: `not a journal entry: ${describeIssue(parsed.error)}` };
}

/** The first issue of a zod error as a short phrase: `task.id: Invalid input…`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
