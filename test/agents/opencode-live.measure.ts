// The real OpenCode live in its pane, through the real controller, offline: how long from the lines
// its panecrew plugin writes to the controller's task events — the permission prompt
// (permission.asked) → `waiting`, the turn's end (session.idle) → `completed` — over several turns of one agent (the first from
// its prompt, the rest from `send`), each asking to run a command. The row joins the side-by-side
// table of bench:e2e (test/support/signal-figures.ts) with the other CLIs and the stability fallback.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ControllerClient } from '../../src/controller/client.js';
import type { ListedTask } from '../../src/controller/protocol.js';
import { readOpencodeSignal } from '../../src/runner/signals/opencode.js';
import { startMockApi, toolExchanges, offersTool, type MockApi, type RecordedRequest } from '../support/mock-api.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { figureCell, figureLine, recordRow } from '../support/figures.js';
import { lastSignalAt, SIGNAL_TABLE, TURN_COLUMN, WAITING_COLUMN } from '../support/signal-figures.js';
import { paneEnv, startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';
import { BIN, launchWith, makeProject, opencodeEnv, type Project } from './support.js';

const TURNS = 6;
const SLOW = 120_000;

/** The turn a request belongs to: the number in the latest "turn N" the person (or send) typed. */
function turnOf(req: RecordedRequest): number | undefined {
  for (const m of [...req.messages].reverse()) {
    if (m.role !== 'user') continue;
    const text = typeof m.content === 'string' ? m.content : m.content.flatMap((b) => (b.type === 'text' ? [String(b.text)] : [])).join('\n');
    const n = /\bturn (\d+)\b/.exec(text)?.[1];
    if (n !== undefined) return Number(n);
  }
  return undefined;
}

/** Each turn runs one command that needs permission, then answers. */
function script(req: RecordedRequest) {
  const n = turnOf(req);
  if (!offersTool(req, 'bash') || n === undefined) return { text: 'Title' };
  const command = `echo measured-${n} > measured-${n}.txt`;
  if (!toolExchanges(req).some((e) => e.input.command === command)) return { text: `Running ${n}.`, toolUse: { name: 'bash', input: { command, description: 'Measure' } } };
  return { text: `Answer ${n}.` };
}

describe.skipIf(!existsSync(join(BIN, 'opencode')))('OpenCode live: signal → event', () => {
  let project: Project;
  let api: MockApi;
  let tmux: TestTmuxServer;
  let tc: TestController;
  let client: ControllerClient;
  const events: Array<{ at: number; task: ListedTask }> = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    project = makeProject('panecrew-opencode-measure-');
    api = await startMockApi(script);
    env = opencodeEnv(api.url, project.home);
    // The person's own config asks before every bash command (OpenCode's default allows it).
    const config = join(project.home, '.config', 'opencode', 'opencode.json');
    writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), permission: { bash: 'ask' } }));
    tmux = await startTmuxServer({ width: 200, height: 50 });
    tc = await startTestController(testConfig({ tmux: { enabled: true, close_delay_ms: '200ms' } }));
    client = await tc.client();
    // State changes only: a task's progress while it waits is an event too.
    await client.subscribe((e) => {
      if (e.event === 'task' && events.filter((x) => x.task.id === e.task.id).at(-1)?.task.state !== e.task.state) events.push({ at: Date.now(), task: e.task });
    });
  });
  afterAll(async () => {
    client?.close();
    await tc?.stop();
    await tmux?.kill();
    await api?.close();
  });

  test(`permission → waiting and turn end → completed over ${TURNS} turns`, { timeout: TURNS * 2 * SLOW }, async () => {
    const { id } = await launchWith(tc, ['--agent', 'opencode', '--cwd', project.dir, '--prompt', 'turn 0'], { ...env, ...(await paneEnv(tmux)), TERM: 'xterm-256color' });
    const signals = join(tc.home, 'tasks', id, 'signals.jsonl');
    // The n-th event of this task into `state`, counted from the start.
    const nthEvent = (state: string, n: number) =>
      until(async () => events.filter((e) => e.task.id === id && e.task.state === state)[n - 1], `event ${state} #${n}`, SLOW).catch(async (err: Error) => {
        const t = await tc.get(id);
        const screen = t.paneId ? await tmux.client.run(['capture-pane', '-p', '-t', t.paneId]).catch(() => '?') : '(no pane)';
        throw new Error(`${err.message}; task ${t.state} ${t.question ?? ''}\n--- pane ---\n${screen}\n--- signals ---\n${existsSync(signals) ? readFileSync(signals, 'utf8').slice(-3000) : '(none)'}`);
      });
    const waiting: number[] = [];
    const turn: number[] = [];
    for (let n = 1; n <= TURNS; n++) {
      if (n > 1) expect(JSON.parse(String((await tc.cli(['send', id, `turn ${n - 1}`, '--json'])).stdout)).outcome).toBe('confirmed');
      const asked = await nthEvent('waiting', n);
      waiting.push(asked.at - lastSignalAt(signals, readOpencodeSignal, 'waiting'));
      // Enter picks "Allow once".
      await tmux.client.run(['send-keys', '-t', asked.task.paneId!, 'Enter']);
      const done = await nthEvent('completed', n);
      expect(done.task.resultPreview).toBe(`Answer ${n - 1}.`);
      turn.push(done.at - lastSignalAt(signals, readOpencodeSignal, 'turn-end'));
    }
    await tc.cli(['close', id]);
    console.log(figureLine('OpenCode: permission.asked signal → waiting event', waiting));
    console.log(figureLine('OpenCode: session.idle signal → completed event', turn));
    recordRow(SIGNAL_TABLE, { agent: 'OpenCode (plugin)', [TURN_COLUMN]: figureCell(turn), [WAITING_COLUMN]: figureCell(waiting) });
  });
});
