// Plain Task values for notifier tests.
import { newTask, type Task } from '../../src/core/task.js';

let counter = 0;

export function makeTask(overrides: Partial<Task> = {}): Task {
  counter += 1;
  const id = `bg_${String(counter).padStart(8, '0')}`;
  const base: Task = {
    ...newTask(
      { id, title: `task ${counter}`, agent: 'explore', model: null, key: 'anthropic/claude', provider: 'anthropic', prompt: 'look around', cwd: '/tmp', priority: 0 },
      1_700_000_000_000,
    ),
    placement: 'pane',
    state: 'running',
    pid: 1234,
    paneId: '%9',
    startedAt: 1_700_000_000_000,
  };
  return { ...base, ...overrides };
}

/** The running task and the same task after it ended, as the controller would hand them over. */
export function ending(
  state: 'completed' | 'error' | 'interrupt' | 'cancelled',
  overrides: Partial<Task> = {},
  durationMs = 65_000,
): { task: Task; previous: Task } {
  const previous = makeTask(overrides);
  const task: Task = {
    ...previous,
    state,
    endedAt: (previous.startedAt ?? 0) + durationMs,
    exitCode: state === 'completed' ? 0 : 1,
    ...(state === 'completed' && previous.resultPreview === null ? { resultPreview: 'Found 3 call sites\nmore lines' } : {}),
    ...(state !== 'completed' && previous.reason === null ? { reason: `agent ${state}` } : {}),
  };
  return { task, previous };
}
