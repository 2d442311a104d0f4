// What a person meets on a first launch: a command runs as a command, an agent that cannot run is
// refused at once with the fix, and a quiet command or a busy quiet agent is not called hung.
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestController, testConfig, type TestController } from '../support/controller.js';

let tc: TestController | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

/** A launching shell that has node and the system's tools, and no agent CLI or API key. */
const bare = { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, ANTHROPIC_API_KEY: undefined as unknown as string };

describe('launch defaults', () => {
  it('a first `launch "npm test"`-style command runs as a shell command, not as a prompt to a model', async () => {
    tc = await startTestController(testConfig());
    const r = await tc.cli(['launch', '--json', 'echo', 'it ran'], { env: bare });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const task = JSON.parse(String(r.stdout)) as { id: string; agent: string };
    expect(task.agent).toBe('shell');
    expect((await tc.waitFinal(task.id)).state).toBe('completed');
  });

  it('refuses at launch, exit 2 and the fix, what cannot run: a missing CLI, no API key, words with no agent', async () => {
    tc = await startTestController(testConfig());
    const codex = await tc.cli(['launch', '--agent', 'codex', 'fix the bug'], { env: bare });
    expect(codex.exitCode).toBe(2);
    expect(codex.stderr).toMatch(/"codex" is not on the launching shell's PATH; install it \(npm install -g @openai\/codex\)/);
    const builtin = await tc.cli(['launch', '--agent', 'builtin', 'map the code'], { env: bare });
    expect(builtin.exitCode).toBe(2);
    expect(builtin.stderr).toMatch(/set ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN/);
    const words = await tc.cli(['launch', 'explore the auth code'], { env: bare });
    expect(words.exitCode).toBe(2);
    expect(words.stderr).toMatch(/no agent can run this prompt.*--agent shell/);
    const ls = await tc.cli(['ls', '--all', '--json']);
    expect(JSON.parse(String(ls.stdout))).toMatchObject({ tasks: [] });
  });

  it('a pane layout that does not exist refuses the launch with the fix; headless still runs', async () => {
    tc = await startTestController(testConfig({ tmux: { enabled: true, layout: 'no-such-layout' } }));
    const r = await tc.cli(['launch', '--agent', 'shell', 'echo hi']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown layout "no-such-layout".*Fix tmux\.layout in your configuration.*--placement headless/);
    const t = await tc.launch(['--agent', 'shell', '--placement', 'headless', 'echo hi']);
    expect((await tc.waitFinal(t.id)).state).toBe('completed');
  });

  it('a quiet shell command outlives a short stale timeout: commands are judged by their exit', async () => {
    tc = await startTestController(testConfig({ background_task: { staleTimeoutMs: '1s' } }));
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 3; echo done']);
    const done = await tc.waitFinal(t.id);
    expect(done.state, done.reason ?? '').toBe('completed');
  });

  it('a quiet agent whose processes use CPU is alive; one that only sleeps is hung', async () => {
    const agents = { quiet: { command: ['bash', '-c', '{prompt}'] } };
    tc = await startTestController(testConfig({ background_task: { staleTimeoutMs: '1s' }, agents }));
    const busy = await tc.launch(['--agent', 'quiet', '--prompt', 'end=$((SECONDS+4)); while [ $SECONDS -lt $end ]; do :; done; echo done']);
    const hung = await tc.launch(['--agent', 'quiet', '--prompt', 'exec sleep 60']);
    const [b, h] = await Promise.all([tc.waitFinal(busy.id), tc.waitFinal(hung.id)]);
    expect(b.state, b.reason ?? '').toBe('completed');
    expect(h.cause).toMatchObject({ kind: 'stale' });
  });
});
