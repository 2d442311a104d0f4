// 0. CLI start-up: each hot verb as a person or a main agent runs it (a fresh Node process), against a
// live controller, interleaved with `node -e 0` so both see the same load. The goal is a ratio to that floor.
import { captureEnv, CLI, configYaml, connect, makeHome, progress, run, startController, summarize, teardown, Tracker } from './lib.mjs';

/** Verb label → argv after the CLI (`{id}` is an ended task). */
const VERBS = {
  '--help': ['--help'],
  ls: ['ls'],
  status: ['status', '{id}'],
  launch: ['launch', '--agent', 'shell', '--prompt', 'true'],
  'wait (ended task)': ['wait', '{id}'],
  'controller status': ['controller', 'status'],
};

export async function benchCli({ quick }) {
  const n = quick ? 5 : 20;
  const h = makeHome('cli', configYaml({ defaultConcurrency: 8 }));
  const ctl = await startController(h);
  const client = await connect(h);
  const tracker = await new Tracker(client).start();
  try {
    const ended = await client.request({ op: 'launch', spec: { prompt: 'true', agent: 'shell', cwd: h.dir, env: captureEnv(h.env) } });
    await tracker.final(ended.id);
    const samples = { floor: [], ...Object.fromEntries(Object.keys(VERBS).map((k) => [k, []])) };
    for (let i = -1; i < n; i++) {
      // One round: the floor, then every verb; the first round warms the file cache and is dropped.
      const floor = await run(process.execPath, ['-e', '0']);
      if (i >= 0) samples.floor.push(floor.ms);
      for (const [label, argv] of Object.entries(VERBS)) {
        const r = await run(process.execPath, [CLI, ...argv.map((a) => a.replace('{id}', ended.id))], { env: h.env, cwd: h.dir });
        if (r.code !== 0) throw new Error(`panecrew ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
        if (i >= 0) samples[label].push(r.ms);
      }
      if (i >= 0 && (i + 1) % 5 === 0) progress(`round ${i + 1}/${n}: node -e 0 ${floor.ms.toFixed(0)} ms`);
    }
    const floor = summarize(samples.floor);
    const verbs = Object.fromEntries(Object.keys(VERBS).map((k) => {
      const s = summarize(samples[k]);
      return [k, { ...s, ratio: Math.round((s.median / floor.median) * 100) / 100 }];
    }));
    return { n, floor, verbs };
  } finally {
    await teardown(h, ctl, client);
  }
}
