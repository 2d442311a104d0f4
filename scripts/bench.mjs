#!/usr/bin/env node
// panecrew benchmarks: `npm run bench` (builds first) or `node scripts/bench.mjs [--quick] [--only a,b]`.
// Every figure comes from a real controller (`panecrew controller run`) in a temp PANECREW_HOME with the
// resource gate, tmux and notifications off; see docs/benchmarks.md for what each one means.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchBatch } from './bench/batch.mjs';
import { benchCli } from './bench/cli.mjs';
import { benchCompletion } from './bench/completion.mjs';
import { benchFootprint } from './bench/footprint.mjs';
import { goalsTable, judgeGoals, writeReadmeTable } from './bench/goals.mjs';
import { benchLaunch } from './bench/launch.mjs';
import { benchPanes } from './bench/panes.mjs';
import { benchPlans } from './bench/plans.mjs';
import { benchReplay } from './bench/replay.mjs';
import { benchSleepers } from './bench/sleepers.mjs';
import { benchStorms } from './bench/storms.mjs';
import { benchThroughput, tspBinary } from './bench/throughput.mjs';
import { commandVersion, fmtMs, now, ROOT } from './bench/lib.mjs';

const SECTIONS = {
  cli: ['0. CLI start-up vs node -e 0', benchCli],
  launch: ['1. launch latency', benchLaunch],
  completion: ['2. completion detection latency', benchCompletion],
  sleepers: ['3. 8 × sleep 3 under a limit of 8', benchSleepers],
  throughput: ['4. no-op throughput vs task-spooler and GNU parallel', benchThroughput],
  footprint: ['5. controller RSS and CPU at rest', benchFootprint],
  replay: ['6. journal replay of 10,000 tasks', benchReplay],
  panes: ['7. tmux panes: first output and relayout', benchPanes],
  storms: ['8. controller memory under connection storms', benchStorms],
  batch: ['9. batch submission (launch --batch) vs task-spooler client calls', benchBatch],
  plans: ['10. plans: 100-task submission, 3-phase sleep plan vs ideal', benchPlans],
};

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, tasks: { type: 'string' }, readme: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log(`usage: node scripts/bench.mjs [--quick] [--only ${Object.keys(SECTIONS).join(',')}]
  --quick  fewer repetitions and smaller loads (about a minute)
  --only   run only these sections
  --tasks N  no-op tasks in sections 4 and 9 (default 500; 200 with --quick)
  --readme   write the goals table into README.md (Performance); a full run, not --quick or --only
Results: the figures and the goals (figure, floor or peer of the same run, ratio, MET/MISSED) on
stdout, and .bench/results.json.`);
  process.exit(0);
}
if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
  console.error('dist/ is missing: run `npm run build` first (npm run bench does).');
  process.exit(2);
}
const only = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(SECTIONS);
for (const name of only) if (!(name in SECTIONS)) throw new Error(`unknown section ${name}; sections: ${Object.keys(SECTIONS).join(', ')}`);

// The figures are only as good as the machine is quiet: say so when it is not.
const loadBefore = loadavg()[0];
if (loadBefore > cpus().length * 0.5) {
  process.stderr.write(`note: load average ${loadBefore.toFixed(2)} on ${cpus().length} cores: other work is running, expect inflated and noisy figures\n`);
}
const opts = { quick: values.quick, tasks: values.tasks ? Number(values.tasks) : undefined };
const results = {};
const errors = {};
const started = now();
for (const name of only) {
  const [title, fn] = SECTIONS[name];
  process.stderr.write(`${title}${opts.quick ? ' (quick)' : ''}\n`);
  const t0 = now();
  try {
    results[name] = await fn(opts);
  } catch (err) {
    errors[name] = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`  FAILED: ${errors[name]}\n`);
  }
  process.stderr.write(`  (${((now() - t0) / 1000).toFixed(1)} s)\n`);
}
const totalS = Math.round((now() - started) / 100) / 10;

// ---- the table ----
const rows = [];
const row = (figure, value, note = '') => rows.push([figure, value, note]);
const target = (ok, text) => `${ok ? 'met' : 'MISSED'}: ${text}`;
const r = results;
if (r.launch) {
  const { cli, client, nodeBare, cliHelp } = r.launch;
  row('launch → agent running, via CLI (median)', fmtMs(cli.agentStart.median), `p90 ${fmtMs(cli.agentStart.p90)}; n=${r.launch.n}`);
  row('launch → agent running, via client (median)', fmtMs(client.agentStart.median), `p90 ${fmtMs(client.agentStart.p90)}; reply after ${fmtMs(client.reply.median)}`);
  row('  client: request → created | → running | → runner | → agent', [client.toCreated, client.toRunning, client.toRunner, client.runnerToAgent].map((s) => fmtMs(s.median)).join(' | '), 'journal ms timestamps, ±1 ms');
  row('  Node start-up floor: node -e 0 | panecrew --help', `${fmtMs(nodeBare.median)} | ${fmtMs(cliHelp.median)}`, `CLI process exits after ${fmtMs(cli.cliExit.median)}`);
}
if (r.cli) {
  for (const [verb, s] of Object.entries(r.cli.verbs)) row(`CLI: panecrew ${verb} (median of ${r.cli.n})`, fmtMs(s.median), `${s.ratio}× node -e 0 (${fmtMs(r.cli.floor.median)}); p90 ${fmtMs(s.p90)}`);
}
if (r.completion) {
  const c = r.completion;
  row('agent exit → completed event (median)', fmtMs(c.total.median), target(c.total.median <= 10, 'p50 ≤ 10 ms'));
  row('agent exit → completed event (p90)', fmtMs(c.total.p90), `n=${c.n}`);
  row('  agent end → exit.json | → journal | → subscriber', [c.runnerExit, c.detect, c.publish].map((s) => fmtMs(s.median)).join(' | '), 'medians');
}
if (r.sleepers) {
  const s = r.sleepers;
  row('8 × sleep 3, limit 8: wall (median)', fmtMs(s.wall.median), `ideal 3000 ms; overhead ${fmtMs(s.overheadMs)}; last start +${fmtMs(s.lastStart.median)}`);
}
if (r.throughput) {
  const t = r.throughput;
  row(`${t.count} × true, ${t.slots} slots: panecrew client`, fmtMs(t.client.median), `${t.client.perTaskMs} ms/task; all queued after ${fmtMs(t.submit.median)}`);
  row('  controller CPU per task | pace early → late', `${t.controllerCpuPerTaskMs.median} ms | ${t.earlyPaceMs.median} → ${t.latePaceMs.median} ms/task`, 'pace: completions 10–30% vs 80–100% of the run');
  if (t.cli) row(`  panecrew CLI (${t.cli.count} tasks, one launch each)`, fmtMs(t.cli.ms), `${t.cli.perTaskMs} ms/task → ${fmtMs(t.cli.extrapolatedMs)} for ${t.count} (extrapolated)`);
  if (t.tsp) row(`  task-spooler (${t.tsp.binary})`, fmtMs(t.tsp.median), `panecrew/tsp = ${t.tsp.ratio}; ${target(t.tsp.ratio <= 1, 'no slower than task-spooler')}`);
  if (t.parallel) row('  GNU parallel -j8', fmtMs(t.parallel.median), `panecrew/parallel = ${t.parallel.ratio}`);
}
if (r.batch) {
  const b = r.batch;
  row(`${b.count} tasks in one launch --batch (submission)`, fmtMs(b.batch.median), b.tsp ? `${b.count} × ${b.tsp.binary}: ${fmtMs(b.tsp.median)}; panecrew/tsp = ${b.tsp.ratio}; ${target(b.tsp.ratio <= 1.5, 'within 1.5× task-spooler')}` : 'task-spooler not installed');
}
if (r.plans) {
  const p = r.plans;
  row('plan run of a 100-task plan (CLI, submission)', fmtMs(p.submit100.median), '');
  row('3-phase plan of sleeps: plan run → plan wait exit', fmtMs(p.sleepWall.median), `ideal ${fmtMs(p.idealMs)} (sum of the phases' longest); overhead ${fmtMs(p.sleepWall.median - p.idealMs)}`);
}
if (r.footprint) {
  const f = r.footprint;
  row('controller RSS: empty | loaded', `${f.empty.rssMB} MB | ${f.loaded.rssMB} MB`, `${f.running} running + ${f.queued} queued; peak ${f.loaded.peakRssMB} MB`);
  row('controller CPU at rest: empty | loaded', `${f.empty.cpuPercent}% | ${f.loaded.cpuPercent}%`, `over ${f.loaded.windowS} s; wake-ups ${f.empty.wakeups} | ${f.loaded.wakeups}`);
  row(`  submit ${f.running + f.queued} | ${f.running} running | list all`, `${fmtMs(f.submitMs)} | ${fmtMs(f.allRunningMs)} | ${fmtMs(f.list.median)}`, '');
  row('  cancel all', fmtMs(f.cancel.ms), `task processes ${f.cancel.processesBefore} → ${f.cancel.processesLeft} within ${fmtMs(f.cancel.goneAfterMs)}`);
}
if (r.replay) {
  const j = r.replay;
  row(`journal replay, ${j.tasks} tasks (${j.lines} lines, ${(j.bytes / 1048576).toFixed(1)} MB)`, fmtMs(j.replay.median), 'Journal.replay() in-process');
  row('controller start → ready: with that journal | empty', `${fmtMs(j.ready.median)} | ${fmtMs(j.readyEmpty.median)}`, `journal adds ${fmtMs(j.readyExtraMs)}`);
}
if (r.panes) {
  const p = r.panes;
  row('launch → first output visible in its pane (median)', fmtMs(p.firstOutput.median), `bare split-window ${fmtMs(p.firstOutput.floor.median)}; p90 ${fmtMs(p.firstOutput.p90)}; n=${p.n}; 240x60 window, close_delay 0`);
  row('task end → pane closed and window laid out (median)', fmtMs(p.relayout.median), `bare kill-pane + select-layout ${fmtMs(p.relayout.floor.median)}; p90 ${fmtMs(p.relayout.p90)}`);
}
if (r.storms) {
  const titles = { frames: '100 unterminated 3.9 MB frames', lists: '2,000 pipelined list --all never read', idle: '500 idle connections', slowloris: 'slowloris, 50 connections × 1 B/100 ms' };
  for (const [name, s] of Object.entries(r.storms)) {
    row(`storm: ${titles[name]}: RSS peak growth | after close`, `+${s.peakGrowthMB} MB | ${s.rssAfterCloseMB} MB`, `from ${s.rssBeforeMB} MB; other clients' ping median ${fmtMs(s.pingMedianMs)}, max ${fmtMs(s.pingMaxMs)}, ${s.pingsFailed} refused; ${s.alive ? 'up' : 'DIED'}; medians of ${s.runs}`);
  }
}

const w = [0, 1, 2].map((i) => Math.max(...rows.map((x) => x[i].length), ['figure', 'value', 'note'][i].length));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
console.log();
console.log(line(['figure', 'value', 'note']));
console.log(`|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`);
for (const x of rows) console.log(line(x));
const machineLine = `${cpus().length} cores (${cpus()[0]?.model?.trim()}), Node ${process.version}, load average ${loadBefore.toFixed(2)} → ${loadavg()[0].toFixed(2)}, ${opts.quick ? 'quick run, ' : ''}${totalS} s in all`;
console.log(`\n${machineLine}`);

// ---- the goals of the speed issue: figure, floor or peer of this run, ratio, verdict ----
const goals = judgeGoals(r);
console.log(`\n${goalsTable(goals)}`);
if (values.readme) {
  if (opts.quick || values.only || Object.keys(errors).length) console.error('--readme: not written, the README takes a full run (no --quick, no --only) in which every section succeeded');
  else console.log(`README table: ${writeReadmeTable(goals, `Measured ${new Date().toISOString().slice(0, 10)}: ${machineLine}.`)}`);
}

const machine = {
  cores: cpus().length,
  cpu: cpus()[0]?.model?.trim(),
  memoryGB: Math.round(totalmem() / 1024 ** 3),
  loadAverage: { before: Math.round(loadBefore * 100) / 100, after: Math.round(loadavg()[0] * 100) / 100 },
  kernel: release(),
  node: process.version,
  taskSpooler: tspBinary() ? commandVersion(tspBinary(), ['-V']) : null,
  parallel: commandVersion('parallel', ['--version']),
};
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
mkdirSync(join(ROOT, '.bench'), { recursive: true });
const out = join(ROOT, '.bench/results.json');
writeFileSync(out, `${JSON.stringify({ version: pkg.version, at: new Date().toISOString(), quick: opts.quick, totalS, machine, goals, results, errors }, null, 2)}\n`);
console.log(`results: ${out}`);
if (Object.keys(errors).length) {
  console.error(`failed sections: ${Object.keys(errors).join(', ')}`);
  process.exitCode = 1;
}
