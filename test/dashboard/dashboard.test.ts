// The dashboard against a real controller, real shell tasks and a real tmux pane.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { displayWidth } from '../../src/render/width.js';
import { BASE_CONFIG, startTestController, until, type TestController } from '../support/controller.js';
import { startTmuxServer } from '../support/tmux-server.js';
import { openDashboard, type DashboardPane } from './harness.js';

const ONE_SHELL_SLOT = `${BASE_CONFIG.replace('background_task:', 'background_task:\n  modelConcurrency: { local/shell: 1 }')}`;

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
  cleanup = [];
});

async function setup(config = BASE_CONFIG, opts: Parameters<typeof openDashboard>[1] = {}): Promise<{ tc: TestController; dash: DashboardPane }> {
  const tc = await startTestController(config);
  cleanup.push(() => tc.stop());
  const dash = await openDashboard(tc, opts);
  cleanup.push(() => dash.close());
  return { tc, dash };
}

const rowOf = (screen: string, id: string) => screen.split('\n').find((l) => l.includes(id)) ?? '';

/** Box lines (starting with a border) must end with the matching border in the last column. */
function bordersIntact(screen: string, width: number): boolean {
  const ends: Record<string, string> = { '┌': '┐', '│': '│', '└': '┘' };
  return screen.split('\n').every((l) => {
    const end = ends[l[0] ?? ''];
    if (!end) return displayWidth(l) <= width;
    return l.endsWith(end) && displayWidth(l) === width;
  });
}

describe('panecrew dashboard in a real terminal', () => {
  test('rows appear and change state live', async () => {
    const { tc, dash } = await setup();
    const t = await tc.launch(['--agent', 'shell', '--title', 'live row', '--prompt', 'sleep 1; echo done-marker']);
    await dash.waitFor((s) => rowOf(s, t.id).includes('● ') && rowOf(s, t.id).includes('running'), `${t.id} running`);
    await dash.waitFor((s) => rowOf(s, t.id).includes('✓ ') && rowOf(s, t.id).includes('completed'), `${t.id} completed`);
    // The detail pane of the selected (only) task shows its output; o shows all of it, Esc goes back.
    await dash.waitFor('done-marker');
    await dash.keys('o');
    await dash.waitFor(`output ${t.id} live row`);
    await dash.keys('Escape');
    await dash.waitFor((s) => s.includes('STEP / WAITING') || s.includes('TITLE'), 'the table again');
  });

  test('a plan run shows grouped under its header with a live progress line per phase, at 100 columns', async () => {
    const { tc, dash } = await setup(BASE_CONFIG, { width: 100 });
    const file = join(tc.dir, 'grouped.plan.yaml');
    writeFileSync(file, 'name: grouped\ndefaults: { agent: shell }\ntasks:\n  first: { prompt: "sleep 1" }\n  second: { prompt: "sleep 1", after: [first] }\n');
    const r = await tc.cli(['plan', 'run', file]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const id = String(r.stdout).split('\n')[0]!.trim();
    await dash.waitFor((s) => s.includes(`plan grouped  ${id}  running`) && s.includes('phase 1/2 first: 1 running') && s.includes('phase 2/2 second: 1 queued'), 'the plan running, grouped');
    await dash.waitFor((s) => s.includes(`plan grouped  ${id}  completed  2/2 done`) && s.includes('phase 2/2 second: 1 done'), 'the plan completed');
  });

  test('per-key running/limit and the queue with its wait reason', async () => {
    const { tc, dash } = await setup(ONE_SHELL_SLOT);
    const a = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 20']);
    const b = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 20']);
    const screen = await dash.waitFor((s) => s.includes('local/shell 1/1 +1 queued') && s.includes(b.id) && s.includes(a.id) && s, 'the key counts');
    expect(rowOf(screen as string, b.id)).toContain('no free slot');
    expect(rowOf(screen as string, a.id)).toContain('running');
  });

  test('c then y cancels the selected task', async () => {
    const { tc, dash } = await setup();
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 30']);
    await dash.waitFor((s) => rowOf(s, t.id).includes('running'), `${t.id} running`);
    await dash.keys('c');
    await dash.waitFor(`Cancel ${t.id}`);
    await dash.keys('y');
    await dash.waitFor((s) => rowOf(s, t.id).includes('cancelled'), `${t.id} cancelled on screen`);
    const c = await tc.client();
    try {
      expect((await c.request({ op: 'get', taskId: t.id })).state).toBe('cancelled');
    } finally {
      c.close();
    }
  });

  test('Enter focuses the selected task’s tmux pane', async () => {
    const tmuxConfig = BASE_CONFIG.replace('tmux:\n  enabled: false', 'tmux:\n  enabled: true');
    const tc = await startTestController(tmuxConfig);
    cleanup.push(() => tc.stop());
    const tmux = await startTmuxServer({ width: 160, height: 40 });
    cleanup.push(() => tmux.kill());
    const socket = (await tmux.client.run(['display-message', '-p', '-t', tmux.mainPane, '#{socket_path}'])).trim();
    const r = await tc.cli(['launch', '--json', '--agent', 'shell', '--placement', 'pane', '--prompt', 'sleep 30'], {
      env: { TMUX: `${socket},1,0`, TMUX_PANE: tmux.mainPane },
    });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const t = JSON.parse(String(r.stdout)) as ListedTask;
    const paneId = await until(async () => {
      const c = await tc.client();
      try {
        return (await c.request({ op: 'get', taskId: t.id })).paneId;
      } finally {
        c.close();
      }
    }, 'the task pane');
    // The dashboard opens in a window of its own and becomes the current one; the task pane is not active.
    const dash = await openDashboard(tc, { tmux });
    await tmux.client.run(['select-window', '-t', dash.pane]);
    await tmux.client.run(['select-pane', '-t', tmux.mainPane]);
    const active = async () => (await tmux.client.run(['display-message', '-p', '-t', paneId, '#{window_active}#{pane_active}'])).trim();
    expect(await active()).toBe('00');
    await dash.waitFor((s) => rowOf(s, t.id).includes('running'), `${t.id} running`);
    await dash.keys('Enter');
    await until(async () => (await active()) === '11', `pane ${paneId} active in the current window`);
    await dash.waitFor(`focused ${t.id}`);
  });

  test('Enter on a task in another session switches the dashboard’s tmux client to it', async () => {
    const tmuxConfig = BASE_CONFIG.replace('tmux:\n  enabled: false', 'tmux:\n  enabled: true');
    const tc = await startTestController(tmuxConfig);
    cleanup.push(() => tc.stop());
    const tmux = await startTmuxServer({ width: 160, height: 40 });
    cleanup.push(() => tmux.kill());
    // The task opens beside a pane of session `work`; the dashboard runs in session `main`.
    const workPane = (await tmux.client.run(['new-session', '-d', '-s', 'work', '-x', '160', '-y', '40', '-P', '-F', '#{pane_id}', '--', 'sleep', '3600'])).trim();
    const socket = (await tmux.client.run(['display-message', '-p', '-t', tmux.mainPane, '#{socket_path}'])).trim();
    const r = await tc.cli(['launch', '--json', '--agent', 'shell', '--placement', 'pane', '--prompt', 'sleep 30'], {
      env: { TMUX: `${socket},1,0`, TMUX_PANE: workPane },
    });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const t = JSON.parse(String(r.stdout)) as ListedTask;
    const dash = await openDashboard(tc, { tmux, session: 'main' });
    await tmux.client.run(['select-window', '-t', dash.pane]);
    // A real client on `main`: a second tmux server's pane attaches to it (a tty of its own).
    const outer = await startTmuxServer({ width: 160, height: 40 });
    cleanup.push(() => outer.kill());
    await outer.client.run(['respawn-pane', '-k', '-t', outer.mainPane, '--', 'env', '-u', 'TMUX', '-u', 'TMUX_PANE', 'tmux', '-S', socket, 'attach', '-t', 'main']);
    // The person's client: the controller's own control client (tmux/control.ts) is not one.
    const clientSession = async () => (await tmux.client.run(['list-clients', '-F', '#{client_control_mode} #{session_name}'])).split('\n').find((l) => l.startsWith('0 '))?.slice(2);
    await until(async () => (await clientSession()) === 'main', 'a client attached to main');
    await dash.waitFor((s) => rowOf(s, t.id).includes('running'), `${t.id} running`);
    await dash.keys('Enter');
    await until(async () => (await clientSession()) === 'work', 'the client switched to session work');
    await dash.waitFor(`focused ${t.id}`);
  });

  test('y cancels the task it asked about even when nothing is selected any more, and says when it has gone', async () => {
    const { tc, dash } = await setup();
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 30']);
    await dash.waitFor((s) => rowOf(s, t.id).includes('running'), `${t.id} running`);
    await dash.keys('a', 'c'); // finished tasks hidden: once it ends, no row is left to select
    await dash.waitFor(`Cancel ${t.id}`);
    const c = await tc.client();
    try {
      await c.request({ op: 'cancel', taskIds: [t.id] });
      await until(async () => (await c.request({ op: 'get', taskId: t.id })).state === 'cancelled', 'cancelled');
      await c.request({ op: 'prune', olderThanMs: 0 });
    } finally {
      c.close();
    }
    await dash.keys('y');
    await dash.waitFor(`${t.id} is gone`);
  });

  test('a resize re-flows the columns without anything overlapping', async () => {
    const { tc, dash } = await setup();
    const t = await tc.launch(['--agent', 'shell', '--title', 'Résumé 世界 🎉 emoji title', '--prompt', 'sleep 20']);
    let screen = await dash.waitFor((s) => rowOf(s, t.id).includes('running') && s, 'the row');
    expect(screen).toContain('AGENT');
    expect(bordersIntact(screen as string, 160)).toBe(true);
    await dash.tmux.client.run(['resize-window', '-t', dash.tmux.mainWindow, '-x', '80', '-y', '30']);
    // tmux cuts the old screen at the new width at once; the dashboard then redraws it whole.
    screen = await dash.waitFor((s) => !s.includes('AGENT') && s.includes(t.id) && bordersIntact(s, 80) && s, 'the 80-column layout');
    await dash.tmux.client.run(['resize-window', '-t', dash.tmux.mainWindow, '-x', '50', '-y', '20']);
    screen = await dash.waitFor((s) => !s.includes('MODEL/KEY') && rowOf(s, t.id).includes('世界 🎉') && bordersIntact(s, 50) && s, 'the 50-column layout');
  });

  test('a hostile key and title show inert: the screen is not cleared, moved over or written to the clipboard', async () => {
    const { tc, dash } = await setup();
    const t = await tc.launch(['--agent', 'shell', '--key', '\u001b[2J\u001b[1;1HFAKE', '--title', 'osc \u001b]52;c;cGFuZWNyZXc=\u0007 end', '--prompt', 'sleep 20']);
    const screen = (await dash.waitFor((s) => rowOf(s, t.id).includes('running') && s.includes('FAKE') && s, 'the row and its detail')) as string;
    expect(screen.split('\n')[0]).toContain('panecrew');
    expect(screen).toContain('␛[2J␛[1;1HFAKE');
    expect(screen).toContain('␛]52;c;cGFuZWNyZXc=␇');
    expect(bordersIntact(screen, 160)).toBe(true);
  });

  test('NO_COLOR: not one colour code reaches the terminal; without it, colours do', async () => {
    const { tc, dash } = await setup();
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 20']);
    await dash.waitFor((s) => rowOf(s, t.id).includes('running'), 'the row');
    const colour = /\u001b\[([0-9;]*)m/g;
    const colourCodes = (s: string) =>
      [...s.matchAll(colour)].flatMap((m) => m[1]!.split(';')).filter((p) => /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(p));
    expect(colourCodes(await dash.screen({ escapes: true }))).toEqual([]);

    const coloured = await openDashboard(tc, { tmux: dash.tmux, color: true });
    await coloured.waitFor((s) => rowOf(s, t.id).includes('running'), 'the row');
    expect(colourCodes(await coloured.screen({ escapes: true })).length).toBeGreaterThan(0);
  });

  test('a controller that goes away is shown, and the dashboard reconnects when it is back', async () => {
    const { tc, dash } = await setup();
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 30']);
    await dash.waitFor(t.id);
    await tc.kill();
    await dash.waitFor('controller unreachable');
    await tc.start();
    await dash.waitFor((s) => s.includes('● connected') && s.includes(t.id), 'the reconnect');
    // Live again: a task launched now shows up.
    const u = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 30']);
    await dash.waitFor(u.id);
  });

  test('q quits and leaves the tasks running', async () => {
    const { tc, dash } = await setup();
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 30']);
    await dash.waitFor(t.id);
    await dash.keys('q');
    await until(async () => (await dash.tmux.client.run(['display-message', '-p', '-t', dash.pane, '#{pane_dead}']).catch(() => '1')).trim() === '1' || !(await dash.screen().catch(() => '')).includes('panecrew'), 'the dashboard to exit');
    const c = await tc.client();
    try {
      expect((await c.request({ op: 'get', taskId: t.id })).state).toBe('running');
    } finally {
      c.close();
    }
  });
});
