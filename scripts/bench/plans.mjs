// 10. Plans: `plan run` of a 100-task plan (submission: CLI start to exit), and the wall time of a
// 3-phase plan of `sleep` tasks against the ideal (the sum of each phase's longest task).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, configYaml, makeHome, progress, run, startController, summarize, teardown } from './lib.mjs';

const PHASES = [[1], [2, 1, 1], [1]];

function hundredTasks() {
  const lines = ['name: hundred', 'defaults: { agent: shell }', 'tasks:', '  root: { prompt: "true" }'];
  for (let i = 0; i < 98; i++) lines.push(`  t${i}: { prompt: "true", after: [root] }`);
  lines.push(`  last: { prompt: "true", after: [${Array.from({ length: 98 }, (_, i) => `t${i}`).join(', ')}] }`);
  return lines.join('\n') + '\n';
}

function sleepPlan() {
  const lines = ['name: sleeps', 'defaults: { agent: shell }', 'tasks:'];
  PHASES.forEach((phase, p) => phase.forEach((s, i) => lines.push(`  p${p}t${i}: { prompt: "sleep ${s}"${p ? `, after: [${PHASES[p - 1].map((_, j) => `p${p - 1}t${j}`).join(', ')}]` : ''} }`)));
  return lines.join('\n') + '\n';
}

async function planRun(h, yaml, name) {
  const file = join(h.dir, name);
  writeFileSync(file, yaml);
  const r = await run(process.execPath, [CLI, 'plan', 'run', file], { env: h.env, cwd: h.dir });
  if (r.code !== 0) throw new Error(`plan run: exit ${r.code}: ${r.stderr}`);
  return { id: r.stdout.split('\n')[0].trim(), ms: r.ms, t0: r.t0 };
}

export async function benchPlans({ quick }) {
  const runs = quick ? 2 : 5;
  const submit = [];
  const wall = [];
  for (let i = 0; i < runs; i++) {
    const h = makeHome('plans', configYaml({ defaultConcurrency: 8, maxConcurrentTasks: 8 }));
    const ctl = await startController(h);
    try {
      submit.push((await planRun(h, hundredTasks(), 'hundred.yaml')).ms);
      await run(process.execPath, [CLI, 'cancel', '--all'], { env: h.env, cwd: h.dir });
      const p = await planRun(h, sleepPlan(), 'sleeps.yaml');
      const w = await run(process.execPath, [CLI, 'plan', 'wait', p.id, '--timeout', '60s'], { env: h.env, cwd: h.dir });
      if (w.code !== 0) throw new Error(`plan wait: exit ${w.code}: ${w.stderr}`);
      wall.push(w.end - p.t0);
    } finally {
      await teardown(h, ctl);
    }
    progress(`run ${i + 1}/${runs}: 100-task plan run ${submit.at(-1).toFixed(0)} ms, 3-phase sleep plan ${wall.at(-1).toFixed(0)} ms`);
  }
  const idealMs = PHASES.reduce((sum, phase) => sum + Math.max(...phase) * 1000, 0);
  return { submit100: summarize(submit), sleepWall: summarize(wall), idealMs };
}
