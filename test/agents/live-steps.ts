// The steps every real CLI's live test takes (test/agents/<cli>-live.test.ts): one agent, live in
// its pane through the real controller, offline against the local model API. Each test file states
// only its CLI, its server's script and its quirks; what is checked after each step is the same.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { processAlive } from '../../src/runner/kill.js';
import { until, type TestController } from '../support/controller.js';
import type { MockApi, RecordedRequest } from '../support/mock-api.js';
import type { TestTmuxServer } from '../support/tmux-server.js';

export const COMMAND = 'echo live-step-ran > step.txt && cat step.txt';
export const FIRST_RESULT = 'First answer: live-step-ran';
export const SECOND = 'SECOND-TURN please summarise';
export const SECOND_RESULT = 'Second answer: summarised.';
export const QUEUED = 'QUEUED-TURN after the person';
export const QUEUED_RESULT = 'Queued answer.';
export const THIRD = 'THIRD-TURN after resume';
export const THIRD_RESULT = 'Third answer: resumed.';
export const SLOW = 120_000;

/** The text of the request's last user message that has text (a prompt, not only a tool's result). */
export function lastUserText(req: RecordedRequest): string {
  const last = [...req.messages].reverse().find((m) => m.role === 'user' && (typeof m.content === 'string' || m.content.some((b) => b.type === 'text')));
  if (!last) return '';
  return typeof last.content === 'string' ? last.content : last.content.flatMap((b) => (b.type === 'text' ? [String(b.text)] : [])).join('\n');
}

/** What the steps work on; a getter, since the suite's beforeAll and first test fill it in. */
export interface LiveScene {
  tc: TestController;
  tmux: TestTmuxServer;
  api: MockApi;
  /** The task the steps act on. */
  id: string;
}

/** The steps for one CLI (`name` as failures and waits call it). */
export function liveSteps(scene: () => LiveScene, name: string) {
  const screen = (paneId: string) => scene().tmux.client.run(['capture-pane', '-p', '-t', paneId]);

  /** The task once `want` holds; an error it did not want fails at once, with its pane and signals. */
  const state = (want: (t: ListedTask) => boolean, what: string, id = scene().id) => {
    const { tc } = scene();
    return until(async () => {
      const t = await tc.get(id);
      if (t.state === 'error' && !want(t)) throw new Error(`task error: ${t.reason ?? ''}`);
      return want(t) ? t : undefined;
    }, what, SLOW).catch(async (err: Error) => {
      const t = await tc.get(id).catch(() => undefined);
      const signals = join(tc.home, 'tasks', id, 'signals.jsonl');
      throw new Error(`${err.message}; task ${t?.state}\n--- pane ---\n${t?.paneId ? await screen(t.paneId).catch(() => '?') : '(no pane)'}\n--- signals ---\n${existsSync(signals) ? readFileSync(signals, 'utf8').slice(-3000) : '(none)'}`);
    });
  };

  return {
    screen,
    state,

    /** `send` starts a second turn, confirmed by the agent; its result replaces the first, kept in turns/1.md. */
    async followUp(): Promise<void> {
      const { tc, id } = scene();
      const sent = await tc.cli(['send', id, SECOND, '--json']);
      expect(sent.exitCode, String(sent.stderr)).toBe(0);
      expect(JSON.parse(String(sent.stdout)).outcome).toBe('confirmed');
      const second = await state((x) => x.state === 'completed' && (x.turns?.length ?? 0) === 2, 'the second turn to end');
      expect(second.resultPreview).toBe(SECOND_RESULT);
      expect(readFileSync(join(tc.home, 'tasks', id, 'turns', '1.md'), 'utf8')).toBe(FIRST_RESULT);
    },

    /** Text the person half-typed (`shows`: how the input box shows it) holds a `send` back; typed once cleared. */
    async halfTyped(shows: string): Promise<void> {
      const { tc, tmux, api, id } = scene();
      const { paneId } = await tc.get(id);
      await tmux.client.run(['send-keys', '-t', paneId!, '-l', 'half typed']);
      await until(async () => ((await screen(paneId!)).includes(shows) ? true : null), 'the half-typed text');
      const sent = await tc.cli(['send', id, QUEUED, '--json']);
      expect(sent.exitCode, String(sent.stderr)).toBe(0);
      expect(JSON.parse(String(sent.stdout)).outcome).toBe('queued');
      expect(JSON.stringify(api.requests.map((r) => r.messages))).not.toContain('QUEUED-TURN');
      for (let i = 0; i < 'half typed'.length; i++) await tmux.client.run(['send-keys', '-t', paneId!, 'BSpace']);
      const third = await state((x) => x.state === 'completed' && (x.turns?.length ?? 0) === 3, 'the queued turn to end');
      expect(third.resultPreview).toBe(QUEUED_RESULT);
      expect(lastUserText(api.requests.at(-1)!)).toBe(QUEUED);
    },

    /** A controller SIGKILL + restart re-adopts the open agent (same process, same turns); `close`
     *  ends it and keeps its result; with `resume`, `panecrew resume` reopens the same conversation. */
    async readoptCloseResume({ resume }: { resume: boolean }): Promise<void> {
      const { tc, api, id } = scene();
      const before = await tc.get(id);
      await tc.kill('SIGKILL');
      await tc.start();
      const adopted = await state((x) => x.agentOpen, 'the agent to be adopted');
      expect(adopted.pid).toBe(before.pid);
      expect(adopted.turns).toHaveLength(before.turns!.length);
      expect((await tc.cli(['close', id])).exitCode).toBe(0);
      await until(async () => !processAlive(before.pid!), `${name} to exit`, SLOW);
      const closed = await tc.get(id);
      expect(closed.state).toBe('completed');
      expect(closed.agentOpen).toBe(false);
      expect(closed.resultPreview).toBe(before.resultPreview);
      if (!resume) return;
      const resumed = await tc.cli(['resume', id, THIRD]);
      expect(resumed.exitCode, String(resumed.stderr)).toBe(0);
      const again = await state((x) => x.state === 'completed' && (x.turns?.length ?? 0) === before.turns!.length + 1, 'the resumed turn to end');
      expect(again.resultPreview).toBe(THIRD_RESULT);
      expect(again.attempts.at(-1)!.sessionId).toBe(before.attempts.at(-1)!.sessionId);
      // The same conversation: the model saw the earlier turns.
      expect(JSON.stringify(api.requests.at(-1)!.messages)).toContain('SECOND-TURN');
      expect((await tc.cli(['close', id])).exitCode).toBe(0);
    },

    /** `cancel` on an agent waiting on the person ends it: cancelled, not open, its process gone. */
    async cancelWaiting(id: string): Promise<void> {
      const { tc } = scene();
      const waiting = await state((x) => x.state === 'waiting', 'the permission prompt', id);
      expect((await tc.cli(['cancel', id])).exitCode).toBe(0);
      const cancelled = await state((x) => x.state === 'cancelled', 'the task to be cancelled', id);
      expect(cancelled.agentOpen).toBe(false);
      await until(async () => !processAlive(waiting.pid!), `${name} to exit`, SLOW);
    },
  };
}
