import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PaneManager, type OpenPaneRequest } from '../../src/tmux/pane-manager.js';
import type { TmuxOptionsInput } from '../../src/tmux/options.js';
import { geometry, startTmuxServer, until, type TestTmuxServer, paneManager } from '../support/tmux-server.js';

let server: TestTmuxServer | undefined;
let pm: PaneManager | undefined;
afterEach(async () => {
  await pm?.dispose(0);
  await server?.kill();
  server = undefined;
});

function manager(s: TestTmuxServer, over: TmuxOptionsInput = {}): PaneManager {
  pm = paneManager(s, over);
  return pm;
}

function req(s: TestTmuxServer, n: number, over: Partial<OpenPaneRequest> = {}): OpenPaneRequest {
  return { taskId: `t${n}`, title: `task ${n}`, agent: 'claude', command: ['sleep', '60'], cwd: '/tmp', mainPane: s.mainPane, requested: 'pane', ...over };
}

async function paneIds(s: TestTmuxServer, windowId: string): Promise<string[]> {
  return (await geometry(s.client, windowId)).map((g) => g.paneId);
}

// 200x30 under main-vertical: the main pane takes 120 columns (main_pane_min_width), agents
// 79 columns; the 29 rows below the labels hold three agent panes of at least 8 rows (3*8 + 2
// borders = 26), not four.
describe('overflow window', () => {
  it('sends panes that do not fit to the overflow window, tiled, without focus', async () => {
    server = await startTmuxServer({ width: 200, height: 30 });
    const p = manager(server);
    const before = await server.client.run(['display-message', '-p', '-t', 'main', '#{window_id} #{pane_id}']);
    const opened = [];
    for (let i = 1; i <= 5; i++) opened.push(await p.open(req(server, i)));
    expect(opened.map((o) => o.placement)).toEqual(['pane', 'pane', 'pane', 'overflow', 'overflow']);
    const overflowWin = opened[3]!.windowId;
    expect(opened[4]!.windowId).toBe(overflowWin);
    expect(await server.client.display(overflowWin, '#{window_name}')).toBe('panecrew-overflow');
    expect(await paneIds(server, overflowWin)).toEqual([opened[3]!.paneId, opened[4]!.paneId]);
    expect(await server.client.run(['display-message', '-p', '-t', 'main', '#{window_id} #{pane_id}'])).toBe(before);
    const geo = await geometry(server.client, server.mainWindow);
    expect(geo[0]).toMatchObject({ paneId: server.mainPane, w: 120, h: 29 });
    for (const g of geo.slice(1)) {
      expect(g.w).toBeGreaterThanOrEqual(40);
      expect(g.h).toBeGreaterThanOrEqual(8);
    }
  });

  it('promotes the oldest overflow pane when a visible one is killed', async () => {
    server = await startTmuxServer({ width: 200, height: 30 });
    const p = manager(server);
    const opened = [];
    for (let i = 1; i <= 5; i++) opened.push(await p.open(req(server, i)));
    await p.kill(opened[0]!.paneId);
    expect(await paneIds(server, server.mainWindow)).toEqual([server.mainPane, opened[1]!.paneId, opened[2]!.paneId, opened[3]!.paneId]);
    expect(await paneIds(server, opened[4]!.windowId)).toEqual([opened[4]!.paneId]);
    await p.kill(opened[1]!.paneId);
    expect(await paneIds(server, server.mainWindow)).toEqual([server.mainPane, opened[2]!.paneId, opened[3]!.paneId, opened[4]!.paneId]);
    // the emptied overflow window is gone
    const windows = await server.client.run(['list-windows', '-t', 'main', '-F', '#{window_name}']);
    expect(windows).not.toContain('panecrew-overflow');
  });

  it('focus brings an overflow pane into the main window, swapping out the oldest visible one', async () => {
    server = await startTmuxServer({ width: 200, height: 30 });
    const p = manager(server);
    const opened = [];
    for (let i = 1; i <= 4; i++) opened.push(await p.open(req(server, i)));
    const moves: string[] = [];
    p.onPlacement((m) => moves.push(`${m.taskId} ${m.placement} ${m.windowId}`));
    await p.focus(opened[3]!.paneId);
    expect(moves).toEqual([`t4 pane ${server.mainWindow}`, `t1 overflow ${opened[3]!.windowId}`]);
    expect(await paneIds(server, server.mainWindow)).toEqual([server.mainPane, opened[3]!.paneId, opened[1]!.paneId, opened[2]!.paneId]);
    expect(await server.client.display(opened[0]!.paneId, '#{@panecrew_overflow}')).toBe('1');
    expect(await server.client.run(['display-message', '-p', '-t', 'main', '#{pane_id}'])).toBe(opened[3]!.paneId);
  });

  it('moves the newest agent panes out when the window shrinks below what they need', async () => {
    server = await startTmuxServer({ width: 200, height: 30 });
    const p = manager(server);
    const opened = [];
    for (let i = 1; i <= 3; i++) opened.push(await p.open(req(server, i)));
    await server.client.run(['resize-window', '-t', server.mainWindow, '-x', '200', '-y', '20']);
    await p.relayout(server.mainWindow);
    // 20 rows hold two agent panes of 8 rows (8+1+8 = 17), not three
    expect(await paneIds(server, server.mainWindow)).toEqual([server.mainPane, opened[0]!.paneId, opened[1]!.paneId]);
    expect(await server.client.display(opened[2]!.paneId, '#{@panecrew_overflow}')).toBe('1');
  });
});

describe('finish', () => {
  it('shows the banner under the last output, then closes after the delay and closes the layout up', async () => {
    server = await startTmuxServer({ width: 240, height: 60 });
    const p = manager(server, { close_delay_ms: '300ms' });
    // The agent exits once its output is on the screen: tmux can lose the output of a command that
    // exits at once (CI at load 4 saw a dead pane that never showed it).
    const gate = join(mkdtempSync(join(tmpdir(), 'panecrew-banner-')), 'exit');
    const a = await p.open(req(server, 1, { command: ['sh', '-c', 'echo agent says hello; while [ ! -e "$0" ]; do sleep 0.05; done', gate] }));
    const b = await p.open(req(server, 2));
    await until('the output drawn', async () => (await server!.client.run(['capture-pane', '-p', '-t', a.paneId])).includes('agent says hello'));
    writeFileSync(gate, '');
    await until('the agent exited', async () => (await server!.client.display(a.paneId, '#{pane_dead}')) === '1');
    rmSync(dirname(gate), { recursive: true, force: true });
    const started = Date.now();
    await p.finish(a.paneId, { banner: ['== t1 completed · exit 0 · 1.2s =='], keep: false });
    const screen = await until('the banner', async () => {
      const t = await server!.client.run(['capture-pane', '-p', '-t', a.paneId]).catch(() => '');
      return t.includes('completed') && t;
    });
    expect(screen, screen).toContain("agent says hello");
    expect(screen.indexOf('agent says hello')).toBeLessThan(screen.indexOf('== t1 completed'));
    expect(screen).not.toContain('Pane is dead');
    await until('the pane closed', async () => !(await paneIds(server!, server!.mainWindow)).includes(a.paneId));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const geo = await geometry(server.client, server.mainWindow);
    expect(geo.map((g) => `${g.paneId} ${g.w}x${g.h}`)).toEqual([`${server.mainPane} 143x59`, `${b.paneId} 96x59`]);
  });

  it('keeps the pane when asked, stopping a still-running agent', async () => {
    server = await startTmuxServer();
    const p = manager(server, { close_delay_ms: 0 });
    const a = await p.open(req(server, 1, { command: ['sh', '-c', 'echo still running; exec sleep 60'] }));
    await until('output', async () => (await server!.client.run(['capture-pane', '-p', '-t', a.paneId])).includes('still running'));
    await p.finish(a.paneId, { banner: ['== t1 error =='], keep: true });
    await until('the banner', async () => (await server!.client.run(['capture-pane', '-p', '-t', a.paneId])).includes('== t1 error =='));
    expect(await server.client.run(['capture-pane', '-p', '-t', a.paneId])).toContain('still running');
    // The agent is gone; the pane now runs the banner script and stays until closed by hand.
    expect((await p.listTagged()).map((t) => t.paneId)).toEqual([a.paneId]);
    expect(await server.client.display(a.paneId, '#{pane_start_command}')).toContain('panecrew-banner');
  });

  it('shows the tail of the output file when one is given', async () => {
    server = await startTmuxServer();
    const p = manager(server, { close_delay_ms: '60s' });
    const dir = mkdtempSync(join(tmpdir(), 'pc-banner-'));
    const file = join(dir, 'output.log');
    writeFileSync(file, Array.from({ length: 200 }, (_, i) => `output line ${i}`).join('\n') + '\n');
    const a = await p.open(req(server, 1, { command: ['true'] }));
    await p.finish(a.paneId, { banner: ['== t1 completed =='], keep: false, outputFile: file });
    const screen = await until('the banner', async () => {
      const t = await server!.client.run(['capture-pane', '-p', '-t', a.paneId]);
      return t.includes('== t1 completed ==') && t;
    });
    expect(screen).toContain('output line 199');
    expect(screen.indexOf('output line 199')).toBeLessThan(screen.indexOf('== t1 completed =='));
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('stale pane ids', () => {
  it('finish and kill leave alone a pane that now belongs to another task', async () => {
    server = await startTmuxServer();
    const p = manager(server, { close_delay_ms: 0 });
    const a = await p.open(req(server, 1, { command: ['sh', '-c', 'echo mine; exec sleep 60'] }));
    await p.finish(a.paneId, { banner: ['== not yours =='], keep: false, taskId: 'bg_someone' });
    await p.kill(a.paneId, 'bg_someone');
    expect(await paneIds(server, server.mainWindow)).toContain(a.paneId);
    expect(await server.client.run(['capture-pane', '-p', '-t', a.paneId])).not.toContain('not yours');
  });
});
