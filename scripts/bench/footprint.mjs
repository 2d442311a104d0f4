// 5. The controller's memory and CPU at rest: empty, then with 100 running and 1,000 queued tasks
// (`sleep 60`), over an idle window. Then everything is cancelled and no task process may remain.
import { readdirSync, readFileSync } from 'node:fs';
import { CLK_TCK, captureEnv, configYaml, connect, makeHome, now, progress, sleep, startController, summarize, taskProcesses, reapTaskProcesses, teardown, Tracker } from './lib.mjs';


function rssKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15 of stat)
}

/** CPU % of one core used by pid over the window (resolution: one clock tick = 1/CLK_TCK s). */
async function cpuOver(pid, windowMs) {
  const t0 = now();
  const c0 = cpuTicks(pid);
  await sleep(windowMs);
  const ticks = cpuTicks(pid) - c0;
  const secs = (now() - t0) / 1000;
  return { percent: Math.round(((ticks / CLK_TCK / secs) * 100) * 100) / 100, ticks, windowS: Math.round(secs * 100) / 100 };
}

/** Voluntary context switches summed over the process's threads: how often it went to sleep, i.e. woke up. */
function wakeups(pid) {
  let total = 0;
  for (const tid of readdirTasks(pid)) {
    try {
      const s = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      total += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(s)?.[1] ?? 0);
    } catch {
      // thread gone
    }
  }
  return total;
}
function readdirTasks(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

export async function benchFootprint({ quick }) {
  const running = quick ? 50 : 100;
  const queued = quick ? 200 : 1000;
  const windowMs = quick ? 2000 : 5000;
  const h = makeHome('footprint', configYaml({ defaultConcurrency: running, maxConcurrentTasks: running }));
  const ctl = await startController(h);
  const client = await connect(h);
  const tracker = await new Tracker(client).start();
  const env = captureEnv(h.env);
  const pid = ctl.pid;

  await sleep(500);
  const emptyRss = rssKb(pid);
  const w0 = wakeups(pid);
  const emptyCpu = await cpuOver(pid, windowMs);
  const emptyWakeups = wakeups(pid) - w0;
  progress(`empty controller: RSS ${(emptyRss.rss / 1024).toFixed(1)} MB, CPU ${emptyCpu.percent}% over ${emptyCpu.windowS} s (${emptyWakeups} wake-ups)`);

  const total = running + queued;
  const t0 = now();
  const tasks = await Promise.all(Array.from({ length: total }, () => client.request({ op: 'launch', spec: { prompt: 'sleep 60', agent: 'shell', cwd: h.dir, env } })));
  const submitMs = now() - t0;
  // Running with a pid recorded means the runner was spawned. Which tasks start first is the queue's
  // business (same-millisecond launches are ordered by id), so count any.
  const spawned = () => [...tracker.tasks.values()].filter((r) => r.last.state === 'running' && r.pidAt !== null);
  while (spawned().length < running) {
    if (now() - t0 > 60_000) throw new Error(`only ${spawned().length} of ${running} tasks running after 60 s`);
    await sleep(20);
  }
  // When the last of them had its runner spawned (pid recorded), from the first request.
  const allRunningMs = Math.max(...spawned().map((r) => r.pidAt)) - t0;
  progress(`${total} tasks submitted in ${submitMs.toFixed(0)} ms; ${running} running after ${allRunningMs.toFixed(0)} ms`);
  const stats = await client.request({ op: 'stats' });
  if (stats.running !== running || stats.pending !== queued) throw new Error(`expected ${running} running and ${queued} pending, got ${stats.running} and ${stats.pending}`);

  await sleep(1000); // let start-up work (tails, watcher set-up) settle
  const loadedRss = rssKb(pid);
  const w1 = wakeups(pid);
  const loadedCpu = await cpuOver(pid, windowMs);
  const loadedWakeups = wakeups(pid) - w1;
  progress(`${running} running + ${queued} queued: RSS ${(loadedRss.rss / 1024).toFixed(1)} MB (peak ${(loadedRss.hwm / 1024).toFixed(1)} MB), CPU ${loadedCpu.percent}% over ${loadedCpu.windowS} s (${loadedWakeups} wake-ups)`);

  // A full `list` of 1,100 tasks, as the dashboard or `panecrew ls` would ask for it.
  const listMs = [];
  for (let i = 0; i < 5; i++) {
    const l0 = now();
    await client.request({ op: 'list', all: true });
    listMs.push(now() - l0);
  }

  const processesBefore = taskProcesses(h.home).length;
  const c0 = now();
  const cancelled = await client.request({ op: 'cancel', all: true });
  const cancelMs = now() - c0;
  // killGraceMs is 1 s: after TERM the groups get KILL if anything is left, so 3 s is ample.
  const k0 = now();
  let left = taskProcesses(h.home).length;
  while (left && now() - k0 < 3000) {
    await sleep(50);
    left = taskProcesses(h.home).length;
  }
  const goneMs = now() - k0;
  progress(`cancel all: ${cancelled.length} tasks in ${cancelMs.toFixed(0)} ms; task processes ${processesBefore} → ${left} (${goneMs.toFixed(0)} ms later)`);
  const leaked = left ? await reapTaskProcesses(h.home, 0) : 0;
  await teardown(h, ctl, client);

  return {
    running,
    queued,
    clkTck: CLK_TCK,
    empty: { rssMB: Math.round((emptyRss.rss / 1024) * 10) / 10, cpuPercent: emptyCpu.percent, cpuTicks: emptyCpu.ticks, wakeups: emptyWakeups, windowS: emptyCpu.windowS },
    loaded: {
      rssMB: Math.round((loadedRss.rss / 1024) * 10) / 10,
      peakRssMB: Math.round((loadedRss.hwm / 1024) * 10) / 10,
      cpuPercent: loadedCpu.percent,
      cpuTicks: loadedCpu.ticks,
      wakeups: loadedWakeups,
      windowS: loadedCpu.windowS,
    },
    submitMs: Math.round(submitMs),
    allRunningMs: Math.round(allRunningMs),
    list: summarize(listMs),
    cancel: { tasks: cancelled.length, ms: Math.round(cancelMs), processesBefore, processesLeft: left, leaked, goneAfterMs: Math.round(goneMs) },
  };
}
