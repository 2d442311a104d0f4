// 9. Batch submission: N tasks through one `panecrew launch --batch FILE` (one request, one journal
// entry) against N `tsp true` client calls to a task-spooler server, in the same run. Only the
// submission is timed, from the first client start to the last client exit; both queues run the
// tasks meanwhile (8 slots each), as they would for a person.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI, configYaml, makeHome, median, progress, run, startController, summarize, teardown } from './lib.mjs';
import { tspBinary } from './throughput.mjs';

const SLOTS = 8;

async function panecrewBatch(count) {
  const h = makeHome('batch', configYaml({ defaultConcurrency: SLOTS, maxConcurrentTasks: SLOTS }));
  const ctl = await startController(h);
  try {
    const file = join(h.dir, 'batch.jsonl');
    writeFileSync(file, Array.from({ length: count }, (_, i) => JSON.stringify({ prompt: 'true', agent: 'shell', title: `noop ${i}` })).join('\n') + '\n');
    const r = await run(process.execPath, [CLI, 'launch', '--batch', file], { env: h.env, cwd: h.dir });
    const ids = r.stdout.trim().split('\n').filter(Boolean);
    if (r.code !== 0 || ids.length !== count) throw new Error(`launch --batch: exit ${r.code}, ${ids.length}/${count} ids: ${r.stderr}`);
    return r.ms;
  } finally {
    await teardown(h, ctl);
  }
}

async function tspSubmit(count, tsp) {
  const dir = mkdtempSync(join(tmpdir(), 'panecrew-bench-tspbatch-'));
  const env = { ...process.env, TS_SOCKET: join(dir, 'ts.sock'), TMPDIR: dir, TS_MAXFINISHED: String(count + 10) };
  spawnSync(tsp, ['-S', String(SLOTS)], { env });
  try {
    const r = await run('bash', ['-c', `for i in $(seq ${count}); do "$TSP" true >/dev/null || exit 1; done`], { env: { ...env, TSP: tsp } });
    if (r.code !== 0) throw new Error(`tsp submission exited ${r.code}: ${r.stderr}`);
    return r.ms;
  } finally {
    spawnSync(tsp, ['-K'], { env });
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchBatch({ quick, tasks }) {
  const count = tasks ?? (quick ? 200 : 500);
  const runs = quick ? 2 : 5;
  const tsp = tspBinary();
  const samples = { batch: [], tsp: [] };
  for (let i = 0; i < runs; i++) {
    samples.batch.push(await panecrewBatch(count));
    if (tsp) samples.tsp.push(await tspSubmit(count, tsp));
    progress(`run ${i + 1}/${runs}: launch --batch ${samples.batch.at(-1).toFixed(0)} ms${tsp ? `, ${count} × tsp ${samples.tsp.at(-1).toFixed(0)} ms` : ''}`);
  }
  const batch = summarize(samples.batch);
  const out = { count, batch, tsp: null };
  if (samples.tsp.length) out.tsp = { ...summarize(samples.tsp), binary: tsp, ratio: Math.round((batch.median / median(samples.tsp)) * 100) / 100 };
  return out;
}
