// The client's one wait (serving `panecrew wait`, MCP's blocking calls and the demo) against a real
// controller: subscribe, then read; settles from events, never by polling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControllerClient } from '../../src/controller/client.js';
import type { ListedTask } from '../../src/controller/protocol.js';
import { startTestController, type TestController } from '../support/controller.js';

let tc: TestController;
let c: ControllerClient;
beforeAll(async () => {
  tc = await startTestController();
  c = await tc.client();
});
afterAll(async () => {
  c?.close();
  await tc?.stop();
});

const launch = (prompt: string, after: string[] = []) => tc.launchFast(c, { prompt, after });

describe('waitUntilEnded', () => {
  it('resolves with every task’s final state; one that had already ended counts at once', async () => {
    const done = await launch('true');
    await tc.waitFinal(done.id);
    const failing = await launch('sleep 0.3; exit 3');
    const r = await c.waitUntilEnded([done.id, failing.id]);
    expect(r.ended).toBe(true);
    expect(r.tasks.map((t) => [t.id, t.state])).toEqual([
      [done.id, 'completed'],
      [failing.id, 'error'],
    ]);
    expect(r.tasks[1]!.exitCode).toBe(3);
  });

  it("'active' waits for every task pending or running when it is called", async () => {
    const a = await launch('sleep 0.3');
    const b = await launch('sleep 0.4');
    const r = await c.waitUntilEnded('active');
    expect(r.ended).toBe(true);
    expect(r.tasks.map((t) => t.id).sort()).toEqual([a.id, b.id].sort());
    expect(r.tasks.every((t) => t.state === 'completed')).toBe(true);
  });

  it('reports each change that does not end the task', async () => {
    const first = await launch('sleep 0.5');
    const second = await launch('echo hi', [first.id]);
    const updates: ListedTask[] = [];
    const r = await c.waitUntilEnded([second.id], { onUpdate: (t) => updates.push(t) });
    expect(r.tasks[0]!.state).toBe('completed');
    expect(updates.map((t) => t.state)).toContain('running');
    expect(updates.every((t) => t.id === second.id)).toBe(true);
  });

  it('gives up after its timeout with the state so far; the task keeps running', async () => {
    const slow = await launch('sleep 30');
    const r = await c.waitUntilEnded([slow.id], { timeoutMs: 300 });
    expect(r).toMatchObject({ ended: false, why: 'timeout' });
    expect(['pending', 'running']).toContain(r.tasks[0]!.state);
    expect((await c.request({ op: 'get', taskId: slow.id })).state).not.toMatch(/completed|error|cancelled|interrupt/);
    await c.request({ op: 'cancel', taskIds: [slow.id] });
  });

  it('stops when its signal aborts', async () => {
    const slow = await launch('sleep 30');
    const ac = new AbortController();
    const waiting = c.waitUntilEnded([slow.id], { signal: ac.signal, onUpdate: () => {} });
    ac.abort();
    expect(await waiting).toMatchObject({ ended: false, why: 'aborted' });
    await c.request({ op: 'cancel', taskIds: [slow.id] });
  });

  it('an unknown task is refused with not-found', async () => {
    await expect(c.waitUntilEnded(['bg_zzzzzzzz'])).rejects.toMatchObject({ code: 'not-found' });
  });

  // Last: it kills this file's controller.
  it('rejects, saying so, when the controller goes away', async () => {
    const slow = await launch('sleep 3');
    const waiting = c.waitUntilEnded([slow.id]);
    await c.request({ op: 'ping' }); // the wait has subscribed and read (one connection, in order)
    const rejected = expect(waiting).rejects.toMatchObject({ code: 'unavailable', message: /the controller went away while waiting; the tasks keep running/ });
    await tc.kill('SIGKILL');
    await rejected;
  });
});
