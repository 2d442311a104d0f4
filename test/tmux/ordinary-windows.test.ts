// Ordinary windows (100x30, 200x50), resized both ways: agents are seen beside the main pane when
// they can be, the minimums hold after a resize, panes come back as soon as the window grows, agent
// panes carry labels, and the main pane is not resized by agent churn.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PaneManager, type OpenPaneRequest } from '../../src/tmux/pane-manager.js';
import { endTest, geometry, paneManager, startTmuxServer, until, type TestTmuxServer } from '../support/tmux-server.js';

let server: TestTmuxServer | undefined;
let pm: PaneManager | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await endTest(pm, server, dirs);
  server = pm = undefined;
});

function manager(s: TestTmuxServer): PaneManager {
  pm = paneManager(s);
  return pm;
}

function req(s: TestTmuxServer, n: number, title = `task ${n}`): OpenPaneRequest {
  return { taskId: `t${n}`, title, agent: 'shell', command: ['sleep', '60'], cwd: '/tmp', mainPane: s.mainPane, requested: 'pane' };
}

const boxes = async (s: TestTmuxServer) => (await geometry(s.client, s.mainWindow)).map((g) => `${g.paneId} ${g.w}x${g.h}`);

describe('a 100x30 window', () => {
  it('shows agents below the main pane (main-horizontal), and says why one more goes to the overflow window', async () => {
    server = await startTmuxServer({ width: 100, height: 30 });
    const p = manager(server);
    const times: number[] = [];
    const opened = [];
    for (let i = 1; i <= 3; i++) {
      const t0 = Date.now();
      opened.push(await p.open(req(server, i)));
      times.push(Date.now() - t0);
    }
    console.log(`open on 100x30: ${times.join(', ')} ms`);
    expect(opened.map((o) => o.placement)).toEqual(['pane', 'pane', 'overflow']);
    expect(opened[0]!.overflowReason).toBeUndefined();
    expect(opened[2]!.overflowReason).toMatch(/no room beside the main pane .*agent_pane_min_width 40/);
    // Main pane: the whole width, 60% of the 29 rows below the labels; agents at least 40x8.
    expect(await boxes(server)).toEqual([`${server.mainPane} 100x16`, `${opened[0]!.paneId} 49x12`, `${opened[1]!.paneId} 50x12`]);
  });
});

describe('resizing the window', () => {
  it('moves agents to the overflow window when it shrinks below the minimums, and brings them back at once when it grows', async () => {
    server = await startTmuxServer({ width: 200, height: 50 });
    const p = manager(server);
    const moves: string[] = [];
    p.onPlacement((m) => moves.push(`${m.taskId} ${m.placement}${m.reason ? `: ${m.reason}` : ''}`));
    const opened = [];
    for (let i = 1; i <= 4; i++) opened.push(await p.open(req(server, i)));
    expect(opened.map((o) => o.placement)).toEqual(['pane', 'pane', 'pane', 'pane']);
    const c = server.client;

    await c.run(['resize-window', '-t', server.mainWindow, '-x', '100', '-y', '30']);
    const fitting = [`${server.mainPane} 100x16`, `${opened[0]!.paneId} 49x12`, `${opened[1]!.paneId} 50x12`];
    await until('agents over the minimums moved out', async () => JSON.stringify(await boxes(server!)) === JSON.stringify(fitting));
    for (const moved of [opened[2]!, opened[3]!]) expect(await c.display(moved.paneId, '#{@panecrew_overflow}')).toBe('1');
    // The controller is told, so that status can say where each task is and why.
    expect(moves).toHaveLength(2);
    expect(moves[0]).toMatch(/^t4 overflow: .*agent_pane_min_width 40/);
    expect(moves[1]).toMatch(/^t3 overflow: .*agent_pane_min_width 40/);

    const grownAt = Date.now();
    await c.run(['resize-window', '-t', server.mainWindow, '-x', '200', '-y', '50']);
    const all = [`${server.mainPane} 120x49`, ...opened.map((o, i) => `${o.paneId} 79x${i === 3 ? 13 : 11}`)];
    await until('overflow panes back beside the main pane', async () => JSON.stringify(await boxes(server!)) === JSON.stringify(all));
    console.log(`promotion after grow: ${Date.now() - grownAt} ms`);
    expect(moves.slice(2)).toEqual(['t3 pane', 't4 pane']);
    expect(await c.run(['list-windows', '-t', server.mainWindow, '-F', '#{window_name}'])).not.toContain('panecrew-overflow');
  });

  it('gives a window too small for any agent back to the main pane, and the agent back when it grows', async () => {
    server = await startTmuxServer({ width: 200, height: 50 });
    const p = manager(server);
    const a = await p.open(req(server, 1));
    await server.client.run(['resize-window', '-t', server.mainWindow, '-x', '100', '-y', '15']);
    await until('the main pane alone, without the label row', async () => (await boxes(server!)).join() === `${server!.mainPane} 100x15`);
    await server.client.run(['resize-window', '-t', server.mainWindow, '-x', '200', '-y', '50']);
    await until('the agent back', async () => (await boxes(server!)).join() === `${server!.mainPane} 120x49,${a.paneId} 79x49`);
  });

  it('still brings overflow panes back after a second shrink with no agent beside the main pane', async () => {
    server = await startTmuxServer({ width: 200, height: 50 });
    const p = manager(server);
    const a = await p.open(req(server, 1));
    await server.client.run(['resize-window', '-t', server.mainWindow, '-x', '100', '-y', '15']);
    await until('the main pane alone', async () => (await boxes(server!)).join() === `${server!.mainPane} 100x15`);
    await server.client.run(['resize-window', '-t', server.mainWindow, '-x', '90', '-y', '14']);
    await until('the main pane alone, smaller', async () => (await boxes(server!)).join() === `${server!.mainPane} 90x14`);
    await p.relayout(server.mainWindow);
    expect(await server.client.run(['show-hooks', '-w', '-t', server.mainWindow])).toContain('window-resized');
    await server.client.run(['resize-window', '-t', server.mainWindow, '-x', '200', '-y', '50']);
    await until('the agent back', async () => (await boxes(server!)).join() === `${server!.mainPane} 120x49,${a.paneId} 79x49`);
  });
});

describe('labels', () => {
  it('shows id, agent, title and state in the border of agent panes, literally, and gives the window its own settings back', async () => {
    server = await startTmuxServer({ width: 200, height: 50 });
    const c = server.client;
    await c.run(['set-option', '-w', '-t', server.mainWindow, 'pane-border-format', 'mine']);
    const p = manager(server);
    const a = await p.open(req(server, 1, 'fix #{pane_id} #(touch /tmp/pc-label) #[fg=red]x'));
    const label = (pane: string) => c.display(pane, '#{E:pane-border-format}');
    expect(await c.display(server.mainWindow, '#{pane-border-status}')).toBe('top');
    // As drawn: `##` is shown as `#`, so the title reads literally.
    expect(await label(a.paneId)).toBe(' t1 shell fix ##{pane_id} ##(touch /tmp/pc-label) ##[fg=red]x ');
    await p.finish(a.paneId, { banner: ['done'], keep: true, taskId: 't1', state: 'completed · exit 0' });
    expect(await label(a.paneId)).toBe(' t1 shell fix ##{pane_id} ##(touch /tmp/pc-label) ##[fg=red]x · completed · exit 0 ');
    await p.finish(a.paneId, { banner: ['done'], keep: true, taskId: 'someone-else', state: 'error' });
    expect(await label(a.paneId)).toContain('completed');

    await p.kill(a.paneId);
    expect(await c.run(['show-options', '-wqv', '-t', server.mainWindow, 'pane-border-format'])).toBe('mine');
    expect(await c.run(['show-options', '-wqv', '-t', server.mainWindow, 'pane-border-status'])).toBe('');
    expect((await geometry(c, server.mainWindow))[0]).toMatchObject({ w: 200, h: 50 });
  });
});

describe('the main pane while agents come and go', () => {
  for (const [width, height, agents] of [[200, 50, 4], [100, 30, 2]] as const) {
    it(`keeps its size in a ${width}x${height} window from the first agent to the last`, async () => {
      server = await startTmuxServer({ width, height });
      const c = server.client;
      // The main pane records every size its program is told (SIGWINCH), as a TUI would reflow.
      const dir = mkdtempSync(join(tmpdir(), 'pc-winch-'));
      dirs.push(dir);
      const log = join(dir, 'sizes');
      await c.run(['respawn-pane', '-k', '-t', server.mainPane, '--', 'bash', '-c', `trap 'stty size >> ${log}' WINCH; : > ${log}; while :; do sleep 0.05 & wait $!; done`]);
      await until('the recorder', async () => readFileSync(log, 'utf8') === '');
      const sizes = () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
      const p = manager(server);
      const opened = [];
      for (let i = 1; i <= agents; i++) opened.push(await p.open(req(server, i)));
      expect(opened.every((o) => o.placement === 'pane')).toBe(true);
      const main = (await geometry(c, server.mainWindow))[0]!;
      await until('the first resize recorded', async () => sizes().length > 0);
      for (const o of opened.slice(1).reverse()) {
        await p.kill(o.paneId);
        expect((await geometry(c, server.mainWindow))[0]).toMatchObject({ w: main.w, h: main.h });
      }
      await p.kill(opened[0]!.paneId);
      await until('the whole window back', async () => sizes().at(-1) === `${height} ${width}`);
      // One size while agents were there (the first split went straight to it), then the window back.
      expect(sizes()).toEqual([`${main.h} ${main.w}`, `${height} ${width}`]);
    });
  }
});
