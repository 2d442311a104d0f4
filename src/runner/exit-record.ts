// exit.json and started.json, written by runner.sh: validated like any input from outside.
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

function readJson<T>(file: string, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const readExitRecord = (file: string): ExitRecord | null => readJson(file, ExitRecordSchema);
export const readStartedRecord = (file: string): z.infer<typeof StartedSchema> | null => readJson(file, StartedSchema);

/**
 * How the agent ended, from the runner's own exit status, for when exit.json is missing (the runner
 * could not write it: a full disk). runner.sh exits with the agent's code, 128+n when signal n ended
 * it. A runner that was itself killed has no status (null): that is "vanished", not this.
 */
export function exitRecordFromStatus(status: number, startedAt: number, endedAt: number): ExitRecord {
  const signal = status > 128 ? (Object.entries(constants.signals).find(([, n]) => n === status - 128)?.[0] ?? null) : null;
  return { code: status, signal: signal?.replace(/^SIG/, '') ?? null, startedAt, endedAt, note: 'exit.json could not be written (disk full?); the code is the runner\'s exit status' };
}
