// How fast an interactive agent's own signals become task events, beside the stability fallback
// (an agent without signals is judged done after `stabilityMs` of quiet output), in the same run:
//   turn end (the agent's turn-end signal) → `completed` event
//   question (its waiting signal)          → `waiting` event
//   last output of an idle-completing agent → `completed` event
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ControllerClient } from '../../src/controller/client.js';
import type { ListedTask } from '../../src/controller/protocol.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { figureCell, figureLine, median, recordRow } from '../support/figures.js';
import { paneEnv, startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';
import { lastSignalAt, SIGNAL_TABLE, TURN_COLUMN, WAITING_COLUMN } from '../support/signal-figures.js';
import type { AgentSignal } from '../../src/core/signal.js';
import { signalAdapter } from '../../src/runner/signals/index.js';

const AGENT = resolve(import.meta.dirname, '../fixtures/interactive-agent.mjs');
const RUNS = 12;
const STABILITY_MS = 1_000;
const CONFIG = testConfig({
  tmux: { enabled: true, close_delay_ms: '100ms' },
  background_task: { stabilityMs: STABILITY_MS, defaultConcurrency: 20 },
  agents: {
    fake: { command: ['node', AGENT, '--print'], provider: 'local', interactive: { command: ['node', AGENT], signals: 'panecrew' } },
    // The same agent without signals: one-shot, and judged done when its output is quiet.
    quiet: { command: ['bash', '-c', 'echo "$1"; sleep 600', 'quiet', '{prompt}'], provider: 'local', completion: 'idle' },
  },
});

let tmux: TestTmuxServer;
let tc: TestController;
let client: ControllerClient;
const events: Array<{ at: number; task: ListedTask }> = [];
beforeAll(async () => {
  tmux = await startTmuxServer({ width: 200, height: 60 });
  tc = await startTestController(CONFIG);
  client = await tc.client();
  await client.subscribe((e) => e.event === 'task' && events.push({ at: Date.now(), task: e.task }));
});
afterAll(async () => {
  client?.close();
  await tc?.stop();
  await tmux?.kill();
});

const signalAt = (id: string, kind: AgentSignal['kind']) => lastSignalAt(join(tc.home, 'tasks', id, 'signals.jsonl'), signalAdapter('panecrew').read, kind);

const eventAt = (id: string, want: (t: ListedTask) => boolean) =>
  until(async () => events.find((e) => e.task.id === id && want(e.task))?.at, `the event of ${id}`, 60_000).catch((err: unknown) => {
    const dir = join(tc.home, 'tasks', id);
    console.log(readFileSync(join(tc.home, 'controller.log'), 'utf8').split('\n').filter((l) => l.includes(id) || l.includes('DEBUG')).slice(-40).join('\n'));
    for (const f of ['signals.jsonl']) console.log(f, readFileSync(join(dir, f), 'utf8').slice(0, 2000));
    console.log(events.filter((e) => e.task.id === id).map((e) => `${e.task.state} ${e.task.paneId}`).join(' | '));
    throw err;
  });

test('signal → event, beside the stability fallback', async () => {
  const env = await paneEnv(tmux);
  const turn: number[] = [];
  const question: number[] = [];
  const stability: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const ask = await tc.cli(['launch', '--json', '--agent', 'fake', '--prompt', `please ask ${i}`], { env });
    const asked = JSON.parse(String(ask.stdout)) as ListedTask;
    const waitingAt = await eventAt(asked.id, (t) => t.state === 'waiting');
    question.push(waitingAt - signalAt(asked.id, 'waiting'));
    const pane = (await tc.get(asked.id)).paneId!;
    await tmux.client.run(['send-keys', '-t', pane, 'y', 'Enter']);
    const doneAt = await eventAt(asked.id, (t) => t.state === 'completed');
    turn.push(doneAt - signalAt(asked.id, 'turn-end'));
    await tc.cli(['close', asked.id]);

    const quiet = JSON.parse(String((await tc.cli(['launch', '--json', '--agent', 'quiet', '--placement', 'headless', '--prompt', `quiet ${i}`])).stdout)) as ListedTask;
    const quietDoneAt = await eventAt(quiet.id, (t) => t.state === 'completed');
    const { mtimeMs } = statSync(join(tc.home, 'tasks', quiet.id, 'output.log'));
    stability.push(Math.round(quietDoneAt - mtimeMs));
  }
  console.log(figureLine('turn-end signal → completed event', turn));
  console.log(figureLine('waiting signal → waiting event', question));
  console.log(figureLine(`stability fallback: last output → completed event (stabilityMs ${STABILITY_MS})`, stability));
  recordRow(SIGNAL_TABLE, { agent: 'fixture agent (panecrew signals)', [TURN_COLUMN]: figureCell(turn), [WAITING_COLUMN]: figureCell(question) });
  recordRow(SIGNAL_TABLE, { agent: `no signals: stability fallback (${STABILITY_MS} ms of quiet)`, [TURN_COLUMN]: figureCell(stability), [WAITING_COLUMN]: 'never (no signal)' });
  console.log(`signals vs stability fallback: ${(median(stability) / Math.max(1, median(turn))).toFixed(1)}× faster`);
  expect(median(turn)).toBeLessThan(median(stability));
});
