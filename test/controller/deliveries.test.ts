// The deliveries file: what each main session has been told survives a restart, and a long file
// is compacted at start to what still matters, without changing what was told.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Deliveries } from '../../src/controller/deliveries.js';
import type { TaskRecord } from '../../src/core/task.js';

const dir = mkdtempSync(join(tmpdir(), 'panecrew-deliveries-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const id = (n: number) => `bg_${String(n).padStart(8, '0')}`;
/** isDelivered reads only these two fields. */
const told = (d: Deliveries, n: number) => d.isDelivered({ id: id(n), collectedAt: null } as TaskRecord);

describe('Deliveries', () => {
  it('compacts a long file at start to one line per session, keeping what was told of tasks that still exist', () => {
    const file = join(dir, 'deliveries.jsonl');
    const lines = [];
    for (let n = 0; n < 1_500; n++) lines.push(JSON.stringify({ session: `s${n % 3}`, link: [id(n)], claimed: [id(n)], ...(n === 7 ? { progress: { [id(7)]: 50 } } : {}) }));
    writeFileSync(file, `${lines.join('\n')}\n{"session":"torn`);
    // Tasks 0–9 still exist; the rest were pruned.
    const d = new Deliveries(file, (t) => Number(t.slice(3)) < 10);
    d.close();
    const after = readFileSync(file, 'utf8').trim().split('\n');
    expect(after.length).toBeLessThanOrEqual(4);
    const again = new Deliveries(file);
    for (let n = 0; n < 10; n++) expect(told(again, n), id(n)).toBe(true);
    expect(told(again, 11)).toBe(false);
    expect(readFileSync(file, 'utf8')).toContain(`"${id(7)}":50`);
    again.close();
  });
});
