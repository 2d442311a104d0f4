// The feed against a scripted controller socket: quitting while it connects must not leave the
// connection open (an open socket keeps the dashboard's process alive after quit).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { Feed } from '../../src/dashboard/feed.js';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup.reverse()) c();
  cleanup = [];
});

/** A controller that answers every request at once except `held`, which waits for release(). */
function fakeController(held: string): Promise<{ env: NodeJS.ProcessEnv; asked: Promise<void>; release(): void; closed: Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), 'pc-feed-'));
  let release = (): void => {};
  let onAsked = (): void => {};
  let onClosed = (): void => {};
  const asked = new Promise<void>((r) => (onAsked = r));
  const closed = new Promise<void>((r) => (onClosed = r));
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('close', onClosed);
    socket.on('error', () => {});
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const req = JSON.parse(buffered.slice(0, nl)) as { id: number; op: string };
        buffered = buffered.slice(nl + 1);
        const result = req.op === 'subscribe' ? { stats: null } : [];
        const answer = () => !socket.destroyed && socket.write(`${JSON.stringify({ id: req.id, ok: true, result })}\n`);
        if (req.op === held) {
          release = answer;
          onAsked();
        } else answer();
      }
    });
  });
  cleanup.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
    rmSync(home, { recursive: true, force: true });
  });
  return new Promise((resolve) =>
    server.listen(join(home, 'controller.sock'), () => resolve({ env: { PANECREW_HOME: home }, asked, release: () => release(), closed })),
  );
}

describe('quitting while the feed connects', () => {
  test.each(['subscribe', 'list'])('during %s: the connection is closed, and nothing is shown', async (held) => {
    const ctl = await fakeController(held);
    const seen: string[] = [];
    const feed = new Feed(ctl.env, {
      connection: (c) => seen.push(c.state),
      tasks: () => seen.push('tasks'),
      event: () => seen.push('event'),
      stats: () => seen.push('stats'),
    });
    void feed.start();
    await ctl.asked;
    feed.stop();
    ctl.release();
    await ctl.closed; // times out (the test fails) if the stopped feed kept the connection
    expect(feed.connected).toBe(false);
    expect(seen).toEqual(['connecting']);
  }, 5000);
});
