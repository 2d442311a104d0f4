// 7. Panes: launch → the agent's first output visible in its tmux pane, and task end → the window laid
// out again without the pane. A private tmux server (240x60); tasks launched from its main pane.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { captureEnv, connect, makeHome, now, progress, readNsFile, startController, summarize, teardown, Tracker } from './lib.mjs';
import { join } from 'node:path';

const CONFIG = `background_task:
  resourceGate: { enabled: false }
tmux:
  enabled: true
  close_delay_ms: 0
notification:
  strategy: silent
`;

export async function benchPanes({ quick }) {
  const n = quick ? 5 : 15;
  const socket = `pc-bench-${randomBytes(4).toString('hex')}`;
  const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' }).trim();
  execFileSync('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-x', '240', '-y', '60', '-s', 'bench', '--', 'sleep', '3600']);
  const main = tmux('display', '-p', '-t', 'bench:', '#{pane_id}');
  const win = tmux('display', '-p', '-t', 'bench:', '#{window_id}');
  const path = tmux('display', '-p', '-t', main, '#{socket_path}');
  const h = makeHome('panes', CONFIG);
  const ctl = await startController(h);
  const client = await connect(h);
  const tracker = await new Tracker(client).start();
  const env = { ...captureEnv(h.env), TMUX: `${path},1,0`, TMUX_PANE: main };
  const firstOutput = [];
  const relayout = [];
  try {
    for (let i = 0; i < n; i++) {
      const marker = `first-output-${i}`;
      const endFile = join(h.dir, `end-${i}`);
      const t0 = now();
      const task = await client.request({
        op: 'launch',
        spec: { prompt: `echo ${marker}; sleep 0.3; date +%s%N > ${endFile}`, agent: 'shell', cwd: h.dir, env, origin: { tmuxSocket: path, tmuxPane: main } },
      });
      // Watching the screen is the measurement: capture-pane as fast as tmux answers.
      for (;;) {
        const panes = tmux('list-panes', '-t', win, '-F', '#{pane_id}').split('\n');
        const agent = panes.find((p) => p !== main);
        if (agent && tmux('capture-pane', '-p', '-t', agent).includes(marker)) break;
        if (now() - t0 > 10_000) throw new Error('the first output did not show within 10 s');
      }
      firstOutput.push(now() - t0);
      await tracker.final(task.id, 10_000);
      while (tmux('list-panes', '-t', win, '-F', '#{pane_id}').split('\n').length > 1) {
        if (now() - t0 > 20_000) throw new Error('the pane did not close within 20 s');
      }
      relayout.push(now() - readNsFile(endFile));
      progress(`pane ${i + 1}/${n}: first output after ${firstOutput.at(-1).toFixed(0)} ms, laid out again ${relayout.at(-1).toFixed(0)} ms after the end`);
    }
  } finally {
    await teardown(h, ctl, client);
    execFileSync('tmux', ['-L', socket, 'kill-server']);
  }
  return { n, firstOutput: summarize(firstOutput), relayout: summarize(relayout) };
}
