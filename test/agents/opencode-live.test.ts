// The real OpenCode as a panecrew task, live in its tmux pane, offline against the local Messages
// API, through the real controller: its TUI takes the prompt, a permission prompt (the person's own
// config asks before bash) makes the task `waiting`, a key in the pane answers it, the turn completes
// the task with its result while OpenCode stays open, `send` starts a second turn, a controller
// SIGKILL + restart re-adopts it, `close` ends it and `resume` reopens its session.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { processAlive } from '../../src/runner/kill.js';
import { offersTool, startMockApi, toolExchanges, type MockApi, type RecordedRequest } from '../support/mock-api.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { paneEnv, startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';
import { BIN, launchWith, makeProject, opencodeEnv, type Project } from './support.js';

const COMMAND = 'echo live-step-ran > step.txt && cat step.txt';
const SECOND = 'SECOND-TURN please summarise';
const QUEUED = 'QUEUED-TURN after the person';
const THIRD = 'THIRD-TURN after resume';
const SLOW = 120_000;

function lastUserText(req: RecordedRequest): string {
  const last = [...req.messages].reverse().find((m) => m.role === 'user');
  if (!last) return '';
  return typeof last.content === 'string' ? last.content : last.content.flatMap((b) => (b.type === 'text' ? [String(b.text)] : [])).join('\n');
}

function script(req: RecordedRequest) {
  if (!offersTool(req, 'bash')) return { text: 'Title' };
  if (lastUserText(req).includes('THIRD-TURN')) return { text: 'Third answer: resumed.' };
  if (lastUserText(req).includes('QUEUED-TURN')) return { text: 'Queued answer.' };
  if (lastUserText(req).includes('SECOND-TURN')) return { text: 'Second answer: summarised.' };
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
    // Enter picks "Allow once".
    await tmux.client.run(['send-keys', '-t', waiting.paneId!, 'Enter']);
    const done = await state((x) => x.state === 'completed', 'the first turn to end');
    expect(done.resultPreview).toBe('First answer: live-step-ran');
    expect(done.agentOpen).toBe(true);
    expect(done.attempts.at(-1)!.sessionId).toMatch(/^ses_/);
    expect(done.usage.inputTokens).toBeGreaterThan(0);
    expect(processAlive(done.pid!)).toBe(true);
  });

  it('takes a follow-up with send, and its second result replaces the first', { timeout: 3 * SLOW }, async () => {
    const sent = await tc.cli(['send', id, SECOND, '--json']);
    expect(sent.exitCode, String(sent.stderr)).toBe(0);
    expect(JSON.parse(String(sent.stdout)).outcome).toBe('confirmed');
    const second = await state((x) => x.state === 'completed' && (x.turns?.length ?? 0) === 2, 'the second turn to end');
    expect(second.resultPreview).toBe('Second answer: summarised.');
    expect(readFileSync(join(tc.home, 'tasks', id, 'turns', '1.md'), 'utf8')).toBe('First answer: live-step-ran');
  });

  it('waits for what the person half-typed in its input; typed once that is cleared', { timeout: 3 * SLOW }, async () => {
    const { paneId } = await tc.get(id);
    await tmux.client.run(['send-keys', '-t', paneId!, '-l', 'half typed']);
    await until(async () => ((await tmux.client.run(['capture-pane', '-p', '-t', paneId!])).includes('half typed') ? true : null), 'the half-typed text');
    const sent = await tc.cli(['send', id, QUEUED, '--json']);
    expect(sent.exitCode, String(sent.stderr)).toBe(0);
    expect(JSON.parse(String(sent.stdout)).outcome).toBe('queued');
    expect(JSON.stringify(api.requests.at(-1)!.messages)).not.toContain('QUEUED-TURN');
    for (let i = 0; i < 'half typed'.length; i++) await tmux.client.run(['send-keys', '-t', paneId!, 'BSpace']);
    const third = await state((x) => x.state === 'completed' && (x.turns?.length ?? 0) === 3, 'the queued turn to end');
    expect(third.resultPreview).toBe('Queued answer.');
    expect(lastUserText(api.requests.at(-1)!)).toBe(QUEUED);
  });

  it('is re-adopted, still open, after a controller SIGKILL; close ends it and resume reopens its session', { timeout: 4 * SLOW }, async () => {
    const before = await tc.get(id);
    await tc.kill('SIGKILL');
    await tc.start();
    const adopted = await state((x) => x.agentOpen, 'the agent to be adopted');
    expect(adopted.pid).toBe(before.pid);
    expect(adopted.turns).toHaveLength(3);
    expect((await tc.cli(['close', id])).exitCode).toBe(0);
    await until(async () => !processAlive(before.pid!), 'OpenCode to exit', SLOW);
    const closed = await tc.get(id);
    expect(closed.state).toBe('completed');
    expect(closed.agentOpen).toBe(false);
    expect(closed.resultPreview).toBe('Queued answer.');

    const resumed = await tc.cli(['resume', id, THIRD]);
    expect(resumed.exitCode, String(resumed.stderr)).toBe(0);
    const again = await state((x) => x.state === 'completed' && (x.turns?.length ?? 0) === 4, 'the resumed turn to end');
    expect(again.resultPreview).toBe('Third answer: resumed.');
    expect(again.attempts.at(-1)!.sessionId).toBe(before.attempts.at(-1)!.sessionId);
    // The resumed session is the same conversation: the model saw the first turns.
    expect(JSON.stringify(api.requests.at(-1)!.messages)).toContain('SECOND-TURN');
    await tc.cli(['close', id]);
  });

  it('cancel ends an agent that is waiting on the person', { timeout: 3 * SLOW }, async () => {
    const t = await launchWith(tc, ['--agent', 'opencode', '--cwd', project.dir, '--prompt', 'Run the check again.'], { ...env, ...(await paneEnv(tmux)), TERM: 'xterm-256color' });
    id = t.id;
    const waiting = await state((x) => x.state === 'waiting', 'the permission prompt');
    expect((await tc.cli(['cancel', id])).exitCode).toBe(0);
    const cancelled = await state((x) => x.state === 'cancelled', 'the task to be cancelled');
    expect(cancelled.agentOpen).toBe(false);
    await until(async () => !processAlive(waiting.pid!), 'OpenCode to exit', SLOW);
  });
});
