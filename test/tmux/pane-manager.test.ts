import { afterEach, describe, expect, it } from 'vitest';
import { PaneManager, type OpenPaneRequest } from '../../src/tmux/pane-manager.js';
import { TmuxOptionsSchema, type TmuxOptionsInput } from '../../src/tmux/options.js';
import { loadLayout } from '../../src/tmux/layouts.js';
import { RESIZE_CHANNEL } from '../../src/tmux/resize-watch.js';
import { planLayout } from '../../src/tmux/layout-plan.js';
import { geometry, startTmuxServer, until, type TestTmuxServer, paneManager } from '../support/tmux-server.js';

let server: TestTmuxServer | undefined;
afterEach(async () => {
  await server?.kill();
  server = undefined;
});

const manager = paneManager;

function req(s: TestTmuxServer, n: number, over: Partial<OpenPaneRequest> = {}): OpenPaneRequest {
  return { taskId: `t${n}`, title: `task ${n}`, agent: 'claude', command: ['sleep', '60'], cwd: '/tmp', mainPane: s.mainPane, requested: 'pane', ...over };
}

async function active(s: TestTmuxServer): Promise<string> {
  return s.client.run(['display-message', '-p', '-t', 'main', '#{window_id} #{pane_id}']);
}

describe('PaneManager.open in the launching window', () => {
  it('lays four agents out with main-vertical as planned, without taking focus', async () => {
    server = await startTmuxServer({ width: 240, height: 60 });
    const pm = manager(server);
    const before = await active(server);
    const opened = [];
    for (let i = 1; i <= 4; i++) opened.push(await pm.open(req(server, i)));
    expect(opened.map((o) => o.placement)).toEqual(['pane', 'pane', 'pane', 'pane']);
    expect(opened.every((o) => o.windowId === server!.mainWindow && o.pid > 0)).toBe(true);
    expect(await active(server)).toBe(before);
    const geo = await geometry(server.client, server.mainWindow);
    // The top row shows the border labels: tmux lays the panes out in the 59 rows below it.
    expect(geo.map((g) => `${g.w}x${g.h}@${g.x},${g.y}`)).toEqual(['143x59@0,1', '96x14@144,1', '96x14@144,16', '96x14@144,31', '96x14@144,46']);
    expect(geo[0]!.paneId).toBe(server.mainPane);
    expect(geo.slice(1).map((g) => g.paneId)).toEqual(opened.map((o) => o.paneId));
  });

  it('tags each agent pane with its task id and a literal title', async () => {
    server = await startTmuxServer();
    const pm = manager(server);
    const o = await pm.open(req(server, 1, { taskId: 'abc-1', title: 'fix #{pane_id} #(touch /tmp/pc-injected) $HOME' }));
    expect(await server.client.display(o.paneId, '#{@panecrew_task}')).toBe('abc-1');
    expect(await server.client.display(o.paneId, '#{pane_title}')).toBe('abc-1 claude fix #{pane_id} #(touch /tmp/pc-injected) $HOME');
    const tagged = await pm.listTagged();
    expect(tagged).toEqual([{ paneId: o.paneId, taskId: 'abc-1', pid: o.pid, dead: false, windowId: server.mainWindow }]);
  });

  it('runs the command as argv, without a shell', async () => {
    server = await startTmuxServer();
    const pm = manager(server);
    // The process stays alive after printing: tmux may drop the last bytes of one that exits at once
    // (see ARCHITECTURE, tmux behaviours), which made this test flaky under load. The arguments
    // after the fixed script are data: no shell evaluates them.
    const args = ['a  b', '$HOME;echo x', '*'];
    const o = await pm.open(req(server, 1, { command: ['bash', '-c', 'printf "<%s>\\n" "$@"; exec sleep 60', 'panecrew-test', ...args] }));
    const text = await until('the output', async () => {
      const t = await server!.client.run(['capture-pane', '-p', '-S', '-', '-t', o.paneId]);
      return t.includes('<*>') && t;
    });
    expect(text).toContain('<a  b>');
    expect(text).toContain('<$HOME;echo x>');
  });

  it('remain-on-exit keeps the pane of a command that exits at once', async () => {
    server = await startTmuxServer();
    const pm = manager(server);
    const o = await pm.open(req(server, 1, { command: ['true'] }));
    await until('the pane to show its command ended', async () => (await server!.client.display(o.paneId, '#{pane_dead}')) === '1');
  });

  const layouts = ['main-vertical', 'main-horizontal', 'tiled', 'even-horizontal', 'even-vertical', 'right-column', 'bottom-grid'] as const;
  for (const layout of layouts) {
    it(`${layout}: the main pane keeps its planned size and every agent pane its minimum`, async () => {
      server = await startTmuxServer({ width: 240, height: 60 });
      const over: TmuxOptionsInput = { layout, main_pane_min_width: layout.startsWith('even') || layout === 'tiled' ? 70 : 120 };
      const options = TmuxOptionsSchema.parse(over);
      const pm = new PaneManager(server.client, options);
      const agents = 2;
      for (let i = 1; i <= agents; i++) expect((await pm.open(req(server, i))).placement).toBe('pane');
      const plan = planLayout(
        { width: 240, height: 60, hasMain: true, agents, labels: true },
        { layout: await loadLayout(layout), mainPaneSize: 60, mainPaneMinWidth: options.main_pane_min_width, agentPaneMinWidth: 40, agentPaneMinHeight: 8 },
      );
      if (!plan.fits) throw new Error(plan.reason);
      const geo = await geometry(server.client, server.mainWindow);
      expect(geo.map((g) => `${g.w}x${g.h}@${g.x},${g.y}`)).toEqual(plan.panes.map((p) => `${p.w}x${p.h}@${p.x},${p.y}`));
      expect(geo[0]!.paneId).toBe(server.mainPane);
      expect(geo[0]!.w).toBeGreaterThanOrEqual(options.main_pane_min_width);
      for (const g of geo.slice(1)) {
        expect(g.w).toBeGreaterThanOrEqual(40);
        expect(g.h).toBeGreaterThanOrEqual(8);
      }
    });
  }

  it('re-applies main-vertical when the window is resized (window-resized hook)', async () => {
    server = await startTmuxServer({ width: 240, height: 60 });
    const pm = manager(server);
    await pm.open(req(server, 1));
    await pm.open(req(server, 2));
    await server.client.run(['resize-window', '-t', server.mainWindow, '-x', '220', '-y', '50']);
    const geo = await until('main pane at 60% of 220 columns', async () => {
      const g = await geometry(server!.client, server!.mainWindow);
      return g[0]!.w === 131 && g;
    });
    expect(geo.map((g) => `${g.w}x${g.h}@${g.x},${g.y}`)).toEqual(['131x49@0,1', '88x24@132,1', '88x24@132,26']);
  });

  it('wakes the resize waiter a SIGKILLed controller left behind, which would take the next resize', async () => {
    server = await startTmuxServer({ width: 240, height: 60 });
    const stale = server.client.waitFor(RESIZE_CHANNEL);
    await manager(server).open(req(server, 1));
    // A deadline, not a pause: the waiter ends as soon as it is woken.
    const deadline = new Promise((resolve) => setTimeout(resolve, 10_000, 'still waiting'));
    const outcome = await Promise.race([stale.done.then(() => 'woken'), deadline]);
    stale.cancel();
    expect(outcome).toBe('woken');
  });

  it('never touches a window of another session on the same server', async () => {
    server = await startTmuxServer({ width: 240, height: 60 });
    const c = server.client;
    const otherWin = await c.run(['new-session', '-d', '-s', 'other', '-x', '200', '-y', '50', '-P', '-F', '#{window_id}', '--', 'sleep', '600']);
    await c.run(['split-window', '-d', '-h', '-t', otherWin, '--', 'sleep', '600']);
    const otherBefore = await geometry(c, otherWin);
    const activeBefore = await c.run(['display-message', '-p', '-t', otherWin, '#{pane_id}']);
    const pm = manager(server, { close_delay_ms: 0 });
    const a = await pm.open(req(server, 1));
    await pm.open(req(server, 2));
    await pm.kill(a.paneId);
    await pm.relayout(server.mainWindow);
    expect(await geometry(c, otherWin)).toEqual(otherBefore);
    expect(await c.run(['display-message', '-p', '-t', otherWin, '#{pane_id}'])).toBe(activeBefore);
    expect(await c.run(['show-hooks', '-w', '-t', otherWin])).not.toContain('select-layout');
  });

  it('opens a window of its own when asked, without selecting it', async () => {
    server = await startTmuxServer();
    const pm = manager(server);
    const before = await active(server);
    const o = await pm.open(req(server, 1, { requested: 'window' }));
    expect(o.placement).toBe('window');
    expect(o.windowId).not.toBe(server.mainWindow);
    expect(await active(server)).toBe(before);
  });

  it('creates the detached session when launched outside tmux', async () => {
    server = await startTmuxServer();
    const pm = manager(server, { session: 'crew' });
    const o = await pm.open(req(server, 1, { mainPane: undefined }));
    const session = await server.client.display(o.paneId, '#{session_name}');
    expect(session).toBe('crew');
    const again = await pm.open(req(server, 2, { mainPane: undefined }));
    expect(again.windowId).toBe(o.windowId);
    expect((await geometry(server.client, o.windowId)).length).toBe(3);
  });
});
