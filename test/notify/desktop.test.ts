// The desktop channel against a real private D-Bus session and a recording notification server.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startDesktopBus } from '../support/dbus-session.js';
import { Notifier, type NotifierDeps } from '../../src/notify/notifier.js';
import { NotificationOptionsSchema, type NotificationOptionsInput } from '../../src/notify/options.js';
import { ending } from './task-factory.js';

let bus: Awaited<ReturnType<typeof startDesktopBus>>;
let seen = 0;
const notifiers: Notifier[] = [];

beforeAll(async () => {
  bus = await startDesktopBus();
});
afterAll(async () => {
  await bus?.close();
});
afterEach(async () => {
  await Promise.all(notifiers.splice(0).map((n) => n.close()));
  seen = (await bus.server.received()).length;
});

/** Only desktop, so other channels do not muddy what the bus records. */
function desktopNotifier(options: NotificationOptionsInput = {}, deps: Partial<NotifierDeps> = {}): Notifier {
  const notifier = new Notifier(
    NotificationOptionsSchema.parse({ batch_window_ms: 0, throttle_ms: 0, tmux: { enabled: false }, bell: { enabled: false }, ...options }),
    { log: () => {}, activeCountFor: () => 1, env: { DBUS_SESSION_BUS_ADDRESS: bus.address }, ...deps },
  );
  notifiers.push(notifier);
  return notifier;
}

/** Notifications received since the current test began. */
async function received(count: number) {
  const all = await bus.server.waitForCount(seen + count);
  return all.slice(seen);
}

describe('desktop notifications over D-Bus', () => {
  test('a completed task gives exactly one notification naming title, agent, state, duration and result', async () => {
    const notifier = desktopNotifier();
    const { task, previous } = ending('completed', { title: 'Map the auth module', agent: 'explore' });
    notifier.onTaskChange(task, previous);
    await received(1);
    await notifier.close();
    const got = await bus.server.received();
    expect(got.slice(seen)).toHaveLength(1);
    const n = got[seen]!;
    expect(n.app_name).toBe('panecrew');
    expect(n.summary).toBe('Map the auth module — completed');
    expect(n.body).toBe('explore · completed in 1m05s\nFound 3 call sites');
    expect(n.urgency).toBe(1);
  });

  test('a burst of five endings within the batch window becomes one notification listing them', async () => {
    const notifier = desktopNotifier({ batch_window_ms: 400 });
    const titles = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    for (const title of titles) {
      const { task, previous } = ending('completed', { title });
      notifier.onTaskChange(task, previous);
    }
    await received(1);
    await notifier.close();
    const got = (await bus.server.received()).slice(seen);
    expect(got).toHaveLength(1);
    expect(got[0]!.summary).toBe('5 tasks finished');
    for (const title of titles) expect(got[0]!.body).toContain(`${title} — completed (explore, 1m05s)`);
    expect(got[0]!.urgency).toBe(1);
  });

  test('an error is critical, alone or inside a batch', async () => {
    const notifier = desktopNotifier({ batch_window_ms: 300 });
    const failed = ending('error', { title: 'Build docs', reason: 'agent exited with code 2\nstack…' });
    notifier.onTaskChange(failed.task, failed.previous);
    const fine = ending('completed', { title: 'Lint' });
    notifier.onTaskChange(fine.task, fine.previous);
    const [batch] = await received(1);
    expect(batch!.summary).toBe('2 tasks finished, 1 failed');
    expect(batch!.urgency).toBe(2);
    expect(batch!.body).toContain('Build docs — failed (explore, 1m05s): agent exited with code 2');

    const alone = ending('error', { title: 'Solo' });
    desktopNotifier().onTaskChange(alone.task, alone.previous);
    const [single] = (await received(2)).slice(1);
    expect(single!.summary).toBe('Solo — failed');
    expect(single!.urgency).toBe(2);
  });

  test('hostile text arrives literally: nothing is executed and markup is not rendered', async () => {
    const marker = join(bus.dir, 'x');
    const title = `-u low $(touch ${marker}) \`touch ${marker}\` "dq" 'sq' ; touch ${marker} <b>markup</b> \\n #{pane_id}`;
    const notifier = desktopNotifier();
    const { task, previous } = ending('completed', { title, resultPreview: `done <i>it</i> & $(touch ${marker}) C:\\new\\x` });
    notifier.onTaskChange(task, previous);
    const [n] = await received(1);
    expect(n!.summary).toBe(`${title} — completed`);
    // The body is markup for the server: escaped entities show as the literal characters.
    expect(n!.body).toBe(`explore · completed in 1m05s\ndone &lt;i&gt;it&lt;/i&gt; &amp; $(touch ${marker}) C:\\new\\x`);
    expect(n!.urgency).toBe(1);
    expect(existsSync(marker)).toBe(false);
  });

  test('a throttled ending waits and joins the next notification instead of being dropped', async () => {
    const notifier = desktopNotifier({ throttle_ms: 500 });
    const first = ending('completed', { title: 'first' });
    const calledAt = Date.now();
    notifier.onTaskChange(first.task, first.previous);
    await received(1);
    for (const title of ['second', 'third']) {
      const e = ending('completed', { title });
      notifier.onTaskChange(e.task, e.previous);
    }
    const got = await received(2);
    expect(got[1]!.summary).toBe('2 tasks finished');
    // The first flush happened after calledAt, and the next one may not come before it + throttle.
    expect(got[1]!.received_at - calledAt).toBeGreaterThanOrEqual(490);
  });

  test('the last ending of a launching pane says all background tasks are complete', async () => {
    const asked: string[] = [];
    const notifier = desktopNotifier({}, { activeCountFor: (key) => (asked.push(key), key === '%7' ? 0 : 2) });
    const last = ending('completed', { title: 'last one', origin: { tmuxPane: '%7' } });
    notifier.onTaskChange(last.task, last.previous);
    const [n] = await received(1);
    expect(n!.body.split('\n').at(-1)).toBe('All background tasks complete.');

    const notLast = ending('completed', { title: 'not last', origin: {} });
    notifier.onTaskChange(notLast.task, notLast.previous);
    const [, m] = await received(2);
    expect(m!.body).not.toContain('All background tasks complete');
    expect(asked).toEqual(['%7', 'headless']);
  });

  test('endings that events turn off stay silent but still count for all done', async () => {
    const notifier = desktopNotifier({}, { activeCountFor: () => 0 });
    const cancelled = ending('cancelled', { title: 'dropped' });
    notifier.onTaskChange(cancelled.task, cancelled.previous);
    const [n] = await received(1);
    expect(n!.summary).toBe('All background tasks complete');
    expect(n!.body).not.toContain('dropped');
  });

  test('the silent strategy sends nothing at all', async () => {
    const silent = desktopNotifier({ strategy: 'silent' }, { activeCountFor: () => 0 });
    const { task, previous } = ending('error');
    silent.onTaskChange(task, previous);
    await silent.close();
    // A notification sent afterwards is the first one the server sees.
    const probe = desktopNotifier();
    const e = ending('completed', { title: 'after silence' });
    probe.onTaskChange(e.task, e.previous);
    const [n] = await received(1);
    expect(n!.summary).toBe('after silence — completed');
  });

  test('test() reports per channel what happened', async () => {
    const notifier = desktopNotifier({ tmux: { enabled: true } });
    const reports = await notifier.test();
    expect(reports.map((r) => [r.channel, r.outcome])).toEqual([
      ['desktop', 'sent'],
      ['tmux', 'skipped'],
      ['bell', 'disabled'],
      ['command', 'disabled'],
    ]);
    const [n] = await received(1);
    expect(n!.summary).toBe('panecrew test notification');
  });
});
