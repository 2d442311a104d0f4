// Plain-data tasks and stats for the view-model tests.
import type { ListedTask, Stats } from '../../src/controller/protocol.js';

let n = 0;

export function task(over: Partial<ListedTask> = {}): ListedTask {
  n++;
  const id = over.id ?? `bg_${String(n).padStart(8, '0')}`;
  return {
    id,
    title: `task ${n}`,
    agent: 'shell',
    model: null,
    key: 'local/shell',
    provider: 'local',
    prompt: 'sleep 2',
    cwd: '/work',
    priority: 5,
    after: [],
    requestedPlacement: 'auto',
    placement: 'headless',
    timeoutMs: null,
    origin: {},
    state: 'running',
    reason: null,
    pid: 100 + n,
    paneId: null,
    createdAt: 1_000_000 + n,
    startedAt: 1_000_000 + n,
    endedAt: null,
    exitCode: null,
    signal: null,
    attempts: [],
    notBefore: null,
    progress: { toolCalls: 0 },
    usage: { inputTokens: 0, outputTokens: 0 },
    resultPreview: null,
    collectedAt: null,
    waiting: null,
    ...over,
  };
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
