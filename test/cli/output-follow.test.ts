// `output --follow` ends by saying how the task ended (on stderr, so stdout stays the task's own
// output) and exits 0 only for a completed task.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestController, type TestController } from '../support/controller.js';

let tc: TestController;
beforeAll(async () => {
  tc = await startTestController();
});
afterAll(async () => {
  await tc?.stop();
});

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1)!;

describe('output --follow', () => {
  it('a completed task: its output on stdout, then outcome, exit code and time on stderr; exit 0', async () => {
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'echo one; sleep 0.3; echo two']);
    const r = await tc.cli(['output', t.id, '--follow']);
    expect(r.stdout).toBe('one\ntwo');
    expect(lastLine(r.stderr as string)).toMatch(new RegExp(`^panecrew output: ${t.id} completed · exit code 0 · ran \\d[\\d.]*m?s · ended \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z$`));
    expect(r.exitCode).toBe(0);
  });

  it('a failed task: the exit code and why on stderr; exit 1', async () => {
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'echo oops; exit 3']);
    const r = await tc.cli(['output', t.id, '-f']);
    expect(r.stdout).toBe('oops');
    expect(lastLine(r.stderr as string)).toMatch(new RegExp(`^panecrew output: ${t.id} error · exit code 3 · ran .* · .*code 3`));
    expect(r.exitCode).toBe(1);
  });

  it('a task cancelled while followed says so; exit 1', async () => {
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'echo started; sleep 30']);
    const following = tc.cli(['output', t.id, '-f']);
    await tc.cli(['cancel', t.id]);
    const r = await following;
    expect(lastLine(r.stderr as string)).toMatch(new RegExp(`^panecrew output: ${t.id} cancelled`));
    expect(r.exitCode).toBe(1);
  });
});
