// 8. The controller's memory under connection storms, each on a fresh controller (so VmHWM is the
// storm's own): 100 unterminated 3.9 MB frames; 2,000 pipelined `list --all` never read; 500 idle
// connections; slowloris (1 byte per 100 ms on 50 connections). Meanwhile a separate client pings
// every 200 ms: the storm must not keep the controller from answering everyone else.
import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { captureEnv, configYaml, connect, makeHome, median, now, progress, sleep, startController, teardown } from './lib.mjs';

const MB = 1024 * 1024;

function memoryMB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

function openRaw(h) {
  return new Promise((resolve, reject) => {
    const socket = netConnect(join(h.home, 'controller.sock'));
    const conn = { socket, closed: false, bytes: 0 };
    socket.on('data', (d) => (conn.bytes += d.length));
    socket.on('close', () => (conn.closed = true));
    socket.once('connect', () => {
      socket.on('error', () => {});
      resolve(conn);
    });
    socket.once('error', reject);
  });
}

/** Pings on fresh connections every 200 ms until stopped; latencies in ms (a refused ping, or one unanswered for 30 s, is Infinity). */
function pinger(h) {
  const latencies = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t0 = now();
      try {
        const c = await connect(h);
        await Promise.race([c.request({ op: 'ping' }), sleep(30_000).then(() => Promise.reject(new Error('timeout')))]);
        c.close();
        latencies.push(now() - t0);
      } catch {
        latencies.push(Infinity);
      }
      await sleep(200);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return latencies;
  };
}

const STORMS = {
  async frames(h, quick) {
    const n = quick ? 50 : 100;
    const frame = Buffer.alloc(3.9 * MB, 'x');
    const conns = await Promise.all(Array.from({ length: n }, () => openRaw(h)));
    await Promise.all(conns.map((c) => new Promise((ok) => (c.socket.write(frame, () => ok()), c.socket.once('close', ok)))));
    return { conns, note: `${conns.filter((c) => c.closed).length} of ${n} closed by the controller` };
  },
  async lists(h, quick) {
    const n = quick ? 500 : 2000;
    const client = await connect(h);
    const env = captureEnv({ PATH: process.env.PATH });
    const spec = (prompt, after = []) => ({ op: 'launch', spec: { prompt, agent: 'shell', cwd: h.dir, env, after } });
    // 100 pending tasks with 2 KB prompts: each full list is about 250 KB.
    const parent = await client.request(spec('sleep 600'));
    for (let i = 0; i < 100; i++) await client.request(spec(`echo ${'p'.repeat(2000)}`, [parent.id]));
    client.close();
    const hog = await openRaw(h);
    hog.socket.pause();
    hog.socket.write(`${Array.from({ length: n }, (_, i) => JSON.stringify({ id: i + 1, op: 'list', all: true })).join('\n')}\n`);
    await sleep(quick ? 3000 : 8000);
    return { conns: [hog], note: `${n} requests` };
  },
  async idle(h, quick) {
    const n = quick ? 200 : 500;
    const conns = [];
    for (let i = 0; i < n; i++) conns.push(await openRaw(h));
    await sleep(1000);
    return { conns, note: `${conns.filter((c) => c.closed).length} of ${n} closed by the controller` };
  },
  async slowloris(h, quick) {
    const conns = await Promise.all(Array.from({ length: 50 }, () => openRaw(h)));
    const drip = setInterval(() => conns.forEach((c) => !c.closed && c.socket.write('{')), 100);
    await sleep(quick ? 4000 : 12_000);
    clearInterval(drip);
    return { conns, note: `${conns.filter((c) => c.closed).length} of 50 closed by the controller` };
  },
};

async function oneStorm(name, quick) {
  const h = makeHome(`storm-${name}`, configYaml());
  const ctl = await startController(h);
  await sleep(500);
  const before = memoryMB(ctl.pid);
  const stopPings = pinger(h);
  const t0 = now();
  const { conns, note } = await STORMS[name](h, quick);
  const during = memoryMB(ctl.pid);
  const pings = await stopPings();
  for (const c of conns) c.socket.destroy();
  await sleep(2000);
  const alive = ctl.child.exitCode === null && ctl.child.signalCode === null;
  const after = alive ? memoryMB(ctl.pid) : { rss: NaN, hwm: NaN };
  await teardown(h, alive ? ctl : null);
  if (!alive) ctl.child.kill('SIGKILL');
  const r = (x) => Math.round(x);
  const result = {
    // The high-water mark read after the close covers the whole storm (a storm can go on growing after `during`).
    peakGrowthMB: r((alive ? after.hwm : during.hwm) - before.hwm),
    rssBeforeMB: r(before.rss),
    rssAfterCloseMB: r(after.rss),
    pingMaxMs: r(Math.max(0, ...pings.filter(Number.isFinite))),
    pingMedianMs: r(median(pings.filter(Number.isFinite))),
    pingsFailed: pings.filter((p) => p === Infinity).length,
    alive,
    stormMs: r(now() - t0),
    note,
  };
  progress(`${name}: peak +${result.peakGrowthMB} MB (RSS ${result.rssBeforeMB} → ${result.rssAfterCloseMB} MB after close), ping median ${result.pingMedianMs} ms max ${result.pingMaxMs} ms (${result.pingsFailed} failed), ${note}`);
  return result;
}

export async function benchStorms({ quick }) {
  const runs = quick ? 1 : 3;
  const out = {};
  for (const name of Object.keys(STORMS)) {
    const all = [];
    for (let i = 0; i < runs; i++) all.push(await oneStorm(name, quick));
    const med = (key) => median(all.map((x) => x[key]));
    out[name] = {
      runs,
      peakGrowthMB: med('peakGrowthMB'),
      rssBeforeMB: med('rssBeforeMB'),
      rssAfterCloseMB: med('rssAfterCloseMB'),
      pingMedianMs: med('pingMedianMs'),
      pingMaxMs: med('pingMaxMs'),
      pingsFailed: med('pingsFailed'),
      alive: all.every((x) => x.alive),
      note: all.map((x) => x.note).join('; '),
    };
  }
  return out;
}
