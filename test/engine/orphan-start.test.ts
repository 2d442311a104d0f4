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

describe('a start in flight when the controller died', () => {
  it('runs the agent once', async () => {
    tmux = await startTmuxServer();
    const origin = await paneEnv(tmux);
    // A tmux that holds each runner's start until \`go\` exists: the controller dies while one is on its way.
    tc = await startTestController(testConfig({ tmux: { enabled: true, command_timeout_ms: '30s' } }));
    const ctl = tc;
    const bin = join(ctl.dir, 'bin');
    const inFlight = join(ctl.dir, 'in-flight');
    const go = join(ctl.dir, 'go');
    mkdirSync(bin);
    const realTmux = execaSync('bash', ['-c', 'command -v tmux']).stdout;
    writeFileSync(join(bin, 'tmux'), `#!/bin/bash\n[[ "$*" == *respawn-pane*runner.sh* ]] && { touch '${inFlight}'; while [ ! -e '${go}' ]; do sleep 0.05; done; }\nexec '${realTmux}' "$@"\n`);
    chmodSync(join(bin, 'tmux'), 0o755);
    await ctl.kill('SIGTERM');
    ctl.env.PATH = `${bin}:${ctl.env.PATH}`;
    await ctl.start();

    const starts = join(ctl.dir, 'starts.log');
    writeFileSync(starts, '');
    const client = await ctl.client();
    const t = await ctl.launchFast(client, { cwd: ctl.dir, prompt: 'echo "$PANECREW_TASK_ID" >> starts.log; echo ran', origin: { tmuxSocket: origin.TMUX.split(',')[0], tmuxPane: origin.TMUX_PANE } });
    client.close();
    await until(() => existsSync(inFlight), 'the runner to be on its way');
    await ctl.kill('SIGKILL');
    await ctl.start(); // it has recovered: the start on its way was not seen
    writeFileSync(go, '');
    const ended = await ctl.waitFinal(t.id, 20_000);
    // A second start would be one more line: give an orphaned start the time it would take.
    await new Promise((r) => setTimeout(r, 1_500));
    expect({ state: ended.state, starts: readFileSync(starts, 'utf8').split('\n').filter(Boolean).length }).toEqual({ state: 'completed', starts: 1 });
  }, 60_000);
});
