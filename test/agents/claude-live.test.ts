// The real Claude Code as a panecrew task, live in its tmux pane, offline against the local
// Messages API, through the real controller: its TUI takes the prompt, a permission prompt makes the
// task `waiting`, keys in the pane answer it, the turn completes the task with its result while the
// agent stays open, `send` starts a second turn, a controller SIGKILL + restart re-adopts it,
// `close` ends it and `resume` reopens its conversation (test/agents/live-steps.ts).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { offersTool, startMockApi, toolExchanges, type MockApi, type RecordedRequest } from '../support/mock-api.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { paneEnv, startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';
import { BIN, claudeEnv, launchWith, makeProject, seedClaudeHome, type Project } from './support.js';
import { COMMAND, FIRST_RESULT, lastUserText, liveSteps, SECOND, SECOND_RESULT, SLOW, THIRD_RESULT } from './live-steps.js';

function script(req: RecordedRequest) {
  if (!offersTool(req, 'Bash')) return { text: 'Title' };
  if (lastUserText(req).includes('THIRD-TURN')) return { text: THIRD_RESULT };
  if (lastUserText(req).includes('SECOND-TURN')) return { text: SECOND_RESULT };
  const ran = toolExchanges(req).find((e) => e.name === 'Bash');
  if (!ran) return { text: 'Running the check.', toolUse: { name: 'Bash', input: { command: COMMAND, description: 'Run the check' } } };
  return { text: `First answer: ${ran.result.trim()}` };
}

describe.skipIf(!existsSync(join(BIN, 'claude')))('Claude Code live in its pane, as a panecrew task', () => {
  let project: Project;
  let api: MockApi;
  let tmux: TestTmuxServer;
  let tc: TestController;
  let id: string;

  const { state, followUp, readoptCloseResume } = liveSteps(() => ({ tc, tmux, api, id }), 'Claude Code');

  beforeAll(async () => {
    project = makeProject('panecrew-claude-live-');
    seedClaudeHome(project);
    api = await startMockApi(script);
    tmux = await startTmuxServer({ width: 200, height: 50 });
    tc = await startTestController(testConfig({ tmux: { enabled: true, close_delay_ms: '200ms' } }));
  });
  afterAll(async () => {
    await tc?.stop();
    await tmux?.kill();
    await api?.close();
  });

  it('is waiting on its permission prompt, goes on when answered in the pane, and completes its turn while staying open', { timeout: 3 * SLOW }, async () => {
    const env = { ...claudeEnv(api.url, project.home), ...(await paneEnv(tmux)), TERM: 'xterm-256color' };
    const t = await launchWith(tc, ['--agent', 'claude', '--cwd', project.dir, '--prompt', 'Run the check, please.'], env);
    id = t.id;
    const waiting = await state((x) => x.state === 'waiting', 'the permission prompt');
    expect(waiting.question).toBe(`Allow Bash \`${COMMAND}\`?`);
    expect(waiting.attempts.at(-1)!.interactive).toBe(true);
    // The prompt never went through argv.
    expect(readFileSync(join(tc.home, 'tasks', id, 'tty-argv.nul'), 'utf8')).not.toContain('Run the check');
    await tmux.client.run(['send-keys', '-t', waiting.paneId!, '1']);
    const done = await state((x) => x.state === 'completed', 'the first turn to end');
    expect(done.resultPreview).toBe(FIRST_RESULT);
    expect(done.agentOpen).toBe(true);
    expect(done.attempts.at(-1)!.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    // Tokens and cost as Claude Code counts them (its status line and transcript), kept on the
    // completed turn even when they come after its end.
    const counted = await state((x) => (x.usage.costUsd ?? 0) > 0 && x.usage.outputTokens > 0, 'the turn\'s tokens and cost');
    expect(counted.state).toBe('completed');
    expect(counted.usage.inputTokens).toBeGreaterThan(0);
  });

  it('takes a follow-up with send, and its second result replaces the first', { timeout: 3 * SLOW }, followUp);

  it('is waiting while Claude Code asks to trust a new folder before it takes its prompt; answered, the prompt goes in', { timeout: 3 * SLOW }, async () => {
    const other = makeProject('panecrew-claude-untrusted-');
    seedClaudeHome(other);
    const state = JSON.parse(readFileSync(join(other.home, '.claude.json'), 'utf8')) as { projects: Record<string, unknown> };
    state.projects = {};
    writeFileSync(join(other.home, '.claude.json'), JSON.stringify(state));
    const env = { ...claudeEnv(api.url, other.home), ...(await paneEnv(tmux)), TERM: 'xterm-256color' };
    const t = await launchWith(tc, ['--agent', 'claude', '--cwd', other.dir, '--prompt', `${SECOND} the new folder`], env);
    const task = (want: (x: ListedTask) => boolean, what: string) => until(async () => ((x) => (want(x) ? x : undefined))(await tc.get(t.id)), what, SLOW);
    const asks = await task((x) => x.state === 'waiting', 'the dialog to be seen');
    expect(asks.question).toContain('it may show a dialog in its pane');
    await until(async () => /trust/i.test(await tmux.client.run(['capture-pane', '-p', '-t', asks.paneId!])), 'the trust dialog', SLOW);
    await tmux.client.run(['send-keys', '-t', asks.paneId!, 'Enter']);
    const done = await task((x) => x.state === 'completed', 'the turn after the dialog');
    expect(done.resultPreview).toBe(SECOND_RESULT);
    await tc.cli(['close', t.id]);
  });

  it('is re-adopted, still open, after a controller SIGKILL; close ends it and resume reopens its session', { timeout: 4 * SLOW }, () => readoptCloseResume({ resume: true }));
});
