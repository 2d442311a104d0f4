// How a task attempt ended, decided from the runner's exit record and what the parser saw. Pure.
import { firstLine as firstLineOf } from '../core/text.js';
import type { Task } from '../core/task.js';
import type { ExitRecord } from '../runner/exit-record.js';
import type { ParseState } from '../runner/parsers/index.js';
import type { AgentProfile } from '../runner/profile-schema.js';
import { backoffDelay, type RetryOptions } from '../scheduler/backoff.js';

export interface OutcomeInput {
  task: Task;
  exit: ExitRecord;
  parsed: ParseState;
  profile: AgentProfile | undefined;
  retry: RetryOptions;
  now: number;
}

const firstLine = (text: string | undefined): string | undefined => firstLineOf(text)?.slice(0, 300);

export function decideOutcome({ task, exit, parsed, profile, retry, now }: OutcomeInput): Partial<Task> {
  const attempts = task.attempts.map((a, i) =>
    i === task.attempts.length - 1 ? { ...a, endedAt: exit.endedAt, exitCode: exit.code, signal: exit.signal } : a,
  );
  const base: Partial<Task> = { exitCode: exit.code, signal: exit.signal, attempts };

  if (exit.code === 0 && !parsed.isError) {
    attempts[attempts.length - 1]!.outcome = 'completed';
    return { ...base, state: 'completed', reason: null, endedAt: exit.endedAt };
  }

  const retryable = profile?.retry_exit_codes.includes(exit.code) ?? false;
  if (retryable && task.attempts.length < retry.attempts) {
    const delay = backoffDelay(task.attempts.length + 1, retry);
    attempts[attempts.length - 1]!.outcome = `retryable exit ${exit.code}`;
    return {
      ...base,
      state: 'pending',
      notBefore: now + delay,
      pid: null,
      paneId: null,
      reason: `attempt ${task.attempts.length}/${retry.attempts} exited ${exit.code} (rate limited?); retrying in ${Math.round(delay / 1000)}s`,
    };
  }

  let reason: string;
  if (exit.code === 0) reason = `the agent reported an error: ${firstLine(parsed.errorMessage ?? parsed.result) ?? 'no message'}`;
  else if (exit.signal) reason = `killed by SIG${exit.signal}${exit.note ? ` (${exit.note})` : ''}`;
  else if (exit.code === 127 && exit.note) reason = exit.note;
  else {
    const detail = firstLine(parsed.errorMessage) ?? parsed.step;
    reason = `exited with code ${exit.code}${detail ? `: ${detail}` : ''}`;
  }
  if (retryable) reason += ` (gave up after ${task.attempts.length} attempts)`;
  attempts[attempts.length - 1]!.outcome = 'error';
  return { ...base, state: 'error', reason, endedAt: exit.endedAt };
}
