// The spawner (runner/native/spawner.c and surface/spawner.ts) starts headless runners for the controller:
// each in a process group of its own, and with an exit event as exact as a child's — the runner's
// status when it ends, none when a signal killed it — even after the spawner itself is gone.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalExecutor } from '../../src/executor/local.js';
import { readExitRecord } from '../../src/runner/exit-record.js';
import { RUNNER, SPAWNER } from '../../src/runner/native.js';
import { readProcStat } from '../../src/system/proc.js';
import { Spawner, type SpawnedProcess } from '../../src/surface/spawner.js';
import { writeRunFile } from '../support/task-folder.js';
import { until } from '../support/until.js';

let dir: string;
let spawner: Spawner;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'panecrew-spawner-'));
  spawner = new Spawner();
});
afterEach(() => {
  spawner.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A task folder whose agent runs `script` with bash. */
function task(name: string, script: string): string {
  const taskDir = join(dir, name);
  writeRunFile(taskDir, { argv: ['bash', '-c', script], cwd: dir });
  return taskDir;
}

const runner = (taskDir: string): string[] => [RUNNER, taskDir, 'headless', '1-1'];
/** Its exit status once it is gone; a runner as fast as `exit 3` may be gone before this is asked. */
const gone = (p: SpawnedProcess): Promise<number | null> => new Promise((resolve) => p.onExit(() => resolve(p.exitCode)));

describe('the spawner', () => {
  it("starts runners in process groups of their own and reports each one's exit status", async () => {
    const [a, b] = await Promise.all([spawner.spawn(runner(task('a', 'exit 3'))), spawner.spawn(runner(task('b', `echo $$ > ${join(dir, 'b.pid')}; sleep 30`)))]);
    expect(await gone(a)).toBe(3);
    const agent = Number(await until(() => readFileSync(join(dir, 'b.pid'), 'utf8').trim(), 'the agent of b to start'));
    // The runner leads its group: the agent is in it, so a signal to -pid reaches the whole task.
    expect(readProcStat(agent)?.pgrp).toBe(b.pid);
    expect(readProcStat(b.pid)?.pgrp).toBe(b.pid);
    const ended = gone(b);
    process.kill(-b.pid, 'SIGTERM');
    // The runner traps TERM, records it and exits 143: an end it reports, not a kill.
    expect(await ended).toBe(143);
  });

  it('tells of an end that came before anyone listened for it', async () => {
    const p = await spawner.spawn(runner(task('fast', 'exit 4')));
    await until(() => p.exited, 'the runner to be gone');
    expect(await gone(p)).toBe(4);
  });

  it('reports no status for a runner killed by a signal (it vanished), and its agent never gets the report pipe', async () => {
    const p = await spawner.spawn(runner(task('k', `ls /proc/$$/fd > ${join(dir, 'fds')}; sleep 30`)));
    await until(() => readFileSync(join(dir, 'fds'), 'utf8'), 'the agent to list its descriptors');
    expect(readFileSync(join(dir, 'fds'), 'utf8').split('\n')).not.toContain('9');
    const ended = gone(p);
    process.kill(p.pid, 'SIGKILL');
    expect(await ended).toBeNull();
    process.kill(-p.pid, 'SIGKILL');
  });

  it('runs a runner in a fork of itself, which the executor still tells from a process that is not that folder\'s runner', async () => {
    const mine = task('mine', 'sleep 30');
    const other = task('other', 'exit 0');
    const p = await spawner.spawn(runner(mine));
    await until(() => readFileSync(join(mine, 'started.json'), 'utf8'), 'the runner to start');
    // No program was started for it: its command line is the spawner's.
    expect(readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0')[0]).toBe(SPAWNER);
    const executor = new LocalExecutor(dir, () => {});
    try {
      expect(executor.alive(p.pid, mine)).toBe(true);
      expect(executor.alive(p.pid, other)).toBe(false);
      expect(executor.alive(process.pid, mine)).toBe(false);
      const ended = gone(p);
      process.kill(-p.pid, 'SIGTERM');
      expect(await ended).toBe(143);
      expect(readExitRecord(join(mine, 'exit.json'))).toMatchObject({ code: 143, signal: 'TERM' });
    } finally {
      await executor.close();
    }
  });

  it('goes on reporting the runners it started after it is killed, and starts anew for the next one', async () => {
    const first = await spawner.spawn(runner(task('first', `until [ -e ${join(dir, 'go')} ]; do sleep 0.05; done; exit 4`)));
    const internals = spawner as unknown as { child: { pid: number } | null };
    process.kill(internals.child!.pid, 'SIGKILL');
    await until(() => internals.child === null, 'the spawner to be seen gone');
    const ended = gone(first);
    writeFileSync(join(dir, 'go'), '');
    expect(await ended).toBe(4);
    const next = await spawner.spawn(runner(task('next', 'exit 0')));
    expect(await gone(next)).toBe(0);
  });

  // Root only: setpriv makes the spawner a user of its own (no other process), whose limit of one process it is itself.
  it.skipIf(process.getuid?.() !== 0)('says why when no process can be created (a process limit), instead of leaving the start waiting', async () => {
    const limited = new Spawner(['prlimit', '--nproc=1:1', 'setpriv', '--reuid=64123', '--regid=64123', '--clear-groups', SPAWNER]);
    try {
      await expect(limited.spawn(runner(task('limited', 'exit 0')))).rejects.toThrow(/the runner could not be started: no process could be created \(EAGAIN\)/);
    } finally {
      limited.close();
    }
  });
});
