// Notifications fired by the real controller when real tasks end, received on a private D-Bus bus.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDesktopBus } from '../support/dbus-session.js';
import { startTestController, testConfig, type TestController } from '../support/controller.js';

let tc: TestController | undefined;
let bus: Awaited<ReturnType<typeof startDesktopBus>> | undefined;
afterEach(async () => {
  await tc?.stop();
  await bus?.close();
  tc = bus = undefined;
});

const CONFIG = testConfig({
  notification: { strategy: 'completion', batch_window_ms: 0, throttle_ms: 0, tmux: { enabled: false }, bell: { enabled: false } },
});

describe('controller notifications', () => {
  it('a finished task sends exactly one desktop notification, with hostile text arriving literally', async () => {
    bus = await startDesktopBus();
    tc = await startTestController(CONFIG, { DBUS_SESSION_BUS_ADDRESS: bus.address });
    const title = `fix "$(touch pwned)" \`touch pwned2\` <b>bold</b>`;
    const t = await tc.launch(['--agent', 'shell', '--cwd', tc.dir, '--title', title, '--prompt', 'echo all good']);
    await tc.waitFinal(t.id);
    const [n] = await bus.server.waitForCount(1);
    expect(n!.summary).toContain(title);
    expect(n!.body).toContain('all good');
    expect(existsSync(join(tc.dir, 'pwned'))).toBe(false);
    expect(existsSync(join(tc.dir, 'pwned2'))).toBe(false);
    expect(await bus.server.received()).toHaveLength(1);
  });

  it('notify test reports each channel, and doctor shows the channels’ health', async () => {
    bus = await startDesktopBus();
    tc = await startTestController(CONFIG, { DBUS_SESSION_BUS_ADDRESS: bus.address });
    const r = await tc.cli(['notify', 'test', '--json']);
    expect(r.exitCode).toBe(0);
    const reports = JSON.parse(r.stdout as string) as Array<{ channel: string; outcome: string }>;
    expect(reports.find((x) => x.channel === 'desktop')?.outcome).toBe('sent');
    expect(reports.find((x) => x.channel === 'tmux')?.outcome).toBe('disabled');
    await bus.server.waitForCount(1);
    const doctor = await tc.cli(['doctor']);
    expect(doctor.stdout).toMatch(/notify: desktop\s+ok/);
    expect(doctor.stdout).toMatch(/controller\s+pid \d+/);
  });
});
