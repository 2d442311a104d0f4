// The journal on real files: replay gives back what was written, compaction changes nothing.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/core/journal.js';
import { newTask, type Task } from '../../src/core/task.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'panecrew-journal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (compactEvery?: number) => new Journal(join(dir, 'journal.jsonl'), join(dir, 'snapshot.json'), compactEvery);
const task = (i: number): Task =>
  newTask({ id: `bg_${String(i).padStart(8, '0')}`, title: `t${i}`, agent: 'shell', model: null, key: 'local/shell', provider: 'local', prompt: 'true', cwd: '/' });

function writeSome(j: Journal, tasks: Map<string, Task>, n: number): void {
  for (let i = 0; i < n; i++) {
    const t = task(i);
    j.append({ type: 'created', task: t });
    tasks.set(t.id, t);
    j.append({ type: 'updated', id: t.id, patch: { state: 'running', notBefore: 1000 + i } });
    tasks.set(t.id, { ...tasks.get(t.id)!, state: 'running', notBefore: 1000 + i });
    if (i % 2) {
      j.append({ type: 'updated', id: t.id, patch: { state: 'completed', resultPreview: 'ok' } });
      tasks.set(t.id, { ...tasks.get(t.id)!, state: 'completed', resultPreview: 'ok' });
    }
  }
}

describe('journal', () => {
  it('replays to the same state it was written with', async () => {
    const j = open();
    j.replay();
    const expected = new Map<string, Task>();
    writeSome(j, expected, 20);
    j.append({ type: 'removed', ids: ['bg_00000003'] });
    expected.delete('bg_00000003');
    await j.synced();
    j.close();
    expect(open().replay().tasks).toEqual(expected);
  });

  it('compacts into a snapshot, truncates the journal, and replays the same state', () => {
    const j = open(25);
    j.replay();
    const expected = new Map<string, Task>();
    writeSome(j, expected, 10);
    expect(j.needsCompaction).toBe(true);
    j.compact(expected.values());
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).toBe('');
    // Entries after the snapshot land in the emptied journal and are replayed on top of it.
    j.append({ type: 'updated', id: 'bg_00000000', patch: { state: 'cancelled' } });
    expected.set('bg_00000000', { ...expected.get('bg_00000000')!, state: 'cancelled' });
    j.close();
    expect(existsSync(join(dir, 'snapshot.json'))).toBe(true);
    expect(open().replay().tasks).toEqual(expected);
  });

  it('skips entries already in the snapshot when a crash came between snapshot and truncation', () => {
    const j = open();
    j.replay();
    const expected = new Map<string, Task>();
    writeSome(j, expected, 3);
    const before = readFileSync(join(dir, 'journal.jsonl'), 'utf8');
    j.compact(expected.values());
    j.close();
    // Put the old entries back, as if the truncation never happened.
    appendFileSync(join(dir, 'journal.jsonl'), before);
    expect(open().replay().tasks).toEqual(expected);
  });

  it('ignores a torn last line and counts it', () => {
    const j = open();
    j.replay();
    j.append({ type: 'created', task: task(1) });
    j.close();
    appendFileSync(join(dir, 'journal.jsonl'), '{"seq":2,"at":1,"type":"upd');
    const replayed = open().replay();
    expect(replayed.skipped).toBe(1);
    expect([...replayed.tasks.keys()]).toEqual(['bg_00000001']);
  });
});
