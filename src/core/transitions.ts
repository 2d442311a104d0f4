// The legal moves of a task and of an attempt. A move not in these tables is a bug in its caller.
import type { AttemptState, TaskState } from './task.js';

export const TASK_TRANSITIONS: Record<TaskState, readonly TaskState[]> = {
  pending: ['running', 'cancelled', 'error'],
  // running → pending: the attempt ended with a retryable exit (or never started its agent) and the
  // task waits in the queue again.
  // running ↔ waiting: an interactive agent asks the person something, and is answered.
  running: ['waiting', 'completed', 'error', 'cancelled', 'interrupt', 'pending'],
  waiting: ['running', 'completed', 'error', 'cancelled', 'interrupt'],
  // completed → running: an interactive agent still open in its pane took a follow-up (`send`).
  completed: ['running'],
  error: [],
  cancelled: [],
  interrupt: [],
};

/** `ending` is the in-memory step between the agent's end and its record: it is never journaled. */
export const ATTEMPT_TRANSITIONS: Record<AttemptState, readonly AttemptState[]> = {
  preparing: ['starting', 'ended'],
  starting: ['running', 'ended'],
  running: ['ending', 'ended'],
  ending: ['ended'],
  ended: [],
};

export class TransitionError extends Error {}

export function checkTaskTransition(id: string, from: TaskState, to: TaskState): void {
  if (!TASK_TRANSITIONS[from].includes(to)) throw new TransitionError(`internal: task ${id} cannot go from ${from} to ${to}`);
}

export function checkAttemptTransition(id: string, n: number, from: AttemptState, to: AttemptState): void {
  if (!ATTEMPT_TRANSITIONS[from].includes(to)) throw new TransitionError(`internal: attempt ${n} of ${id} cannot go from ${from} to ${to}`);
}
