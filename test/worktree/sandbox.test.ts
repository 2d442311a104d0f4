// Sandboxed tasks through the real controller and bubblewrap: the agent completes its own work in its
// worktree, and a write anywhere else fails and leaves nothing.
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxProblem } from '../../src/runner/sandbox.js';
import { startTestController, until, type TestController } from '../support/controller.js';
import { makeRepo } from './repo.js';

let tc: TestController;
let repo: string;
let outside: string;

beforeAll(async () => {
  tc = await startTestController();
  repo = realpathSync(await makeRepo(join(tc.dir, 'repo')));
  outside = join(tc.dir, 'outside');
  mkdirSync(outside);
}, 90_000);
afterAll(() => tc?.stop());

describe.skipIf(sandboxProblem() !== null)('sandboxes', () => {
  it('a sandboxed task writes its worktree, cannot write outside it, and completes', async () => {
    const escape = join(outside, 'escape.txt');
    const home = join(tc.dir, 'escape-home.txt');
    const script = `echo mine > own.txt && (echo out > ${escape}) 2>/dev/null; (echo out > ${home}) 2>/dev/null; test ! -e ${escape} && echo blocked`;
    const t = await tc.launch(['--agent', 'shell', '--placement', 'headless', '--cwd', repo, '--worktree', '--sandbox', '--prompt', script]);
    const done = await tc.waitFinal(t.id, 60_000);
    expect(done.state).toBe('completed');
    expect(readFileSync(join(t.workspace!.path, 'own.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(escape)).toBe(false);
    expect(existsSync(home)).toBe(false);
    expect((await tc.cli(['output', t.id])).stdout).toContain('blocked');
  }, 90_000);

  it('cancel kills a sandboxed agent\'s whole process group, bwrap included', async () => {
    const t = await tc.launch(['--agent', 'shell', '--placement', 'headless', '--cwd', outside, '--sandbox', '--prompt', 'sleep 300']);
    const running = await until(async () => {
      const now = await tc.get(t.id);
      return now.state === 'running' && now.pid ? now : null;
    }, 'the sandboxed task running');
    await tc.cli(['cancel', t.id]);
    expect((await tc.waitFinal(t.id, 60_000)).state).toBe('cancelled');
    await until(() => {
      try {
        process.kill(-running.pid!, 0);
        return false;
      } catch {
        return true;
      }
    }, 'the process group gone');
  }, 90_000);

  it('a sandboxed task is adopted again by a restarted controller and ends with its own exit', async () => {
    const flag = join(outside, 'go');
    const t = await tc.launch(['--agent', 'shell', '--placement', 'headless', '--cwd', outside, '--sandbox', '--prompt', `until [ -e ${flag} ]; do sleep 0.1; done; echo finished; exit 3`]);
    await until(async () => (await tc.get(t.id)).state === 'running', 'the sandboxed task running');
    await tc.kill('SIGKILL');
    await tc.start();
    writeFileSync(flag, '');
    const done = await tc.waitFinal(t.id, 60_000);
    expect(done.exitCode).toBe(3);
    expect(String((await tc.cli(['output', t.id])).stdout)).toContain('finished');
  }, 90_000);

  it('--sandbox=offline takes the network away; the task still ends with its exit code', async () => {
    const t = await tc.launch(['--agent', 'shell', '--placement', 'headless', '--cwd', outside, '--sandbox=offline', '--prompt', "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '; exit 7"]);
    expect((await tc.waitFinal(t.id, 60_000)).exitCode).toBe(7);
    expect(String((await tc.cli(['output', t.id])).stdout).trim()).toBe('lo');
  }, 90_000);
});
