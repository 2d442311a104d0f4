// A batch of tasks is one journal line: replayed whole, and a crash that tears it loses the whole
// batch (never a part of it), since its client was never told it was stored.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/core/journal.js';
import { newTask, type Task } from '../../src/core/task.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'panecrew-journal-batch-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const journalFile = () => join(dir, 'journal.jsonl');
const open = () => new Journal(journalFile(), join(dir, 'snapshot.json'));
const task = (i: number): Task =>
  newTask({ id: `bg_${String(i).padStart(8, '0')}`, title: `t${i}`, agent: 'shell', model: null, key: 'local/shell', provider: 'local', prompt: 'true', cwd: '/' });

describe('created-batch entries', () => {
  it('replay every task of the batch, in order', () => {
    const j = open();
    j.replay();
    j.append({ type: 'created', task: task(1) });
    j.append({ type: 'created-batch', tasks: [task(2), task(3), task(4)] });
    j.close();
    expect([...open().replay().tasks.keys()]).toEqual([1, 2, 3, 4].map((i) => task(i).id));
  });

  it('a torn batch line loses the whole batch and nothing before it', () => {
    const j = open();
    j.replay();
    j.append({ type: 'created', task: task(1) });
    j.append({ type: 'created-batch', tasks: [task(2), task(3), task(4)] });
    j.close();
    const text = readFileSync(journalFile(), 'utf8');
    // cut inside the batch line, after task 3's record was written
    writeFileSync(journalFile(), text.slice(0, text.indexOf(task(3).id) + 40));
    const replayed = open().replay();
    expect([...replayed.tasks.keys()]).toEqual([task(1).id]);
    expect(replayed.skipped).toBe(1);
  });
});
