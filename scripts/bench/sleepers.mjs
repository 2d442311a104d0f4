// 3. Eight 3-second tasks under a limit of 8: wall time from the first launch to the last completion
// event, against the ideal 3 s. Each task records its start, so the start spread is visible too.
import { join } from 'node:path';
import { captureEnv, configYaml, connect, makeHome, now, progress, readNsFile, startController, summarize, teardown, Tracker } from './lib.mjs';

export async function benchSleepers({ quick }) {
  const runs = quick ? 1 : 3;
  const wall = [];
  const lastStart = [];
  for (let r = 0; r < runs; r++) {
    const h = makeHome('sleepers', configYaml({ defaultConcurrency: 8 }));
    const ctl = await startController(h);
    const client = await connect(h);
    const tracker = await new Tracker(client).start();
    const env = captureEnv(h.env);
    const t0 = now();
    const tasks = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        client.request({ op: 'launch', spec: { prompt: `date +%s%N > ${join(h.dir, `start-${i}`)}; sleep 3`, agent: 'shell', cwd: h.dir, env } }),
      ),
    );
    const recs = await Promise.all(tasks.map((t) => tracker.final(t.id, 30_000)));
    const bad = recs.find((rec) => rec.last.state !== 'completed');
    if (bad) throw new Error(`task ${bad.last.id} ended ${bad.last.state}: ${bad.last.reason}`);
    wall.push(Math.max(...tasks.map((t) => tracker.finalAt(t.id))) - t0);
    lastStart.push(Math.max(...tasks.map((_, i) => readNsFile(join(h.dir, `start-${i}`)))) - t0);
    progress(`8 × sleep 3, run ${r + 1}/${runs}: ${wall.at(-1).toFixed(0)} ms (last agent started after ${lastStart.at(-1).toFixed(0)} ms)`);
    await teardown(h, ctl, client);
  }
  const w = summarize(wall);
  return { runs, wall: w, overheadMs: Math.round((w.median - 3000) * 10) / 10, lastStart: summarize(lastStart) };
}
