// How an attempt ended, decided from the runner's exit record and what the parser saw, and the
// journal entry that records it. Pure.
import { describeCause, stateOf, type Cause } from '../core/cause.js';
import { isFinal, type Attempt, type TaskRecord } from '../core/task.js';
import { firstLine as firstLineOf } from '../core/text.js';
import { exitRecordFromStatus, type ExitRecord } from '../runner/exit-record.js';
import type { ParseState } from '../runner/parsers/index.js';
import type { AgentProfile } from '../runner/profile-schema.js';
import { backoffDelay, type RetryOptions } from '../scheduler/backoff.js';

export interface OutcomeInput {
  /** Which attempt this was (1-based). */
  attempt: number;
  exit: ExitRecord;
  parsed: ParseState;
  profile: AgentProfile | undefined;
  retry: RetryOptions;
}

const firstLine = (text: string | undefined): string | undefined => firstLineOf(text)?.slice(0, 300);

export function decideOutcome({ attempt, exit, parsed, profile, retry }: OutcomeInput): Cause {
  if (exit.code === 0) {
    return parsed.isError ? { kind: 'agent-error', message: firstLine(parsed.errorMessage ?? parsed.result) ?? 'no message' } : { kind: 'exit', code: 0 };
  }
  const retryable = profile?.retry_exit_codes.includes(exit.code) ?? false;
  if (retryable && attempt < retry.attempts) {
    return { kind: 'retry', code: exit.code, attempt, of: retry.attempts, delayMs: backoffDelay(attempt + 1, retry) };
  }
  if (exit.signal) return { kind: 'signal', signal: exit.signal, ...(exit.note ? { note: exit.note } : {}) };
  if (exit.code === 127 && exit.note) return { kind: 'not-runnable', note: exit.note };
  const detail = firstLine(parsed.errorMessage) ?? parsed.step;
  return { kind: 'exit', code: exit.code, ...(detail ? { detail } : {}), ...(retryable ? { gaveUpAfter: attempt } : {}) };
}

export interface EndInput {
  ending: Cause;
  /** An interactive agent whose turn had already completed the task: only the attempt ends. */
  settled: boolean;
  extra: Partial<TaskRecord>;
  exit: ExitRecord | undefined;
  runner: Pick<Attempt, 'pid' | 'paneId' | 'placement' | 'placementNote'> | undefined;
  now: number;
}

/** The one journal entry that ends an attempt: the attempt's fields and its task's. */
export function endRecord({ ending, settled, extra, exit, runner, now }: EndInput): { attempt: Partial<Attempt>; task: Partial<TaskRecord> } {
  const cause: Cause = !settled || ending.kind === 'closed' ? ending : { kind: 'closed', by: describeCause(ending) ?? 'the agent exited' };
  const state = stateOf(cause);
  const attempt: Partial<Attempt> = {
    state: 'ended',
    endedAt: exit?.endedAt ?? now,
    cause,
    ...(exit ? { exitCode: exit.code, signal: exit.signal } : {}),
    ...(runner ? { pid: runner.pid, paneId: runner.paneId, placement: runner.placement, placementNote: runner.placementNote } : {}),
  };
  if (settled) return { attempt, task: {} };
  const task: Partial<TaskRecord> = {
    ...extra,
    state,
    cause,
    endedAt: isFinal(state) ? (exit?.endedAt ?? now) : null,
    notBefore: cause.kind === 'retry' ? now + cause.delayMs : null,
  };
  return { attempt, task };
}

/**
 * The runner is gone without an exit record. Its exit status is the agent's code (the runner exits
 * with it) when it could not write its record (a full disk): our own child's, or the one a pane's
 * runner left on its pane; a runner killed by a signal has none: it vanished.
 */
export function goneWithoutRecord(status: number | null | undefined, pid: number | null, startedAt: number): ExitRecord | Cause {
  return typeof status === 'number' ? exitRecordFromStatus(status, startedAt, Date.now()) : { kind: 'vanished', pid, code: null };
}
