// A plan's results are delivered phase by phase: one notification when a phase's last task completes.
import { writeFileSync } from 'node:fs';
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

describe('plan phase notifications', () => {
  it('says when each phase is done, naming its tasks', async () => {
    bus = await startDesktopBus();
    // Per-task endings off: what is heard is the phases.
    const config = testConfig({
      notification: { strategy: 'completion', batch_window_ms: 0, throttle_ms: 0, all_done: false, events: { completed: false }, tmux: { enabled: false }, bell: { enabled: false } },
    });
    tc = await startTestController(config, { DBUS_SESSION_BUS_ADDRESS: bus.address });
    const file = join(tc.dir, 'plan.yaml');
    writeFileSync(file, 'name: feature\ndefaults: { agent: shell }\ntasks:\n  contract: { prompt: "true" }\n  backend: { prompt: "true", after: [contract] }\n  frontend: { prompt: "sleep 0.5", after: [contract] }\n');
    const r = await tc.cli(['plan', 'run', file]);
    expect(r.exitCode).toBe(0);
    const got = await bus.server.waitForCount(2);
    expect(got.map((n) => n.summary)).toEqual(['feature: phase 1 of 2 done: contract', 'feature: phase 2 of 2 done: backend, frontend']);
  });
});
