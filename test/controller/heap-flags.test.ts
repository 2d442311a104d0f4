// The controller keeps V8's young generation at its initial size (src/controller/heap-flags.ts): after
// start-up and 200 tasks through it, new space is still at most 4 MB (V8 starts it at 2), not the
// 32 MB V8 grows it to by default (about 11 MB more resident for good).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';

const PRELOAD = resolve(import.meta.dirname, '../fixtures/heap-stats-preload.mjs');

let tc: TestController | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

it('keeps the young generation at 4 MB or less through start-up and 200 tasks', async () => {
  const out = join(process.env.TMPDIR ?? '/tmp', `panecrew-heap-${process.pid}-${Date.now()}.json`);
  tc = await startTestController(testConfig({ background_task: { defaultConcurrency: 8, maxConcurrentTasks: 8 } }), { NODE_OPTIONS: `--import=${PRELOAD}`, HEAP_STATS_OUT: out });
  const client = await tc.client();
  try {
    const tasks = await Promise.all(Array.from({ length: 200 }, () => tc!.launchFast(client, { prompt: 'true' })));
    const ended = await client.waitUntilEnded(tasks.map((t) => t.id), { timeoutMs: 120_000 });
    expect(ended.ended).toBe(true);
  } finally {
    client.close();
  }
  tc.child.kill('SIGUSR2');
  const spaces = await until(() => (existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, number>) : null), 'heap statistics from the controller');
  expect(spaces.new_space).toBeLessThanOrEqual(4 * 1024 * 1024);
}, 180_000);
