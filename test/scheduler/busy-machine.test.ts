// The case end to end: every CPU busy, the resource gate on with its defaults (a real
// controller, a real launch), and nothing of ours running: the task must start within a second.
import { afterEach, describe, expect, it } from 'vitest';
import { CpuSampler } from '../../src/scheduler/cpu.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { burnAllCpus, type Burn } from './burn.js';

let tc: TestController | undefined;
let burn: Burn | undefined;
afterEach(async () => {
  await burn?.stop();
  await tc?.stop();
  burn = tc = undefined;
});

describe('a busy machine with the default resource gate', () => {
  it('starts a first launch within a second', async () => {
    const sampler = new CpuSampler();
    burn = burnAllCpus(60_000);
    await until(() => (sampler.percent() ?? 0) >= 90, 'the CPUs to be busy', 15_000, 100);
    tc = await startTestController(testConfig({ background_task: { resourceGate: { enabled: true } } }));
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 5']);
    const c = await tc.client();
    try {
      const running = await until(async () => {
        const got = await c.request({ op: 'get', taskId: t.id });
        return got.state === 'running' ? got : null;
      }, 'the task to start', 10_000);
      expect(running.startedAt! - running.createdAt).toBeLessThan(1_000);
    } finally {
      c.close();
    }
  });
});
