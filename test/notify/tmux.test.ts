// tmux status-line messages and the bell, on a real tmux server with a real attached client.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Notifier } from '../../src/notify/notifier.js';
import { NotificationOptionsSchema, type NotificationOptionsInput } from '../../src/notify/options.js';
import { createTmuxChannel, tmuxMessageText } from '../../src/notify/tmux-channel.js';
import { startWatchedTmux, type WatchedTmux } from './tmux-fixture.js';
import { ending, makeTask } from './task-factory.js';
import { waitFor } from './wait.js';

let tmux: WatchedTmux;

beforeAll(async () => {
  tmux = await startWatchedTmux();
});
afterAll(async () => {
  await tmux?.close();
});

function notifier(options: NotificationOptionsInput, logs: string[] = []): Notifier {
  return new Notifier(
    NotificationOptionsSchema.parse({ batch_window_ms: 0, throttle_ms: 0, tmux: { duration_ms: 60_000 }, ...options }),
    { log: (m) => logs.push(m), activeCountFor: () => 1, env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/panecrew-test-bus' } },
  );
}

describe('tmux channel', () => {
  test('user text is shown literally: #{formats} and #[styles] are not expanded', () => {
    expect(tmuxMessageText({ title: 'a #{pane_id} #[fg=red]b', body: 'line1\nline2\x1b[31m' })).toBe(
      'panecrew: a ##{pane_id} ##[fg=red]b · line1 · line2 [31m',
    );
  });

  test('with no D-Bus session the desktop channel fails quietly, health says so, and the tmux message still shows', async () => {
    const logs: string[] = [];
    const n = notifier({ bell: { enabled: false } }, logs);
    const origin = { tmuxSocket: tmux.socket, tmuxPane: tmux.pane };
    const first = ending('completed', { title: 'Survey #{session_name} deps', origin });
    expect(() => n.onTaskChange(first.task, first.previous)).not.toThrow();

    const screen = await tmux.waitForScreen('panecrew: Survey #{session_name} deps — completed');
    expect(screen).toContain('explore · completed in 1m05s');
    const desktop = await waitFor(() => n.health().find((h) => h.channel === 'desktop' && !h.ok), 'desktop reported down');
    expect(desktop.detail).toMatch(/notify-send failed/);
    expect(n.health().find((h) => h.channel === 'tmux')).toMatchObject({ ok: true });

    const second = ending('error', { title: 'Second', origin });
    n.onTaskChange(second.task, second.previous);
    await tmux.waitForScreen('panecrew: Second — failed');
    await n.close();
    expect(logs.filter((l) => l.includes('desktop'))).toHaveLength(1);
  });

  test('a tmux server that is gone is reported by health, not thrown', async () => {
    const logs: string[] = [];
    const n = notifier({ desktop: { enabled: false }, bell: { enabled: false } }, logs);
    const { task, previous } = ending('completed', { origin: { tmuxSocket: '/nonexistent/tmux-socket', tmuxPane: '%0' } });
    n.onTaskChange(task, previous);
    const tmuxHealth = await waitFor(() => n.health().find((h) => h.channel === 'tmux' && !h.ok), 'tmux reported down');
    expect(tmuxHealth.detail).toMatch(/tmux display-message .*failed/);
    await n.close();
    expect(logs).toHaveLength(1);
  });

  test('the channel shows a message on every client of the pane session and none elsewhere', async () => {
    const channel = createTmuxChannel({ durationMs: 60_000 });
    await channel.send({ title: 'direct send', body: 'ok', urgency: 'normal', tasks: [], tmuxSocket: tmux.socket, tmuxPane: tmux.pane });
    await tmux.waitForScreen('panecrew: direct send · ok');
  });
});

describe('bell channel', () => {
  test('an ending rings the bell on the terminal showing the launching pane', async () => {
    expect(await tmux.bellRang()).toBe(false);
    const n = notifier({ desktop: { enabled: false }, tmux: { enabled: false } });
    const { task, previous } = ending('completed', { origin: { tmuxSocket: tmux.socket, tmuxPane: tmux.pane } });
    n.onTaskChange(task, previous);
    await waitFor(() => tmux.bellRang(), 'the bell flag on the client terminal');
    await n.close();
    expect(n.health().find((h) => h.channel === 'bell')).toMatchObject({ ok: true });
  });

  test('a headless task has no pane to ring', async () => {
    const n = notifier({ desktop: { enabled: false } });
    const reports = await n.test();
    expect(reports.find((r) => r.channel === 'bell')).toMatchObject({ outcome: 'skipped', detail: 'no launching tmux pane' });
    expect(makeTask().origin).toEqual({});
  });
});
