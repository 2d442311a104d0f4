// Nothing panecrew opens outlives its use: a close pending at shutdown happens at shutdown, and a
// restarted controller closes the panes its predecessor left behind (except those kept on purpose).
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenPaneRequest } from '../../src/tmux/pane-manager.js';
import { geometry, startTmuxServer, type TestTmuxServer, paneManager } from '../support/tmux-server.js';

let server: TestTmuxServer | undefined;
afterEach(async () => {
  await server?.kill();
  server = undefined;
});

const manager = paneManager;

function req(s: TestTmuxServer, n: number): OpenPaneRequest {
  return { taskId: `t${n}`, title: `task ${n}`, agent: 'shell', command: ['sleep', '60'], cwd: '/tmp', mainPane: s.mainPane, requested: 'pane' };
}

async function allPanes(s: TestTmuxServer): Promise<string[]> {
  return (await s.client.run(['list-panes', '-a', '-F', '#{pane_id}'])).split('\n');
}

describe('dispose', () => {
  it('closes a finished pane whose close was still pending, instead of leaving its banner running', async () => {
    server = await startTmuxServer({ width: 200, height: 50 });
    const pm = manager(server, { close_delay_ms: '60s' });
    const a = await pm.open(req(server, 1));
    await pm.finish(a.paneId, { banner: ['== t1 completed =='], keep: false, taskId: 't1' });
    expect(await allPanes(server)).toContain(a.paneId);
    await pm.dispose();
    expect(await allPanes(server)).toEqual([server.mainPane]);
    expect((await geometry(server.client, server.mainWindow))[0]!.w).toBe(200);
  });
});

describe('tidyLeftovers after a restart', () => {
  it('closes the panes of tasks that are no longer active, keeps kept and active ones, and promotes into the room', async () => {
    // 200x30 holds three agent panes beside the main pane; the fourth goes to the overflow window.
    server = await startTmuxServer({ width: 200, height: 30 });
    const before = manager(server, { close_delay_ms: '60s' });
    const panes = [];
    for (let i = 1; i <= 4; i++) panes.push(await before.open(req(server, i)));
    expect(panes.map((p) => p.placement)).toEqual(['pane', 'pane', 'pane', 'overflow']);
    // t1 ended and its close was pending when the controller died; t2 failed and was kept.
    await before.finish(panes[0]!.paneId, { banner: ['== t1 completed =='], keep: false, taskId: 't1' });
    await before.finish(panes[1]!.paneId, { banner: ['== t2 error =='], keep: true, taskId: 't2' });

    const after = manager(server);
    const closed = await after.tidyLeftovers((id) => id === 't3' || id === 't4');
    expect(closed).toEqual([panes[0]!.paneId]);
    const ids = (await geometry(server.client, server.mainWindow)).map((g) => g.paneId);
    expect(ids).toEqual([server.mainPane, panes[1]!.paneId, panes[2]!.paneId, panes[3]!.paneId]);
    expect(await after.tidyLeftovers((id) => id === 't3' || id === 't4')).toEqual([]);
  });
});
