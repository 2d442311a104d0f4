// After a restart: what to do with an attempt the journal says was under way. Pure: the facts about
// its folder and processes are read by the caller.
import type { Attempt } from '../core/task.js';

export type Recovery =
  /** Its runner lives, or it left its exit record: watch it again. */
  | { kind: 'adopt'; pid: number | null }
  /** Its agent never started: the attempt did not happen, the task waits in the queue again. */
  | { kind: 'requeue' }
  /** Its runner started and is gone without a record. */
  | { kind: 'lost'; pid: number | null };

export interface RecoveryFacts {
  exitRecorded: boolean;
  /** The pid in the runner's own started record, if it wrote one. */
  startedPid: number | null;
  alive(pid: number): boolean;
}

export function recoveryOf(attempt: Attempt, facts: RecoveryFacts): Recovery {
  if (attempt.state === 'preparing') return { kind: 'requeue' };
  const pid = attempt.pid ?? facts.startedPid;
  if (facts.exitRecorded || (pid !== null && facts.alive(pid))) return { kind: 'adopt', pid };
  if (facts.startedPid === null) return { kind: 'requeue' };
  return { kind: 'lost', pid };
}
