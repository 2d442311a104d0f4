// A task waits in the queue; meanwhile the tmux server it was launched from dies. When it starts it
// runs somewhere else — the detached `panecrew` session of the controller's own tmux server, or
// headless when that cannot host it either — and its placement note says why.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { whereItRuns } from '../../src/mcp/render.js';
import { TmuxClient } from '../../src/tmux/client.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { paneEnv, startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';

let tc: TestController | undefined;
let origin: TestTmuxServer | undefined;
let tmuxTmp: string | undefined;
afterEach(async () => {
  await tc?.stop();
  await origin?.kill();
  if (tmuxTmp) {
    await execa('tmux', ['-S', defaultSocket(tmuxTmp), 'kill-server'], { reject: false });
    rmSync(tmuxTmp, { recursive: true, force: true });
  }
  tc = origin = tmuxTmp = undefined;
});

const CONFIG = testConfig({ tmux: { enabled: true, close_delay_ms: '60s', main_pane_min_width: 100 } });

/** The controller's default tmux server, private to the test through TMUX_TMPDIR. */
function defaultSocket(tmp: string): string {
  return join(tmp, `tmux-${process.getuid!()}`, 'default');
}

/** Launches a task from the origin's main pane that waits for a headless blocker, then kills the origin. */
async function launchThenKillOrigin(controllerEnv: NodeJS.ProcessEnv): Promise<ListedTask> {
  origin = await startTmuxServer();
  tc = await startTestController(CONFIG, controllerEnv);
  const go = join(tc.dir, 'go');
  const blocker = await tc.launch(['--agent', 'shell', '--placement', 'headless', '--prompt', `while [ ! -e ${go} ]; do sleep 0.05; done`]);
  const fromPane = await paneEnv(origin);
  const r = await tc.cli(['launch', '--json', '--agent', 'shell', '--after', blocker.id, '--prompt', 'echo ran-after-its-server-died'], { env: fromPane });
  expect(r.exitCode, String(r.stderr)).toBe(0);
  const task = JSON.parse(String(r.stdout)) as ListedTask;
  expect(task.state).toBe('pending');
  await origin.kill();
  writeFileSync(go, '');
  return task;
}

describe('a task whose launching tmux server died while it waited', () => {
  it("runs in the controller's detached panecrew session, and says why", async () => {
    tmuxTmp = mkdtempSync(join(tmpdir(), 'panecrew-tmuxtmp-'));
    const task = await launchThenKillOrigin({ TMUX_TMPDIR: tmuxTmp });
    const ended = await tc!.waitFinal(task.id);
    expect(ended.state, ended.reason ?? '').toBe('completed');
    expect(ended.placement).not.toBe('headless');
    expect(ended.placementNote).toMatch(/the tmux server it was launched from \(.+\) is gone/);
    expect(ended.placementNote).toMatch(/detached "panecrew" session/);
    const own = new TmuxClient({ socketPath: defaultSocket(tmuxTmp) });
    const panes = await own.run(['list-panes', '-a', '-F', '#{session_name} #{@panecrew_task}']);
    expect(panes.split('\n')).toContain(`panecrew ${task.id}`);
    // Its ending is shown there too: later pane operations go to the server it went to.
    await until(async () => (await own.run(['capture-pane', '-p', '-t', ended.paneId!])).includes(`panecrew ${task.id}: completed`), 'the banner in the pane');
    // What people and the main agent read: not "beside" a pane of a server that is gone.
    expect(String((await tc!.cli(['status', task.id])).stdout)).toContain(`placed there because ${ended.placementNote}`);
    expect(whereItRuns(ended)).not.toContain('beside');
    expect(whereItRuns(ended)).toContain("panecrew's detached tmux session");
    expect(String((await tc!.cli(['output', task.id])).stdout)).toContain('ran-after-its-server-died');
  });

  it('runs headless when the controller has no tmux server to use either, and says why', async () => {
    // The controller runs inside a tmux whose socket cannot be: no server of its own to use.
    const task = await launchThenKillOrigin({ TMUX: '/nonexistent/panecrew-test/tmux.sock,1,0', TMUX_PANE: '%0' });
    const ended = await tc!.waitFinal(task.id);
    expect(ended.state, ended.reason ?? '').toBe('completed');
    expect(ended.placement).toBe('headless');
    expect(ended.placementNote).toMatch(/the tmux server it was launched from \(.+\) is gone/);
    expect(ended.placementNote).toMatch(/the controller's tmux server cannot take it \(.*\/nonexistent\/panecrew-test\/tmux\.sock.*\); it runs headless$/);
    expect(whereItRuns(ended)).toContain(`headless), pid ${ended.pid} because ${ended.placementNote}`);
    expect(String((await tc!.cli(['output', task.id])).stdout)).toContain('ran-after-its-server-died');
  });
});
