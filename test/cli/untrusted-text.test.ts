// What `ls` and `status` print: task text made inert, the result's first line once.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { startTestController, type TestController } from '../support/controller.js';
import { PAYLOADS, RAW } from '../render/payloads.js';

let tc: TestController;
const tasks: ListedTask[] = [];
const bad = PAYLOADS.join(' ');
const printf = (text: string) => `printf '%s\\n' '${text.replace(/'/g, `'\\''`)}'`;

beforeAll(async () => {
  tc = await startTestController();
  const cwd = join(tc.dir, `cwd ${bad.replace(/\//g, '_')}`);
  mkdirSync(cwd);
  const c = await tc.client();
  try {
    const done = await tc.launchFast(c, { title: bad, key: 'k\u001b[2J', cwd, prompt: printf(`${bad}\nsecond line`) });
    const failed = await tc.launchFast(c, { title: `fail ${bad}`, cwd, prompt: `${printf(bad)}; exit 3` });
    const long = await tc.launchFast(c, { title: 'short', prompt: printf('the result says this whole sentence of about seventy characters') });
    for (const t of [done, failed, long]) tasks.push(await tc.waitFinal(t.id));
    const sleeper = await tc.launchFast(c, { title: `run ${bad}`, prompt: 'sleep 30' });
    tasks.push(sleeper, await tc.launchFast(c, { title: `wait ${bad}`, prompt: 'true', after: [sleeper.id] }));
  } finally {
    c.close();
  }
});

afterAll(async () => {
  await tc?.stop();
});

const raw = (text: string) => RAW.reduce((n, r) => n + text.split(r).length - 1, 0);

describe('task text from outside panecrew', () => {
  test('ls and status print every payload inert: 0 raw escapes, controls, C1 or bidi overrides', async () => {
    const outputs = [await tc.cli(['ls']), await tc.cli(['ls', '--all']), ...(await Promise.all(tasks.map((t) => tc.cli(['status', t.id]))))];
    for (const r of outputs) {
      expect(r.exitCode, String(r.stderr)).toBe(0);
      expect(raw(String(r.stdout)) + raw(String(r.stderr)), String(r.stdout)).toBe(0);
    }
    expect(String(outputs[0]!.stdout)).toContain('␛[2J');
  });
});

describe('status', () => {
  test("prints a completed task's result once", async () => {
    const r = await tc.cli(['status', tasks[2]!.id]);
    expect(String(r.stdout).split('the result says')).toHaveLength(2);
  });
});
