// Shared helpers of the benchmarks: timing, statistics, a real controller in a temp PANECREW_HOME,
// an event tracker on the controller's socket, and a check that no task process is left behind.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ControllerClient } from '../../dist/controller/client.js';
import { isFinal } from '../../dist/core/task.js';

export const ROOT = resolve(import.meta.dirname, '../..');
// BENCH_CLI=path/to/dist/cli/main.js runs the controller and CLI of another build (e.g. a patched copy).
export const CLI = process.env.BENCH_CLI ? resolve(process.env.BENCH_CLI) : join(ROOT, 'dist/cli/main.js');

/** Epoch milliseconds with sub-millisecond resolution (comparable with `date +%s%N`). The monotonic clock
 * drifts from the wall clock on a loaded VM (240 ms in a minute, seen: completion came out negative), so
 * the offset follows Date.now() whenever the two disagree by more than its 1 ms resolution. */
let wallOffset = Date.now() - performance.now();
export const now = () => {
  const mono = performance.now();
  const offset = Date.now() - mono;
  if (Math.abs(offset - wallOffset) > 1) wallOffset = offset;
  return wallOffset + mono;
};
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `date +%s%N` output (nanoseconds) as epoch milliseconds. */
export function readNsFile(file) {
  const text = readFileSync(file, 'utf8').trim();
  return Number(BigInt(text) / 1000n) / 1000;
}

export function quantile(values, q) {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
export const median = (v) => quantile(v, 0.5);
export const p90 = (v) => quantile(v, 0.9);

/** A summary of samples: n, median, p90, min, max (rounded to 0.01). */
export function summarize(values) {
  const r = (x) => Math.round(x * 100) / 100;
  return { n: values.length, median: r(median(values)), p90: r(p90(values)), min: r(Math.min(...values)), max: r(Math.max(...values)) };
}

export const fmtMs = (ms) => (Number.isFinite(ms) ? (ms >= 10_000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`) : '—');

/** Progress line on stderr, so the table on stdout stays clean. */
export function progress(message) {
  process.stderr.write(`  ${message}\n`);
}

/** A string-only copy of an environment, as `panecrew launch` captures it. */
export function captureEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string' && !v.includes('\0')));
}

export function configYaml({ defaultConcurrency = 5, maxConcurrentTasks = 16 } = {}) {
  return `background_task:
  resourceGate: { enabled: false }
  killGraceMs: 1s
  defaultConcurrency: ${defaultConcurrency}
  maxConcurrentTasks: ${maxConcurrentTasks}
tmux:
  enabled: false
notification:
  strategy: silent
`;
}

/** A temp folder with a PANECREW_HOME and a config file; nothing started yet. */
export function makeHome(name, config) {
  const dir = mkdtempSync(join(tmpdir(), `panecrew-bench-${name}-`));
  const home = join(dir, 'home');
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, config);
  const env = { ...process.env, PANECREW_HOME: home, PANECREW_CONFIG: configFile, XDG_CONFIG_HOME: join(dir, 'xdg-config'), XDG_CACHE_HOME: join(dir, 'xdg-cache'), NO_COLOR: '1' };
  delete env.TMUX;
  delete env.TMUX_PANE;
  return { dir, home, env, tasks: join(home, 'tasks'), journal: join(home, 'journal.jsonl') };
}

/** Starts `panecrew controller run` in the foreground and resolves on its IPC 'ready' (with the time it took). */
export async function startController(h) {
  const t0 = now();
  // BENCH_CPU_PROF=DIR: every controller writes a V8 CPU profile there when it stops (for hunting costs).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const child = spawn(process.execPath, [...prof, CLI, 'controller', 'run'], { env: h.env, cwd: h.dir, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`controller did not start within 20s: ${stderr}`)), 20_000);
    child.once('message', () => {
      clearTimeout(timer);
      ok();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`controller exited with ${code}: ${stderr}`));
    });
  });
  const readyMs = now() - t0;
  child.removeAllListeners('exit');
  child.disconnect();
  return { child, pid: child.pid, readyMs };
}

export async function stopController(ctl, timeoutMs = 10_000) {
  const { child } = ctl;
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((ok) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      ok();
    });
    child.kill('SIGTERM');
  });
}

export const connect = (h) => ControllerClient.connect({ env: h.env, autostart: false });

/** Records, per task, the arrival time of each state (and of the first event carrying a pid). */
export class Tracker {
  constructor(client) {
    this.client = client;
    this.tasks = new Map(); // id → { states: Map<state, ms>, pidAt, last }
    this.waiters = new Map(); // id → [{ check, resolve }]
  }

  async start() {
    await this.client.subscribe((e) => {
      if (e.event !== 'task') return;
      const at = now();
      const t = e.task;
      let rec = this.tasks.get(t.id);
      if (!rec) this.tasks.set(t.id, (rec = { states: new Map(), pidAt: null, last: t }));
      rec.last = t;
      if (!rec.states.has(t.state)) rec.states.set(t.state, at);
      if (t.pid !== null && rec.pidAt === null) rec.pidAt = at;
      const ws = this.waiters.get(t.id);
      if (ws) this.waiters.set(t.id, ws.filter((w) => !(w.check(rec) && (w.resolve(rec), true))));
    });
    return this;
  }

  /** Resolves with the task's record once `check(record)` holds. */
  when(id, check, timeoutMs = 120_000) {
    const rec = this.tasks.get(id);
    if (rec && check(rec)) return Promise.resolve(rec);
    return new Promise((resolveRec, reject) => {
      const timer = setTimeout(() => reject(new Error(`task ${id}: timed out after ${timeoutMs} ms (last state ${this.tasks.get(id)?.last.state ?? 'none'})`)), timeoutMs);
      const list = this.waiters.get(id) ?? [];
      list.push({
        check,
        resolve: (r) => {
          clearTimeout(timer);
          resolveRec(r);
        },
      });
      this.waiters.set(id, list);
    });
  }

  final(id, timeoutMs) {
    return this.when(id, (r) => isFinal(r.last.state), timeoutMs);
  }

  /** Arrival time of the first final-state event. */
  finalAt(id) {
    const rec = this.tasks.get(id);
    for (const s of ['completed', 'error', 'cancelled', 'interrupt']) if (rec?.states.has(s)) return rec.states.get(s);
    return NaN;
  }
}

/** Runs a command to its end; resolves with its wall time, exit code and output. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolveRun, reject) => {
    const t0 = now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.once('error', reject);
    child.once('close', (code) => resolveRun({ ms: now() - t0, t0, end: now(), code, stdout, stderr }));
  });
}

/** Pids of live processes started for tasks of this PANECREW_HOME (their environment names its tasks folder). */
export function taskProcesses(home) {
  const marker = `PANECREW_TASK_DIR=${join(home, 'tasks')}/`;
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const environ = readFileSync(`/proc/${name}/environ`, 'latin1');
      if (!environ.includes(marker)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') continue; // zombie: already dead
      found.push(Number(name));
    } catch {
      // gone, or not ours
    }
  }
  return found;
}

/** Waits until no task process of this home is alive; kills stragglers and returns how many there were. */
export async function reapTaskProcesses(home, waitMs = 3_000) {
  const deadline = Date.now() + waitMs;
  let left = taskProcesses(home);
  while (left.length && Date.now() < deadline) {
    await sleep(100);
    left = taskProcesses(home);
  }
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  return left.length;
}

/** Cancels what is left, stops the controller, checks for leftover processes, removes the folder. */
export async function teardown(h, ctl, client) {
  try {
    client ??= await connect(h);
    await client.request({ op: 'cancel', all: true });
  } catch {
    // not running
  }
  client?.close();
  if (ctl) await stopController(ctl);
  const leaked = await reapTaskProcesses(h.home);
  if (leaked) progress(`WARNING: ${leaked} task process(es) of ${h.home} were still alive after cancel + stop; killed`);
  rmSync(h.dir, { recursive: true, force: true });
  return leaked;
}

/** Journal entries of a home, for the controller-side timestamps of transitions. */
export function readJournal(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** CPU time (utime + stime) a process has used so far, in ms. */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLK_TCK) * 1000;
}
export const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export function commandVersion(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return (r.stdout || r.stderr || '').split('\n')[0].trim() || null;
}

export { isFinal };
