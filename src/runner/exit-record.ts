// exit.json and started.json, written by runner.sh: validated like any input from outside.
import { readFileSync } from 'node:fs';
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
