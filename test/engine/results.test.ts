// Results stay readable after they are read; prune forgets old ones and deletes their folders.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestController, type TestController } from '../support/controller.js';

let tc: TestController | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

describe('results and retention', () => {
  it('a result can be read again after it was read, as text and as JSON', async () => {
    tc = await startTestController();
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'echo the-answer']);
    await tc.waitFinal(t.id);
    for (let i = 0; i < 2; i++) {
      const r = await tc.cli(['output', t.id, '--json']);
      const json = JSON.parse(r.stdout as string);
      expect(json.result).toContain('the-answer');
      expect(json.output).toContain('the-answer');
      expect(json.task.state).toBe('completed');
    }
  });

  it('prune removes finished tasks older than the cutoff, and keeps running ones', async () => {
    tc = await startTestController();
    const done = await tc.launch(['--agent', 'shell', '--prompt', 'true']);
    const running = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 30']);
    await tc.waitFinal(done.id);
    const kept = await tc.cli(['prune', '--json']);
    expect(JSON.parse(kept.stdout as string).removed).toEqual([]);
    const pruned = await tc.cli(['prune', '--older-than', '0', '--json']);
    expect(JSON.parse(pruned.stdout as string).removed).toEqual([done.id]);
    expect(existsSync(join(tc.home, 'tasks', done.id))).toBe(false);
    const ls = JSON.parse((await tc.cli(['ls', '--all', '--json'])).stdout as string);
    expect(ls.tasks.map((x: { id: string }) => x.id)).toEqual([running.id]);
    expect((await tc.cli(['status', done.id])).exitCode).toBe(4);
  });
});
