// The real Codex CLI as a panecrew task, live in its tmux pane, offline against the local Responses
// API, through the real controller: its TUI takes the prompt, an approval prompt makes the task
// `waiting`, keys in the pane answer it, the turn completes the task with its result while Codex
// stays open, `send` starts a second turn, a controller SIGKILL + restart re-adopts it, `close` ends it
// and `resume` reopens its conversation (`codex resume SESSION_ID PROMPT`) (test/agents/live-steps.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processAlive } from '../../src/runner/kill.js';
import { offersTool, openAiResponses, startMockApi, toolExchanges, type MockApi, type RecordedRequest } from '../support/mock-api.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { paneEnv, startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';
import { BIN, launchWith, makeProject, type Project } from './support.js';
import { codexEnv } from './vendor-support.js';
import { COMMAND, FIRST_RESULT, liveSteps, SECOND, SECOND_RESULT, SLOW, THIRD_RESULT } from './live-steps.js';

function script(req: RecordedRequest) {
  if (!offersTool(req, 'exec_command')) return { text: 'Title' };
  // A resumed conversation holds the earlier turns too: the latest marker decides.
  if (JSON.stringify(req.messages).includes('THIRD-TURN')) return { text: THIRD_RESULT };
  if (JSON.stringify(req.messages).includes('SECOND-TURN')) return { text: SECOND_RESULT };
  const ran = toolExchanges(req).find((e) => e.name === 'exec_command');
  // Asking to leave the sandbox is what makes Codex ask the person first.
  if (!ran) return { text: 'Running the check.', toolUse: { name: 'exec_command', input: { cmd: COMMAND, sandbox_permissions: 'require_escalated', justification: 'Run the check' } } };
  return { text: `First answer: ${/live-step-ran/.test(ran.result) ? 'live-step-ran' : ran.result.trim()}` };
}

describe.skipIf(!existsSync(join(BIN, 'codex')))('Codex CLI live in its pane, as a panecrew task', () => {
  let project: Project;
  let api: MockApi;
  let tmux: TestTmuxServer;
  let tc: TestController;
  let id: string;

  const { state, followUp, readoptCloseResume, screen } = liveSteps(() => ({ tc, tmux, api, id }), 'Codex');

  beforeAll(async () => {
    project = makeProject('panecrew-codex-live-');
    api = await startMockApi(script, { protocol: openAiResponses });
    tmux = await startTmuxServer({ width: 200, height: 50 });
    tc = await startTestController(testConfig({ tmux: { enabled: true, close_delay_ms: '200ms' } }));
  });
  afterAll(async () => {
    await tc?.stop();
    await tmux?.kill();
    await api?.close();
  });

  it('is waiting on its approval prompt, goes on when answered in the pane, and completes its turn while staying open', { timeout: 3 * SLOW }, async () => {
    const env = { ...codexEnv(api.url, project.home), ...(await paneEnv(tmux)), TERM: 'xterm-256color' };
    const t = await launchWith(tc, ['--agent', 'codex', '--cwd', project.dir, '--prompt', 'Run the check, please.'], env);
    id = t.id;
    const waiting = await state((x) => x.state === 'waiting', 'the approval prompt');
    expect(waiting.question).toBe(`Allow Bash \`${COMMAND}\`?`);
    expect(waiting.attempts.at(-1)!.interactive).toBe(true);
    // Codex starts its session (and its SessionStart hook) only with a first prompt: it is in argv.
    expect(readFileSync(join(tc.home, 'tasks', id, 'tty-argv.nul'), 'utf8')).toContain('Run the check');
    // The hook runs before the dialog is drawn: a key sent before it shows is lost.
    await until(async () => (await screen(waiting.paneId!)).includes('Press enter to confirm'), 'the approval dialog', SLOW);
    await tmux.client.run(['send-keys', '-t', waiting.paneId!, 'y']);
    await state((x) => x.state !== 'waiting', 'the answer to be seen');
    const done = await state((x) => x.state === 'completed', 'the first turn to end');
    expect(done.resultPreview).toBe(FIRST_RESULT);
    expect(done.agentOpen).toBe(true);
    expect(done.attempts.at(-1)!.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    // Tokens come from the rollout file Codex's Stop hook names.
    expect(done.usage.inputTokens).toBeGreaterThan(0);
    expect(done.usage.outputTokens).toBeGreaterThan(0);
  });

  it('takes a follow-up with send, and its second result replaces the first', { timeout: 3 * SLOW }, followUp);

  it('is re-adopted, still open, after a controller SIGKILL; close ends it and resume reopens its session', { timeout: 4 * SLOW }, () => readoptCloseResume({ resume: true }));

  it('cancel ends an open Codex and leaves nothing running', { timeout: 3 * SLOW }, async () => {
    const env = { ...codexEnv(api.url, project.home), ...(await paneEnv(tmux)), TERM: 'xterm-256color' };
    const t = await launchWith(tc, ['--agent', 'codex', '--cwd', project.dir, '--prompt', `${SECOND} again`], env);
    const open = await until(async () => ((x) => (x.state === 'completed' && x.agentOpen ? x : undefined))(await tc.get(t.id)), 'the turn to end', SLOW);
    expect((await tc.cli(['cancel', t.id])).exitCode).toBe(0);
    await until(async () => !processAlive(open.pid!), 'Codex to exit', SLOW);
    expect((await tc.get(t.id)).agentOpen).toBe(false);
  });
});
