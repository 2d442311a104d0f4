// Hostile and careless clients on the controller's socket: memory stays bounded, connections are
// capped and reaped, and every other client keeps being answered. Each storm gets a fresh controller
// so its memory high-water mark (VmHWM) is the storm's own.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE_CONFIG, CLI, startTestController, testConfig, until, type TestController } from '../support/controller.js';

const IDLE_MS = 1500;
const FRAME_MS = 1500;
const MB = 1024 * 1024;

let tc: TestController | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

async function start(env: NodeJS.ProcessEnv = {}): Promise<TestController> {
  tc = await startTestController(BASE_CONFIG, { PANECREW_SOCKET_IDLE_MS: String(IDLE_MS), PANECREW_SOCKET_FRAME_MS: String(FRAME_MS), ...env });
  return tc;
}

/** The controller's resident set now and its high-water mark, in MB. */
function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)![1]) / 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

interface RawConnection {
  socket: Socket;
  lines: Array<{ id: number; ok: boolean; error?: { code: string; message: string } }>;
  closed: boolean;
}

/** A bare socket to the controller that records every reply line and whether the server closed it. */
function open(home: string): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(join(home, 'controller.sock'));
    const conn: RawConnection = { socket, lines: [], closed: false };
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const { id, ok, error } = JSON.parse(buf.slice(0, nl)) as RawConnection['lines'][number];
        conn.lines.push({ id, ok, error }); // results dropped: a storm's replies can be hundreds of MB
        buf = buf.slice(nl + 1);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => (conn.closed = true));
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(conn);
    });
    socket.once('error', reject);
  });
}

/** A ping on a fresh connection, timed: the proof that the controller still serves everyone else. */
async function pingMs(t: TestController): Promise<number> {
  const t0 = Date.now();
  const c = await t.client();
  try {
    await c.request({ op: 'ping' });
  } finally {
    c.close();
  }
  return Date.now() - t0;
}

describe('controller socket limits', () => {
  it('100 unterminated 3.9 MB frames: memory stays bounded and other clients are answered', async () => {
    const t = await start();
    const pid = t.child.pid!;
    const before = memory(pid);
    const frame = Buffer.alloc(3.9 * MB, 'x');
    const conns = await Promise.all(Array.from({ length: 100 }, () => open(t.home)));
    // Every frame is either taken in whole by the controller or refused with a closed connection.
    await Promise.all(conns.map((c) => new Promise<void>((ok) => (c.socket.write(frame, () => ok()), c.socket.once('close', () => ok())))));
    expect(await pingMs(t)).toBeLessThan(5000);
    const grew = memory(pid).hwm - before.hwm;
    console.log(`unterminated frames: RSS high-water +${grew.toFixed(0)} MB; refused ${conns.filter((c) => c.closed).length} of 100`);
    expect(grew).toBeLessThan(128); // 32 MB budget of live frames, plus refused frames not yet collected
    expect(conns.some((c) => /requests in progress, its limit/.test(c.lines[0]?.error?.message ?? ''))).toBe(true);
    for (const c of conns) c.socket.destroy();
  });

  it('1,000 pipelined `list --all` never read: replies wait for the reader, memory stays bounded', async () => {
    const t = await start();
    const pid = t.child.pid!;
    const c = await t.client();
    // 40 pending tasks with 5 KB prompts make each full list about 240 KB; they wait on a sleeper.
    const parent = await t.launchFast(c, { prompt: 'sleep 600' });
    for (let i = 0; i < 40; i++) await t.launchFast(c, { prompt: `echo ${'p'.repeat(5000)}`, after: [parent.id] });
    c.close();
    const before = memory(pid);
    const hog = await open(t.home);
    hog.socket.pause(); // never reads a reply
    hog.socket.write(Array.from({ length: 1000 }, (_, i) => JSON.stringify({ id: i + 1, op: 'list', all: true })).join('\n') + '\n');
    // While the hog's replies wait, everyone else is served.
    for (let i = 0; i < 5; i++) expect(await pingMs(t)).toBeLessThan(5000);
    const grew = memory(pid).hwm - before.hwm;
    console.log(`pipelined lists never read: RSS high-water +${grew.toFixed(0)} MB`);
    expect(grew).toBeLessThan(60);
    // The hog gets its replies, in order, once it reads.
    hog.socket.resume();
    await until(() => hog.lines.length >= 100, 'the first 100 replies', 30_000);
    expect(hog.lines.slice(0, 100).map((l) => l.id)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    hog.socket.destroy();
  });

  it('500 idle connections: the longest idle gives way at the cap, the rest are closed when idle, subscribers kept', async () => {
    // Idle time long enough that opening 500 connections on a busy machine does not reach it.
    const idleMs = 8000;
    const t = await start({ PANECREW_SOCKET_IDLE_MS: String(idleMs) });
    const pid = t.child.pid!;
    const before = memory(pid);
    const subscriber = await t.client();
    let subscriberClosed = false;
    subscriber.onClose(() => (subscriberClosed = true));
    await subscriber.subscribe(() => {});
    const idle: RawConnection[] = [];
    for (let i = 0; i < 500; i++) idle.push(await open(t.home));
    console.log(`500 idle connections: RSS +${(memory(pid).rss - before.rss).toFixed(0)} MB`);
    // Over the cap of 256 (the subscriber is one), the oldest idle ones were closed, and told why.
    await until(() => idle.slice(0, 245).every((c) => c.closed), 'the oldest idle connections closed to make room');
    expect(idle[0]!.lines[0]!.error!.message).toMatch(/closed to make room/);
    expect(idle.slice(245).some((c) => c.closed)).toBe(false);
    expect(await pingMs(t)).toBeLessThan(5000);
    // The rest are closed once idle; the subscriber stays.
    await until(() => idle.every((c) => c.closed), 'idle connections closed', idleMs + 15_000);
    expect(subscriberClosed).toBe(false);
    await expect(subscriber.request({ op: 'ping' })).resolves.toMatchObject({ pid });
    subscriber.close();
  });

  it('a connection over the cap when none is idle is refused with the reason', async () => {
    const t = await start({ PANECREW_SOCKET_MAX_CONNECTIONS: '20' });
    const subscribers = await Promise.all(Array.from({ length: 20 }, () => open(t.home)));
    for (const c of subscribers) c.socket.write(`${JSON.stringify({ id: 1, op: 'subscribe' })}\n`);
    await until(() => subscribers.every((c) => c.lines.length), 'twenty subscribed');
    const over = await open(t.home);
    await until(() => over.closed, 'the connection over the cap closed');
    expect(over.lines[0]!.error!.message).toMatch(/20 busy connections open, its limit \(socket.max_connections in the configuration\)/);
    expect(subscribers.some((c) => c.closed)).toBe(false);
    for (const c of subscribers) c.socket.destroy();
  });

  it('the cap set in the configuration (socket.max_connections) holds, config show says where it came from, and a reload changes it', async () => {
    const t = await startTestController(testConfig({ socket: { max_connections: 5 } }));
    tc = t;
    const shown = await t.cli(['config', 'show']);
    expect(shown.stdout).toMatch(/socket\.max_connections +5 +# PANECREW_CONFIG/);
    /** `n` subscribed connections (busy: never closed to make room), and the one over the cap. */
    const overCap = async (n: number) => {
      const subscribers = await Promise.all(Array.from({ length: n }, () => open(t.home)));
      for (const c of subscribers) c.socket.write(`${JSON.stringify({ id: 1, op: 'subscribe' })}\n`);
      await until(() => subscribers.every((c) => c.lines.length), `${n} subscribed`);
      const over = await open(t.home);
      await until(() => over.closed, 'the connection over the cap closed');
      expect(subscribers.some((c) => c.closed)).toBe(false);
      for (const c of subscribers) c.socket.destroy();
      return over.lines[0]!.error!.message;
    };
    expect(await overCap(5)).toMatch(/5 busy connections open, its limit \(socket.max_connections/);
    writeFileSync(join(t.dir, 'config.yaml'), testConfig({ socket: { max_connections: 3 } }));
    const reload = await t.cli(['controller', 'reload']);
    expect(reload.exitCode, String(reload.stderr)).toBe(0);
    // Applied by this reload or by the one the file's change started first: the log says which.
    expect(readFileSync(join(t.home, 'controller.log'), 'utf8')).toMatch(/config reload \(.*\): applied socket/);
    expect(await overCap(3)).toMatch(/3 busy connections open, its limit/);
  });

  it('slowloris (1 byte per 100 ms on 50 connections): each is closed when its request misses the deadline', async () => {
    const t = await start();
    const conns = await Promise.all(Array.from({ length: 50 }, () => open(t.home)));
    const drip = setInterval(() => {
      for (const c of conns) if (!c.closed) c.socket.write('{');
    }, 100);
    try {
      expect(await pingMs(t)).toBeLessThan(5000);
      await until(() => conns.every((c) => c.closed), 'slow connections closed', FRAME_MS + 15_000);
    } finally {
      clearInterval(drip);
    }
    expect(conns[0]!.lines[0]!.error!.message).toMatch(/request did not arrive within/);
    expect(await pingMs(t)).toBeLessThan(5000);
  });

  it('answers pipelined requests in the order they were sent', async () => {
    const t = await start();
    const conn = await open(t.home);
    // A launch waits for its fsync; the bad line and the ping after it must still be answered after it.
    const launch = { id: 1, op: 'launch', spec: { prompt: 'true', agent: 'shell', cwd: t.dir, env: { PATH: process.env.PATH } } };
    conn.socket.write(`${JSON.stringify(launch)}\n{nope\n${JSON.stringify({ id: 3, op: 'ping' })}\n`);
    await until(() => conn.lines.length === 3, 'three replies');
    expect(conn.lines.map((l) => [l.id, l.ok])).toEqual([
      [1, true],
      [0, false],
      [3, true],
    ]);
    conn.socket.destroy();
  });

  it('refuses to start with a limit that is not a positive whole number, and says which', async () => {
    const home = mkdtempSync(join(tmpdir(), 'panecrew-test-'));
    try {
      const r = await execa('node', [CLI, 'controller', 'run'], { env: { PANECREW_HOME: home, PANECREW_SOCKET_IDLE_MS: '10m' }, reject: false, timeout: 30_000 });
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toContain('PANECREW_SOCKET_IDLE_MS must be a positive whole number, got "10m"');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('refuses to start with a socket option out of range, naming the file, the option and the range', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'panecrew-test-'));
    try {
      const config = join(dir, 'config.yaml');
      writeFileSync(config, testConfig({ socket: { max_connections: 0, idle_timeout_ms: '10ms' } }));
      const r = await execa('node', [CLI, 'controller', 'run'], { env: { PANECREW_HOME: join(dir, 'home'), PANECREW_CONFIG: config, XDG_CONFIG_HOME: dir }, reject: false, timeout: 30_000 });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${config}:\\d+:\\d+: socket.max_connections: at least 1 connection; found number 0`));
      expect(r.stderr).toMatch(/socket.idle_timeout_ms: a duration from 1s to 24h/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
