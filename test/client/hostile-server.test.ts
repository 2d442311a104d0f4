// The client against a socket that is not a well-behaved controller (a real server sending bad
// lines): every bad frame becomes a rejected request and a closed connection, never an uncaught
// exception from the socket's data event.
import { afterEach, describe, expect, expectTypeOf, test } from 'vitest';
import { ClientError, ControllerClient } from '../../src/controller/client.js';
import { fakeController } from '../support/fake-controller.js';
import type { ListedTask, Op, OutputChunk, Results } from '../../src/controller/protocol.js';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup.reverse()) c();
  cleanup = [];
});

/** A server that answers each request line with `answer(request)` (raw text, written as is), then hangs up if `end`. */
async function hostile(answer: (req: { id: number; op: string }) => string, end = false): Promise<{ env: NodeJS.ProcessEnv; closed: Promise<void> }> {
  const fake = await fakeController(answer, end);
  cleanup.push(fake.stop);
  return fake;
}

async function rejection(env: NodeJS.ProcessEnv): Promise<{ error: ClientError; closedWith: ClientError }> {
  const c = await ControllerClient.connect({ env, autostart: false });
  const closedWith = new Promise<ClientError>((r) => c.onClose(r));
  const error = await c.request({ op: 'ping' }).then(
    () => {
      throw new Error('the request resolved');
    },
    (err: unknown) => err as ClientError,
  );
  return { error, closedWith: await closedWith };
}

describe('a bad frame from the controller socket', () => {
  test.each([
    ['a line that is not JSON', () => 'garbage\u0000\u0001 not json\n'],
    ['JSON that is not a reply', () => '{"hello":"world"}\n'],
    ['a reply with a wrong field type', (req: { id: number }) => `${JSON.stringify({ id: req.id, ok: 'yes', result: 1 })}\n`],
    ['a failure without its error', (req: { id: number }) => `${JSON.stringify({ id: req.id, ok: false })}\n`],
    ['an event with a malformed task', () => `${JSON.stringify({ event: 'task', task: { id: 7 } })}\n`],
    ['an event of a task in a state no task has', () => `${JSON.stringify({ event: 'task', task: { id: 'bg_00000000', state: 'done' } })}\n`],
    ['an event of a kind the client does not know', () => `${JSON.stringify({ event: 'exploded' })}\n`],
    ['a failure with an error code the client does not know', (req: { id: number }) => `${JSON.stringify({ id: req.id, ok: false, error: { code: 'teapot', message: 'x' } })}\n`],
    ['a JSON array', () => '[1,2]\n'],
  ])('%s: the request is rejected, the connection closed, nothing thrown', async (_what, answer) => {
    const srv = await hostile(answer);
    const { error, closedWith } = await rejection(srv.env);
    expect(error).toBeInstanceOf(ClientError);
    expect(error.code).toBe('bad-reply');
    expect(error.message).toMatch(/sent a line that is not a panecrew controller reply \(.+\); the connection is closed/);
    expect(closedWith).toBe(error);
    await srv.closed; // the client hung up
  }, 10_000);

  test('a later request on the closed connection gets the same reason', { timeout: 10_000 }, async () => {
    const srv = await hostile(() => 'nope\n');
    const c = await ControllerClient.connect({ env: srv.env, autostart: false });
    const first = await c.request({ op: 'ping' }).catch((e: unknown) => e as ClientError);
    await srv.closed;
    await expect(c.request({ op: 'stats' })).rejects.toBe(first);
  });

  test('the refusal of an unreadable request (id 0) is the reason given, not "closed the connection"', async () => {
    const refusal = { id: 0, ok: false, error: { code: 'bad-request', message: 'request over 4194304 bytes; connection closed' } };
    const srv = await hostile(() => `${JSON.stringify(refusal)}\n`, true);
    const { error } = await rejection(srv.env);
    expect(error).toMatchObject({ code: 'bad-request', message: refusal.error.message });
  });
});

describe('typed replies', () => {
  test('every op has a result type, and a request resolves to its op’s', () => {
    expectTypeOf<Exclude<Op, keyof Results>>().toBeNever();
    const c = null as unknown as ControllerClient;
    const typed = () => ({
      get: c.request({ op: 'get', taskId: 'bg_00000000' }),
      output: c.request({ op: 'output', taskId: 'bg_00000000' }),
      list: c.request({ op: 'list' }),
    });
    expectTypeOf<Awaited<ReturnType<typeof typed>['get']>>().toEqualTypeOf<ListedTask>();
    expectTypeOf<Awaited<ReturnType<typeof typed>['output']>>().toEqualTypeOf<OutputChunk>();
    expectTypeOf<Awaited<ReturnType<typeof typed>['list']>>().toEqualTypeOf<ListedTask[]>();
  });
});
