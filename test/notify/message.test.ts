import { describe, expect, test } from 'vitest';
import { buildMessage, type NotifyItem } from '../../src/notify/message.js';
import { ending, makeTask } from './task-factory.js';

const ended = (...args: Parameters<typeof ending>): NotifyItem => ({ kind: 'ended', task: ending(...args).task });
const build = (items: NotifyItem[], allDone = false) => buildMessage({ items, allDone, urgencyOnError: 'critical' });

describe('notification text', () => {
  test('an interrupted task shows its reason and a short duration', () => {
    expect(build([ended('interrupt', { title: 'Hang', reason: 'no output for 10m' }, 4_200)])).toEqual({
      title: 'Hang — interrupted',
      body: 'explore · interrupted in 4.2s\nno output for 10m',
      urgency: 'normal',
    });
  });

  test('a task that never started has no duration', () => {
    const item = ended('cancelled', { startedAt: null, title: 'Never ran' });
    expect(build([item]).body).toBe('explore · cancelled\nagent cancelled');
  });

  test('a long batch is cut after eight lines', () => {
    const items = Array.from({ length: 11 }, (_, i) => ended('completed', { title: `t${i}` }));
    const m = build(items, true);
    expect(m.title).toBe('11 tasks finished');
    expect(m.body.split('\n')).toHaveLength(10);
    expect(m.body).toContain('…and 3 more\nAll background tasks complete.');
  });

  test('progress alone is low urgency', () => {
    const task = { ...makeTask({ title: 'Index' }), progress: { toolCalls: 3, percent: 50, step: 'Read a.ts' } };
    expect(build([{ kind: 'progress', task, percent: 50 }])).toEqual({ title: 'Index — 50%', body: 'explore · Read a.ts', urgency: 'low' });
  });

  test('a mixed batch counts each kind', () => {
    const t = makeTask({ title: 'S' });
    expect(build([ended('error'), { kind: 'started', task: t }]).title).toBe('1 task finished, 1 failed · 1 started');
  });
});
