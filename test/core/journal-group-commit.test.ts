// Group commit: every entry is written (whole, in the kernel) before append returns, so a SIGKILL
// right after loses nothing; the fdatasyncs against a machine crash are shared — one for the entries
// of a whole window when no one waits, one at once for a caller of synced() (a reply to a client).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal, LAZY_SYNC_MS } from '../../src/core/journal.js';

const DIST = resolve(import.meta.dirname, '../../dist/core');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'panecrew-group-commit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `body` in a Node process with `j`, a replayed journal in `dir`, and `task(i)` an entry's task. */
const script = (body: string): string => `
  const { Journal } = await import(${JSON.stringify(join(DIST, 'journal.js'))});
  const { newTask } = await import(${JSON.stringify(join(DIST, 'task.js'))});
  const j = new Journal(process.argv[1] + '/journal.jsonl', process.argv[1] + '/snapshot.json');
  j.replay();
  const task = (i) => newTask({ id: 'bg_' + String(i).padStart(8, '0'), title: 't' + i, agent: 'shell', model: null, key: 'local/shell', provider: 'local', prompt: 'true', cwd: '/' });
  const turn = () => new Promise((r) => setImmediate(r));
  ${body}`;

const replayed = () => new Journal(join(dir, 'journal.jsonl'), join(dir, 'snapshot.json')).replay();

describe('the journal', () => {
  it('keeps every entry appended before a SIGKILL, though none was synced', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(`
      for (let i = 1; i <= 50; i++) j.append({ type: 'created', task: task(i) });
      process.kill(process.pid, 'SIGKILL');`), dir]);
    expect(r.signal).toBe('SIGKILL');
    expect(replayed().tasks.size).toBe(50);
  });

  const strace = spawnSync('strace', ['-V']).status === 0 ? null : 'strace is not installed';
  it.skipIf(strace)(`shares one fdatasync among the entries of a window no one waits for, and syncs at once for a waiter${strace ? ` (skipped: ${strace})` : ''}`, () => {
    const trace = join(dir, 'trace');
    execFileSync('strace', ['-f', '-qq', '-s', '100', '-o', trace, '-e', 'trace=fdatasync,write', process.execPath, '--input-type=module', '-e', script(`
      // 20 turns of the event loop, 10 entries each: before group commit, one fdatasync per turn.
      const t0 = Date.now();
      for (let t = 0; t < 20; t++) {
        for (let i = 0; i < 10; i++) j.append({ type: 'created', task: task(t * 10 + i + 1) });
        await turn();
      }
      process.stdout.write('LOOP-MS ' + (Date.now() - t0) + '\\n');
      await new Promise((r) => setTimeout(r, 300));
      process.stdout.write('WINDOW-DONE\\n');
      j.append({ type: 'removed', ids: [task(1).id] });
      await j.synced();
      process.stdout.write('SYNCED\\n');
      j.close();`), dir]);
    const calls = readFileSync(trace, 'utf8').split('\n');
    const windowDone = calls.findIndex((c) => c.includes('WINDOW-DONE'));
    const syncs = (from: number, to: number) => calls.slice(from, to).filter((c) => /fdatasync\(/.test(c)).length;
    expect(windowDone).toBeGreaterThan(0);
    // One sync per window the 20 turns spanned (under strace on a loaded machine they may span several), and one after.
    const loopMs = Number(/LOOP-MS (\d+)/.exec(calls.join('\n'))?.[1]);
    expect(syncs(0, windowDone)).toBeLessThanOrEqual(Math.floor(loopMs / LAZY_SYNC_MS) + 2);
    // The waiter's entry is synced before synced() resolves (not at close).
    const lastEntry = calls.findIndex((c, i) => i > windowDone && c.includes('removed'));
    const synced = calls.findIndex((c) => c.includes('SYNCED'));
    expect(syncs(lastEntry, synced)).toBeGreaterThanOrEqual(1);
    expect(replayed().tasks.size).toBe(199);
  });
});
