// A full disk under a running controller: it stays up, refuses new work saying why, keeps its
// running task, and records everything once space returns.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { cannotMount, mountTmpfs, type SmallDisk } from '../support/small-disk.js';

const skip = cannotMount();
let tc: TestController | undefined;
let disk: SmallDisk | undefined;
afterEach(async () => {
  await tc?.stop();
  disk?.dispose();
  tc = undefined;
  disk = undefined;
});

describe.skipIf(skip !== null)(`a full disk${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('the controller stays up, refuses a launch saying why, and records the running task once space returns', async () => {
    disk = mountTmpfs(2048);
    tc = await startTestController(testConfig(), { PANECREW_HOME: join(disk.dir, 'home') });
    const go = join(tc.dir, 'go');
    const running = await tc.launch(['--agent', 'shell', '--cwd', tc.dir, '--prompt', 'while [ ! -e go ]; do sleep 0.05; done; echo finished']);
    await until(async () => (await tc!.get(running.id)).state === 'running', 'the task to run');
    disk.fill();
    const refused = await tc.cli(['launch', '--agent', 'shell', 'echo late']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/full/);
    writeFileSync(go, '');
    // Still answering while the disk is full: the list is served from memory.
    expect((await tc.cli(['ls', '--json'])).exitCode).toBe(0);
    disk.free();
    const done = await tc.waitFinal(running.id, 30_000);
    expect(done.state).toBe('completed');
    const after = await tc.launch(['--agent', 'shell', 'echo after']);
    expect((await tc.waitFinal(after.id)).state).toBe('completed');
    expect(existsSync(join(disk.dir, 'home', 'journal.jsonl'))).toBe(true);
  });
});
