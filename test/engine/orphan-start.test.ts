// A controller killed between journaling `starting` and seeing its runner start (tmux still opening
// the pane) leaves a start on its way: the restarted controller must not run the task a second time.
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { paneEnv, startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';

let tc: TestController | undefined;
let tmux: TestTmuxServer | undefined;
afterEach(async () => {
  await tc?.stop();
  await tmux?.kill();
  tc = tmux = undefined;
});

/** A controller whose tmux holds each runner's start until `go` exists, and a task launched into it,
 *  its start on its way (`in-flight` exists). */
async function startHeld(prompt: string): Promise<{ ctl: TestController; id: string; go: string }> {
  tmux = await startTmuxServer();
  const origin = await paneEnv(tmux);
  // control_idle_ms 0: the split must go through the tmux binary (held below), not a control connection.
  tc = await startTestController(testConfig({ tmux: { enabled: true, command_timeout_ms: '30s', control_idle_ms: 0 } }));
  const ctl = tc;
  const bin = join(ctl.dir, 'bin');
  const inFlight = join(ctl.dir, 'in-flight');
  const go = join(ctl.dir, 'go');
  mkdirSync(bin);
  const realTmux = execaSync('bash', ['-c', 'command -v tmux'], { stdin: 'ignore' }).stdout; // stdin a socket: bash would read ~/.bashrc
  writeFileSync(join(bin, 'tmux'), `#!/bin/bash\n[[ "$*" == *split-window*panecrew-runner* ]] && { touch '${inFlight}'; while [ ! -e '${go}' ]; do sleep 0.05; done; }\nexec '${realTmux}' "$@"\n`);
  chmodSync(join(bin, 'tmux'), 0o755);
  await ctl.kill('SIGTERM');
  ctl.env.PATH = `${bin}:${ctl.env.PATH}`;
  await ctl.start();
  const client = await ctl.client();
  const t = await ctl.launchFast(client, { cwd: ctl.dir, prompt, origin: { tmuxSocket: origin.TMUX.split(',')[0], tmuxPane: origin.TMUX_PANE } });
  client.close();
  await until(() => existsSync(inFlight), 'the runner to be on its way');
  return { ctl, id: t.id, go };
}

describe('a start in flight when the controller died', () => {
  it('runs the agent once', async () => {
    const { ctl, id, go } = await startHeld('echo "$PANECREW_TASK_ID" >> starts.log; echo ran');
    const starts = join(ctl.dir, 'starts.log');
    await ctl.kill('SIGKILL');
    await ctl.start(); // it has recovered: the start on its way was not seen
    writeFileSync(go, '');
    const ended = await ctl.waitFinal(id, 20_000);
    // A second start would be one more line: give an orphaned start the time it would take.
    await new Promise((r) => setTimeout(r, 1_500));
    expect({ state: ended.state, starts: readFileSync(starts, 'utf8').split('\n').filter(Boolean).length }).toEqual({ state: 'completed', starts: 1 });
  }, 60_000);
});

describe('a start in flight when the controller is told to stop', () => {
  it('the controller exits; the next one finds the agent and records its end', async () => {
    const { ctl, id, go } = await startHeld('echo ran');
    const stopping = ctl.kill('SIGTERM');
    // The start lands after the controller let its journal go: it must not keep the process alive.
    writeFileSync(go, '');
    const exited = await Promise.race([stopping.then(() => 'exited'), new Promise((r) => setTimeout(r, 15_000, 'still running'))]);
    expect(exited).toBe('exited');
    await ctl.start();
    expect((await ctl.waitFinal(id, 20_000)).state).toBe('completed');
  }, 60_000);
});
