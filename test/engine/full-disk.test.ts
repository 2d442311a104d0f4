// A full disk under a running controller: it stays up, refuses new work saying why, keeps its
// running task, and records everything once space returns.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PANES_CONFIG, startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { cannotMount, mountTmpfs, type SmallDisk } from '../support/small-disk.js';
import { paneEnv, startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';

const skip = cannotMount();
let tc: TestController | undefined;
let disk: SmallDisk | undefined;
let tmux: TestTmuxServer | undefined;
afterEach(async () => {
  await tc?.stop();
  await tmux?.kill();
  disk?.dispose();
  tc = undefined;
  disk = undefined;
  tmux = undefined;
});

/** Two pane tasks on a 2 MB home, each waiting for the file `go`, then exiting 0 and 3. */
async function twoPaneTasks() {
  disk = mountTmpfs(2048);
  tmux = await startTmuxServer({ width: 200, height: 50 });
  tc = await startTestController(PANES_CONFIG, { PANECREW_HOME: join(disk.dir, 'home') });
  const env = await paneEnv(tmux);
  const launch = async (code: number) => {
    const r = await tc!.cli(['launch', '--json', '--agent', 'shell', '--cwd', tc!.dir, `while [ ! -e go ]; do sleep 0.05; done; exit ${code}`], { env });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    return JSON.parse(String(r.stdout)) as { id: string };
  };
  const ok = await launch(0);
  const failed = await launch(3);
  return { ok, failed, panes: [(await tc.waitPane(ok.id)).paneId!, (await tc.waitPane(failed.id)).paneId!] };
}

/** The exit codes the agents ended with stand: 0 completed, 3 an error saying so. */
async function endedWithTheirCodes(okId: string, failedId: string): Promise<void> {
  const done = await tc!.waitFinal(okId, 30_000);
  expect(done.state, done.reason ?? '').toBe('completed');
  expect(done.exitCode).toBe(0);
  const bad = await tc!.waitFinal(failedId, 30_000);
  expect(bad.state, bad.reason ?? '').toBe('error');
  expect(bad.reason).toMatch(/exited with code 3/);
  expect(bad.exitCode).toBe(3);
}

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

  it('a pane task whose runner could not write its exit record ends with the status the runner left on its pane', async () => {
    const { ok, failed, panes } = await twoPaneTasks();
    disk!.fill();
    writeFileSync(join(tc!.dir, 'go'), '');
    // Each runner gives up on exit.json after its retries and exits with its agent's code.
    await until(async () => (await Promise.all(panes.map((p) => tmux!.client.display(p, '#{pane_dead}')))).every((d) => d === '1'), 'the runners to exit', 30_000);
    for (const id of [ok.id, failed.id]) expect(existsSync(join(disk!.dir, 'home', 'tasks', id, 'exit.json'))).toBe(false);
    disk!.free();
    await endedWithTheirCodes(ok.id, failed.id);
  });

  it('the same, when the runners ended while the controller was down: recovery reads the status off the pane', async () => {
    const { ok, failed, panes } = await twoPaneTasks();
    await tc!.kill('SIGKILL');
    disk!.fill();
    writeFileSync(join(tc!.dir, 'go'), '');
    await until(async () => (await Promise.all(panes.map((p) => tmux!.client.display(p, '#{pane_dead}')))).every((d) => d === '1'), 'the runners to exit', 30_000);
    disk!.free();
    await tc!.start();
    await endedWithTheirCodes(ok.id, failed.id);
  });
});
