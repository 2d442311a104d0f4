// The real Claude Code as a panecrew task, live in its tmux pane, offline against the local
// Messages API, through the real controller: its TUI takes the prompt, a permission prompt makes the
// task `waiting`, keys in the pane answer it, the turn completes the task with its result while the
// agent stays open, `send` starts a second turn, a controller SIGKILL + restart re-adopts it, and
// `close` ends it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { processAlive } from '../../src/runner/kill.js';
import { offersTool, startMockApi, toolExchanges, type MockApi, type RecordedRequest } from '../support/mock-api.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { paneEnv, startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';
import { BIN, claudeEnv, launchWith, makeProject, seedClaudeHome, type Project } from './support.js';

const COMMAND = 'echo live-step-ran > step.txt && cat step.txt';
const SECOND = 'SECOND-TURN please summarise';
const SLOW = 120_000;

function lastUserText(req: RecordedRequest): string {
  const last = [...req.messages].reverse().find((m) => m.role === 'user');
  if (!last) return '';
  return typeof last.content === 'string' ? last.content : last.content.flatMap((b) => (b.type === 'text' ? [String(b.text)] : [])).join('\n');
}

function script(req: RecordedRequest) {
  if (!offersTool(req, 'Bash')) return { text: 'Title' };
  if (lastUserText(req).includes('SECOND-TURN')) return { text: 'Second answer: summarised.' };
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

  const state = (want: (t: ListedTask) => boolean, what: string) =>
    until(async () => {
      const t = await tc.get(id);
      return want(t) ? t : undefined;
    }, what, SLOW).catch(async (err: Error) => {
      const t = await tc.get(id).catch(() => undefined);
      const screen = t?.paneId ? await tmux.client.run(['capture-pane', '-p', '-t', t.paneId]).catch(() => '?') : '(no pane)';
      const signals = join(tc.home, 'tasks', id, 'signals.jsonl');
      throw new Error(`${err.message}; task ${t?.state}\n--- pane ---\n${screen}\n--- signals ---\n${existsSync(signals) ? readFileSync(signals, 'utf8').slice(-3000) : '(none)'}`);
    });

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
    expect(done.resultPreview).toBe('First answer: live-step-ran');
    expect(done.agentOpen).toBe(true);
    expect(done.attempts.at(-1)!.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    // Tokens and cost as Claude Code counts them (its status line and transcript), kept on the
    // completed turn even when they come after its end.
    const counted = await state((x) => (x.usage.costUsd ?? 0) > 0 && x.usage.outputTokens > 0, 'the turn\'s tokens and cost');
    expect(counted.state).toBe('completed');
    expect(counted.usage.inputTokens).toBeGreaterThan(0);
  });

  it('takes a follow-up with send, and its second result replaces the first', { timeout: 3 * SLOW }, async () => {
    const sent = await tc.cli(['send', id, SECOND, '--json']);
    expect(sent.exitCode, String(sent.stderr)).toBe(0);
    expect(JSON.parse(String(sent.stdout)).outcome).toBe('confirmed');
    const second = await state((x) => x.state === 'completed' && (x.turns?.length ?? 0) === 2, 'the second turn to end');
    expect(second.resultPreview).toBe('Second answer: summarised.');
    expect(readFileSync(join(tc.home, 'tasks', id, 'turns', '1.md'), 'utf8')).toBe('First answer: live-step-ran');
  });

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
    expect(done.resultPreview).toBe('Second answer: summarised.');
    await tc.cli(['close', t.id]);
  });

  it('is re-adopted, still open, after a controller SIGKILL, and close ends it', { timeout: 3 * SLOW }, async () => {
    const before = await tc.get(id);
    await tc.kill('SIGKILL');
    await tc.start();
    const adopted = await state((x) => x.agentOpen, 'the agent to be adopted');
    expect(adopted.pid).toBe(before.pid);
    expect(adopted.turns).toHaveLength(2);
    expect((await tc.cli(['close', id])).exitCode).toBe(0);
    await until(async () => !processAlive(before.pid!), 'Claude Code to exit', SLOW);
    const closed = await tc.get(id);
    expect(closed.state).toBe('completed');
    expect(closed.agentOpen).toBe(false);
    expect(closed.resultPreview).toBe('Second answer: summarised.');
  });
});
