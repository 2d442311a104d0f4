// A task's states, apart from the task model: the CLI's client decides by them without loading zod.

/** `waiting`: an interactive agent asks the person something (a permission prompt); it holds its
 *  slot like `running`, and goes back to `running` when answered. */
export const TASK_STATES = ['pending', 'running', 'waiting', 'completed', 'error', 'cancelled', 'interrupt'] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** A task whose agent works or waits for the person: it holds a slot. */
export const isActive = (state: TaskState): boolean => state === 'running' || state === 'waiting';

export const FINAL_STATES: ReadonlySet<TaskState> = new Set(['completed', 'error', 'cancelled', 'interrupt']);
export const isFinal = (state: TaskState): boolean => FINAL_STATES.has(state);
