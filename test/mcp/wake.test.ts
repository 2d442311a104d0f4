// The rewake waiter (`hook-main.js wait`) and the controller's claim, against a real controller:
// each ending told once, to its own session, across a burst and a controller SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import type { ControllerClient } from '../../src/controller/client.js';

const HOOK = resolve(import.meta.dirname, '../../dist/mcp/hook-main.js');
const PANE = '%77';

let tc: TestController;
let c: ControllerClient;
beforeAll(async () => {
  tc = await startTestController(testConfig({ notification: { strategy: 'completion', desktop: { enabled: false }, tmux: { enabled: false }, bell: { enabled: false } } }));
  c = await tc.client();
});
afterAll(async () => {
  c?.close();
  await tc?.stop();
});

/** A stand-in for the main agent: a process that runs the waiter as Claude Code would (event on stdin). */
interface Main {
  proc: ChildProcess;
  /** The waiter's exit code and stderr. */
  exited: Promise<{ code: number | null; stderr: string }>;
}
const mains: ChildProcess[] = [];
afterEach(() => {
  for (const m of mains.splice(0)) m.kill('SIGKILL');
});

function mainAgent(session: string, toolResponse?: string): Main {
  const script = `
    const { spawn } = require('node:child_process');
    const w = spawn(process.execPath, [${JSON.stringify(HOOK)}, 'wait'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    w.stderr.on('data', (d) => (err += d));
    w.on('exit', (code) => process.send({ code, stderr: err }));
    w.stdin.end(${JSON.stringify(JSON.stringify({ session_id: session, hook_event_name: 'PostToolUse', tool_response: toolResponse }))});
    setInterval(() => {}, 1000);`;
  const proc = spawn(process.execPath, ['-e', script], { env: { ...tc.env, TMUX_PANE: PANE }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  mains.push(proc);
  const exited = new Promise<{ code: number | null; stderr: string }>((ok) => proc.once('message', (m) => ok(m as { code: number | null; stderr: string })));
  return { proc, exited };
}

const lockOf = (session: string) => join(tc.home, 'waiters', `${session}.pid`);
/** The pid of the waiter holding the session's lock (the file holds its pid, then its main agent's). */
const waiterOf = (session: string) => Number(readFileSync(lockOf(session), 'utf8').split(' ')[0]);
/** Resolves once `pid` is gone. */
const gone = (pid: number, what: string) =>
  until(() => {
    try {
      process.kill(pid, 0);
      return null;
    } catch {
      return true;
    }
  }, what);
/** The waiter is waiting: it holds its session's lock. */
const armed = (session: string) => until(() => existsSync(lockOf(session)) || null, `the waiter of ${session} to hold its lock`);
const launch = (prompt: string, pane = PANE) => tc.launchFast(c, { prompt, origin: { tmuxPane: pane } });

describe('claim', () => {
  it("takes each ending of the session's pane and linked tasks once, and none of another session's", async () => {
    const mine = await launch('echo mine');
    const linked = await launch('echo linked elsewhere', '%78');
    const theirs = await launch('echo theirs');
    await c.request({ op: 'claim', session: 'other-1', link: [theirs.id], take: false });
    await c.request({ op: 'claim', session: 'claim-1', link: [linked.id], take: false });
    for (const t of [mine, linked, theirs]) await tc.waitFinal(t.id);
    const first = await c.request({ op: 'claim', session: 'claim-1', pane: PANE });
    expect(first.tasks.map((t) => t.id).sort()).toEqual([mine.id, linked.id].sort());
    expect((await c.request({ op: 'claim', session: 'claim-1', pane: PANE })).tasks).toEqual([]);
    // background_output read it: not told again.
    const read = await launch('echo read already');
    await tc.waitFinal(read.id);
    await c.request({ op: 'result', taskId: read.id, collect: true });
    expect((await c.request({ op: 'claim', session: 'other-1', pane: '%1' })).tasks.map((t) => t.id)).toEqual([theirs.id]);
  });

  it('refuses a session id that could be a path', async () => {
    await expect(c.request({ op: 'claim', session: '../x' })).rejects.toThrow(/session id/);
  });
});

describe('the rewake waiter', () => {
  it('exits 2 with one ending, and a second waiter of the same session exits 0 at once', async () => {
    const main = mainAgent('wake-one');
    await armed('wake-one');
    const second = mainAgent('wake-one');
    expect((await second.exited).code).toBe(0);
    const t = await launch('echo the answer is 42');
    const { code, stderr } = await main.exited;
    expect(code).toBe(2);
    expect(stderr).toBe(`🔔 Background task ${t.id} (echo the answer is 42) completed: the answer is 42\nRead a whole result with background_output(task_id).\n`);
    expect((await c.request({ op: 'claim', session: 'wake-one', pane: PANE })).tasks).toEqual([]);
  });

  it('tells a burst of five endings in one wake, each once', async () => {
    const main = mainAgent('wake-burst');
    await armed('wake-burst');
    const ids = (await Promise.all([1, 2, 3, 4, 5].map((n) => launch(`sleep 0.5; echo burst ${n}`)))).map((t) => t.id);
    const { code, stderr } = await main.exited;
    expect(code).toBe(2);
    for (const id of ids) expect(stderr.split(id).length - 1, stderr).toBe(1);
  });

  it('links the task of a task call to its session, whatever pane it came from', async () => {
    const t = await launch('sleep 0.3; echo from elsewhere', '%5');
    const main = mainAgent('wake-link', `task_id: ${t.id}\nlaunched: shell`);
    const { code, stderr } = await main.exited;
    expect(code).toBe(2);
    expect(stderr).toContain(t.id);
  });

  it('reconnects after a controller SIGKILL and tells the ending once', async () => {
    const main = mainAgent('wake-restart');
    await armed('wake-restart');
    const t = await launch('sleep 2; echo survived');
    await tc.kill('SIGKILL');
    await tc.start();
    const { code, stderr } = await main.exited;
    expect(code).toBe(2);
    expect(stderr).toContain(`${t.id} (sleep 2; echo survived) completed: survived`);
    c.close();
    c = await tc.client();
    expect((await c.request({ op: 'claim', session: 'wake-restart', pane: PANE })).tasks).toEqual([]);
  });

  it('a main agent restarted in its session gets a waiter at once, though the old waiter has not yet seen its agent go', async () => {
    const first = mainAgent('wake-handover');
    await armed('wake-handover');
    const old = waiterOf('wake-handover');
    // A loaded machine: the old waiter does not run again before the new agent's hook does.
    process.kill(old, 'SIGSTOP');
    try {
      first.proc.kill('SIGKILL');
      await until(() => (first.proc.exitCode !== null || first.proc.signalCode !== null) || null, 'the old main agent to be gone');
      const second = mainAgent('wake-handover');
      await until(() => (existsSync(lockOf('wake-handover')) && waiterOf('wake-handover') !== old) || null, 'the new waiter to take the lock over');
      const t = await launch('echo after the restart');
      const { code, stderr } = await second.exited;
      expect(code).toBe(2);
      expect(stderr).toContain(`${t.id} (echo after the restart) completed`);
    } finally {
      process.kill(old, 'SIGCONT');
    }
    // The old waiter, woken, sees its agent gone and leaves; it releases no lock that is not its own.
    await gone(old, 'the old waiter to exit');
  });

  it('exits at once when its main agent was gone before it started (a shell left to init)', async () => {
    const code = join(tc.dir, 'orphan-code');
    const event = JSON.stringify({ session_id: 'wake-late' });
    // The shell outlives the process that started it, then runs the waiter as a hook would.
    const script = `sleep 1; echo '${event}' | ${process.execPath} ${HOOK} wait; echo $? > ${code}`;
    const starter = spawn(process.execPath, ['-e', `require('node:child_process').spawn('sh', ['-c', ${JSON.stringify(script)}], { detached: true, stdio: 'ignore', env: process.env }).unref()`], {
      env: { ...tc.env, TMUX_PANE: PANE },
      stdio: 'ignore',
    });
    await new Promise((r) => starter.once('exit', r));
    expect(await until(() => (existsSync(code) ? readFileSync(code, 'utf8').trim() : null), 'the late waiter to exit', 10_000)).toBe('0');
  });

  it('exits when its main agent is gone', async () => {
    mainAgent('wake-orphan');
    await armed('wake-orphan');
    const waiter = waiterOf('wake-orphan');
    mains.at(-1)!.kill('SIGKILL');
    await gone(waiter, 'the waiter to exit');
    expect(existsSync(lockOf('wake-orphan'))).toBe(false);
  });
});

describe('the notification strategy, for the main agent', () => {
  const strategy = async (name: string) => {
    writeFileSync(tc.env.PANECREW_CONFIG!, testConfig({ notification: { strategy: name, min_progress_delta: 25, desktop: { enabled: false }, tmux: { enabled: false }, bell: { enabled: false } } }));
    await c.request({ op: 'reload' });
  };
  afterEach(() => strategy('completion'));

  it('silent: no waiter wakes and no wake claims, but a prompt still gets the ending', async () => {
    await strategy('silent');
    const main = mainAgent('wake-silent');
    expect((await main.exited).code).toBe(0);
    const t = await launch('echo quiet');
    await tc.waitFinal(t.id);
    expect((await c.request({ op: 'claim', session: 'wake-silent', pane: PANE, wake: true })).tasks).toEqual([]);
    expect((await c.request({ op: 'claim', session: 'wake-silent', pane: PANE })).tasks.map((x) => x.id)).toEqual([t.id]);
  });

  it('milestone: a wake for each progress milestone reached, each once, then the ending', async () => {
    await strategy('milestone');
    const main = mainAgent('wake-milestone');
    await armed('wake-milestone');
    const t = await launch('echo PANECREW_PROGRESS 60; sleep 2; echo finished');
    const first = await main.exited;
    expect(first.code).toBe(2);
    expect(first.stderr).toBe(`⏳ Background task ${t.id} (echo PANECREW_PROGRESS 60; sleep 2; echo finished) is 50% done\n`);
    const next = mainAgent('wake-milestone');
    const { code, stderr } = await next.exited;
    expect(code).toBe(2);
    expect(stderr).toContain(`🔔 Background task ${t.id} (echo PANECREW_PROGRESS 60; sleep 2; echo finished) completed: finished`);
    expect(stderr).not.toContain('50%');
  });
});

