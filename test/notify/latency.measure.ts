// How long an ending takes to reach the notification server with no batching or throttling.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startDesktopBus } from '../support/dbus-session.js';
import { Notifier } from '../../src/notify/notifier.js';
import { NotificationOptionsSchema } from '../../src/notify/options.js';
import { ending } from './task-factory.js';

let bus: Awaited<ReturnType<typeof startDesktopBus>>;
beforeAll(async () => {
  bus = await startDesktopBus();
});
afterAll(async () => {
  await bus?.close();
});

const RUNS = 20;

test(`median latency from onTaskChange to the bus over ${RUNS} endings`, async () => {
  const notifier = new Notifier(
    NotificationOptionsSchema.parse({ batch_window_ms: 0, throttle_ms: 0, tmux: { enabled: false }, bell: { enabled: false } }),
    { log: () => {}, activeCountFor: () => 1, env: { DBUS_SESSION_BUS_ADDRESS: bus.address } },
  );
  const latencies: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { task, previous } = ending('completed', { title: `latency ${i}` });
    const sentAt = Date.now();
    notifier.onTaskChange(task, previous);
    const got = await bus.server.waitForCount(i + 1);
    expect(got[i]!.summary).toBe(`latency ${i} — completed`);
    latencies.push(got[i]!.received_at - sentAt);
  }
  await notifier.close();
  const sorted = [...latencies].sort((a, b) => a - b);
  const median = (sorted[RUNS / 2 - 1]! + sorted[RUNS / 2]!) / 2;
  console.log(`notify latency over ${RUNS} runs: median ${median.toFixed(1)}ms, min ${sorted[0]!.toFixed(1)}ms, max ${sorted.at(-1)!.toFixed(1)}ms`);
  expect(median).toBeLessThan(2000);
});
