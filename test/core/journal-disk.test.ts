// The journal on disks that fill up: what is acknowledged is on disk, a failed write or sync is
// reported (never taken as durable), nothing is left half-written, and it all recovers with the space.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal, JournalWriteError } from '../../src/core/journal.js';
import { newTask, type Task } from '../../src/core/task.js';
import { until } from '../support/until.js';
import { cannotLoopMount, cannotMount, mountThinDisk, mountTmpfs, type SmallDisk } from '../support/small-disk.js';

let disk: SmallDisk | undefined;
afterEach(() => {
  disk?.dispose();
  disk = undefined;
});

const open = (dir: string) => new Journal(join(dir, 'journal.jsonl'), join(dir, 'snapshot.json'));
const task = (i: number, prompt = 'true'): Task =>
  newTask({ id: `bg_${String(i).padStart(8, '0')}`, title: `t${i}`, agent: 'shell', model: null, key: 'local/shell', provider: 'local', prompt, cwd: '/' });

function created(j: Journal, from: number, to: number): Map<string, Task> {
  const tasks = new Map<string, Task>();
  for (let i = from; i <= to; i++) {
    const t = task(i);
    j.append({ type: 'created', task: t });
    tasks.set(t.id, t);
  }
  return tasks;
}

const noTmpfs = cannotMount();
const noThinDisk = cannotLoopMount();

describe.skipIf(noTmpfs)(`the journal on a full tmpfs${noTmpfs ? ` (skipped: ${noTmpfs})` : ''}`, () => {
  it('a write the disk cannot hold throws a JournalWriteError and leaves only whole lines; the next append is whole', async () => {
    disk = mountTmpfs();
    const j = open(disk.dir);
    j.replay();
    const kept = created(j, 1, 3);
    const before = readFileSync(join(disk.dir, 'journal.jsonl'), 'utf8');
    disk.fill();
    // Longer than what is left of the journal's last page: the write is cut short, then fails.
    const big = task(4, 'x'.repeat(8000));
    let thrown: unknown;
    try {
      j.append({ type: 'created', task: big });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(JournalWriteError);
    expect(thrown).toMatchObject({ code: 'ENOSPC', op: 'append' });
    expect((thrown as Error).message).toMatch(/^the disk holding .*journal\.jsonl is full: the change was not recorded/);
    expect(readFileSync(join(disk.dir, 'journal.jsonl'), 'utf8')).toBe(before);
    disk.free();
    const later = task(5);
    j.append({ type: 'created', task: later });
    await j.synced();
    j.close();
    const replayed = open(disk.dir).replay();
    expect(replayed.tasks).toEqual(new Map([...kept, [later.id, later]]));
    expect(replayed.skipped).toBe(0);
  });

  it('compaction that cannot write the whole snapshot keeps the journal, and nothing is lost', () => {
    disk = mountTmpfs();
    const j = open(disk.dir);
    j.replay();
    const tasks = created(j, 1, 30);
    disk.fill();
    // One free page: the snapshot (about 15 kB) is cut short after 4 kB.
    const filler = join(disk.dir, 'filler');
    truncateSync(filler, Math.max(0, readFileSync(filler).length - 4096));
    expect(() => j.compact(tasks.values())).toThrow(JournalWriteError);
    expect(readdirSync(disk.dir).sort()).toEqual(['filler', 'journal.jsonl']);
    j.close();
    expect(open(disk.dir).replay().tasks).toEqual(tasks);
  });
});

describe.skipIf(noThinDisk)(`the journal on a thin disk whose fdatasync fails${noThinDisk ? ` (skipped: ${noThinDisk})` : ''}`, () => {
  it('a failed fdatasync rejects synced(); when space returns, later syncs succeed and every change is on disk', async () => {
    disk = mountThinDisk();
    const j = open(disk.dir);
    j.replay();
    const tasks = created(j, 1, 1);
    await j.synced();
    disk.fill();
    // Enough to need new blocks of the backing file (the first few may be there already).
    for (const [id, t] of created(j, 2, 100)) tasks.set(id, t);
    await expect(j.synced()).rejects.toThrow(JournalWriteError);
    await expect(j.synced()).rejects.toMatchObject({ op: 'sync', code: expect.stringMatching(/^(ENOSPC|EIO)$/) });
    // Still not durable: a later fdatasync that succeeds would say nothing about the pages that failed.
    const first = tasks.get(task(1).id)!;
    j.append({ type: 'updated', id: first.id, patch: { title: 'renamed while full' } });
    tasks.set(first.id, { ...first, title: 'renamed while full' });
    await expect(j.synced()).rejects.toThrow(/journal\.jsonl.*not known to be on disk/);
    disk.free();
    for (const [id, t] of created(j, 101, 101)) tasks.set(id, t);
    await until(() => j.synced().then(() => true, () => false), 'the journal to sync again (it retries once a second)');
    j.close();
    disk.remount(); // what is left is what reached the disk
    expect(open(disk.dir).replay().tasks).toEqual(tasks);
  });
});

const strace = (() => {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'strace is not installed';
  }
})();

describe.skipIf(strace)(`compaction order on disk${strace ? ` (skipped: ${strace})` : ''}`, () => {
  it('the snapshot and its folder are synced before the journal is truncated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'panecrew-journal-'));
    try {
      const journal = resolve(import.meta.dirname, '../../dist/core/journal.js');
      const script = `
        const { Journal } = await import(${JSON.stringify(journal)});
        const j = new Journal(process.argv[1] + '/journal.jsonl', process.argv[1] + '/snapshot.json');
        const { tasks } = j.replay();
        j.append({ type: 'removed', ids: [] });
        j.compact(tasks.values());
        j.close();`;
      const trace = join(dir, 'trace');
      execFileSync('strace', ['-f', '-qq', '-y', '-o', trace, '-e', 'trace=fsync,fdatasync,rename,renameat,renameat2,ftruncate', process.execPath, '--input-type=module', '-e', script, dir]);
      const calls = readFileSync(trace, 'utf8')
        .split('\n')
        .map((l) => l.replace(/^\d+\s+/, ''));
      const at = (re: RegExp) => calls.findIndex((c) => re.test(c));
      const syncTmp = at(/^fsync\(\d+<.*snapshot\.json\.\d+\.tmp>\)/);
      const rename = at(/^rename(at2?)?\(.*snapshot\.json\.\d+\.tmp.*snapshot\.json"/);
      const syncFolder = at(new RegExp(`^fsync\\(\\d+<${dir}>\\)`));
      const truncate = at(/^ftruncate\(\d+<.*journal\.jsonl>, 0\)/);
      expect([syncTmp, rename, syncFolder, truncate].every((i) => i >= 0), calls.join('\n')).toBe(true);
      expect(syncTmp).toBeLessThan(rename);
      expect(rename).toBeLessThan(syncFolder);
      expect(syncFolder).toBeLessThan(truncate);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
