// The real OpenCode as a panecrew task, live in its tmux pane, offline against the local Messages
// API, through the real controller: its TUI takes the prompt, a permission prompt (the person's own
// config asks before bash) makes the task `waiting`, a key in the pane answers it, the turn completes
// the task with its result while OpenCode stays open, `send` starts a second turn, a controller
// SIGKILL + restart re-adopts it, `close` ends it and `resume` reopens its session.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processAlive } from '../../src/runner/kill.js';
import { offersTool, startMockApi, toolExchanges, type MockApi, type RecordedRequest } from '../support/mock-api.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { paneEnv, startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';
import { BIN, launchWith, makeProject, opencodeEnv, type Project } from './support.js';
import { COMMAND, FIRST_RESULT, lastUserText, liveSteps, QUEUED_RESULT, SECOND_RESULT, SLOW, THIRD_RESULT } from './live-steps.js';

function script(req: RecordedRequest) {
  if (!offersTool(req, 'bash')) return { text: 'Title' };
  if (lastUserText(req).includes('THIRD-TURN')) return { text: THIRD_RESULT };
  if (lastUserText(req).includes('QUEUED-TURN')) return { text: QUEUED_RESULT };
  if (lastUserText(req).includes('SECOND-TURN')) return { text: SECOND_RESULT };
  const ran = toolExchanges(req).find((e) => e.name === 'bash');
  if (!ran) return { text: 'Running the check.', toolUse: { name: 'bash', input: { command: COMMAND, description: 'Run the check' } } };
  return { text: `First answer: ${ran.result.trim()}` };
}

describe.skipIf(!existsSync(join(BIN, 'opencode')))('OpenCode live in its pane, as a panecrew task', () => {
  let project: Project;
  let api: MockApi;
  let tmux: TestTmuxServer;
  let tc: TestController;
  let id: string;

  const { state, screen, followUp, halfTyped, readoptCloseResume, cancelWaiting } = liveSteps(() => ({ tc, tmux, api, id }), 'OpenCode');

  let env: Record<string, string>;
  beforeAll(async () => {
    project = makeProject('panecrew-opencode-live-');
    api = await startMockApi(script);
    env = opencodeEnv(api.url, project.home);
    // The person's own config asks before every bash command (OpenCode's default allows it), and
    // has a plugin of its own, which must still load beside panecrew's.
    const config = join(project.home, '.config', 'opencode', 'opencode.json');
    const own = join(project.home, 'own-plugin.js');
    writeFileSync(own, `import { writeFileSync } from 'node:fs';\nexport const Own = async () => { writeFileSync(${JSON.stringify(`${own}.loaded`)}, 'yes'); return {}; };\n`);
    writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), permission: { bash: 'ask' }, plugin: [pathToFileURL(own).href] }));
    tmux = await startTmuxServer({ width: 200, height: 50 });
    tc = await startTestController(testConfig({ tmux: { enabled: true, close_delay_ms: '200ms' } }));
  });
  afterAll(async () => {
    await tc?.stop();
    await tmux?.kill();
    await api?.close();
  });

  it('is waiting on its permission prompt, goes on when answered in the pane, and completes its turn while staying open', { timeout: 3 * SLOW }, async () => {
    const config = readFileSync(join(project.home, '.config', 'opencode', 'opencode.json'), 'utf8');
    const t = await launchWith(tc, ['--agent', 'opencode', '--cwd', project.dir, '--prompt', 'Run the check, please.'], { ...env, ...(await paneEnv(tmux)), TERM: 'xterm-256color' });
    id = t.id;
    const waiting = await state((x) => x.state === 'waiting', 'the permission prompt');
    expect(waiting.question).toBe(`Allow bash \`${COMMAND}\`?`);
    expect(waiting.attempts.at(-1)!.interactive).toBe(true);
    // The prompt never went through argv; the person's config is untouched.
    expect(readFileSync(join(tc.home, 'tasks', id, 'tty-argv.nul'), 'utf8')).not.toContain('Run the check');
    expect(readFileSync(join(project.home, '.config', 'opencode', 'opencode.json'), 'utf8')).toBe(config);
    expect(existsSync(join(project.home, 'own-plugin.js.loaded'))).toBe(true);
    // Enter picks "Allow once"; sent before the dialog is drawn, it would be lost.
    await until(async () => (await screen(waiting.paneId!)).includes('Allow once'), 'the permission dialog', SLOW);
    await tmux.client.run(['send-keys', '-t', waiting.paneId!, 'Enter']);
    const done = await state((x) => x.state === 'completed', 'the first turn to end');
    expect(done.resultPreview).toBe(FIRST_RESULT);
    expect(done.agentOpen).toBe(true);
    expect(done.attempts.at(-1)!.sessionId).toMatch(/^ses_/);
    expect(done.usage.inputTokens).toBeGreaterThan(0);
    expect(processAlive(done.pid!)).toBe(true);
  });

  it('takes a follow-up with send, and its second result replaces the first', { timeout: 3 * SLOW }, followUp);

  it('waits for what the person half-typed in its input; typed once that is cleared', { timeout: 3 * SLOW }, () => halfTyped('half typed'));

  it('is re-adopted, still open, after a controller SIGKILL; close ends it and resume reopens its session', { timeout: 4 * SLOW }, () => readoptCloseResume({ resume: true }));

  it('cancel ends an agent that is waiting on the person', { timeout: 3 * SLOW }, async () => {
    const t = await launchWith(tc, ['--agent', 'opencode', '--cwd', project.dir, '--prompt', 'Run the check again.'], { ...env, ...(await paneEnv(tmux)), TERM: 'xterm-256color' });
    await cancelWaiting(t.id);
  });
});
