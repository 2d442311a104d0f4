// Plain-data tasks and stats for the view-model tests.
import type { ListedTask, Stats } from '../../src/controller/protocol.js';
import { newTask } from '../../src/core/task.js';

let n = 0;

export function task(over: Partial<ListedTask> = {}): ListedTask {
  n++;
  const id = over.id ?? `bg_${String(n).padStart(8, '0')}`;
  const base = newTask(
    { id, title: `task ${n}`, agent: 'shell', model: null, key: 'local/shell', provider: 'local', prompt: 'sleep 2', cwd: '/work' },
    1_000_000 + n,
  );
  return { ...base, placement: 'headless', state: 'running', pid: 100 + n, startedAt: 1_000_000 + n, waiting: null, ...over };
}

export function stats(over: Partial<Stats> = {}): Stats {
  return {
    pid: 1,
    uptimeMs: 1000,
    running: 1,
    pending: 1,
    globalCap: 16,
    gate: { enabled: false, open: true, detail: '' },
    keys: [{ key: 'local/shell', running: 1, pending: 1, limit: 1, limitSource: 'modelConcurrency' }],
    rssBytes: 1,
    ...over,
  };
}
