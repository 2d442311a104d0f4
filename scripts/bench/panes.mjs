// 7. Panes: launch → the agent's first output visible in its tmux pane, and task end → the window laid
// out again without the pane. A private tmux server (240x60); tasks launched from its main pane.
// The floors, taken in the same loop: the same command in a bare `tmux split-window`, and a bare
// `kill-pane` + `select-layout` (both awaited the same way, by asking tmux).
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
  const floorOutput = [];
  const floorRelayout = [];
  const panes = () => tmux('list-panes', '-t', win, '-F', '#{pane_id}').split('\n');
  try {
    for (let i = 0; i < n; i++) {
      // The floor: tmux alone opens a pane running the command, then closes it and lays the window out.
      const bareMarker = `bare-output-${i}`;
      const b0 = now();
      const bare = tmux('split-window', '-d', '-P', '-F', '#{pane_id}', '-t', main, '--', 'sh', '-c', `echo ${bareMarker}; sleep 30`);
      while (!tmux('capture-pane', '-p', '-t', bare).includes(bareMarker)) {
        if (now() - b0 > 10_000) throw new Error('the bare pane showed nothing within 10 s');
      }
      floorOutput.push(now() - b0);
      const k0 = now();
      tmux('kill-pane', '-t', bare);
      tmux('select-layout', '-t', win, 'main-vertical');
      while (panes().length > 1) if (now() - k0 > 10_000) throw new Error('the bare pane did not close within 10 s');
      floorRelayout.push(now() - k0);

      const marker = `first-output-${i}`;
      const endFile = join(h.dir, `end-${i}`);
      const t0 = now();
      const task = await client.request({
        op: 'launch',
        spec: { prompt: `echo ${marker}; sleep 0.3; date +%s%N > ${endFile}`, agent: 'shell', cwd: h.dir, env, origin: { tmuxSocket: path, tmuxPane: main } },
      });
      // Watching the screen is the measurement: capture-pane as fast as tmux answers, one call per
      // look once the pane is there, as for the floor.
      for (let agent; ;) {
        agent ??= panes().find((p) => p !== main);
        if (agent && tmux('capture-pane', '-p', '-t', agent).includes(marker)) break;
        if (now() - t0 > 10_000) throw new Error('the first output did not show within 10 s');
      }
      firstOutput.push(now() - t0);
      await tracker.final(task.id, 10_000);
      while (panes().length > 1) {
        if (now() - t0 > 20_000) throw new Error('the pane did not close within 20 s');
      }
      relayout.push(now() - readNsFile(endFile));
      progress(`pane ${i + 1}/${n}: first output after ${firstOutput.at(-1).toFixed(0)} ms (bare tmux ${floorOutput.at(-1).toFixed(0)}), laid out again ${relayout.at(-1).toFixed(0)} ms after the end (bare ${floorRelayout.at(-1).toFixed(0)})`);
    }
  } finally {
    await teardown(h, ctl, client);
    execFileSync('tmux', ['-L', socket, 'kill-server']);
  }
  const ratio = (a, b) => Math.round((summarize(a).median / summarize(b).median) * 100) / 100;
  return {
    n,
    firstOutput: { ...summarize(firstOutput), floor: summarize(floorOutput), ratio: ratio(firstOutput, floorOutput) },
    relayout: { ...summarize(relayout), floor: summarize(floorRelayout), ratio: ratio(relayout, floorRelayout) },
  };
}
