// `doctor` and `notify test` agree: a failing channel is ✗, named with its fix, and exits 1.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { startTestController, testConfig } from '../support/controller.js';

test('a failing desktop channel is a ✗ with the fix, and doctor exits 1 as notify test does', async () => {
  // No D-Bus session: the desktop channel cannot deliver.
  const noBus = mkdtempSync(join(tmpdir(), 'panecrew-nobus-'));
  const tc = await startTestController(testConfig({ notification: { strategy: 'completion', desktop: { enabled: true } } }), {
    DBUS_SESSION_BUS_ADDRESS: undefined,
    XDG_RUNTIME_DIR: noBus,
  });
  try {
    const notify = await tc.cli(['notify', 'test']);
    expect(notify.exitCode).toBe(1);
    const doctor = await tc.cli(['doctor']);
    const line = String(doctor.stdout).split('\n').find((l) => l.includes('notify: desktop'));
    expect(line, String(doctor.stdout)).toMatch(/^✗ notify: desktop/);
    expect(String(doctor.stdout)).toMatch(/fix: install libnotify-bin/);
    expect(doctor.exitCode).toBe(1);
    const json = JSON.parse(String((await tc.cli(['doctor', '--json'])).stdout)) as Array<{ name: string; ok: boolean; fix?: string }>;
    expect(json.find((c) => c.name === 'notify: desktop')).toMatchObject({ ok: false, fix: expect.stringContaining('notification.desktop.enabled: false') });
  } finally {
    await tc.stop();
  }
});
