// `--class` end to end: a real controller, the real CLI, `ls` saying which limit a task waits on.
// Needs the controller to copy spec.taskClass into the task it creates (engine.launch).
import { afterEach, describe, expect, it } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';

let tc: TestController | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

describe('task classes', () => {
  it('a class limit holds across keys and `ls` names it', async () => {
    tc = await startTestController(testConfig({ background_task: { classConcurrency: { e2e: 1 } } }));
    const first = await tc.launch(['--agent', 'shell', '--key', 'a/a', '--class', 'e2e', '--prompt', 'sleep 30']);
    const second = await tc.launch(['--agent', 'shell', '--key', 'b/b', '--class', 'e2e', '--prompt', 'true']);
    const c = await tc.client();
    try {
      const waiting = await until(async () => {
        const got = await c.request({ op: 'get', taskId: second.id });
        return got.waiting?.includes('class') ? got : null;
      }, 'the second e2e task to wait on its class');
      expect(waiting.waiting).toBe('no free slot in class e2e (1/1, classConcurrency)');
      expect((await c.request({ op: 'get', taskId: first.id })).state).toBe('running');
    } finally {
      c.close();
    }
    expect((await tc.cli(['ls'])).stdout).toContain('class e2e (1/1, classConcurrency)');
  });

  it('refuses a class with a space, changing nothing', async () => {
    tc = await startTestController();
    const r = await tc.cli(['launch', '--agent', 'shell', '--class', 'e 2e', '--prompt', 'true']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('a task class has no spaces');
    expect((await tc.cli(['ls', '--all'])).stdout).not.toContain('bg_');
  });
});
