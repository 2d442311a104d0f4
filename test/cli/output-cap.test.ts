// `panecrew output` of a task whose output outgrew background_task.outputLogMaxBytes: the head and
// the tail, and between them a line saying how many bytes were dropped; `--follow` ends on the tail.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestController, testConfig, type TestController } from '../support/controller.js';

const MB = 1024 * 1024;
/** 20 MB of numbered 8-byte lines. */
const SCRIPT = "seq -f '%07.0f' 1 2621440";

let tc: TestController;
beforeAll(async () => {
  tc = await startTestController(testConfig({ background_task: { outputLogMaxBytes: MB } }));
});
afterAll(async () => {
  await tc?.stop();
});

describe('a task printing 20 MB with a 1 MB cap', () => {
  it('keeps a 1 MB output.log, and output shows its head, what was dropped and its tail', async () => {
    const all = execFileSync('bash', ['-c', SCRIPT], { maxBuffer: 64 * MB }).toString('latin1');
    const head = all.slice(0, MB / 4);
    const tail = all.slice(-(3 * MB) / 4);
    const dropped = `[panecrew: ${all.length - MB} bytes of output dropped here; output.log keeps the first ${MB / 4} and the last ${(3 * MB) / 4} bytes]`;

    const t = await tc.launch(['--agent', 'shell', '--prompt', SCRIPT]);
    const following = tc.cli(['output', t.id, '--follow']);
    expect((await tc.waitFinal(t.id, 120_000)).state).toBe('completed');
    expect(statSync(join(tc.home, 'tasks', t.id, 'output.log')).size).toBeLessThan(MB + 200);

    const out = await tc.cli(['output', t.id]);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toBe(`${head}\n${dropped}\n${tail}`.trimEnd());

    // A follower read the head live and then some of the middle; it ends on the whole tail.
    const followed = await following;
    expect(followed.exitCode).toBe(0);
    expect((followed.stdout as string).startsWith(head)).toBe(true);
    expect(followed.stdout).toContain(dropped);
    expect((followed.stdout as string).endsWith(tail.trimEnd())).toBe(true);
  }, 180_000);
});
