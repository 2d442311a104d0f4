// The runner on its own, on task folders written by hand: what it records when the folder is
// incomplete, and when the disk it writes to is full.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalExecutor } from '../../src/executor/local.js';
import { exitRecordFromStatus, readExitRecord } from '../../src/runner/exit-record.js';
import { RUNNER } from '../../src/runner/native.js';
import { openFiles } from '../../src/system/proc.js';
import { RUN_FILE } from '../../src/core/paths.js';
import { nul, writeRunFile } from '../support/task-folder.js';
import { until } from '../support/until.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'panecrew-runner-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A complete task folder running `bash -c script`. */
const writeTask = (taskDir: string, script: string): void => writeRunFile(taskDir, { argv: ['bash', '-c', script], cwd: dir });

/** Runs the runner headless to its end (with a start token, if given); resolves with its exit status. */
function runRunner(taskDir: string, token?: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(RUNNER, [taskDir, 'headless', ...(token ? [token] : [])], { stdio: 'ignore' });
    child.on('exit', (code) => resolve(code));
  });
}

describe('an incomplete task folder fails with the reason', () => {
  it('without run.nul the task fails with exit 127 and says the file is missing', async () => {
    const task = join(dir, 'task');
    writeTask(task, 'exit 0');
    rmSync(join(task, RUN_FILE));
    expect(await runRunner(task)).toBe(127);
    const exit = readExitRecord(join(task, 'exit.json'));
    expect(exit).toMatchObject({ code: 127, signal: null });
    expect(exit?.note).toContain('has no run.nul');
  });

  it.each([
    ['empty', ''],
    ['naming no arguments', nul([dir, '', '0', 'PATH=/usr/bin'])],
    ['naming more arguments than it holds', nul([dir, '', '3', 'bash', '-c'])],
    ['with a count that is not a number', nul([dir, '', 'x', 'true'])],
    ['cut short before the count', nul([dir, ''])],
  ])('a run.nul %s is not a command: exit 127, never a success', async (_, content) => {
    const task = join(dir, 'task');
    writeTask(task, 'exit 0');
    writeFileSync(join(task, RUN_FILE), content);
    expect(await runRunner(task)).toBe(127);
    expect(readExitRecord(join(task, 'exit.json'))).toMatchObject({ code: 127, note: expect.stringContaining('run.nul is damaged') });
  });

  it('a cwd that cannot be entered: exit 127, saying so', async () => {
    const task = join(dir, 'task');
    writeRunFile(task, { argv: ['true'], cwd: join(dir, 'gone') });
    expect(await runRunner(task)).toBe(127);
    expect(readExitRecord(join(task, 'exit.json'))).toMatchObject({ code: 127, note: expect.stringContaining('cannot enter the working directory') });
  });
});

describe('a start claimed by a restarted controller', () => {
  it('a runner whose start was given up runs nothing and writes nothing in the folder', async () => {
    const task = join(dir, 'task');
    writeTask(task, `touch ${join(dir, 'ran')}`);
    const executor = new LocalExecutor(dir, () => {});
    try {
      expect(executor.giveUpStart(task, '1-100')).toBeNull();
      expect(await runRunner(task, '1-100')).toBe(1);
      expect(['ran', 'task/started.json', 'task/exit.json', 'task/output.log'].filter((f) => existsSync(join(dir, f)))).toEqual([]);
      // Another start of the same attempt number is another token: it runs.
      expect(await runRunner(task, '1-200')).toBe(0);
      expect(existsSync(join(dir, 'ran'))).toBe(true);
      // A start its runner claimed first is not given up: its pid comes back, to be adopted.
      const pid = (JSON.parse(readFileSync(join(task, 'started.json'), 'utf8')) as { pid: number }).pid;
      expect(executor.giveUpStart(task, '1-200')).toBe(pid);
    } finally {
      await executor.close();
    }
  });
});

describe('a start claimed at the moment recovery looks', () => {
  it('a claim made but not yet holding its pid is the runner\'s: recovery finds the runner and does not give the start up', async () => {
    const task = join(dir, 'task');
    writeTask(task, 'exit 0');
    // The runner between creating its claim (O_EXCL) and writing its pid in it: an empty claim, which
    // the runner holds open (a runner forked by the spawner has no telling arguments).
    const claim = join(task, 'start.1-300');
    writeFileSync(claim, '');
    const runner = spawn('bash', ['-c', 'exec sleep 30 9>>"$0"', claim], { stdio: 'ignore' });
    const executor = new LocalExecutor(dir, () => {});
    try {
      await until(() => openFiles(runner.pid!).includes(realpathSync(claim)), 'the stand-in runner to hold its claim');
      expect(executor.giveUpStart(task, '1-300')).toBe(runner.pid);
      expect(readFileSync(join(task, 'start.1-300'), 'utf8')).toBe('');
    } finally {
      runner.kill('SIGKILL');
      await executor.close();
    }
  });
});

describe('the runner exits with the agent code', () => {
  it.each([0, 3])('an agent exiting %i makes the runner exit with the same code', async (code) => {
    const task = join(dir, 'task');
    writeTask(task, `exit ${code}`);
    expect(await runRunner(task)).toBe(code);
    expect(readExitRecord(join(task, 'exit.json'))).toMatchObject({ code });
  });
});

describe('an agent that cannot be run', () => {
  it('ends with 127 and says why in output.log', async () => {
    const task = join(dir, 'task');
    writeRunFile(task, { argv: ['no-such-agent-here'], cwd: dir });
    expect(await runRunner(task)).toBe(127);
    expect(readExitRecord(join(task, 'exit.json'))).toMatchObject({ code: 127, signal: null });
    expect(readFileSync(join(task, 'output.log'), 'utf8')).toBe('panecrew: cannot run no-such-agent-here: No such file or directory (is it installed, and on the PATH of the shell the task was launched from?)\n');
  });
});

describe('a runner started with SIGCHLD ignored (a parent may leave it so across exec)', () => {
  it('still sees its agent end, and records it', async () => {
    const task = join(dir, 'task');
    writeTask(task, 'exit 5');
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn('bash', ['-c', 'trap "" CHLD; exec "$0" "$1" headless', RUNNER, task], { stdio: 'ignore' });
      child.on('exit', (c) => resolve(c));
    });
    expect(code).toBe(5);
    expect(readExitRecord(join(task, 'exit.json'))).toMatchObject({ code: 5 });
  }, 15_000);
});

describe('exit.json as the controller reads it', () => {
  it('is no record until its line is whole (the runner writes it in place, without a rename); a whole line that is not a record is unreadable', () => {
    const file = join(dir, 'exit.json');
    expect(readExitRecord(file)).toBeUndefined();
    writeFileSync(file, '');
    expect(readExitRecord(file)).toBeUndefined();
    writeFileSync(file, '{"code":0,"signal":null,"startedAt":1,"endedAt":2,"note":null}');
    expect(readExitRecord(file)).toBeUndefined();
    writeFileSync(file, '{"code":0,"signal":null,"startedAt":1,"endedAt":2,"note":null}\n');
    expect(readExitRecord(file)).toMatchObject({ code: 0, endedAt: 2 });
    writeFileSync(file, '{"code":"zero"}\n');
    expect(readExitRecord(file)).toBeNull();
  });
});

describe('an exit record from the runner exit status', () => {
  it('gives the code, and the signal for 128+n, named as bash (kill -l) names it', () => {
    expect(exitRecordFromStatus(0, 1, 2)).toMatchObject({ code: 0, signal: null, startedAt: 1, endedAt: 2, note: expect.stringContaining('exit.json') });
    expect(exitRecordFromStatus(143, 1, 2)).toMatchObject({ code: 143, signal: 'TERM' });
  });
});

/** A tmpfs of `kb` kilobytes at `at`; null (and the reason) when this user cannot mount one. */
function mountSmallTmpfs(at: string, kb: number): string | null {
  mkdirSync(at, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', at], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return `cannot mount a tmpfs here: ${(err as Error).message.split('\n')[0]}`;
  }
}

describe('on a full disk', () => {
  let disk: string;
  let cannotMount: string | null;
  beforeEach(() => {
    disk = join(dir, 'disk');
    cannotMount = mountSmallTmpfs(disk, 64);
  });
  afterEach(() => {
    if (!cannotMount) execFileSync('umount', [disk]);
  });

  /** Fills the tmpfs: every later write to it fails with ENOSPC. */
  const fill = (): void => {
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${join(disk, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
    } catch {
      // dd stops with ENOSPC: the disk is full
    }
  };

  it('a runner that cannot write exit.json still exits with the agent code', async (ctx) => {
    if (cannotMount) ctx.skip(cannotMount);
    const task = join(disk, 'task');
    writeTask(task, 'exit 0');
    fill();
    expect(await runRunner(task)).toBe(0);
  }, 20_000);

  it('exit.json is written once space returns while the runner retries', async (ctx) => {
    if (cannotMount) ctx.skip(cannotMount);
    const task = join(disk, 'task');
    const agentDone = join(dir, 'agent-done');
    writeTask(task, `: >${agentDone}; exit 3`);
    fill();
    const ended = runRunner(task);
    await until(() => existsSync(agentDone), 'the agent to end');
    rmSync(join(disk, 'filler'));
    expect(await ended).toBe(3);
    expect(readExitRecord(join(task, 'exit.json'))).toMatchObject({ code: 3 });
    expect(readFileSync(join(task, 'exit.json'), 'utf8')).not.toContain('tmp');
  }, 20_000);
});
