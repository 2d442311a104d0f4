// Bad input at the socket gets a clear error reply and changes nothing.
import { statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestController, type TestController } from '../support/controller.js';

let tc: TestController;
beforeAll(async () => {
  tc = await startTestController();
});
afterAll(async () => {
  await tc.stop();
});

/** Sends raw bytes and collects reply lines until `count` arrive or the socket closes. */
function raw(payload: string, count = 1): Promise<Array<{ ok: boolean; error?: { code: string; message: string } }>> {
  return new Promise((resolve, reject) => {
    const socket = connect(join(tc.home, 'controller.sock'));
    let buf = '';
    const replies: unknown[] = [];
    const finish = () => {
      socket.destroy();
      resolve(replies as never);
    };
    socket.on('data', (d) => {
      buf += String(d);
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        replies.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
        if (replies.length >= count) finish();
      }
    });
    socket.on('close', finish);
    socket.on('error', reject);
    socket.write(payload);
  });
}

async function taskCount(): Promise<number> {
  const c = await tc.client();
  const tasks = await c.request({ op: 'list', all: true });
  c.close();
  return tasks.length;
}

describe('socket protocol', () => {
  it('lives in a 0700 folder with a 0600 socket', () => {
    expect(statSync(tc.home).mode & 0o777).toBe(0o700);
    expect(statSync(join(tc.home, 'controller.sock')).mode & 0o777).toBe(0o600);
  });

  it('answers malformed JSON, an unknown op and a bad launch with specific errors', async () => {
    const [notJson] = await raw('{nope\n');
    expect(notJson).toMatchObject({ ok: false, error: { code: 'bad-request', message: 'the request is not valid JSON' } });
    const [unknownOp] = await raw('{"id":1,"op":"explode"}\n');
    expect(unknownOp!.ok).toBe(false);
    expect(unknownOp!.error!.message).toMatch(/op/);
    const [badLaunch] = await raw(`${JSON.stringify({ id: 2, op: 'launch', spec: { prompt: '', cwd: 'relative', priority: 42, extra: 1 } })}\n`);
    expect(badLaunch!.error!.code).toBe('bad-request');
    expect(badLaunch!.error!.message).toContain('spec.prompt: the prompt is empty');
    expect(badLaunch!.error!.message).toContain('spec.cwd: cwd must be an absolute path');
    expect(badLaunch!.error!.message).toContain('spec.priority');
    expect(badLaunch!.error!.message).toContain('unknown field extra');
    const [badId] = await raw('{"id":3,"op":"get","taskId":"bg_; rm -rf"}\n');
    expect(badId!.error!.message).toContain('a task id looks like bg_');
    expect(await taskCount()).toBe(0);
  });

  it('refuses an oversized request and closes the connection', async () => {
    const [reply] = await raw('x'.repeat(5 * 1024 * 1024));
    expect(reply!.error!.message).toMatch(/over \d+ bytes/);
    expect(await taskCount()).toBe(0);
  });

  it("gives the client the controller's reason for refusing an oversized request, not just a closed connection", async () => {
    const c = await tc.client();
    try {
      const huge = { op: 'launch' as const, spec: { prompt: 'x', cwd: tc.dir, env: { BIG: 'x'.repeat(5 * 1024 * 1024) } } };
      await expect(c.request(huge)).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/request over \d+ bytes/) });
    } finally {
      c.close();
    }
    expect(await taskCount()).toBe(0);
  });

  it('keeps serving other clients after a bad one', async () => {
    await raw('\u0000\u0001garbage\n');
    const c = await tc.client();
    await expect(c.request({ op: 'ping' })).resolves.toMatchObject({ pid: expect.any(Number) });
    c.close();
  });

  it('says which task is unknown, with a hint', async () => {
    const r = await tc.cli(['status', 'bg_abcdefgh']);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('no task bg_abcdefgh');
  });
});
