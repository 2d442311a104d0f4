// Each tmux call is a round trip, and a client process (~10 ms on a busy machine) unless the control
// connection carries it: opening and closing an agent pane must stay at the few calls they need
// (issue 16), whatever the window holds, and once the connection is up they start no process.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TmuxClient } from '../../src/tmux/client.js';
import { TmuxOptionsSchema } from '../../src/tmux/options.js';
import { PaneManager, type OpenPaneRequest } from '../../src/tmux/pane-manager.js';
import { endTest, geometry, startTmuxServer, until, type TestTmuxServer } from '../support/tmux-server.js';

let server: TestTmuxServer | undefined;
let pm: PaneManager | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await endTest(pm, server, dirs);
  server = pm = undefined;
});

/**
 * A pane manager whose tmux calls are logged, one line each: "spawn ARGS" for a client process (the
 * resize watch's wait-for left out), "control LINE" for a line sent over the control connection.
 */
function countingManager(s: TestTmuxServer, over: Record<string, unknown> = {}): { pm: PaneManager; calls: () => string[]; client: TmuxClient } {
  const dir = mkdtempSync(join(tmpdir(), 'pc-calls-'));
  dirs.push(dir);
  const log = join(dir, 'calls');
  writeFileSync(log, '');
  const bin = join(dir, 'tmux');
  // The command follows the server's -L NAME (and -u): arguments 3 or 4. The control client's
  // stdin is copied to the log; its markers (one per line, control.ts) are not calls.
  const control = `[ "$4" = -C ] && { tee -a '${log}.control' | tmux "$@"; exit; }`;
  writeFileSync(bin, `#!/bin/sh\n${control}\n[ "$3" = wait-for ] || [ "$4" = wait-for ] || echo "spawn $*" >> '${log}'\nexec tmux "$@"\n`);
  chmodSync(bin, 0o755);
  const client = new TmuxClient({ socketName: s.socketName }, { bin });
  pm = new PaneManager(client, TmuxOptionsSchema.parse(over));
  const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  return {
    pm,
    client,
    calls: () => [...lines(log), ...lines(`${log}.control`).filter((l) => !l.startsWith('display-message -p panecrew-done-')).map((l) => `control ${l}`)],
  };
}

function req(s: TestTmuxServer, n: number): OpenPaneRequest {
  return { taskId: `t${n}`, title: `task ${n}`, agent: 'shell', command: ['sleep', '60'], cwd: '/tmp', mainPane: s.mainPane, requested: 'pane', state: 'running' };
}

describe('tmux calls per pane', () => {
  it('opens an agent pane in two calls and closes it in two, with the person’s pane-base-index', async () => {
    server = await startTmuxServer({ width: 240, height: 60 });
    await server.client.run(['set-option', '-g', 'pane-base-index', '1']);
    const { pm: p, calls: all, client } = countingManager(server, { close_delay_ms: 0 });
    // The manager's first use wakes its own resize watch once (resize-watch.ts), which lays out
    // every managed window: none yet, so one snapshot. Counted from there on.
    await p.tidyLeftovers(() => true);
    await until('the first wake of the resize watch', async () => all().filter((c) => c.includes('list-windows')).length === 1);
    const skip = all().length;
    const calls = () => all().slice(skip);
    const a = await p.open(req(server, 1));
    expect(calls()).toHaveLength(2);
    // The first open attached the control connection: from there on, no tmux process per call.
    await until('the control connection attached', async () => client.controlAttached);
    const b = await p.open(req(server, 2));
    expect(calls()).toHaveLength(4);
    expect(calls().slice(2).every((c) => c.startsWith('control '))).toBe(true);
    expect((await geometry(server.client, server.mainWindow)).map((g) => g.paneId)).toEqual([server.mainPane, a.paneId, b.paneId]);
    for (const [o, task] of [[a, 't1'], [b, 't2']] as const) {
      expect(await server.client.display(o.paneId, '#{@panecrew_task} #{@panecrew_state} #{pane_pid}')).toBe(`${task} running ${o.pid}`);
    }
    await p.finish(b.paneId, { banner: ['done'], keep: false, taskId: 't2', state: 'completed' });
    expect(calls()).toHaveLength(6);
    expect((await geometry(server.client, server.mainWindow)).map((g) => g.paneId)).toEqual([server.mainPane, a.paneId]);
  });

  it('with control_idle_ms 0, never attaches: every call is a tmux process of its own', async () => {
    server = await startTmuxServer({ width: 240, height: 60 });
    const { pm: p, calls } = countingManager(server, { close_delay_ms: 0, control_idle_ms: 0 });
    const a = await p.open(req(server, 1));
    const b = await p.open(req(server, 2));
    await p.finish(b.paneId, { banner: ['done'], keep: false, taskId: 't2', state: 'completed' });
    expect(calls().filter((c) => c.startsWith('control '))).toEqual([]);
    expect(calls().length).toBeGreaterThanOrEqual(6);
    expect(await server.client.run(['list-clients', '-F', '#{client_control_mode}'])).toBe('');
    expect(await server.client.display(a.paneId, '#{@panecrew_task}')).toBe('t1');
  });
});
