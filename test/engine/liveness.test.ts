// How tasks end: exit, stale timeout, per-task timeout, cancel of a whole process tree, retries.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processAlive } from '../../src/runner/kill.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';

let tc: TestController | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

const config = (backgroundTask: Record<string, unknown> = {}, agents?: Record<string, unknown>) =>
  testConfig({ background_task: { killGraceMs: '500ms', ...backgroundTask }, ...(agents ? { agents } : {}) });

describe('liveness', () => {
  it('an exit 0 completes the task with its output as result; a non-zero exit is an error with the code', async () => {
    tc = await startTestController(config());
    const ok = await tc.launch(['--agent', 'shell', '--prompt', 'echo line one; echo the answer']);
    const done = await tc.waitFinal(ok.id);
    expect(done.state).toBe('completed');
    expect(done.exitCode).toBe(0);
    expect(readFileSync(join(tc.home, 'tasks', ok.id, 'result.md'), 'utf8')).toContain('the answer');
    const bad = await tc.launch(['--agent', 'shell', '--prompt', 'echo oops >&2; exit 7']);
    const failed = await tc.waitFinal(bad.id);
    expect(failed.state).toBe('error');
    expect(failed.exitCode).toBe(7);
    expect(failed.cause).toMatchObject({ kind: 'exit', code: 7 });
  });

  it('a task with no sign of life for its stale timeout becomes interrupt and its process is killed', async () => {
    tc = await startTestController(config());
    const t = await tc.launch(['--agent', 'shell', '--stale-timeout', '1s', '--prompt', 'echo started; exec sleep 60']);
    const pid = (await until(async () => {
      const c = await tc!.client();
      const got = await c.request({ op: 'get', taskId: t.id });
      c.close();
      return got.pid;
    }, 'the runner pid'))!;
    const ended = await tc.waitFinal(t.id);
    expect(ended.state).toBe('interrupt');
    expect(ended.cause).toMatchObject({ kind: 'stale' });
    await until(() => !processAlive(pid), 'the hung agent to be killed');
  });

  it('--timeout ends a task as error and frees its slot', async () => {
    tc = await startTestController(config({ modelConcurrency: { 'local/shell': 1 } }));
    const slow = await tc.launch(['--agent', 'shell', '--timeout', '500ms', '--prompt', 'sleep 60']);
    const next = await tc.launch(['--agent', 'shell', '--prompt', 'echo next']);
    const ended = await tc.waitFinal(slow.id);
    expect(ended.state).toBe('error');
    expect(ended.cause).toEqual({ kind: 'timeout', afterMs: 500 });
    expect((await tc.waitFinal(next.id)).state).toBe('completed');
  });

  it('cancel kills the whole process tree', async () => {
    tc = await startTestController(config());
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 60 & echo $! > pids; sleep 60 & echo $! >> pids; echo ready; wait', '--cwd', tc.dir]);
    const pidsFile = join(tc.dir, 'pids');
    const pids = await until(() => {
      const lines = existsSync(pidsFile) ? readFileSync(pidsFile, 'utf8').trim().split('\n').filter(Boolean) : [];
      return lines.length === 2 ? lines.map(Number) : null;
    }, 'both children to start');
    expect(pids.every((p) => processAlive(p))).toBe(true);
    const r = await tc.cli(['cancel', t.id]);
    expect(r.exitCode).toBe(0);
    const ended = await tc.waitFinal(t.id);
    expect(ended.state).toBe('cancelled');
    await until(() => pids.every((p) => !processAlive(p)), 'every process of the tree to die');
  });

  it('cancelling a pending task just removes it from the queue', async () => {
    tc = await startTestController(config({ modelConcurrency: { 'local/shell': 1 } }));
    const busy = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 60']);
    const queued = await tc.launch(['--agent', 'shell', '--prompt', 'touch should-not-exist', '--cwd', tc.dir]);
    await tc.cli(['cancel', queued.id]);
    const ended = await tc.waitFinal(queued.id);
    expect(ended.state).toBe('cancelled');
    expect(ended.startedAt).toBeNull();
    await tc.cli(['cancel', busy.id]);
    await tc.waitFinal(busy.id);
    expect(existsSync(join(tc.dir, 'should-not-exist'))).toBe(false);
  });

  it('an exit the profile marks retryable is requeued with backoff, and each attempt is recorded', async () => {
    tc = await startTestController(
      config({ retry: { attempts: 3, backoffMs: '100ms', factor: 2 } }, { flaky: { command: ['bash', '-c', '{prompt}'], retry_exit_codes: [75], provider: 'local' } }),
    );
    // Fails with 75 (rate limited) twice, then succeeds: the counter file lives in the task's cwd.
    const t = await tc.launch(['--agent', 'flaky', '--cwd', tc.dir, '--prompt', 'n=$(cat n 2>/dev/null || echo 0); echo $((n+1)) > n; [ $n -ge 2 ] && echo ok || exit 75']);
    const done = await tc.waitFinal(t.id);
    expect(done.state).toBe('completed');
    expect(done.attempts.map((a) => a.exitCode)).toEqual([75, 75, 0]);
    expect(done.attempts[1]!.startedAt - done.attempts[0]!.endedAt!).toBeGreaterThanOrEqual(90);
  });

  it('gives up after the configured attempts', async () => {
    tc = await startTestController(
      config({ retry: { attempts: 2, backoffMs: '50ms' } }, { flaky: { command: ['bash', '-c', '{prompt}'], retry_exit_codes: [75] } }),
    );
    const t = await tc.launch(['--agent', 'flaky', '--prompt', 'exit 75']);
    const done = await tc.waitFinal(t.id);
    expect(done.state).toBe('error');
    expect(done.attempts).toHaveLength(2);
    expect(done.cause).toMatchObject({ kind: 'exit', gaveUpAfter: 2 });
  });

  it('an agent that goes idle without exiting completes after the stability window', async () => {
    tc = await startTestController(
      config({ stabilityMs: '500ms' }, { repl: { command: ['bash', '-c', '{prompt}'], completion: 'idle', idle_pattern: '^> $|^>$' } }),
    );
    const t = await tc.launch(['--agent', 'repl', '--prompt', 'echo working; echo "the result"; echo ">"; exec sleep 60']);
    const done = await tc.waitFinal(t.id);
    expect(done.state).toBe('completed');
    expect(done.cause).toMatchObject({ kind: 'idle' });
  });
});

describe('edge cases found in review', () => {
  it('a timeout longer than a timer can hold (24.8 days) does not fire at once', async () => {
    tc = await startTestController(config());
    const t = await tc.launch(['--agent', 'shell', '--timeout', '30d', '--prompt', 'sleep 0.3; echo fine']);
    const done = await tc.waitFinal(t.id);
    expect(done.state).toBe('completed');
  });

  it('output --follow ends for a finished task whose log ends inside a UTF-8 character', async () => {
    tc = await startTestController(config());
    const t = await tc.launch(['--agent', 'shell', '--prompt', "printf 'caf\\xc3'"]);
    await tc.waitFinal(t.id);
    const r = await tc.cli(['output', t.id, '--follow']);
    expect(r.exitCode).toBe(0);
    expect(Buffer.from(r.stdout as string).subarray(0, 3).toString()).toBe('caf');
  });

  it('cancel with an unknown id cancels nothing and says which id', async () => {
    tc = await startTestController(config());
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 30']);
    const r = await tc.cli(['cancel', t.id, 'bg_zzzzzzzz']);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('no task bg_zzzzzzzz; nothing was cancelled');
    const c = await tc.client();
    expect((await c.request({ op: 'get', taskId: t.id })).state).not.toBe('cancelled');
    c.close();
  });

  it('refuses a working directory that does not exist, and an unreadable prompt file', async () => {
    tc = await startTestController(config());
    const cwd = await tc.cli(['launch', '--agent', 'shell', '--cwd', '/nonexistent/dir', '--prompt', 'true']);
    expect(cwd.exitCode).toBe(2);
    expect(cwd.stderr).toContain('cwd /nonexistent/dir is not a directory');
    const file = await tc.cli(['launch', '--agent', 'shell', '--prompt-file', 'missing.md']);
    expect(file.exitCode).toBe(2);
    expect(file.stderr).toMatch(/--prompt-file .*missing\.md: cannot read it \(ENOENT\)/);
  });
});
