// Task text in the dashboard cannot drive the terminal: every frame segment is inert.
import { describe, expect, test } from 'vitest';
import { frameText } from '../../src/dashboard/frame.js';
import { handleKey } from '../../src/dashboard/keys.js';
import { initialState, replaceTasks } from '../../src/dashboard/state.js';
import { renderView } from '../../src/dashboard/view.js';
import { PAYLOADS, RAW } from '../render/payloads.js';
import { stats, task } from './fixtures.js';

const NOW = 2_000_000;

describe('hostile task text in the dashboard', () => {
  test('titles, keys, cwd, steps, reasons, prompts, results and output reach the frame inert', () => {
    const bad = PAYLOADS.join(' ');
    const tasks = [
      task({ id: 'bg_00000001', title: `t ${bad}`, key: bad, agent: bad, cwd: bad, prompt: bad, progress: { toolCalls: 0, step: bad } }),
      task({ id: 'bg_00000002', state: 'pending', startedAt: null, title: bad, waiting: bad }),
      task({ id: 'bg_00000003', state: 'error', endedAt: NOW, title: bad, reason: bad, resultPreview: bad }),
    ];
    const base = replaceTasks({ ...initialState(false), connection: { state: 'connected' }, stats: stats({ keys: [{ key: bad, running: 1, pending: 0, limit: 1, limitSource: 'modelConcurrency' }] }) }, tasks);
    const views = tasks.flatMap((t) => {
      const s = { ...base, selectedId: t.id, detail: { taskId: t.id, output: bad, truncated: false, result: bad } };
      const cancel = handleKey(s, 'c', { name: 'c', full: 'c', ctrl: false }, 10).state;
      const output = handleKey(s, 'o', { name: 'o', full: 'o', ctrl: false }, 10).state;
      return [s, cancel, output].map((v) => renderView(v, { width: 200, height: 60, now: NOW }).frame);
    });
    for (const frame of views) {
      const segments = frame.lines.flat().map((seg) => seg.text).join('');
      for (const raw of RAW) expect(segments.includes(raw), `raw ${JSON.stringify(raw)} in\n${frameText(frame)}`).toBe(false);
    }
    expect(frameText(views[0]!)).toContain('␛[2J');
  });
});
