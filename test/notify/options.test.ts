import { describe, expect, test } from 'vitest';
import { NotificationOptionsSchema } from '../../src/notify/options.js';

describe('notification options', () => {
  test('an empty section gives every default', () => {
    expect(NotificationOptionsSchema.parse({})).toEqual({
      strategy: 'completion',
      events: { completed: true, error: true, interrupt: true, cancelled: false, waiting: true },
      throttle_ms: 2000,
      batch_window_ms: 1500,
      min_progress_delta: 25,
      all_done: true,
      desktop: { enabled: true, sound: false, urgency_on_error: 'critical' },
      tmux: { enabled: true, duration_ms: 4000 },
      bell: { enabled: true },
      command: { enabled: false, argv: [], timeout_ms: 10_000 },
    });
  });

  test('durations may be written with units', () => {
    const o = NotificationOptionsSchema.parse({ throttle_ms: '5s', batch_window_ms: '250ms', tmux: { duration_ms: '1m' } });
    expect([o.throttle_ms, o.batch_window_ms, o.tmux.duration_ms]).toEqual([5000, 250, 60_000]);
  });

  test('a partial channel section keeps the other defaults', () => {
    expect(NotificationOptionsSchema.parse({ desktop: { sound: true } }).desktop).toEqual({ enabled: true, sound: true, urgency_on_error: 'critical' });
  });

  test('an unknown key is an error naming it', () => {
    const r = NotificationOptionsSchema.safeParse({ tmux: { duraton_ms: 10 } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('duraton_ms');
  });

  test('an unknown placeholder in the command is an error listing the known ones', () => {
    const r = NotificationOptionsSchema.safeParse({ command: { enabled: true, argv: ['hook', '{titel}'] } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain('unknown placeholder {titel}');
    expect(r.error?.issues[0]?.path).toEqual(['command', 'argv', 1]);
  });

  test('an enabled command needs a program', () => {
    const r = NotificationOptionsSchema.safeParse({ command: { enabled: true } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['command', 'argv']);
  });

  test('a strategy outside the list is refused', () => {
    expect(NotificationOptionsSchema.safeParse({ strategy: 'loud' }).success).toBe(false);
  });
});
