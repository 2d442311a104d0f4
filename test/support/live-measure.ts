// The loop the live-agent measurements of bench:e2e share: one interactive agent in its pane, several
// turns (the first from its prompt, the rest from `send`), each asking the person's permission for a
// command; how long from the agent's own signal to the controller's task event, for the permission
// prompt (→ `waiting`) and the turn's end (→ `completed`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ControllerClient } from '../../src/controller/client.js';
import type { ListedTask } from '../../src/controller/protocol.js';
import type { AgentSignal } from '../../src/core/signal.js';
import { until, type TestController } from './controller.js';
import type { RecordedRequest } from './mock-api.js';
import { lastSignalAt } from './signal-figures.js';
import type { TestTmuxServer } from './tmux-server.js';

const SLOW = 120_000;

/** The turn a request belongs to: the number in the latest "turn N" the person (or send) typed. */
export function turnOf(req: RecordedRequest): number | undefined {
  for (const m of [...req.messages].reverse()) {
    if (m.role !== 'user') continue;
    const text = typeof m.content === 'string' ? m.content : m.content.flatMap((b) => (b.type === 'text' ? [String(b.text)] : [])).join('\n');
    const n = /\bturn (\d+)\b/.exec(text)?.[1];
    if (n !== undefined) return Number(n);
  }
  return undefined;
}

/** Each state change of a task, as the controller's subscribers see it, with when it arrived. */
export async function stateEvents(client: ControllerClient): Promise<Array<{ at: number; task: ListedTask }>> {
  const events: Array<{ at: number; task: ListedTask }> = [];
  // State changes only: a task's progress while it waits is an event too.
  await client.subscribe((e) => {
    if (e.event === 'task' && events.filter((x) => x.task.id === e.task.id).at(-1)?.task.state !== e.task.state) events.push({ at: Date.now(), task: e.task });
  });
  return events;
}

export interface MeasureTurns {
  tc: TestController;
  tmux: TestTmuxServer;
  events: Array<{ at: number; task: ListedTask }>;
  /** The task, launched with the prompt `turn 0`. */
  id: string;
  turns: number;
  /** The agent's signal normaliser (src/runner/signals). */
  read: (line: string) => AgentSignal | null;
  /** The key that approves once in its permission dialog. */
  allowKey: string;
  /** Text on the screen once the dialog takes keys (the hook may run before it is drawn). */
  dialogShows?: string;
  /** The result of turn n (from 0). */
  result: (n: number) => string;
}

/** Runs the turns and returns the delays, in ms, signal → `waiting` event and signal → `completed` event. */
export async function measureTurns(m: MeasureTurns): Promise<{ waiting: number[]; turn: number[] }> {
  const { tc, tmux, events, id } = m;
  const signals = join(tc.home, 'tasks', id, 'signals.jsonl');
  const screen = (pane: string) => tmux.client.run(['capture-pane', '-p', '-t', pane]);
  // The n-th event of this task into `state`, counted from the start.
  const nthEvent = (state: string, n: number) =>
    until(async () => events.filter((e) => e.task.id === id && e.task.state === state)[n - 1], `event ${state} #${n}`, SLOW).catch(async (err: Error) => {
      const t = await tc.get(id);
      throw new Error(`${err.message}; task ${t.state} ${t.question ?? ''}\n--- pane ---\n${t.paneId ? await screen(t.paneId).catch(() => '?') : '(no pane)'}\n--- signals ---\n${existsSync(signals) ? readFileSync(signals, 'utf8').slice(-3000) : '(none)'}`);
    });
  const waiting: number[] = [];
  const turn: number[] = [];
  for (let n = 1; n <= m.turns; n++) {
    if (n > 1) expect(JSON.parse(String((await tc.cli(['send', id, `turn ${n - 1}`, '--json'])).stdout)).outcome).toBe('confirmed');
    const asked = await nthEvent('waiting', n);
    waiting.push(asked.at - lastSignalAt(signals, m.read, 'waiting'));
    const dialog = m.dialogShows;
    if (dialog) await until(async () => ((await screen(asked.task.paneId!)).includes(dialog) ? true : null), 'the permission dialog', SLOW);
    await tmux.client.run(['send-keys', '-t', asked.task.paneId!, m.allowKey]);
    const done = await nthEvent('completed', n);
    expect(done.task.resultPreview).toBe(m.result(n - 1));
    turn.push(done.at - lastSignalAt(signals, m.read, 'turn-end'));
  }
  return { waiting, turn };
}
