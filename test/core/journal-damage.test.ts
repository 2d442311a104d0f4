// A damaged journal or snapshot is survivable: replay keeps every valid entry, quarantines the rest
// (kept aside, counted, reported), and the entries appended afterwards are whole and replayed.
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

const journalFile = () => join(dir, 'journal.jsonl');
const snapshotFile = () => join(dir, 'snapshot.json');
const quarantineFile = () => join(dir, 'journal.quarantine.jsonl');
const open = () => new Journal(journalFile(), snapshotFile());
const task = (i: number): Task =>
  newTask({ id: `bg_${String(i).padStart(8, '0')}`, title: `t${i}`, agent: 'shell', model: null, key: 'local/shell', provider: 'local', prompt: 'true', cwd: '/' });
const line = (entry: object) => `${JSON.stringify(entry)}\n`;
const quarantined = () =>
  readFileSync(quarantineFile(), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { from: string; line?: number; index?: number; problem: string; text?: string });

/** Launches three tasks through a journal that is closed and reopened after `damage` each time. */
function launchThree(damage: () => void): string[] {
  const ids: string[] = [];
  for (let i = 1; i <= 3; i++) {
    const j = open();
    j.replay();
    j.append({ type: 'created', task: task(i) });
    ids.push(task(i).id);
    j.close();
    damage();
  }
  return ids;
}

describe('journal replay of damaged files', () => {
  it('a torn last line from a crash does not swallow the next entry', () => {
    const ids = launchThree(() => appendFileSync(journalFile(), '{"seq":99,"at":1,"type":"upd'));
    const replayed = open().replay();
    expect([...replayed.tasks.keys()]).toEqual(ids);
    expect(replayed.skipped).toBe(1); // each start quarantines the torn line and folds it out
  });

  it('when the torn line cannot be quarantined, the newline is restored before the next entry', () => {
    mkdirSync(quarantineFile()); // the quarantine file cannot be written, so the journal keeps its bad lines
    const ids = launchThree(() => appendFileSync(journalFile(), '{"seq":99,"at":1,"type":"upd'));
    const replayed = open().replay();
    expect([...replayed.tasks.keys()]).toEqual(ids);
    expect(replayed.skipped).toBe(3);
    expect(replayed.quarantined).toBe(0);
    expect(replayed.problems.at(-1)).toMatch(/^journal\.jsonl line \d+: not JSON \(a torn write\?\); left in place: .* could not be written \(EISDIR\)$/);
  });

  it('lines that parse but are not entries are quarantined and later entries keep a valid seq', () => {
    // 42 once made the next seq NaN, written as "seq":null, so every later entry was skipped.
    const ids = launchThree(() => appendFileSync(journalFile(), '42\n'));
    const j = open();
    const replayed = j.replay();
    expect([...replayed.tasks.keys()]).toEqual(ids);
    const next = j.append({ type: 'removed', ids: [ids[0]!] });
    j.close();
    expect(next.seq).toBe(4);
    expect([...open().replay().tasks.keys()]).toEqual(ids.slice(1));
  });

  it('null, an entry without its task, a seq that is not a number: each is quarantined, counted and reported', () => {
    const t1 = task(1);
    const t2 = task(2);
    const bad = [
      'null',
      JSON.stringify({ seq: 2, at: 1, type: 'created' }),
      JSON.stringify({ seq: 'x', at: 1, type: 'updated', id: t1.id, patch: { title: 'poison' } }),
      JSON.stringify({ seq: 3, at: 1, type: 'created', task: { title: 'no id' } }),
      JSON.stringify({ seq: 4, at: 1, type: 'updated', id: t1.id, patch: 'not an object' }),
    ];
    writeFileSync(
      journalFile(),
      [line({ seq: 1, at: 1, type: 'created', task: t1 }), ...bad.map((b) => `${b}\n`), line({ seq: 5, at: 1, type: 'created', task: t2 }), line({ seq: 6, at: 1, type: 'updated', id: t1.id, patch: { title: 'kept' } })].join(''),
    );
    const j = open();
    const replayed = j.replay();
    expect(replayed.tasks).toEqual(
      new Map([
        [t1.id, { ...t1, title: 'kept' }],
        [t2.id, t2],
      ]),
    );
    expect(replayed.skipped).toBe(bad.length);
    expect(replayed.quarantined).toBe(bad.length);
    expect(replayed.quarantineFile).toBe(quarantineFile());
    expect(replayed.problems).toHaveLength(bad.length);
    expect(replayed.problems[1]).toMatch(/^journal\.jsonl line 3: not a journal entry: task: .*; kept in journal\.quarantine\.jsonl$/);
    expect(quarantined().map((q) => [q.line, q.text])).toEqual(bad.map((b, i) => [i + 2, b]));
    expect(statSync(quarantineFile()).mode & 0o777).toBe(0o600);
    expect(j.append({ type: 'removed', ids: [t2.id] }).seq).toBe(7);
    j.close();
    // Quarantined once: the bad lines were folded out of the journal, so the next start finds none.
    const again = open().replay();
    expect(again.quarantined).toBe(0);
    expect(again.problems).toEqual([]);
    expect([...again.tasks.keys()]).toEqual([t1.id]);
    expect(quarantined()).toHaveLength(bad.length);
  });

  it.each([
    ['an empty snapshot', ''],
    ['a truncated snapshot', '{"seq":3,"tasks":[{"id":"bg_0000'],
    ['a snapshot of the wrong shape', '{"seq":-1,"tasks":{}}'],
  ])('%s is moved aside and replay goes on from the journal', (_kind, content) => {
    writeFileSync(snapshotFile(), content);
    const t = task(7);
    writeFileSync(journalFile(), line({ seq: 4, at: 1, type: 'created', task: t }));
    const j = open();
    const replayed = j.replay();
    expect([...replayed.tasks.keys()]).toEqual([t.id]);
    expect(replayed.snapshotMovedTo).toMatch(/snapshot\.json\.bad-\d+$/);
    expect(readFileSync(replayed.snapshotMovedTo!, 'utf8')).toBe(content);
    expect(existsSync(snapshotFile())).toBe(false);
    expect(replayed.problems).toEqual([expect.stringMatching(/^snapshot\.json is unreadable \(.+\): moved to .*snapshot\.json\.bad-\d+; tasks recorded only in it are missing$/)]);
    expect(j.append({ type: 'removed', ids: [t.id] }).seq).toBe(5);
  });

  it('a bad task in a good snapshot is quarantined and the others are kept', () => {
    const good = task(1);
    writeFileSync(snapshotFile(), JSON.stringify({ seq: 10, tasks: [good, { title: 'no id' }, 17] }));
    const replayed = open().replay();
    expect([...replayed.tasks.keys()]).toEqual([good.id]);
    expect(replayed.quarantined).toBe(2);
    expect(quarantined().map((q) => [q.from, q.index])).toEqual([
      ['snapshot.json', 1],
      ['snapshot.json', 2],
    ]);
    expect(readdirSync(dir).filter((f) => f.includes('.bad-'))).toEqual([]);
  });
});
