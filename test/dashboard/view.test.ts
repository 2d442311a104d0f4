import { describe, expect, test } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { contentNeeds, layoutColumns } from '../../src/dashboard/columns.js';
import { frameText, type Frame } from '../../src/dashboard/frame.js';
import { handleKey } from '../../src/dashboard/keys.js';
import { applyEvent, initialState, replaceTasks, type DashboardState } from '../../src/dashboard/state.js';
import { renderView } from '../../src/dashboard/view.js';
import { displayWidth } from '../../src/render/width.js';
import { stats, task } from './fixtures.js';

const NOW = 2_000_000;

function state(tasks: ListedTask[], over: Partial<DashboardState> = {}): DashboardState {
  return replaceTasks({ ...initialState(false), connection: { state: 'connected' }, stats: stats(), ...over }, tasks);
}

const text = (s: DashboardState, width = 160, height = 40): string => frameText(renderView(s, { width, height, now: NOW }).frame);

function widths(frame: Frame): number[] {
  return frame.lines.map((l) => l.reduce((w, seg) => w + displayWidth(seg.text), 0));
}

const key = (s: DashboardState, ch: string, name?: string) => handleKey(s, ch, { name: name ?? ch, full: name ?? ch, ctrl: false }, 10);

describe('the frame', () => {
  test('every line is exactly the terminal width, at every size, with wide and emoji titles', () => {
    const tasks = [
      task({ title: 'Refactor 世界 auth 🎉🧪 with a long title that goes on and on', progress: { toolCalls: 2, percent: 30, step: '読み込み src/auth.ts' } }),
      task({ state: 'pending', startedAt: null, title: '👨‍👩‍👧 family 🇯🇵', waiting: 'no free slot (local/shell 1/1)' }),
      task({ state: 'completed', endedAt: NOW - 10, title: 'ÉTÉ café 한국어', reason: null, resultPreview: '結果 ok' }),
    ];
    const s = { ...state(tasks), detail: { taskId: tasks[0]!.id, output: 'line 世界\n\u001b[31mred 🎉\u001b[0m\n', truncated: false, result: null } };
    for (const width of [30, 41, 59, 60, 79, 80, 100, 120, 161, 200]) {
      for (const height of [8, 12, 20, 24, 40, 60]) {
        const { frame } = renderView(s, { width, height, now: NOW });
        expect(frame.lines).toHaveLength(height);
        expect(widths(frame).every((w) => w === width), `${width}x${height}:\n${frameText(frame)}`).toBe(true);
      }
    }
  });

  test('a terminal below the minimum says so instead of drawing over itself', () => {
    expect(text(state([task()]), 20, 5)).toContain('20x5 is too small');
  });
});

describe('the task table', () => {
  test('shows id, title, agent, model/key, state, time, progress, tokens and step on a wide terminal', () => {
    const t = task({ title: 'Review', progress: { toolCalls: 3, percent: 45, step: 'Read src/auth.ts' }, usage: { inputTokens: 12_000, outputTokens: 345, costUsd: 0.123 }, startedAt: NOW - 65_000 });
    const out = text(state([t]), 180);
    const row = out.split('\n').find((l) => l.includes(t.id))!;
    for (const part of ['● ', 'Review', 'shell', 'local/shell', 'running', '1m05s', '45%', '12.3k $0.123', 'Read src/auth.ts']) expect(row).toContain(part);
  });

  test('columns drop by priority as the terminal narrows; title, state and time stay', () => {
    const names = (w: number) => layoutColumns(w).map((p) => p.column.id);
    expect(names(150)).toEqual(['symbol', 'id', 'title', 'agent', 'key', 'state', 'time', 'progress', 'tokens', 'step']);
    expect(names(80)).not.toContain('tokens');
    expect(names(60)).toEqual(expect.arrayContaining(['symbol', 'title', 'time', 'id']));
    expect(names(60)).not.toContain('agent');
    expect(names(28)).toEqual(['symbol', 'title', 'time']);
    for (const w of [28, 40, 60, 80, 100, 150, 300]) {
      const cols = layoutColumns(w);
      expect(cols.reduce((s, c) => s + c.width, 0) + cols.length - 1).toBe(w);
    }
  });

  test('the step column gets the width its rows need; a long title is cut before it', () => {
    const waiting = 'waiting for bg_aaaaaaaa and bg_bbbbbbbb to complete';
    const t = task({ state: 'pending', startedAt: null, title: 'Refactor the authentication module and its tests', waiting });
    const row = text(state([t]), 160).split('\n').find((l) => l.includes(t.id))!;
    expect(row).toContain(waiting);
    expect(row).toContain('Refactor the');
  });

  test('a short title leaves its room to the step column', () => {
    const step = 'Read src/controller/engine.ts, src/controller/runtime.ts and src/controller/recovery.ts';
    const t = task({ title: 'Review', progress: { toolCalls: 3, step } });
    const cols = layoutColumns(140, undefined, contentNeeds([t]));
    expect(cols.find((c) => c.column.id === 'title')!.width).toBe(10);
    expect(text(state([t]), 180).split('\n').find((l) => l.includes(t.id))).toContain('recovery.ts');
  });

  test('a pending task shows why it waits', () => {
    const out = text(state([task(), task({ state: 'pending', startedAt: null, waiting: 'no free slot (local/shell 1/1)' })]));
    expect(out).toContain('no free slot (local/shell 1/1)');
    expect(out).toContain('queued');
  });

  test('progress is a bar with a percentage when known, activity or idle time otherwise', () => {
    const busy = task({ progress: { toolCalls: 1, lastActivityAt: NOW - 1000 } });
    const idle = task({ progress: { toolCalls: 1, lastActivityAt: NOW - 45_000 } });
    const out = text(state([busy, idle]), 180);
    expect(out.split('\n').find((l) => l.includes(busy.id))).toContain('███');
    expect(out.split('\n').find((l) => l.includes(idle.id))).toContain('idle 45s');
  });

  test('running tasks come first, then the queue, then what ended, newest first', () => {
    const done1 = task({ state: 'completed', endedAt: NOW - 5000 });
    const done2 = task({ state: 'error', endedAt: NOW - 1000, reason: 'exit 1' });
    const queued = task({ state: 'pending', startedAt: null });
    const running = task();
    const out = text(state([done1, done2, queued, running]));
    const order = [running, queued, done2, done1].map((t) => out.indexOf(t.id));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test('hundreds of tasks scroll so the selection stays in sight', () => {
    const tasks = Array.from({ length: 300 }, () => task({ state: 'pending', startedAt: null }));
    let s = state(tasks);
    for (let i = 0; i < 250; i++) s = key(s, 'j', 'down').state;
    const view = renderView(s, { width: 120, height: 40, now: NOW });
    expect(frameText(view.frame)).toContain(tasks[250]!.id);
    expect(frameText(view.frame)).not.toContain(tasks[0]!.id);
    expect(frameText(view.frame)).toMatch(/tasks \d+-251 of 300/);
  });
});

describe('the concurrency picture', () => {
  test('per key running/limit and queue, the global cap and the gate', () => {
    const s = state([task()], {
      stats: stats({
        running: 3,
        pending: 2,
        globalCap: 4,
        gate: { enabled: true, open: false, detail: 'cpu 91% > 70%' },
        keys: [
          { key: 'local/shell', running: 1, pending: 1, limit: 1, limitSource: 'modelConcurrency' },
          { key: 'anthropic/claude-sonnet-4-5', running: 2, pending: 1, limit: 3, limitSource: 'providerConcurrency' },
        ],
      }),
    });
    const out = text(s);
    expect(out).toContain('local/shell 1/1 +1 queued');
    expect(out).toContain('anthropic/claude-sonnet-4-5 2/3 +1 queued');
    expect(out).toContain('global 3/4 running · 2 queued');
    expect(out).toContain('resource gate CLOSED: cpu 91% > 70%');
  });
});

describe('the detail pane', () => {
  test('shows the prompt, the wait reason, and the last lines of output without escape codes', () => {
    const t = task({ prompt: 'echo one\necho two', state: 'pending', startedAt: null, waiting: 'waiting for bg_aaaaaaaa' });
    const output = Array.from({ length: 50 }, (_, i) => `\u001b[32mline ${i}\u001b[0m`).join('\n');
    const out = text({ ...state([t]), detail: { taskId: t.id, output, truncated: false, result: null } });
    expect(out).toContain('prompt  echo one ⏎ echo two');
    expect(out).toContain('waits   waiting for bg_aaaaaaaa');
    expect(out).toContain('line 49');
    expect(out).not.toContain('line 0\n');
    expect(out).not.toContain('[32m');
  });

  test('shows the result of a completed task and the reason of a failed one', () => {
    const ok = task({ state: 'completed', endedAt: NOW });
    expect(text({ ...state([ok]), detail: { taskId: ok.id, output: '', truncated: false, result: '# Findings\nall good' } })).toContain('result  # Findings');
    const bad = task({ state: 'error', endedAt: NOW, reason: 'exit code 2' });
    expect(text(state([bad]))).toContain('reason  exit code 2');
  });
});

describe('selection, filter and finished tasks', () => {
  test('the selection follows its task when the rows reorder', () => {
    const a = task();
    const b = task({ state: 'pending', startedAt: null });
    let s = key(state([a, b]), 'j', 'down').state;
    expect(s.selectedId).toBe(b.id);
    s = applyEvent(s, { event: 'task', task: { ...b, state: 'running', startedAt: NOW } });
    s = applyEvent(s, { event: 'task', task: { ...a, state: 'completed', endedAt: NOW } });
    expect(s.selectedId).toBe(b.id);
  });

  test('when the selected task goes away the row at its place is selected', () => {
    const [a, b, c] = [task(), task(), task()];
    let s = key(state([a!, b!, c!]), 'j', 'down').state;
    s = applyEvent(s, { event: 'removed', ids: [b!.id] });
    expect(s.selectedId).toBe(c!.id);
  });

  test('/ filters by id, title, agent, model or state; Esc clears', () => {
    const a = task({ title: 'alpha review' });
    const b = task({ title: 'beta build' });
    let s = key(state([a, b]), '/').state;
    for (const ch of 'beta') s = key(s, ch).state;
    expect(text(s)).toContain(b.id);
    expect(text(s)).not.toContain(a.id);
    expect(s.selectedId).toBe(b.id);
    s = key(s, '', 'escape').state;
    expect(s.filter).toBe('');
    expect(text(s)).toContain(a.id);
  });

  test('a hides and shows finished tasks', () => {
    const done = task({ state: 'completed', endedAt: NOW });
    const live = task();
    let s = key(state([done, live]), 'a').state;
    expect(text(s)).not.toContain(done.id);
    expect(text(s)).toContain('finished hidden');
    s = key(s, 'a').state;
    expect(text(s)).toContain(done.id);
  });
});

describe('keys', () => {
  test('c asks first; y cancels the selected task, anything else keeps it', () => {
    const t = task();
    const asked = key(state([t]), 'c');
    expect(asked.action).toBeUndefined();
    expect(text(asked.state)).toContain(`Cancel ${t.id}`);
    expect(key(asked.state, 'y').action).toEqual({ kind: 'cancel', taskId: t.id });
    const kept = key(asked.state, 'n');
    expect(kept.action).toBeUndefined();
    expect(kept.state.overlay.kind).toBe('none');
  });

  test('c on a task that has ended says so instead of asking', () => {
    const r = key(state([task({ state: 'completed', endedAt: NOW })]), 'c');
    expect(r.state.overlay.kind).toBe('none');
    expect(r.state.message?.error).toBe(true);
  });

  test('Enter focuses, r relaunches, q and Ctrl-C quit', () => {
    const s = state([task()]);
    expect(handleKey(s, '\r', { name: 'return', full: 'return', ctrl: false }, 10).action).toEqual({ kind: 'focus' });
    expect(key(s, 'r').action).toEqual({ kind: 'relaunch' });
    expect(key(s, 'q').action).toEqual({ kind: 'quit' });
    expect(handleKey(s, undefined, { name: 'c', full: 'C-c', ctrl: true }, 10).action).toEqual({ kind: 'quit' });
  });

  test('Enter after a filter keeps the filter and focuses nothing (blessed sends enter, then return)', () => {
    let s = key(state([task({ state: 'error', endedAt: NOW, reason: 'exit 1' }), task()]), '/').state;
    for (const ch of 'error') s = key(s, ch).state;
    const enter = handleKey(s, '\r', { name: 'enter', full: 'enter', ctrl: false }, 10);
    const ret = handleKey(enter.state, '\r', { name: 'return', full: 'return', ctrl: false }, 10);
    expect([enter.action, ret.action]).toEqual([undefined, undefined]);
    expect(ret.state.filter).toBe('error');
    expect(ret.state.overlay.kind).toBe('none');
  });

  test('? shows the help and any key closes it', () => {
    const s = key(state([task()]), '?').state;
    expect(text(s)).toContain('show or hide finished tasks');
    expect(key(s, 'x').state.overlay.kind).toBe('none');
  });

  test('o shows the whole output, following its end until scrolled', () => {
    const t = task();
    const output = Array.from({ length: 200 }, (_, i) => `out ${i}`).join('\n');
    let s: DashboardState = { ...state([t]), detail: { taskId: t.id, output, truncated: false, result: null } };
    s = key(s, 'o').state;
    let view = renderView(s, { width: 100, height: 30, now: NOW });
    expect(frameText(view.frame)).toContain('out 199');
    if (s.overlay.kind === 'output') s.overlay.top = view.outputTop;
    s = key(s, 'g').state;
    view = renderView(s, { width: 100, height: 30, now: NOW });
    expect(frameText(view.frame)).toMatch(/│out 0 /);
    expect(frameText(view.frame)).not.toContain('out 199');
    expect(key(s, '', 'escape').state.overlay.kind).toBe('none');
  });
});

describe('the connection', () => {
  test('a controller that went away shows in the header with the retry countdown', () => {
    const s = state([task()], { connection: { state: 'lost', error: 'no controller answers', retryAt: NOW + 2000 } });
    expect(text(s).split('\n')[0]).toContain('controller unreachable, retrying in 2s: no controller answers');
  });

  test('a controller that refused the dashboard shows why, with no retry promised', () => {
    const s = state([task()], { connection: { state: 'failed', error: 'unknown field all' } });
    const header = text(s).split('\n')[0]!;
    expect(header).toContain('✗ unknown field all (q quits)');
    expect(header).not.toContain('retrying');
  });
});
