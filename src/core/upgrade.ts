// Records journaled by panecrew 0.1, before attempts were objects: their top-level pid, pane and exit
// fields move into their last attempt and their reason becomes a `note` cause, so a controller
// upgraded with tasks under way re-adopts them.
import { z } from 'zod';
import type { Attempt, AttemptState, Placement, TaskRecord } from './task.js';
import { isFinal, TASK_STATES, TaskIdSchema } from './task.js';

interface Legacy {
  reason?: string | null;
  pid?: number | null;
  paneId?: string | null;
  placement?: Placement | null;
  exitCode?: number | null;
  signal?: string | null;
  startedAt?: number | null;
  attempts: Array<Attempt & { outcome?: string }>;
}

/** The fields every part reads without checking: a record without them (a damaged journal entry
 *  that still had a valid id) cannot be run or shown, and is set aside instead. */
const RecordShape = z
  .object({
    id: TaskIdSchema,
    state: z.enum(TASK_STATES),
    agent: z.string(),
    key: z.string(),
    provider: z.string(),
    prompt: z.string(),
    cwd: z.string(),
    priority: z.number(),
    after: z.array(z.string()),
    createdAt: z.number(),
    attempts: z.array(z.object({ n: z.number(), startedAt: z.number() }).passthrough()),
  })
  .passthrough();

/** Why a replayed record cannot be used, or null when it can. */
export function recordProblem(record: unknown): string | null {
  const parsed = RecordShape.safeParse(record);
  return parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join('; ');
}

export function upgradeRecord(record: TaskRecord): TaskRecord {
  if ('cause' in record) return record;
  const old = record as unknown as Omit<TaskRecord, 'cause' | 'attempts'> & Legacy;
  const { reason, pid, paneId, placement, exitCode, signal, startedAt: _startedAt, attempts, ...rest } = old;
  const last = attempts.length - 1;
  const upgraded: Attempt[] = attempts.map(({ outcome, ...a }, i) => {
    const current = i === last && old.state === 'running';
    const state: AttemptState = current ? (pid ? 'running' : 'starting') : 'ended';
    return {
      ...a,
      state,
      ...(i === last ? { pid: pid ?? null, paneId: paneId ?? null, placement: placement ?? null } : {}),
      ...(i === last && isFinal(old.state) ? { exitCode: exitCode ?? null, signal: signal ?? null } : {}),
      ...(outcome && !current ? { cause: { kind: 'note' as const, text: outcome } } : {}),
    };
  });
  return { ...rest, staleTimeoutMs: null, cause: reason ? { kind: 'note', text: reason } : null, attempts: upgraded };
}
