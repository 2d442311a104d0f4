// A stopped or hung tmux server must fail one call, not wedge the pane manager: every operation of a
// server goes through one chain, so a call that never returns would hold up every later one.
import { afterEach, describe, expect, it } from 'vitest';
import { TmuxError } from '../../src/tmux/client.js';
import { PaneManager, type OpenPaneRequest } from '../../src/tmux/pane-manager.js';
import { TmuxOptionsSchema } from '../../src/tmux/options.js';
import { startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';

let server: TestTmuxServer | undefined;
let stoppedPid: number | undefined;
afterEach(async () => {
  if (stoppedPid) process.kill(stoppedPid, 'SIGCONT');
  stoppedPid = undefined;
  await server?.kill();
  server = undefined;
});

function req(s: TestTmuxServer, n: number): OpenPaneRequest {
  return { taskId: `t${n}`, title: `task ${n}`, agent: 'shell', command: ['sleep', '60'], cwd: '/tmp', mainPane: s.mainPane, requested: 'pane' };
}

/** Settles with the promise, or rejects when it has not settled within `ms` (the hang this test is about). */
function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms}ms`)), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

describe('tmux command deadline', () => {
  it('a call to a stopped server fails with a timeout TmuxError, and the next operation runs once the server is back', async () => {
    server = await startTmuxServer();
    const pm = new PaneManager(server.client, TmuxOptionsSchema.parse({ command_timeout_ms: '800ms' }));
    const first = await pm.open(req(server, 1));
    stoppedPid = Number(await server.client.display(server.mainPane, '#{pid}'));
    process.kill(stoppedPid, 'SIGSTOP');

    const started = Date.now();
    const err = await within(15_000, 'focus on a stopped server', pm.focus(first.paneId)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TmuxError);
    expect((err as TmuxError).isTimeout).toBe(true);
    expect((err as TmuxError).message).toMatch(/timed out after 800ms.*command_timeout_ms/);
    expect(Date.now() - started).toBeLessThan(15_000);

    process.kill(stoppedPid, 'SIGCONT');
    stoppedPid = undefined;
    const second = await within(15_000, 'open after the server came back', pm.open(req(server, 2)));
    expect(second.placement).toBe('pane');
    expect((await pm.listTagged()).map((p) => p.taskId).sort()).toEqual(['t1', 't2']);
  });
});
