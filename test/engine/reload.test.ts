// A configuration edited under a running controller reaches it: limits apply at once, a bad file
// changes nothing, and what needs a restart is said.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';

let tc: TestController | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

const limit = (n: number) => testConfig({ background_task: { modelConcurrency: { 'local/shell': n } } });

describe('config reload', () => {
  it('an edited config file reaches the running controller: a raised limit starts the waiting task', async () => {
    tc = await startTestController(limit(1));
    const first = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 30']);
    const second = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 30']);
    await until(async () => (await tc!.get(second.id)).waiting?.includes('no free slot'), 'the second task to wait for a slot');
    writeFileSync(join(tc.dir, 'config.yaml'), limit(2));
    await until(async () => (await tc!.get(second.id)).state === 'running', 'the second task to start after the edit');
    expect((await tc.get(first.id)).state).toBe('running');
    const shown = await tc.cli(['controller', 'reload']);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toContain('nothing changed');
  });

  it('a file that does not validate changes nothing and says why; a restart-only option is named', async () => {
    tc = await startTestController(limit(1));
    writeFileSync(join(tc.dir, 'config.yaml'), 'background_task:\n  defaultConcurrency: -3\n');
    const bad = await tc.cli(['controller', 'reload']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/not reloaded.*\n.*defaultConcurrency/);
    writeFileSync(join(tc.dir, 'config.yaml'), testConfig({ tmux: { enabled: true }, background_task: { modelConcurrency: { 'local/shell': 1 } } }));
    const restart = await tc.cli(['controller', 'reload']);
    expect(restart.stdout).toMatch(/needs a restart.*tmux\.enabled \(false → true\)/);
  });
});
