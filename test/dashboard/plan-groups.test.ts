// The dashboard's table groups a plan's tasks under a header with a progress line per phase.
import { describe, expect, test } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { frameText } from '../../src/dashboard/frame.js';
import { handleKey } from '../../src/dashboard/keys.js';
import { initialState, replaceTasks, type DashboardState } from '../../src/dashboard/state.js';
import { renderView } from '../../src/dashboard/view.js';
import { displayWidth } from '../../src/render/width.js';
import { stats, task } from './fixtures.js';

const NOW = 2_000_000;
const PLAN = { id: 'pl_abcd1234', name: 'api feature', artifacts: '/tmp/plan', refs: {} };

function planTask(node: string, over: Partial<ListedTask> = {}): ListedTask {
  return task({ title: node, plan: { ...PLAN, node }, ...over });
}

function feature(): ListedTask[] {
  const contract = planTask('contract', { state: 'completed', endedAt: NOW - 5000 });
  const backend = planTask('backend', { after: [contract.id] });
  const frontend = planTask('frontend', { after: [contract.id], state: 'completed', endedAt: NOW - 100 });
  const integration = planTask('integration', { after: [backend.id, frontend.id], state: 'pending', startedAt: null });
  return [contract, backend, frontend, integration];
}

const state = (tasks: ListedTask[]): DashboardState => replaceTasks({ ...initialState(false), connection: { state: 'connected' }, stats: stats() }, tasks);
const text = (s: DashboardState, width = 160, height = 40) => frameText(renderView(s, { width, height, now: NOW }).frame);
const key = (s: DashboardState, ch: string, name: string) => handleKey(s, ch, { name, full: name, ctrl: false }, 10).state;

describe('plans in the dashboard', () => {
  test('a header per plan, a progress line per phase, each phase’s tasks under it; other tasks as before', () => {
    const plan = feature();
    const solo = task({ title: 'solo job' });
    const lines = text(state([...plan, solo])).split('\n');
    const at = (needle: string) => lines.findIndex((l) => l.includes(needle));
    expect(lines[at('plan api feature')]).toMatch(/plan api feature\s+pl_abcd1234\s+running\s+2\/4 done/);
    expect(lines[at('phase 1/3')]).toContain('phase 1/3 contract: 1 done');
    expect(lines[at('phase 2/3')]).toContain('phase 2/3 backend, frontend: 1 running, 1 done');
    expect(lines[at('phase 3/3')]).toContain('phase 3/3 integration: 1 queued');
    const order = [solo.id, 'plan api feature', 'phase 1/3', plan[0]!.id, 'phase 2/3', plan[1]!.id, plan[2]!.id, 'phase 3/3', plan[3]!.id].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test('a phase lists its tasks by name (numbers in order) whatever order they arrive in', () => {
    const fanned = [2, 10, 0, 1].map((i) => planTask(`explore[${i}]`, { createdAt: NOW }));
    const count = planTask('count', { createdAt: NOW });
    for (const arrival of [[...fanned, count], [count, ...fanned].reverse()]) {
      expect(text(state(arrival))).toContain('phase 1/1 count, explore[0], explore[1], explore[2], explore[10]: 5 running');
    }
  });

  test('↑↓ move over tasks only, across the plan’s headers', () => {
    const plan = feature();
    const solo = task({ title: 'solo job' });
    let s = state([...plan, solo]);
    expect(s.selectedId).toBe(solo.id);
    const seen = [s.selectedId];
    for (let i = 0; i < 5; i++) seen.push((s = key(s, 'j', 'down')).selectedId);
    expect(seen).toEqual([solo.id, plan[0]!.id, plan[1]!.id, plan[2]!.id, plan[3]!.id, plan[3]!.id]);
    s = key(s, 'k', 'up');
    expect(s.selectedId).toBe(plan[2]!.id);
  });

  test('narrow windows: every line fits, and a phase line keeps its counts when the names are cut', () => {
    const many = Array.from({ length: 8 }, (_, i) => planTask(`explore[${i}] a long area name`));
    const s = state([...feature(), ...many]);
    for (const width of [40, 60, 80, 100]) {
      const { frame } = renderView(s, { width, height: 40, now: NOW });
      expect(frame.lines.every((l) => l.reduce((w, seg) => w + displayWidth(seg.text), 0) === width)).toBe(true);
      const phase1 = frameText(frame).split('\n').find((l) => l.includes('phase 1/3'))!;
      expect(phase1, `${width} columns`).toContain(': 8 running, 1 done');
    }
  });

  test('scrolling back up onto a plan’s first task shows its header and phase line', () => {
    const plan = Array.from({ length: 30 }, (_, i) => planTask(`area[${i}]`));
    let s = state(plan);
    // The app stores the scroll each frame; do the same here, key by key.
    const step = (name: string) => {
      s = key(s, name === 'down' ? 'j' : 'k', name);
      s = { ...s, scroll: renderView(s, { width: 120, height: 24, now: NOW }).scroll };
    };
    for (let i = 0; i < 40; i++) step('down');
    while (s.selectedId !== plan[0]!.id) step('up');
    const shown = text(s, 120, 24);
    expect(shown).toContain('plan api feature');
    expect(shown).toContain('phase 1/1 area[0]');
  });
});
