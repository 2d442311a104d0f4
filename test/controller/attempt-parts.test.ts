// The pure parts of an attempt: how it ended, what a restart does with it, the cause's state and
// sentence, the task view derived from its attempts, the transition tables.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideOutcome } from '../../src/attempt/outcome.js';
import { recoveryOf } from '../../src/attempt/recover.js';
import { keyStats } from '../../src/controller/stats.js';
import { TaskStore } from '../../src/controller/store.js';
import { describeCause, stateOf } from '../../src/core/cause.js';
import { Journal } from '../../src/core/journal.js';
import { newTaskRecord, viewOf, type Attempt } from '../../src/core/task.js';
import { TransitionError } from '../../src/core/transitions.js';
import { upgradeRecord } from '../../src/core/upgrade.js';
import { ProfileSchema } from '../../src/runner/profile-schema.js';
import type { ParseState } from '../../src/runner/parsers/index.js';

const retry = { attempts: 3, backoffMs: 1_000, maxBackoffMs: 60_000, factor: 2 };
const parsed = (over: Partial<ParseState> = {}): ParseState => ({ toolCalls: 0, inputTokens: 0, outputTokens: 0, ...over }) as ParseState;
const exit = (code: number, signal: string | null = null, note: string | null = null) => ({ code, signal, note, startedAt: 1, endedAt: 2 });
const flaky = ProfileSchema.parse({ command: ['x'], retry_exit_codes: [75] });

describe('an attempt ends with one cause', () => {
  it('exit 0 completes; exit 0 with an error the agent reported is an error', () => {
    expect(decideOutcome({ attempt: 1, exit: exit(0), parsed: parsed(), profile: undefined, retry })).toEqual({ kind: 'exit', code: 0 });
    const bad = decideOutcome({ attempt: 1, exit: exit(0), parsed: parsed({ isError: true, errorMessage: 'overloaded\nmore' }), profile: undefined, retry });
    expect(bad).toEqual({ kind: 'agent-error', message: 'overloaded' });
    expect(stateOf(bad)).toBe('error');
  });

  it('a retryable exit requeues with a growing backoff until the attempts run out', () => {
    const first = decideOutcome({ attempt: 1, exit: exit(75), parsed: parsed(), profile: flaky, retry });
    expect(first).toMatchObject({ kind: 'retry', code: 75, attempt: 1, of: 3 });
    // The first retry waits backoffMs, ±10 % jitter so that retries spread out.
    expect(first.kind === 'retry' && first.delayMs).toBeGreaterThanOrEqual(900);
    expect(first.kind === 'retry' && first.delayMs).toBeLessThanOrEqual(1_100);
    expect(stateOf(first)).toBe('pending');
    expect(describeCause(first)).toBe('attempt 1/3 exited 75 (rate limited?); retrying in 1s');
    const last = decideOutcome({ attempt: 3, exit: exit(75), parsed: parsed(), profile: flaky, retry });
    expect(last).toEqual({ kind: 'exit', code: 75, gaveUpAfter: 3 });
    expect(describeCause(last)).toBe('exited with code 75 (gave up after 3 attempts)');
  });

  it('a signal, a runner note and a plain failure each say what happened', () => {
    expect(decideOutcome({ attempt: 1, exit: exit(143, 'TERM', 'runner received SIGTERM'), parsed: parsed(), profile: undefined, retry })).toEqual({
      kind: 'signal',
      signal: 'TERM',
      note: 'runner received SIGTERM',
    });
    expect(decideOutcome({ attempt: 1, exit: exit(127, null, 'cannot enter the working directory'), parsed: parsed(), profile: undefined, retry })).toEqual({
      kind: 'not-runnable',
      note: 'cannot enter the working directory',
    });
    expect(describeCause(decideOutcome({ attempt: 1, exit: exit(2), parsed: parsed({ step: 'Read a.ts' }), profile: undefined, retry }))).toBe(
      'exited with code 2: Read a.ts',
    );
  });

  it('maps every cause to the state it leaves the task in', () => {
    expect(stateOf({ kind: 'stale', quietMs: 1 })).toBe('interrupt');
    expect(stateOf({ kind: 'cancel', by: 'x' })).toBe('cancelled');
    expect(stateOf({ kind: 'dependency', on: 'bg_x', state: 'error', reason: null })).toBe('cancelled');
    expect(stateOf({ kind: 'idle', afterMs: 1 })).toBe('completed');
    expect(stateOf({ kind: 'vanished', pid: 1 })).toBe('error');
  });
});

describe('after a restart', () => {
  const attempt = (over: Partial<Attempt>): Attempt => ({ n: 1, state: 'running', startedAt: 1, pid: 100, ...over });
  const facts = (over: Partial<Parameters<typeof recoveryOf>[1]> = {}) => ({ exitRecorded: false, startedPid: 100, alive: () => false, ...over });

  it('an attempt still preparing never started its agent: requeue', () => {
    expect(recoveryOf(attempt({ state: 'preparing', pid: undefined }), facts({ startedPid: null }))).toEqual({ kind: 'requeue' });
  });
  it('a live runner or an exit record is adopted, by the journal pid or the runner\'s own record', () => {
    expect(recoveryOf(attempt({}), facts({ alive: (p) => p === 100 }))).toEqual({ kind: 'adopt', pid: 100 });
    expect(recoveryOf(attempt({ state: 'starting', pid: undefined }), facts({ startedPid: 7, alive: (p) => p === 7 }))).toEqual({ kind: 'adopt', pid: 7 });
    expect(recoveryOf(attempt({}), facts({ exitRecorded: true }))).toEqual({ kind: 'adopt', pid: 100 });
  });
  it('starting without a started record is requeued; a started runner gone without a record is lost', () => {
    expect(recoveryOf(attempt({ state: 'starting', pid: undefined }), facts({ startedPid: null }))).toEqual({ kind: 'requeue' });
    expect(recoveryOf(attempt({}), facts())).toEqual({ kind: 'lost', pid: 100 });
  });
});

describe('the task view', () => {
  const base = newTaskRecord({ id: 'bg_00000001', title: 't', agent: 'shell', model: null, key: 'local/shell', provider: 'local', prompt: 'x', cwd: '/' });

  it('a requeued task carries none of the previous attempt\'s pid, pane or exit code', () => {
    const cause = { kind: 'retry' as const, code: 75, attempt: 1, of: 3, delayMs: 1000 };
    const view = viewOf({ ...base, state: 'pending', cause, attempts: [{ n: 1, state: 'ended', startedAt: 1, endedAt: 2, pid: 9, paneId: '%3', placement: 'pane', exitCode: 75, cause }] });
    expect(view).toMatchObject({ pid: null, paneId: null, placement: null, exitCode: null, startedAt: null, reason: 'attempt 1/3 exited 75 (rate limited?); retrying in 1s' });
  });

  it('an ended task shows its last attempt', () => {
    const view = viewOf({ ...base, state: 'error', cause: { kind: 'exit', code: 7 }, attempts: [{ n: 1, state: 'ended', startedAt: 5, pid: 9, paneId: '%3', placement: 'pane', exitCode: 7 }] });
    expect(view).toMatchObject({ pid: 9, paneId: '%3', exitCode: 7, startedAt: 5, reason: 'exited with code 7' });
  });

  it('a record from panecrew 0.1 is upgraded: its pid and pane move into its attempt, its reason is kept', () => {
    const old = { ...base, state: 'running', reason: null, pid: 42, paneId: '%1', placement: 'pane', attempts: [{ n: 1, startedAt: 3 }] } as unknown as Parameters<typeof upgradeRecord>[0];
    delete (old as { cause?: unknown }).cause;
    const up = upgradeRecord(old);
    expect(up.attempts[0]).toMatchObject({ n: 1, state: 'running', pid: 42, paneId: '%1', placement: 'pane' });
    expect(up.cause).toBeNull();
    const ended = upgradeRecord({ ...old, state: 'error', reason: 'exited with code 3', exitCode: 3 } as typeof old);
    expect(viewOf(ended)).toMatchObject({ reason: 'exited with code 3', exitCode: 3 });
  });
});

describe('the store', () => {
  const store = () => {
    const dir = mkdtempSync(join(tmpdir(), 'panecrew-store-'));
    const journal = new Journal(join(dir, 'journal.jsonl'), join(dir, 'snapshot.json'));
    return new TaskStore(journal, journal.replay().tasks);
  };
  const task = newTaskRecord({ id: 'bg_00000002', title: 't', agent: 'shell', model: null, key: 'local/shell', provider: 'local', prompt: 'x', cwd: '/' });

  it('refuses an illegal task transition loudly and changes nothing', () => {
    const s = store();
    s.create(task);
    s.update(task.id, { state: 'cancelled', cause: { kind: 'cancel', by: 'test' } });
    expect(() => s.update(task.id, { state: 'running' })).toThrow(TransitionError);
    expect(s.must(task.id).state).toBe('cancelled');
  });

  it('moves an attempt only forward, and journals it with its task', () => {
    const s = store();
    s.create(task);
    s.beginAttempt(task.id, 10);
    expect(s.must(task.id)).toMatchObject({ state: 'running', attempts: [{ n: 1, state: 'preparing' }] });
    s.updateAttempt(task.id, 1, { state: 'starting' });
    expect(() => s.updateAttempt(task.id, 1, { state: 'preparing' })).toThrow(/cannot go from starting to preparing/);
    s.updateAttempt(task.id, 1, { state: 'ended', cause: { kind: 'exit', code: 0 } }, { state: 'completed', cause: { kind: 'exit', code: 0 } });
    expect(s.must(task.id)).toMatchObject({ state: 'completed', attempts: [{ n: 1, state: 'ended' }] });
  });
});

describe('queue figures', () => {
  it('a task waiting for a dependency is not counted as queued against its key', () => {
    const t = (id: string, state: 'running' | 'pending') => ({ ...newTaskRecord({ id, title: id, agent: 'shell', model: null, key: 'local/shell', provider: 'local', prompt: 'x', cwd: '/' }), state });
    const tasks = [t('bg_00000010', 'running'), t('bg_00000011', 'pending'), t('bg_00000012', 'pending')];
    const limits = { defaultConcurrency: 2, providerConcurrency: {}, modelConcurrency: {}, maxConcurrentTasks: 0, classConcurrency: {} } as unknown as Parameters<typeof keyStats>[1];
    expect(keyStats(tasks, limits, (id) => id === 'bg_00000012')).toEqual([{ key: 'local/shell', running: 1, pending: 1, limit: 2, limitSource: 'defaultConcurrency' }]);
  });
});
