// The goals of issue 16, judged from one run's results: each with its figure, the floor or peer measured
// in the same run, the ratio and MET/MISSED. Printed by bench.mjs and written into the README's table.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmtMs, ROOT } from './lib.mjs';

const verdict = (ok) => (ok ? 'MET' : 'MISSED');

/** One row per goal whose section ran; a goal whose peer was missing says so instead of a verdict. */
export function judgeGoals(r) {
  const goals = [];
  const add = (goal, figure, floor, ratio, ok) => goals.push({ goal, figure, floor, ratio: ratio === null ? '—' : `${ratio.toFixed(2)}×`, verdict: ok === null ? 'not measured' : verdict(ok) });
  if (r.cli) {
    const floor = `node -e 0: ${fmtMs(r.cli.floor.median)}`;
    for (const [verb, s] of Object.entries(r.cli.verbs)) add(`CLI \`panecrew ${verb}\` ≤ 1.5× node -e 0`, fmtMs(s.median), floor, s.ratio, s.ratio <= 1.5);
  }
  if (r.throughput) {
    const t = r.throughput;
    const goal = `${t.count} no-op tasks, ${t.slots} slots ≤ 1.0× task-spooler`;
    if (t.tsp) add(goal, fmtMs(t.client.median), `tsp: ${fmtMs(t.tsp.median)}`, t.tsp.ratio, t.tsp.ratio <= 1);
    else add(goal, fmtMs(t.client.median), 'task-spooler not installed', null, null);
  }
  if (r.panes) {
    const { firstOutput: f, relayout: l } = r.panes;
    add('launch → first output in its pane ≤ 1.5× bare split-window', fmtMs(f.median), `bare tmux: ${fmtMs(f.floor.median)}`, f.ratio, f.ratio <= 1.5);
    add('pane close + relayout ≤ 1.5× bare kill-pane + select-layout', fmtMs(l.median), `bare tmux: ${fmtMs(l.floor.median)}`, l.ratio, l.ratio <= 1.5);
  }
  if (r.completion) add('agent exit → `completed` event p50 ≤ 10 ms', fmtMs(r.completion.total.median), 'goal: 10 ms', r.completion.total.median / 10, r.completion.total.median <= 10);
  if (r.footprint) {
    const f = r.footprint;
    add('idle controller RSS ≤ 60 MB', `${f.empty.rssMB} MB`, 'goal: 60 MB', f.empty.rssMB / 60, f.empty.rssMB <= 60);
    const full = f.running === 100 && f.queued === 1000;
    add(`controller RSS, ${f.queued} queued + ${f.running} running ≤ 100 MB`, `${f.loaded.rssMB} MB`, full ? 'goal: 100 MB' : 'goal is for 1,000 + 100 (a --quick run loads less)', f.loaded.rssMB / 100, full ? f.loaded.rssMB <= 100 : null);
  }
  if (r.batch) {
    const b = r.batch;
    const goal = `\`launch --batch\` of ${b.count} ≤ 1.5× ${b.count} tsp client calls`;
    if (b.tsp) add(goal, fmtMs(b.batch.median), `tsp: ${fmtMs(b.tsp.median)}`, b.tsp.ratio, b.tsp.ratio <= 1.5);
    else add(goal, fmtMs(b.batch.median), 'task-spooler not installed', null, null);
  }
  return goals;
}

export function goalsTable(goals) {
  const head = ['goal', 'figure', 'floor / peer (same run)', 'ratio', 'verdict'];
  const rows = goals.map((g) => [g.goal, g.figure, g.floor, g.ratio, g.verdict]);
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((x) => `| ${x.join(' | ')} |`)].join('\n');
}

const BEGIN = '<!-- bench:goals (written by `npm run bench -- --readme`; do not edit by hand) -->';
const END = '<!-- /bench:goals -->';

/** Replaces the table between the markers in README.md with this run's goals. */
export function writeReadmeTable(goals, machineLine) {
  const file = join(ROOT, 'README.md');
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${BEGIN} … ${END} block to fill`);
  writeFileSync(file, `${text.slice(0, a)}${BEGIN}\n${goalsTable(goals)}\n\n${machineLine}\n${text.slice(b)}`);
  return file;
}
