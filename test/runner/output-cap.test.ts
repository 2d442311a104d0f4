// output.log's cap in the runner, on task folders written by hand: the head and the tail are kept
// whole with one marker line between them, readers that follow the log by offset lose nothing of
// the tail, a pane still gets every byte, and a full disk never ends the copy (the agent would die).
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTail } from '../../src/liveness/tail.js';
import { readCapHead } from '../../src/runner/output-cap.js';
import { writeRunFile } from '../support/task-folder.js';
import { RUNNER } from '../../src/runner/native.js';
import { until } from '../support/until.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'panecrew-cap-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const MB = 1024 * 1024;
/** 20 MB of numbered 8-byte lines: any lost, repeated or moved byte shows. */
const LINES = 2_621_440;
const SCRIPT = `seq -f '%07.0f' 1 ${LINES}`;
const expected = (): Buffer => Buffer.from(execFileSync('bash', ['-c', SCRIPT], { maxBuffer: 64 * MB }));

const writeTask = (taskDir: string, script: string, capBytes: number): void => writeRunFile(taskDir, { argv: ['bash', '-c', script], cwd: dir, capBytes });

/** Runs the runner to its end; its stdout (a pane's, in pane mode) goes to `stdoutFile`. */
function runRunner(taskDir: string, mode: 'headless' | 'pane', stdoutFile = '/dev/null'): Promise<number | null> {
  return new Promise((resolve) => {
    const out = createWriteStream(stdoutFile);
    out.on('open', () => {
      const child = spawn(RUNNER, [taskDir, mode], { stdio: ['ignore', out, 'ignore'] });
      child.on('exit', (code) => out.close(() => resolve(code)));
    });
  });
}

const marker = (dropped: number): string =>
  `\n[panecrew: ${dropped} bytes of output dropped here; output.log keeps the first ${MB / 4} and the last ${(3 * MB) / 4} bytes]\n`;

describe('a task printing 20 MB under a 1 MB cap', () => {
  it('leaves a 1 MB log: the first quarter and the last three quarters whole, and a line saying what was dropped', async () => {
    const task = join(dir, 'task');
    writeTask(task, SCRIPT, MB);
    // A reader following the log by offset, as the controller does, while the runner cuts it.
    const chunks: Buffer[] = [];
    const tail = new FileTail(join(task, 'output.log'), (c) => chunks.push(c), () => readCapHead(task));
    let following = true;
    const follow = (async () => {
      while (following) await tail.read().then(() => new Promise((r) => setTimeout(r, 5)));
    })();
    const started = Date.now();
    expect(await runRunner(task, 'headless')).toBe(0);
    const took = Date.now() - started;
    following = false;
    await follow;
    await tail.read();

    const all = expected();
    expect(all.length).toBe(20 * MB);
    const log = readFileSync(join(task, 'output.log'));
    const dropped = all.length - MB;
    expect(log.toString('latin1')).toBe(all.subarray(0, MB / 4).toString('latin1') + marker(dropped) + all.subarray(-(3 * MB) / 4).toString('latin1'));
    expect(statSync(join(task, 'output.log')).size).toBeLessThan(MB + 200);

    // The follower counted every byte the agent wrote and has the tail, in order, to the last byte.
    expect(tail.position).toBe(all.length);
    const seen = Buffer.concat(chunks);
    expect(seen.subarray(0, MB / 4).equals(all.subarray(0, MB / 4))).toBe(true);
    expect(seen.subarray(-(3 * MB) / 4).equals(all.subarray(-(3 * MB) / 4))).toBe(true);
    console.log(`20 MB through a 1 MB cap: ${took} ms`);
  }, 120_000);

  it('in a pane, the pane still gets all 20 MB while the log is capped', async () => {
    const task = join(dir, 'task');
    writeTask(task, SCRIPT, MB);
    const pane = join(dir, 'pane.out');
    expect(await runRunner(task, 'pane', pane)).toBe(0);
    expect(readFileSync(pane).equals(expected())).toBe(true);
    expect(readFileSync(join(task, 'output.log'), 'latin1')).toContain(marker(20 * MB - MB));
  }, 120_000);

  it('without a cap (0) the log keeps everything', async () => {
    const task = join(dir, 'task');
    writeTask(task, SCRIPT, 0);
    expect(await runRunner(task, 'headless')).toBe(0);
    expect(readFileSync(join(task, 'output.log')).equals(expected())).toBe(true);
  }, 120_000);

  it('output reaches the log as it is written, not when a chunk fills', async () => {
    const task = join(dir, 'task');
    const stop = join(dir, 'stop');
    writeTask(task, `echo first-line; until [ -e ${stop} ]; do sleep 0.05; done`, MB);
    const ended = runRunner(task, 'headless');
    await until(() => existsSync(join(task, 'output.log')) && readFileSync(join(task, 'output.log'), 'utf8') === 'first-line\n', 'the line in output.log');
    writeFileSync(stop, '');
    expect(await ended).toBe(0);
  });

  it('output under the cap is kept as written, with no marker', async () => {
    const task = join(dir, 'task');
    writeTask(task, `seq 1 1000; printf 'no newline at the end'`, MB);
    expect(await runRunner(task, 'headless')).toBe(0);
    expect(readFileSync(join(task, 'output.log'), 'utf8')).toBe(`${execFileSync('seq', ['1', '1000'])}no newline at the end`);
  });
});

describe('on a full disk', () => {
  it('the copy goes on (dropping what cannot be written), so the agent is not killed by SIGPIPE', async (ctx) => {
    const disk = join(dir, 'disk');
    mkdirSync(disk);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=128k', 'tmpfs', disk], { stdio: 'pipe' });
    } catch (err) {
      ctx.skip(`cannot mount a tmpfs here: ${(err as Error).message.split('\n')[0]}`);
    }
    try {
      const task = join(disk, 'task');
      writeTask(task, `seq -f '%07.0f' 1 30000; echo done >${join(dir, 'agent-done')}`, 65_536);
      expect(await runRunner(task, 'headless')).toBe(0);
      expect(readFileSync(join(dir, 'agent-done'), 'utf8')).toBe('done\n');
    } finally {
      execFileSync('umount', [disk]);
    }
  }, 60_000);
});
