// exit.json and started.json, written by the runner: validated like any input from outside.
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { z } from 'zod';

export const ExitRecordSchema = z.object({
  code: z.number().int(),
  signal: z.string().nullable(),
  startedAt: z.number(),
  endedAt: z.number(),
  note: z.string().nullable().optional(),
});
export type ExitRecord = z.infer<typeof ExitRecordSchema>;

const StartedSchema = z.object({ pid: z.number().int().positive(), startedAt: z.number() });

function parse<T>(text: string, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function readText(file: string): string | undefined | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : null;
  }
}

/**
 * How the agent ended: undefined while there is no record, null when the record is unreadable. The
 * runner writes exit.json as one line in one write, without a rename: a file without its final
 * newline (empty: created, not yet written) is no record yet, or never will be (the runner was killed
 * in between, or the disk was full).
 */
export function readExitRecord(file: string): ExitRecord | null | undefined {
  const text = readText(file);
  if (typeof text !== 'string') return text;
  return text.endsWith('\n') ? parse(text, ExitRecordSchema) : undefined;
}

export function readStartedRecord(file: string): z.infer<typeof StartedSchema> | null {
  const text = readText(file);
  return typeof text === 'string' ? parse(text, StartedSchema) : null;
}

/**
 * How the agent ended, from the runner's own exit status, for when exit.json is missing (the runner
 * could not write it: a full disk). The runner exits with the agent's code, 128+n when signal n ended
 * it. A runner that was itself killed has no status (null): that is "vanished", not this.
 */
export function exitRecordFromStatus(status: number, startedAt: number, endedAt: number): ExitRecord {
  const signal = status > 128 ? (Object.entries(constants.signals).find(([, n]) => n === status - 128)?.[0] ?? null) : null;
  return { code: status, signal: signal?.replace(/^SIG/, '') ?? null, startedAt, endedAt, note: 'exit.json could not be written (disk full?); the code is the runner\'s exit status' };
}
