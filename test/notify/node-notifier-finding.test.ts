// Why the Linux desktop channel calls notify-send itself instead of going through node-notifier
// (see src/notify/desktop.ts). These pin down node-notifier 10's NotifySend behaviour; if an
// upgrade changes them, revisit that choice.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import notifier from 'node-notifier';
import { startDesktopBus } from '../support/dbus-session.js';

let bus: Awaited<ReturnType<typeof startDesktopBus>>;
const savedAddress = process.env.DBUS_SESSION_BUS_ADDRESS;

beforeAll(async () => {
  bus = await startDesktopBus();
  // node-notifier takes no env per call; this worker process is this file's alone.
  process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
});
afterAll(async () => {
  if (savedAddress === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = savedAddress;
  await bus?.close();
});

const send = (title: string, message: string) =>
  new Promise<void>((resolve) => notifier.notify({ title, message, wait: false }, () => resolve()));

describe.runIf(process.platform === 'linux')('node-notifier 10 NotifySend on Linux', () => {
  test('its shell quoting keeps $(), backticks and quotes inert', async () => {
    const marker = join(bus.dir, 'x');
    const title = `$(touch ${marker}) \`touch ${marker}\` "dq" 'sq' ; \\`;
    await send(title, 'body');
    const [n] = await bus.server.waitForCount(1);
    expect(n!.summary).toBe(title);
    expect(existsSync(marker)).toBe(false);
  });

  test('a title starting with "-" is taken as a notify-send option', async () => {
    await send('--urgency=critical', 'the body');
    const all = await bus.server.waitForCount(2);
    // The body became the summary and the "title" set the urgency.
    expect(all[1]).toMatchObject({ summary: 'the body', body: '', urgency: 2 });
  });
});
