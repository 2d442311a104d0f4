// The real Claude Code TUI (node_modules/.bin/claude) in a real tmux pane, offline against the
// local Messages API, wired with panecrew's per-session hook settings: what its own hooks report in
// signals.jsonl, what the pane's keys do, and text delivered into its input from outside.
import { existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentSignal, SignalKind } from '../../src/core/signal.js';
import { SIGNALS_FILE } from '../../src/core/paths.js';
import { claudeSignal } from '../../src/runner/signals/claude.js';
import { claudeTurnResult } from '../../src/runner/signals/claude-transcript.js';
import { deliverText, pendingInput, PendingInputError } from '../../src/tmux/input.js';
import { offersTool, startMockApi, toolExchanges, type MockApi, type RecordedRequest } from '../support/mock-api.js';
import { startTmuxServer, until, type TestTmuxServer } from '../support/tmux-server.js';
import { BIN, claudeEnv, claudeTuiArgv, makeProject, seedClaudeHome, writeClaudeSettings, type Project } from './support.js';
import { lastUserText } from './live-steps.js';

// A redirect makes it a write, which needs permission (a bare echo is allowed without asking).
const COMMAND = 'echo tui-step-ran > step.txt && cat step.txt';
const FIRST_PROMPT = 'Run the check command, please.';
const SECOND_MARKER = 'SECOND-MESSAGE';
// Newlines, a tmux command separator, a tmux format, shell syntax and quotes: all must arrive as typed.
const SECOND_PROMPT = `${SECOND_MARKER} line one;\nline two with #{pane_id} and $(touch pwned) 'q' "qq" \\ end`;

/** The last user message's text, as the model sees it. */
/** The model: on the first prompt, a Bash call that needs permission; then text quoting its output. */
function script(req: RecordedRequest) {
  if (!offersTool(req, 'Bash')) return { text: 'Title' };
  if (lastUserText(req).includes(SECOND_MARKER)) return { text: 'Second answer: all good.' };
  const ran = toolExchanges(req).find((e) => e.name === 'Bash');
  if (!ran) return { text: 'I will run it.', toolUse: { name: 'Bash', input: { command: COMMAND, description: 'Run the check' } } };
  return { text: `First answer: ${ran.result.trim()}` };
}

const SLOW = 90_000; // the TUI under load is slow: deadlines, generous ones

describe.skipIf(!existsSync(join(BIN, 'claude')))('Claude Code interactive in a tmux pane, with panecrew hooks', () => {
  let project: Project;
  let api: MockApi;
  let tmux: TestTmuxServer;
  let taskDir: string;
  let pane: string;
  let startedAt: number;

  const signals = (): AgentSignal[] => {
    const file = join(taskDir, SIGNALS_FILE);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').split('\n').flatMap((l) => claudeSignal(l) ?? []);
  };
  const nth = (kind: SignalKind, n = 1) => until(`signal ${kind} #${n}`, async () => signals().filter((s) => s.kind === kind)[n - 1], SLOW);
  const screen = () => tmux.client.run(['capture-pane', '-p', '-t', pane]);
  const explain = async (err: Error) => {
    const raw = existsSync(join(taskDir, SIGNALS_FILE)) ? readFileSync(join(taskDir, SIGNALS_FILE), 'utf8') : '(none)';
    throw new Error(`${err.message}\n--- pane ---\n${await screen().catch(() => '?')}\n--- signals.jsonl ---\n${raw.slice(-4000)}`);
  };

  beforeAll(async () => {
    project = makeProject('panecrew-claude-tui-');
    seedClaudeHome(project);
    api = await startMockApi(script);
    tmux = await startTmuxServer({ width: 160, height: 50 });
    taskDir = realpathSync(mkdtempSync(join(tmpdir(), 'panecrew-claude-task-')));
    const settingsFile = writeClaudeSettings(taskDir);
    const env = { ...claudeEnv(api.url, project.home), TERM: 'xterm-256color' };
    const argv = claudeTuiArgv({ settingsFile, command: join(BIN, 'claude') });
    startedAt = Date.now();
    // `env -i` so the agent gets exactly this environment (no test runner variables).
    pane = await tmux.client.run(['new-window', '-d', '-P', '-F', '#{pane_id}', '-c', project.dir, '--', 'env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv]);
  });
  afterAll(async () => {
    await tmux?.kill();
    await api?.close();
  });

  it('reports its session with an id, and takes the first prompt delivered as input once it did', { timeout: 3 * SLOW }, async () => {
    const session = await nth('session').catch(explain);
    expect(session.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    console.log(`TUI start → session signal: ${session.at - startedAt} ms`);
    // The session signal comes before the TUI takes input: deliverText waits for the input box.
    const t0 = Date.now();
    await deliverText(tmux.client, pane, FIRST_PROMPT, { box: 'claude', timeoutMs: SLOW });
    const prompt = await nth('prompt').catch(explain);
    console.log(`session signal seen → first prompt delivered: ${Date.now() - t0} ms; → its prompt signal: ${prompt.at - t0} ms`);
    expect(prompt.sessionId).toBe(session.sessionId);
    // The hook fires before the request goes out.
    await until('the prompt at the model', async () => api.requests.some((r) => offersTool(r, 'Bash') && lastUserText(r).includes(FIRST_PROMPT)), SLOW);
  });

  it('reports the Bash step, then waiting with the question naming the command while the permission dialog shows', { timeout: 3 * SLOW }, async () => {
    const step = await nth('step').catch(explain);
    expect(step).toMatchObject({ tool: 'Bash', target: COMMAND });
    const waiting = await nth('waiting').catch(explain);
    expect(waiting).toMatchObject({ tool: 'Bash', question: `Allow Bash \`${COMMAND}\`?` });
    expect(waiting.at - step.at).toBeLessThan(5_000);
    await until('the permission dialog', async () => (await screen()).includes('Do you want to proceed?'), SLOW).catch(explain);
    // No input box under the dialog: nothing may be typed into the pane now.
    expect(await pendingInput(tmux.client, pane, 'claude')).toBe(true);
    // The Notification hook (matcher permission_prompt) says it too, later and less precisely.
    const notified = await nth('waiting', 2).catch(explain);
    expect(notified.question).toMatch(/permission/i);
    expect(signals().some((s) => s.kind === 'step-done')).toBe(false);
  });

  it('approves with the key "1" sent to the pane; the step completes and the turn ends with its result', { timeout: 3 * SLOW }, async () => {
    await tmux.client.run(['send-keys', '-t', pane, '1']);
    const done = await nth('step-done').catch(explain);
    expect(done).toMatchObject({ tool: 'Bash', target: COMMAND });
    const end = await nth('turn-end').catch(explain);
    expect(end.result).toBe('First answer: tui-step-ran');
    // Without the Stop payload's text, the transcript gives the same, a moment later: Claude Code
    // writes the turn's last message there after the Stop hook has run.
    expect(end.transcriptPath).toBeDefined();
    await until('the result in the transcript', async () => claudeTurnResult({ transcriptPath: end.transcriptPath }) === 'First answer: tui-step-ran', SLOW);
    // No hook carries tokens or cost: the status line, wired to the same script, brings the
    // session's cost, and the transcript its tokens (the model's three replies, one tool call).
    const usage = await until('a usage signal with the cost after the turn', async () => signals().find((s) => s.kind === 'usage' && s.at >= end.at && (s.costUsd ?? 0) > 0), SLOW).catch(explain);
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.outputTokens).toBeGreaterThan(0);
  });

  it('tells half-typed input in the box from an empty box', { timeout: 3 * SLOW }, async () => {
    await until('an empty input box', async () => !(await pendingInput(tmux.client, pane, 'claude')), SLOW).catch(explain);
    await tmux.client.run(['send-keys', '-t', pane, '-l', 'half typed words']);
    await until('the typed text seen as pending', () => pendingInput(tmux.client, pane, 'claude'), SLOW).catch(explain);
    // Delivery refuses to mix into it.
    await expect(deliverText(tmux.client, pane, 'from outside', { box: 'claude', timeoutMs: SLOW })).rejects.toBeInstanceOf(PendingInputError);
    await tmux.client.run(['send-keys', '-t', pane, 'C-u']);
    await until('the box empty again', async () => !(await pendingInput(tmux.client, pane, 'claude')), SLOW).catch(explain);
    expect(await screen()).not.toContain('from outside');
    expect(signals().filter((s) => s.kind === 'prompt')).toHaveLength(1);
  });

  it('takes a second, multi-line message delivered with deliverText: prompt, then a second turn-end with its result', { timeout: 3 * SLOW }, async () => {
    await deliverText(tmux.client, pane, SECOND_PROMPT, { box: 'claude', timeoutMs: SLOW });
    await nth('prompt', 2).catch(explain);
    const end = await nth('turn-end', 2).catch(explain);
    expect(end.result).toBe('Second answer: all good.');
    // Verbatim, newline included, and submitted once (not line by line).
    const asked = api.requests.filter((r) => lastUserText(r).includes(SECOND_MARKER));
    expect(asked.length).toBeGreaterThan(0);
    expect(lastUserText(asked[0]!)).toContain(SECOND_PROMPT);
    expect(existsSync(join(project.dir, 'pwned'))).toBe(false);
    expect(await tmux.client.run(['list-buffers', '-F', '#{buffer_name}'])).not.toMatch(/panecrew-input/);
  });

  it('ends its session on /exit delivered as input', { timeout: 3 * SLOW }, async () => {
    await deliverText(tmux.client, pane, '/exit', { box: 'claude', timeoutMs: SLOW });
    await nth('session-end').catch(explain);
  });

  it('resumes the same conversation with --resume SESSION, reporting the same session id', { timeout: 3 * SLOW }, async () => {
    const first = await nth('session');
    const env = { ...claudeEnv(api.url, project.home), TERM: 'xterm-256color' };
    const argv = claudeTuiArgv({ settingsFile: join(taskDir, 'claude-settings.json'), resumeSessionId: first.sessionId!, command: join(BIN, 'claude') });
    pane = await tmux.client.run(['new-window', '-d', '-P', '-F', '#{pane_id}', '-c', project.dir, '--', 'env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv]);
    const resumed = await nth('session', 2).catch(explain);
    expect(resumed.sessionId).toBe(first.sessionId);
    // The earlier turns are on its screen: the conversation is the same.
    await until('the earlier answer on the resumed screen', async () => (await screen()).includes('Second answer: all good.'), SLOW).catch(explain);
  });
});
