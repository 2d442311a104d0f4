import { describe, expect, test } from 'vitest';
import { TaskClassifier } from '../../src/notify/strategy.js';
import { buildMessage } from '../../src/notify/message.js';
import { NotificationOptionsSchema, type NotificationOptionsInput } from '../../src/notify/options.js';
import type { Task } from '../../src/core/task.js';
import { ending, makeTask } from './task-factory.js';

const classifier = (o: NotificationOptionsInput = {}) => new TaskClassifier(NotificationOptionsSchema.parse(o));
const withPercent = (t: Task, percent: number): Task => ({ ...t, progress: { ...t.progress, percent } });

describe('which changes notify', () => {
  test('completion notifies endings allowed by events, not progress or starts', () => {
    const c = classifier();
    const t = makeTask();
    expect(c.classify(t, { ...t, state: 'pending' }).item).toBeNull();
    expect(c.classify(withPercent(t, 50), t).item).toBeNull();
    const done = ending('completed');
    expect(c.classify(done.task, done.previous).item?.kind).toBe('ended');
    const cancelled = ending('cancelled');
    expect(c.classify(cancelled.task, cancelled.previous)).toEqual({ ended: true, item: null });
  });

  test('an agent asking the person notifies once per question, with the question; silent sends nothing', () => {
    const running = makeTask();
    const waiting: Task = { ...running, state: 'waiting', question: 'Allow Bash `npm test`?' };
    const c = classifier();
    expect(c.classify(waiting, running).item).toEqual({ kind: 'waiting', task: waiting });
    expect(c.classify({ ...waiting, progress: { ...waiting.progress, toolCalls: 2 } }, waiting).item).toBeNull();
    expect(classifier({ strategy: 'silent' }).classify(waiting, running).item).toBeNull();
    expect(classifier({ events: { waiting: false } }).classify(waiting, running).item).toBeNull();
    const message = buildMessage({ items: [{ kind: 'waiting', task: waiting }], allDone: false, urgencyOnError: 'critical' });
    expect(message).toEqual({ title: `${waiting.id} needs your input`, body: `${waiting.title}: Allow Bash \`npm test\`?\npanecrew focus ${waiting.id}`, urgency: 'normal' });
  });

  test('an ending seen twice notifies once', () => {
    const c = classifier();
    const { task, previous } = ending('error');
    expect(c.classify(task, previous).item).not.toBeNull();
    expect(c.classify({ ...task, reason: 'updated' }, task)).toEqual({ ended: false, item: null });
  });

  test('milestone notifies each crossing of a multiple of min_progress_delta once', () => {
    const c = classifier({ strategy: 'milestone' });
    let prev = makeTask();
    const seen: (number | null)[] = [];
    for (const p of [10, 26, 30, 49, 51, 99, 100, 100]) {
      const next = withPercent(prev, p);
      const item = c.classify(next, prev).item;
      seen.push(item?.kind === 'progress' ? item.percent : null);
      prev = next;
    }
    expect(seen).toEqual([null, 26, null, null, 51, 99, 100, null]);
  });

  test('a larger min_progress_delta means fewer milestones', () => {
    const c = classifier({ strategy: 'milestone', min_progress_delta: 50 });
    const t = makeTask();
    expect(c.classify(withPercent(t, 30), t).item).toBeNull();
    expect(c.classify(withPercent(t, 60), withPercent(t, 30)).item).toMatchObject({ kind: 'progress', percent: 60 });
  });

  test('verbose also notifies a start', () => {
    const c = classifier({ strategy: 'verbose' });
    const t = makeTask();
    expect(c.classify(t, { ...t, state: 'pending' }).item?.kind).toBe('started');
    expect(c.classify(withPercent(t, 25), t).item?.kind).toBe('progress');
  });
});
