// 2. Completion detection latency: the agent's last command → the `task` event with state completed
// reaching a subscriber. Split with the runner's exit.json endedAt and the journal's completed entry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureEnv, configYaml, connect, makeHome, progress, readJournal, readNsFile, startController, summarize, teardown, Tracker } from './lib.mjs';

export async function benchCompletion({ quick }) {
  const n = quick ? 10 : 30;
  const h = makeHome('completion', configYaml({ defaultConcurrency: 8 }));
  const ctl = await startController(h);
  const client = await connect(h);
  const tracker = await new Tracker(client).start();
  const env = captureEnv(h.env);

  const runs = [];
  for (let i = -1; i < n; i++) {
    const file = join(h.dir, `end-${i}`);
    const task = await client.request({ op: 'launch', spec: { prompt: `true; date +%s%N > ${file}`, agent: 'shell', cwd: h.dir, env } });
    const rec = await tracker.final(task.id);
    if (rec.last.state !== 'completed') throw new Error(`task ${task.id} ended ${rec.last.state}: ${rec.last.reason}`);
    if (i >= 0) runs.push({ id: task.id, agentEnd: readNsFile(file), eventAt: rec.states.get('completed') });
    if (i >= 0 && (i + 1) % 10 === 0) progress(`completion ${i + 1}/${n}: ${(runs.at(-1).eventAt - runs.at(-1).agentEnd).toFixed(1)} ms`);
  }

  const journal = readJournal(h.journal);
  const total = [];
  const runnerExit = [];
  const detect = [];
  const publish = [];
  for (const r of runs) {
    const exit = JSON.parse(readFileSync(join(h.tasks, r.id, 'exit.json'), 'utf8'));
    const done = journal.find((e) => e.type === 'updated' && e.id === r.id && e.patch.state === 'completed');
    total.push(r.eventAt - r.agentEnd);
    runnerExit.push(exit.endedAt - r.agentEnd); // agent exit + runner writes exit.json (ms resolution)
    detect.push(done.at - exit.endedAt); // exit.json seen, output drained, outcome decided (ms resolution)
    publish.push(r.eventAt - done.at); // fsync of the journal line + broadcast + socket delivery
  }
  await teardown(h, ctl, client);
  return { n, total: summarize(total), runnerExit: summarize(runnerExit), detect: summarize(detect), publish: summarize(publish) };
}
