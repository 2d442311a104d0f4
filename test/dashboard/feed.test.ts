// The feed against a scripted controller socket: quitting while it connects must not leave the
// connection open (an open socket keeps the dashboard's process alive after quit); errors reach the
// user, and only a controller that went away is reconnected to.
import type { Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { fakeController } from '../support/fake-controller.js';
import { Feed } from '../../src/dashboard/feed.js';
import { until } from '../support/until.js';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup.reverse()) c();
  cleanup = [];
});

type Request = { id: number; op: string };
const ok = (req: Request): string => `${JSON.stringify({ id: req.id, ok: true, result: req.op === 'subscribe' ? { stats: null } : req.op === 'stats' ? null : [] })}\n`;

/** A controller that answers each request with `answer(req, socket)` (raw lines; nothing when it returns null). */
async function fake(answer: (req: Request, socket: Socket) => string | null): Promise<{ env: NodeJS.ProcessEnv; connections: () => number; closed: Promise<void> }> {
  const f = await fakeController<Request>(answer);
  cleanup.push(f.stop);
  return f;
}

/** A feed that records what it shows: connection states, errors, and 'tasks'/'event'/'stats'. */
function recordingFeed(env: NodeJS.ProcessEnv): { feed: Feed; seen: string[]; errors: string[] } {
  const seen: string[] = [];
  const errors: string[] = [];
  const feed = new Feed(env, {
    connection: (c) => seen.push(c.state === 'failed' ? `failed: ${c.error}` : c.state),
    tasks: () => seen.push('tasks'),
    event: () => seen.push('event'),
    stats: () => seen.push('stats'),
    error: (message) => errors.push(message),
  });
  cleanup.push(() => feed.stop());
  return { feed, seen, errors };
}

describe('quitting while the feed connects', () => {
  test.each(['subscribe', 'list'])('during %s: the connection is closed, and nothing is shown', async (held) => {
    let asked = (): void => {};
    const askedP = new Promise<void>((r) => (asked = r));
    let release = (): void => {};
    const ctl = await fake((req, socket) => {
      if (req.op !== held) return ok(req);
      release = () => socket.write(ok(req));
      asked();
      return null;
    });
    const { feed, seen } = recordingFeed(ctl.env);
    void feed.start();
    await askedP;
    feed.stop();
    release();
    await ctl.closed; // times out (the test fails) if the stopped feed kept the connection
    expect(feed.connected).toBe(false);
    expect(seen).toEqual(['connecting']);
  }, 5000);
});

describe('errors reach the user', () => {
  test('a failed stats refresh is shown, and the connection is kept', async () => {
    const ctl = await fake((req) => (req.op === 'stats' ? `${JSON.stringify({ id: req.id, ok: false, error: { code: 'internal', message: 'stats: disk on fire' } })}\n` : ok(req)));
    const { feed, seen, errors } = recordingFeed(ctl.env);
    await feed.start();
    await until(() => errors.length > 0, 'the error to be shown', 5000);
    expect(errors).toEqual(['stats: disk on fire']);
    expect(seen).toEqual(['connecting', 'connected', 'tasks', 'stats']);
    expect(feed.connected).toBe(true);
  });

  test('a refused list is shown as the connection state and not retried', async () => {
    const ctl = await fake((req) => (req.op === 'list' ? `${JSON.stringify({ id: req.id, ok: false, error: { code: 'bad-request', message: 'unknown field all' } })}\n` : ok(req)));
    const { feed, seen } = recordingFeed(ctl.env);
    await feed.start();
    // Not 'lost' (which schedules a reconnect): a refusal would be refused again.
    expect(seen).toEqual(['connecting', 'failed: unknown field all']);
    expect(feed.connected).toBe(false);
  });

  test('a garbled event closes the connection with why, not a retry loop', async () => {
    const ctl = await fake((req) => (req.op === 'list' ? `{"event":"task","task":"?"}\n${ok(req)}` : ok(req)));
    const { feed, seen } = recordingFeed(ctl.env);
    void feed.start();
    await until(() => seen.some((s) => s.startsWith('failed')), 'the failure to be shown', 5000);
    expect(seen.at(-1)).toMatch(/^failed: .*sent a line that is not a panecrew controller reply/);
    expect(seen).not.toContain('lost');
  });

  test('a controller that goes away is reconnected to', async () => {
    const ctl = await fake((req, socket) => {
      if (req.op === 'stats') {
        socket.destroy();
        return null;
      }
      return ok(req);
    });
    const { feed, seen, errors } = recordingFeed(ctl.env);
    await feed.start();
    await until(() => ctl.connections() >= 2, 'a second connection', 5000);
    expect(seen.slice(0, 6)).toEqual(['connecting', 'connected', 'tasks', 'stats', 'lost', 'connecting']);
    expect(errors).toEqual([]);
  });
});
