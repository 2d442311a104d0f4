// Why a task or an attempt is where it is: one typed cause, recorded once. The task's state and the
// sentence people read are derived from it, so nothing downstream matches on reason strings.
import { z } from 'zod';
import { formatDuration } from './duration.js';
import type { TaskState } from './task.js';

export const CauseSchema = z.discriminatedUnion('kind', [
  /** The agent exited; 0 is success unless the agent itself reported an error. */
  z.object({ kind: z.literal('exit'), code: z.number().int(), detail: z.string().optional(), gaveUpAfter: z.number().int().optional() }),
  z.object({ kind: z.literal('agent-error'), message: z.string() }),
  z.object({ kind: z.literal('signal'), signal: z.string(), note: z.string().optional() }),
  /** The runner could not run the agent at all (exit 127 with the runner's note). */
  z.object({ kind: z.literal('not-runnable'), note: z.string() }),
  /** An agent that goes idle without exiting was quiet for the stability window. */
  z.object({ kind: z.literal('idle'), afterMs: z.number() }),
  /** A retryable exit: the task waits for its backoff and runs again. */
  z.object({ kind: z.literal('retry'), code: z.number().int(), attempt: z.number().int(), of: z.number().int(), delayMs: z.number() }),
  z.object({ kind: z.literal('cancel'), by: z.string() }),
  z.object({ kind: z.literal('dependency'), on: z.string(), state: z.string(), reason: z.string().nullable() }),
  z.object({ kind: z.literal('timeout'), afterMs: z.number() }),
  z.object({ kind: z.literal('stale'), quietMs: z.number() }),
  /** The runner is gone without an exit record (SIGKILL, its pane or tmux server killed). */
  z.object({ kind: z.literal('vanished'), pid: z.number().nullable(), code: z.number().int().nullable().optional() }),
  /** The runner ended while the controller was down, without an exit record. */
  z.object({ kind: z.literal('lost'), pid: z.number().nullable(), killedGroup: z.boolean() }),
  z.object({ kind: z.literal('prepare-failed'), message: z.string() }),
  z.object({ kind: z.literal('start-failed'), message: z.string() }),
  z.object({ kind: z.literal('unreadable-exit'), file: z.string() }),
  /** Ending the attempt itself failed (an agent can leave anything in its folder). */
  z.object({ kind: z.literal('internal'), message: z.string() }),
  /** An interactive agent ended turn `n` and stays open in its pane for a follow-up. */
  z.object({ kind: z.literal('turn'), n: z.number().int().positive() }),
  /** An interactive agent, its turn done, was closed (`panecrew close`, its idle time up, or it
   *  exited by itself): recorded on the attempt; the task keeps its last turn's outcome. */
  z.object({ kind: z.literal('closed'), by: z.string() }),
  /** A reason written by an older panecrew, kept as it was. */
  z.object({ kind: z.literal('note'), text: z.string() }),
]);
export type Cause = z.infer<typeof CauseSchema>;

/** The task state a cause leaves a task in. `note` (old journals) keeps the state recorded with it. */
export function stateOf(cause: Cause): TaskState {
  switch (cause.kind) {
    case 'exit':
      return cause.code === 0 ? 'completed' : 'error';
    case 'idle':
    case 'turn':
    case 'closed':
      return 'completed';
    case 'retry':
      return 'pending';
    case 'cancel':
    case 'dependency':
      return 'cancelled';
    case 'stale':
      return 'interrupt';
    default:
      return 'error';
  }
}

/** The sentence a person reads; null where the state says it all (a clean exit 0). */
export function describeCause(cause: Cause | null): string | null {
  if (!cause) return null;
  switch (cause.kind) {
    case 'exit': {
      if (cause.code === 0) return null;
      const gaveUp = cause.gaveUpAfter ? ` (gave up after ${cause.gaveUpAfter} attempts)` : '';
      return `exited with code ${cause.code}${cause.detail ? `: ${cause.detail}` : ''}${gaveUp}`;
    }
    case 'agent-error':
      return `the agent reported an error: ${cause.message}`;
    case 'signal':
      return `killed by SIG${cause.signal}${cause.note ? ` (${cause.note})` : ''}`;
    case 'not-runnable':
      return cause.note;
    case 'idle':
      return `idle for ${formatDuration(cause.afterMs)}`;
    case 'retry':
      return `attempt ${cause.attempt}/${cause.of} exited ${cause.code} (rate limited?); retrying in ${Math.round(cause.delayMs / 1000)}s`;
    case 'cancel':
      return cause.by;
    case 'dependency':
      return `dependency ${cause.on} ended ${cause.state}${cause.reason ? `: ${cause.reason}` : ''}`;
    case 'timeout':
      return `timed out after ${formatDuration(cause.afterMs)}`;
    case 'stale':
      return `no sign of life for ${formatDuration(cause.quietMs)} (stale timeout): the agent looks hung`;
    case 'vanished':
      return `the runner (pid ${cause.pid}) vanished without an exit record${cause.code != null ? ` (its exit status was ${cause.code})` : ''}: killed with SIGKILL, or its pane or tmux server was killed`;
    case 'lost':
      return `the runner (pid ${cause.pid}) ended while the controller was down, without an exit record (killed with SIGKILL?)${cause.killedGroup ? '; what was left of its process group was killed' : ''}`;
    case 'prepare-failed':
      return `could not prepare the task: ${cause.message}`;
    case 'start-failed':
      return `could not start the agent: ${cause.message}`;
    case 'unreadable-exit':
      return `the runner's exit record ${cause.file} is unreadable`;
    case 'internal':
      return `ending the task failed: ${cause.message}`;
    case 'turn':
      return cause.n > 1 ? `turn ${cause.n} done` : null;
    case 'closed':
      return `the agent was closed: ${cause.by}`;
    case 'note':
      return cause.text;
  }
}
