import { describe, expect, it } from 'vitest';
import { describeWait, newTaskRecord, type TaskRecord as Task } from '../../src/core/task.js';
import { checkDependencies, plan, type Limits } from '../../src/scheduler/plan.js';

let clock = 1_000;
function task(id: string, over: Partial<Task> = {}): Task {
  const key = over.key ?? 'anthropic/claude-haiku-4-5';
  return newTaskRecord({ id, title: id, agent: 'shell', model: null, key, provider: key.split('/')[0]!, prompt: 'x', cwd: '/', ...over }, clock++);
}

const limits = (over: Partial<Limits> = {}): Limits => ({
  defaultConcurrency: 5,
  providerConcurrency: {},
  modelConcurrency: {},
  maxConcurrentTasks: 0,
  ...over,
});
const open = { open: true, detail: '' };
const ids = (ts: Task[]) => ts.map((t) => t.id);

describe('plan', () => {
  it('starts the oldest tasks of a key up to its model limit, FIFO', () => {
    const ts = ['a', 'b', 'c', 'd'].map((id) => task(id));
    const p = plan({ tasks: ts, limits: limits({ modelConcurrency: { 'anthropic/claude-haiku-4-5': 2 } }), gate: open, now: 0 });
    expect(ids(p.start)).toEqual(['a', 'b']);
    expect(p.waits.get('c')).toMatchObject({ kind: 'slot' });
  });

  it('counts running tasks against the limit', () => {
    const ts = [task('r', { state: 'running' }), task('a'), task('b')];
    const p = plan({ tasks: ts, limits: limits({ defaultConcurrency: 2 }), gate: open, now: 0 });
    expect(ids(p.start)).toEqual(['a']);
  });

  it('a provider limit holds across all keys of that provider', () => {
    const ts = [task('a', { key: 'anthropic/opus' }), task('b', { key: 'anthropic/haiku' }), task('c', { key: 'openai/gpt' })];
    const p = plan({ tasks: ts, limits: limits({ providerConcurrency: { anthropic: 1 } }), gate: open, now: 0 });
    expect(ids(p.start)).toEqual(['a', 'c']);
  });

  it('a model limit applies together with its provider limit', () => {
    const ts = [task('a', { key: 'anthropic/opus' }), task('b', { key: 'anthropic/opus' }), task('c', { key: 'anthropic/haiku' })];
    const p = plan({ tasks: ts, limits: limits({ modelConcurrency: { 'anthropic/opus': 1 }, providerConcurrency: { anthropic: 2 } }), gate: open, now: 0 });
    expect(ids(p.start)).toEqual(['a', 'c']);
  });

  it('0 means unlimited', () => {
    const ts = Array.from({ length: 20 }, (_, i) => task(`t${i}`));
    expect(plan({ tasks: ts, limits: limits({ defaultConcurrency: 0 }), gate: open, now: 0 }).start).toHaveLength(20);
  });

  it('a blocked key never holds back another key', () => {
    const ts = [task('r', { state: 'running', key: 'x/a' }), task('a1', { key: 'x/a' }), task('b1', { key: 'y/b' })];
    const p = plan({ tasks: ts, limits: limits({ defaultConcurrency: 1 }), gate: open, now: 0 });
    expect(ids(p.start)).toEqual(['b1']);
  });

  it('higher priority starts first within a key', () => {
    const ts = [task('low'), task('high', { priority: 9 })];
    expect(ids(plan({ tasks: ts, limits: limits({ defaultConcurrency: 1 }), gate: open, now: 0 }).start)).toEqual(['high']);
  });

  it('the global cap holds across keys', () => {
    const ts = [task('a', { key: 'x/a' }), task('b', { key: 'y/b' }), task('c', { key: 'z/c' })];
    const p = plan({ tasks: ts, limits: limits({ maxConcurrentTasks: 2 }), gate: open, now: 0 });
    expect(ids(p.start)).toEqual(['a', 'b']);
    expect(p.waits.get('c')).toEqual({ kind: 'global-cap', cap: 2 });
  });

  it('a closed gate starts nothing and says why', () => {
    const p = plan({ tasks: [task('a')], limits: limits(), gate: { open: false, detail: 'memory 90% > 85%' }, now: 0 });
    expect(p.start).toEqual([]);
    expect(p.waits.get('a')).toEqual({ kind: 'gate', detail: 'memory 90% > 85%' });
  });

  it('dependents wait, then start once their dependency completed', () => {
    const dep = task('dep', { state: 'running' });
    const child = task('child', { after: ['dep'] });
    expect(plan({ tasks: [dep, child], limits: limits(), gate: open, now: 0 }).waits.get('child')).toEqual({ kind: 'dependency', on: ['dep'] });
    expect(ids(plan({ tasks: [{ ...dep, state: 'completed' }, child], limits: limits(), gate: open, now: 0 }).start)).toEqual(['child']);
  });

  it('a dependency that failed cancels the dependent, naming it', () => {
    const p = plan({ tasks: [task('dep', { state: 'error', cause: { kind: 'exit', code: 3 } }), task('child', { after: ['dep'] })], limits: limits(), gate: open, now: 0 });
    expect(p.cancel).toHaveLength(1);
    expect(p.cancel[0]!.cause).toEqual({ kind: 'dependency', on: 'dep', state: 'error', reason: 'exited with code 3' });
  });

  it('a task in retry backoff waits until its time and sets a wake-up', () => {
    const p = plan({ tasks: [task('a', { notBefore: 5_000 })], limits: limits(), gate: open, now: 1_000 });
    expect(p.start).toEqual([]);
    expect(p.wakeAt).toBe(5_000);
    expect(ids(plan({ tasks: [task('a', { notBefore: 5_000 })], limits: limits(), gate: open, now: 5_000 }).start)).toEqual(['a']);
  });
});

const MB = 1024 * 1024;

describe('the resource gate in the plan', () => {
  const closed = { open: false, detail: 'cpu 100% > 70%', minRunning: 1 };

  it('never holds the queue while fewer than minRunning of our tasks run', () => {
    const p = plan({ tasks: [task('a'), task('b')], limits: limits(), gate: closed, now: 0 });
    expect(ids(p.start)).toEqual(['a']);
    expect(p.waits.get('b')).toEqual({ kind: 'gate', detail: 'cpu 100% > 70%' });
  });

  it('holds once minRunning of ours run', () => {
    const p = plan({ tasks: [task('r', { state: 'running' }), task('a')], limits: limits(), gate: closed, now: 0 });
    expect(p.start).toEqual([]);
    expect(p.waits.get('a')).toMatchObject({ kind: 'gate' });
  });

  it('admits agents only while their expected memory fits: twenty claude agents cannot all start', () => {
    const ts = Array.from({ length: 20 }, (_, i) => task(`c${i}`, { agent: 'claude' }));
    const memory = { headroomBytes: 2000 * MB, percent: 85, expectedRss: (agent: string) => (agent === 'claude' ? 600 * MB : 20 * MB) };
    const p = plan({ tasks: ts, limits: limits({ defaultConcurrency: 0 }), gate: { open: true, detail: '', minRunning: 1, memory }, now: 0 });
    expect(ids(p.start)).toEqual(['c0', 'c1', 'c2']);
    const wait = p.waits.get('c3')!;
    expect(wait.kind).toBe('gate');
    expect(describeWait(wait)).toMatch(/memory.*claude.*600 MB/);
  });

  it('a small agent still starts beside one whose memory does not fit', () => {
    const ts = [task('big', { agent: 'claude' }), task('small', { agent: 'shell' })];
    const memory = { headroomBytes: 100 * MB, percent: 85, expectedRss: (agent: string) => (agent === 'claude' ? 600 * MB : 20 * MB) };
    const p = plan({ tasks: [task('r', { state: 'running' }), ...ts], limits: limits(), gate: { open: true, detail: '', minRunning: 1, memory }, now: 0 });
    expect(ids(p.start)).toEqual(['small']);
  });

  it('the first task starts even when memory is short (minRunning), and counts against what is left', () => {
    const ts = [task('a', { agent: 'claude' }), task('b', { agent: 'shell' })];
    const memory = { headroomBytes: 100 * MB, percent: 85, expectedRss: (agent: string) => (agent === 'claude' ? 600 * MB : 20 * MB) };
    const p = plan({ tasks: ts, limits: limits(), gate: { open: true, detail: '', minRunning: 1, memory }, now: 0 });
    expect(ids(p.start)).toEqual(['a']);
  });
});

describe('task classes', () => {
  const classes = limits({ defaultConcurrency: 0, classConcurrency: { e2e: 1, build: 2 } });

  it('a class limit holds across keys, in addition to the key limit, and says so', () => {
    const ts = [task('e1', { key: 'x/a', taskClass: 'e2e' }), task('e2', { key: 'y/b', taskClass: 'e2e' }), task('plain', { key: 'y/b' })];
    const p = plan({ tasks: ts, limits: classes, gate: open, now: 0 });
    expect(ids(p.start)).toEqual(['e1', 'plain']);
    const wait = p.waits.get('e2')!;
    expect(wait).toEqual({ kind: 'class', taskClass: 'e2e', running: 1, limit: 1 });
    expect(describeWait(wait)).toBe('no free slot in class e2e (1/1, classConcurrency)');
  });

  it('running tasks of a class count against its limit', () => {
    const ts = [task('r1', { state: 'running', taskClass: 'build' }), task('r2', { state: 'running', taskClass: 'build' }), task('b', { taskClass: 'build' })];
    expect(plan({ tasks: ts, limits: classes, gate: open, now: 0 }).start).toEqual([]);
  });

  it('the key limit still holds for a class with room', () => {
    const ts = [task('r', { state: 'running', key: 'x/a' }), task('b', { key: 'x/a', taskClass: 'build' })];
    const p = plan({ tasks: ts, limits: limits({ defaultConcurrency: 1, classConcurrency: { build: 2 } }), gate: open, now: 0 });
    expect(p.waits.get('b')).toMatchObject({ kind: 'slot' });
  });

  it('a class without a configured limit is unlimited', () => {
    const ts = [task('a', { taskClass: 'lint' }), task('b', { taskClass: 'lint' })];
    expect(plan({ tasks: ts, limits: classes, gate: open, now: 0 }).start).toHaveLength(2);
  });
});

describe('priority aging', () => {
  /** One slot; a priority-10 task arrives every second and takes the slot as soon as it frees. */
  function starveRun(priorityAgingMs: number, seconds: number): number | null {
    const low = task('low', { priority: 1, createdAt: 0 });
    let tasks: Task[] = [low];
    for (let s = 1; s <= seconds; s++) {
      const now = s * 1000;
      tasks = tasks.map((t) => (t.state === 'running' ? { ...t, state: 'completed' as const } : t));
      tasks.push(task(`hi${s}`, { priority: 10, createdAt: now }));
      const p = plan({ tasks, limits: limits({ defaultConcurrency: 1, priorityAgingMs }), gate: open, now });
      const started = new Set(ids(p.start));
      if (started.has('low')) return now;
      tasks = tasks.map((t) => (started.has(t.id) ? { ...t, state: 'running' as const } : t));
    }
    return null;
  }

  it('without aging, a priority-1 task starves behind a stream of priority-10 tasks', () => {
    expect(starveRun(0, 120)).toBeNull();
  });

  it('with aging (+1 per 10 s) it waits at most (10 - 1) x 10 s', () => {
    const startedAt = starveRun(10_000, 120);
    expect(startedAt).not.toBeNull();
    expect(startedAt!).toBeLessThanOrEqual(91_000);
  });

  it('keeps FIFO within equal priority however long they waited', () => {
    const ts = [task('old', { priority: 3, createdAt: 0 }), task('new', { priority: 3, createdAt: 9_999 })];
    for (const now of [10_000, 19_999, 55_000]) {
      expect(ids(plan({ tasks: ts, limits: limits({ defaultConcurrency: 1, priorityAgingMs: 10_000 }), gate: open, now }).start)).toEqual(['old']);
    }
  });

  it('ages from the end of a retry backoff, not from creation', () => {
    const retried = task('retried', { priority: 1, createdAt: 0, notBefore: 100_000 });
    const fresh = task('fresh', { priority: 2, createdAt: 99_000 });
    expect(ids(plan({ tasks: [retried, fresh], limits: limits({ defaultConcurrency: 1, priorityAgingMs: 10_000 }), gate: open, now: 100_000 }).start)).toEqual(['fresh']);
  });
});

describe('checkDependencies', () => {
  it('refuses unknown ids', () => {
    expect(checkDependencies({ id: 'n', after: ['ghost'] }, new Map())).toMatch(/unknown task id/);
  });
  it('refuses a task waiting for itself', () => {
    expect(checkDependencies({ id: 'n', after: ['n'] }, new Map([['n', { id: 'n', after: [] }]]))).toMatch(/itself/);
  });
  it('accepts a chain', () => {
    const existing = new Map([
      ['a', { id: 'a', after: [] }],
      ['b', { id: 'b', after: ['a'] }],
    ]);
    expect(checkDependencies({ id: 'n', after: ['b'] }, existing)).toBeNull();
  });
});
