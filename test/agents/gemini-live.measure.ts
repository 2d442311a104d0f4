// The real Gemini CLI live in its pane, through the real controller, offline: how long from its own
// hook signals to the controller's task events — the permission prompt (Notification ToolPermission)
// → `waiting`, the turn's end (AfterAgent) → `completed` — over several turns of one agent, each
// asking to run a command. The row joins the side-by-side table of bench:e2e (signal-figures.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { ControllerClient } from '../../src/controller/client.js';
import type { ListedTask } from '../../src/controller/protocol.js';
import { signalAdapter } from '../../src/runner/signals/index.js';
import { geminiApi, offersTool, startMockApi, toolExchanges, type MockApi, type RecordedRequest } from '../support/mock-api.js';
import type { TestController } from '../support/controller.js';
import { figureCell, figureLine, recordRow } from '../support/figures.js';
import { measureTurns, stateEvents, turnOf } from '../support/live-measure.js';
import { SIGNAL_TABLE, TURN_COLUMN, WAITING_COLUMN } from '../support/signal-figures.js';
import { startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';
import { BIN, launchWith, makeProject, type Project } from './support.js';
import { GEMINI_MODEL, geminiTaskEnv, startGeminiController } from './gemini-support.js';

const TURNS = 6;
const SLOW = 120_000;

/** Each turn runs one command that needs permission (a redirection: Gemini asks), then answers. */
function script(req: RecordedRequest) {
  const n = turnOf(req);
  if (!offersTool(req, 'run_shell_command') || n === undefined) return { text: 'OK' };
  const command = `echo measured-${n} > measured-${n}.txt`;
  if (!toolExchanges(req).some((e) => e.input.command === command)) return { toolUse: { name: 'run_shell_command', input: { command, description: 'Measure' } } };
  return { text: `Answer ${n}.` };
}

describe.skipIf(!existsSync(join(BIN, 'gemini')) || process.getuid?.() !== 0)('Gemini CLI live: signal → event', () => {
  let project: Project;
  let api: MockApi;
  let tmux: TestTmuxServer;
  let tc: TestController;
  let client: ControllerClient;
  let events: Array<{ at: number; task: ListedTask }>;

  beforeAll(async () => {
    project = makeProject('panecrew-gemini-measure-');
    api = await startMockApi(script, { protocol: geminiApi });
    tmux = await startTmuxServer({ width: 200, height: 50 });
    tc = await startGeminiController();
    client = await tc.client();
    events = await stateEvents(client);
  });
  afterAll(async () => {
    client?.close();
    await tc?.stop();
    await tmux?.kill();
    await api?.close();
  });

  test(`permission → waiting and turn end → completed over ${TURNS} turns`, { timeout: TURNS * 2 * SLOW }, async () => {
    const env = await geminiTaskEnv(api.url, project.home, tmux);
    const { id } = await launchWith(tc, ['--agent', 'gemini', '--model', GEMINI_MODEL, '--cwd', project.dir, '--prompt', 'turn 0'], env);
    // Enter picks "Allow once".
    const { waiting, turn } = await measureTurns({ tc, tmux, events, id, turns: TURNS, read: signalAdapter('gemini').read, allowKey: 'Enter', dialogShows: 'Allow once', result: (n) => `Answer ${n}.` });
    await tc.cli(['close', id]);
    console.log(figureLine('Gemini CLI: Notification ToolPermission signal → waiting event', waiting));
    console.log(figureLine('Gemini CLI: AfterAgent signal → completed event', turn));
    recordRow(SIGNAL_TABLE, { agent: 'Gemini CLI (hooks)', [TURN_COLUMN]: figureCell(turn), [WAITING_COLUMN]: figureCell(waiting) });
  });
});
