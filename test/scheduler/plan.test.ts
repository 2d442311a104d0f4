import { describe, expect, it } from 'vitest';
import { newTaskRecord, type TaskRecord as Task } from '../../src/core/task.js';
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
