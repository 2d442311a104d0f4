// The real Gemini CLI as a panecrew task, live in its tmux pane, offline against the local Gemini
// API, through the real controller: its TUI takes the typed prompt, a shell command to approve makes
// the task `waiting`, a key in the pane answers it, the turn completes the task with its result while
// Gemini stays open, `send` starts a second turn (and waits for what the person half-typed), a
// controller SIGKILL + restart re-adopts it, `close` ends it, `resume` reopens its session, `cancel`
// leaves nothing running. Its hooks come through a Gemini home of the task's own (signals/gemini.ts),
// so this runs as any user, in a controller home under /tmp.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processAlive } from '../../src/runner/kill.js';
import { geminiApi, offersTool, startMockApi, toolExchanges, type MockApi, type RecordedRequest } from '../support/mock-api.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';
import { BIN, launchWith, makeProject, type Project } from './support.js';
import { GEMINI_MODEL, geminiTaskEnv } from './gemini-support.js';
import { COMMAND, FIRST_RESULT, lastUserText, liveSteps, QUEUED_RESULT, SECOND_RESULT, SLOW, THIRD_RESULT } from './live-steps.js';

function script(req: RecordedRequest) {
  if (!offersTool(req, 'run_shell_command')) return { text: 'OK' };
  const last = lastUserText(req);
  if (last.includes('THIRD-TURN')) return { text: THIRD_RESULT };
  if (last.includes('QUEUED-TURN')) return { text: QUEUED_RESULT };
  if (last.includes('SECOND-TURN')) return { text: SECOND_RESULT };
  const ran = toolExchanges(req).find((e) => e.name === 'run_shell_command');
  if (!ran) return { toolUse: { name: 'run_shell_command', input: { command: COMMAND, description: 'Run the check' } } };
  return { text: `First answer: ${/live-step-ran/.test(ran.result) ? 'live-step-ran' : ran.result.trim()}` };
}

describe.skipIf(!existsSync(join(BIN, 'gemini')))('Gemini CLI live in its pane, as a panecrew task', () => {
  let project: Project;
  let api: MockApi;
  let tmux: TestTmuxServer;
  let tc: TestController;
  let id: string;
  let env: () => Promise<Record<string, string>>;
  let theirSettings: string;
  const { state, screen, followUp, halfTyped, readoptCloseResume, cancelWaiting } = liveSteps(() => ({ tc, tmux, api, id }), 'Gemini');
  const launch = async (prompt: string) => {
    return launchWith(tc, ['--agent', 'gemini', '--model', GEMINI_MODEL, '--cwd', project.dir, '--prompt', prompt], await env());
  };

  beforeAll(async () => {
    project = makeProject('panecrew-gemini-live-');
    api = await startMockApi(script, { protocol: geminiApi });
    tmux = await startTmuxServer({ width: 200, height: 50 });
    tc = await startTestController(testConfig({ tmux: { enabled: true, close_delay_ms: '200ms' } }));
    env = async () => {
      const e = await geminiTaskEnv(api.url, project.home, tmux);
      // A hook of the person's own, which must still run beside the task's.
      const settings = join(project.home, '.gemini', 'settings.json');
      theirSettings = JSON.stringify({ ...JSON.parse(readFileSync(settings, 'utf8')), hooks: { SessionStart: [{ hooks: [{ type: 'command', command: `touch ${join(project.home, 'own-hook-ran')}` }] }] } });
      writeFileSync(settings, theirSettings);
      return e;
    };
  });
  afterAll(async () => {
    await tc?.stop();
    await tmux?.kill();
    await api?.close();
  });

  it('is waiting on its approval prompt, goes on when answered in the pane, and completes its turn while staying open', { timeout: 3 * SLOW }, async () => {
    id = (await launch('Run the check, please.')).id;
    const waiting = await state((x) => x.state === 'waiting', 'the approval prompt');
    expect(waiting.question).toBe(`Allow Shell \`${COMMAND}\`?`);
    expect(waiting.attempts.at(-1)!.interactive).toBe(true);
    // The prompt was typed into the TUI, never put in argv; the person's settings are untouched, and
    // their own hook ran beside the task's (their settings, with the task's hooks added).
    expect(readFileSync(join(tc.home, 'tasks', id, 'tty-argv.nul'), 'utf8')).not.toContain('Run the check');
    expect(readFileSync(join(project.home, '.gemini', 'settings.json'), 'utf8')).toBe(theirSettings);
    expect(existsSync(join(project.home, 'own-hook-ran'))).toBe(true);
    // The hook runs before the dialog is drawn: a key sent before it shows is lost. Enter: "Allow once".
    await until(async () => ((await screen(waiting.paneId!)).includes('Allow once') ? true : null), 'the approval dialog', SLOW);
    await tmux.client.run(['send-keys', '-t', waiting.paneId!, 'Enter']);
    const done = await state((x) => x.state === 'completed', 'the first turn to end');
    expect(done.resultPreview).toBe(FIRST_RESULT);
    expect(done.agentOpen).toBe(true);
    expect(done.attempts.at(-1)!.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    // Tokens come from the chat file Gemini CLI's hooks name.
    expect(done.usage.inputTokens).toBeGreaterThan(0);
    expect(done.usage.outputTokens).toBeGreaterThan(0);
    expect(readFileSync(join(project.dir, 'step.txt'), 'utf8')).toBe('live-step-ran\n');
    expect(processAlive(done.pid!)).toBe(true);
  });

  it('takes a follow-up with send, and its second result replaces the first', { timeout: 3 * SLOW }, followUp);

  it('waits for what the person half-typed in its input; typed once that is cleared', { timeout: 3 * SLOW }, () => halfTyped('> half typed'));

  it('is re-adopted, still open, after a controller SIGKILL; close ends it and resume reopens its session', { timeout: 4 * SLOW }, () => readoptCloseResume({ resume: true }));

  it('cancel ends an agent that is waiting on the person and leaves nothing running', { timeout: 3 * SLOW }, async () => {
    await cancelWaiting((await launch('Run the check again.')).id);
  });
});
