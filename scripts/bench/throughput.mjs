// 4. Throughput: 500 no-op tasks (`true`) through 8 slots — panecrew (persistent client, and the CLI
// from a shell loop), task-spooler and GNU parallel, each timed from the first submission to the last end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, captureEnv, cpuMs, configYaml, connect, makeHome, median, now, progress, run, startController, summarize, teardown, Tracker } from './lib.mjs';

const SLOTS = 8;
const slotsConfig = () => configYaml({ defaultConcurrency: SLOTS, maxConcurrentTasks: SLOTS });

/** All tasks launched at once over one socket (pipelined requests); done when the last `completed` event arrives. */
async function panecrewClient(count) {
  const h = makeHome('tput', slotsConfig());
  const ctl = await startController(h);
  const client = await connect(h);
  const tracker = await new Tracker(client).start();
  const env = captureEnv(h.env);
  const cpu0 = cpuMs(ctl.pid);
  const t0 = now();
  const tasks = await Promise.all(Array.from({ length: count }, () => client.request({ op: 'launch', spec: { prompt: 'true', agent: 'shell', cwd: h.dir, env } })));
  const submitted = now() - t0;
  const recs = await Promise.all(tasks.map((t) => tracker.final(t.id, 300_000)));
  const ends = tasks.map((t) => tracker.finalAt(t.id)).sort((a, b) => a - b);
  const ms = ends.at(-1) - t0;
  // Pace early and late in the run: a cost that grows with the tasks a controller has run shows here.
  const pace = (from, to) => (ends[Math.floor((count - 1) * to)] - ends[Math.floor((count - 1) * from)]) / (Math.floor((count - 1) * to) - Math.floor((count - 1) * from));
  const controllerCpu = cpuMs(ctl.pid) - cpu0;
  const failed = recs.filter((r) => r.last.state !== 'completed').length;
  await teardown(h, ctl, client);
  return { ms, submittedMs: submitted, failed, cpuPerTaskMs: controllerCpu / count, earlyPace: pace(0.1, 0.3), latePace: pace(0.8, 1) };
}

/** `panecrew launch` once per task from a bash loop, the way task-spooler is fed below. */
async function panecrewCli(count) {
  const h = makeHome('tput-cli', slotsConfig());
  const ctl = await startController(h);
  const client = await connect(h);
  const tracker = await new Tracker(client).start();
  const script = `for i in $(seq ${count}); do "$NODE" "$CLI" launch --agent shell --prompt true || exit 1; done`;
  const r = await run('bash', ['-c', script], { env: { ...h.env, NODE: process.execPath, CLI }, cwd: h.dir });
  if (r.code !== 0) throw new Error(`panecrew launch loop failed: ${r.stderr}`);
  const ids = r.stdout.split('\n').filter(Boolean);
  const recs = await Promise.all(ids.map((id) => tracker.final(id, 300_000)));
  const ms = Math.max(...ids.map((id) => tracker.finalAt(id))) - r.t0;
  const failed = recs.filter((x) => x.last.state !== 'completed').length;
  await teardown(h, ctl, client);
  return { ms, submittedMs: r.ms, failed };
}

export function tspBinary() {
  for (const name of ['tsp', 'ts']) {
    const r = spawnSync(name, ['-V'], { encoding: 'utf8' });
    if (r.status === 0 && /spooler/i.test(`${r.stdout}${r.stderr}`)) return name;
  }
  return null;
}

/** task-spooler: its own server on a temp socket with 8 slots, one `tsp true` per task, then wait for all. */
async function taskSpooler(count, tsp) {
  const dir = mkdtempSync(join(tmpdir(), 'panecrew-bench-tsp-'));
  const env = { ...process.env, TS_SOCKET: join(dir, 'ts.sock'), TMPDIR: dir, TS_MAXFINISHED: String(count + 10) };
  // The server is started (and its slots set) before the clock starts, as panecrew's controller is.
  const setup = spawnSync(tsp, ['-S', String(SLOTS)], { env });
  if (setup.status !== 0) throw new Error(`${tsp} -S failed: ${setup.stderr}`);
  // `-w` waits for the last job added; the list is then checked and any job still queued or running
  // (one that started earlier but ends later) is waited for too.
  const script = `
for i in $(seq ${count}); do "$TSP" true >/dev/null || exit 1; done
"$TSP" -w >/dev/null
while id=$("$TSP" -l | awk 'NR > 1 && $2 != "finished" { print $1; exit }'); [ -n "$id" ]; do "$TSP" -w "$id" >/dev/null; done`;
  const r = await run('bash', ['-c', script], { env: { ...env, TSP: tsp } });
  const list = spawnSync(tsp, ['-l'], { env, encoding: 'utf8' }).stdout.split('\n').slice(1).filter(Boolean);
  const finished = list.filter((l) => l.split(/\s+/)[1] === 'finished').length;
  spawnSync(tsp, ['-K'], { env });
  rmSync(dir, { recursive: true, force: true });
  if (r.code !== 0 || finished !== count) throw new Error(`task-spooler: exit ${r.code}, ${finished}/${count} finished: ${r.stderr}`);
  return { ms: r.ms, failed: 0 };
}

async function gnuParallel(count) {
  const r = await run('bash', ['-c', `parallel --will-cite -j${SLOTS} true ::: $(seq ${count})`]);
  if (r.code !== 0) throw new Error(`parallel exited ${r.code}: ${r.stderr}`);
  return { ms: r.ms, failed: 0 };
}

export async function benchThroughput({ quick, tasks }) {
  const count = tasks ?? (quick ? 200 : 500);
  const runs = quick ? 1 : 3;
  const cliCount = quick ? 0 : 20;
  const tsp = tspBinary();
  const hasParallel = spawnSync('parallel', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!tsp) progress('task-spooler is not installed (apt-get install task-spooler): skipped');
  if (!hasParallel) progress('GNU parallel is not installed (apt-get install parallel): skipped');

  const samples = { client: [], submit: [], cpu: [], early: [], late: [], tsp: [], parallel: [] };
  let failed = 0;
  for (let r = 0; r < runs; r++) {
    const c = await panecrewClient(count);
    samples.client.push(c.ms);
    samples.submit.push(c.submittedMs);
    samples.cpu.push(c.cpuPerTaskMs);
    samples.early.push(c.earlyPace);
    samples.late.push(c.latePace);
    failed += c.failed;
    let line = `${count} × true, run ${r + 1}/${runs}: panecrew ${c.ms.toFixed(0)} ms (all queued after ${c.submittedMs.toFixed(0)} ms; controller CPU ${c.cpuPerTaskMs.toFixed(2)} ms/task; ${c.earlyPace.toFixed(1)} ms/task early, ${c.latePace.toFixed(1)} late)`;
    if (tsp) {
      samples.tsp.push((await taskSpooler(count, tsp)).ms);
      line += `, task-spooler ${samples.tsp.at(-1).toFixed(0)} ms`;
    }
    if (hasParallel) {
      samples.parallel.push((await gnuParallel(count)).ms);
      line += `, parallel ${samples.parallel.at(-1).toFixed(0)} ms`;
    }
    progress(line);
  }
  let cli = null;
  if (cliCount) {
    const c = await panecrewCli(cliCount);
    failed += c.failed;
    cli = { count: cliCount, ms: Math.round(c.ms), perTaskMs: Math.round((c.ms / cliCount) * 10) / 10, extrapolatedMs: Math.round((c.ms / cliCount) * count) };
    progress(`${cliCount} × true via the CLI (one \`panecrew launch\` per task): ${c.ms.toFixed(0)} ms, ${cli.perTaskMs} ms per task`);
  }

  const client = summarize(samples.client);
  const out = { count, slots: SLOTS, runs, failed, client, submit: summarize(samples.submit), controllerCpuPerTaskMs: summarize(samples.cpu), earlyPaceMs: summarize(samples.early), latePaceMs: summarize(samples.late), cli, tsp: null, parallel: null };
  const perTask = (s) => Math.round((s.median / count) * 100) / 100;
  out.client.perTaskMs = perTask(client);
  if (samples.tsp.length) out.tsp = { ...summarize(samples.tsp), binary: tsp, ratio: Math.round((client.median / median(samples.tsp)) * 100) / 100 };
  if (samples.parallel.length) out.parallel = { ...summarize(samples.parallel), ratio: Math.round((client.median / median(samples.parallel)) * 100) / 100 };
  if (out.tsp) out.tsp.perTaskMs = perTask(out.tsp);
  if (out.parallel) out.parallel.perTaskMs = perTask(out.parallel);
  return out;
}
