// `launch --batch`: many tasks in one request, all or nothing, refs between them, one journal entry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestController, type TestController } from '../support/controller.js';

let tc: TestController | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

const lines = (specs: object[]): string => specs.map((s) => JSON.stringify(s)).join('\n') + '\n';
const listAll = async (t: TestController) => JSON.parse((await t.cli(['ls', '--all', '--json'])).stdout as string).tasks as Array<{ id: string }>;

describe('launch --batch', () => {
  it('queues every task of the batch in one journal entry; refs order them; prints the ids', async () => {
    tc = await startTestController();
    const input = lines([
      { prompt: 'echo first > "$PANECREW_TASK_DIR/../order"; echo one', agent: 'shell', ref: 'a' },
      { prompt: 'cat "$PANECREW_DEP_1_RESULT_FILE"', agent: 'shell', after: ['a'], title: 'second' },
    ]);
    const r = await tc.cli(['launch', '--batch', '-'], { input });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const ids = (r.stdout as string).trim().split('\n');
    expect(ids).toHaveLength(2);
    const second = await tc.waitFinal(ids[1]!);
    expect(second.state).toBe('completed');
    expect(second.after).toEqual([ids[0]]);
    expect(second.resultPreview).toContain('one');
    const journal = readFileSync(join(tc.home, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const created = journal.filter((e) => e.type === 'created-batch');
    expect(created).toHaveLength(1);
    expect(created[0].tasks.map((t: { id: string }) => t.id)).toEqual(ids);
  });

  it('takes back what launch --json printed, and answers --json with the tasks', async () => {
    tc = await startTestController();
    const printed = await tc.launch(['--agent', 'shell', '--prompt', 'echo again', '--title', 'copied']);
    const r = await tc.cli(['launch', '--batch', '-', '--json'], { input: lines([printed]) });
    expect(r.exitCode).toBe(0);
    const [task] = JSON.parse(r.stdout as string);
    expect(task.id).not.toBe(printed.id);
    expect(task.title).toBe('copied');
    expect((await tc.waitFinal(task.id)).resultPreview).toContain('again');
  });

  it('refuses the whole batch when one task is bad, naming it, and queues nothing', async () => {
    tc = await startTestController();
    const cases: Array<[object[], RegExp]> = [
      [[{ prompt: 'true', agent: 'shell' }, { prompt: 'true', agent: 'no-such-agent' }], /task 2 of the batch.*no-such-agent/],
      [[{ prompt: 'true', agent: 'shell', ref: 'a', after: ['b'] }, { prompt: 'true', agent: 'shell', ref: 'b', after: ['a'] }], /circle: a → b → a|circle: b → a → b/],
      [[{ prompt: 'true', agent: 'shell', after: ['nobody'] }], /nobody is neither a task id nor the ref/],
      [[{ prompt: 'true', agent: 'shell', ref: 'x' }, { prompt: 'true', agent: 'shell', ref: 'x' }], /ref x is given to two tasks/],
    ];
    for (const [specs, error] of cases) {
      const r = await tc.cli(['launch', '--batch', '-'], { input: lines(specs) });
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toMatch(error);
    }
    const bad = await tc.cli(['launch', '--batch', '-'], { input: '{"prompt":"true"}\n{"prompt": 3}\n' });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/standard input:2: prompt/);
    expect(await listAll(tc)).toEqual([]);
  });

  it('a controller SIGKILL right after the answer loses no task of the batch', async () => {
    tc = await startTestController();
    const specs = Array.from({ length: 50 }, (_, i) => ({ prompt: `sleep 30; echo ${i}`, agent: 'shell' }));
    const r = await tc.cli(['launch', '--batch', '-'], { input: lines(specs) });
    const ids = (r.stdout as string).trim().split('\n');
    await tc.kill('SIGKILL');
    await tc.start();
    expect((await listAll(tc)).map((t) => t.id).sort()).toEqual([...ids].sort());
  });
});
