// One measure for every real CLI live in its pane (test/agents/<cli>-live.measure.ts): through the
// real controller, offline against the local model API, how long from the agent's own signals to
// the controller's task events — the permission prompt → `waiting`, the turn's end → `completed` —
// over several turns of one agent (the first from its prompt, the rest from `send`), each asking to
// run a command that needs the person's approval, approved with keys sent to the pane. The figures
// are printed and added as one row of bench:e2e's side-by-side table (signal-figures.ts).
//
// Usage, in a *.measure.ts file (run by `npm run bench:e2e`, vitest.measure.config.ts):
//
//   measureLive({
//     name: 'Codex', via: 'hooks', agent: 'codex', protocol: openAiResponses, read: readCodexSignal,
//     signals: { waiting: 'PermissionRequest', turnEnd: 'Stop' },
//     tool: 'exec_command', toolInput: (cmd) => ({ cmd, sandbox_permissions: 'require_escalated' }),
//     env: (url, project) => codexEnv(url, project.home),
//     approve: { keys: ['y'], shown: 'Press enter to confirm' },
//   });
//
// The suite is skipped when node_modules/.bin has no `agent` executable (npm run agents:install).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ControllerClient } from '../../src/controller/client.js';
import type { ListedTask } from '../../src/controller/protocol.js';
import type { AgentSignal } from '../../src/core/signal.js';
import { BIN, launchWith, makeProject, type Project } from '../agents/support.js';
import { startTestController, testConfig, until, type TestController } from './controller.js';
import { figureCell, figureLine, recordRow } from './figures.js';
import { offersTool, startMockApi, toolExchanges, type MockApi, type MockProtocol, type MockReply, type RecordedRequest } from './mock-api.js';
import { lastSignalAt, SIGNAL_TABLE, TURN_COLUMN, WAITING_COLUMN } from './signal-figures.js';
import { paneEnv, startTmuxServer, type TestTmuxServer } from './tmux-server.js';

export interface LiveAgent {
  /** The CLI's name in the figure lines: 'Codex'. */
  name: string;
  /** Where its signals come from, for the table row `name (via)`: 'hooks', 'plugin'. */
  via: string;
  /** The built-in profile launched (`--agent`), also the executable looked for in node_modules/.bin. */
  agent: string;
  /** The local API's wire protocol (startMockApi's; default: Anthropic Messages). */
  protocol?: MockProtocol;
  /** The agent's signal adapter's `read`, to find when each signal was written. */
  read: (line: string) => AgentSignal | null;
  /** What the figure lines call the two signals, in the agent's own words. */
  signals: { waiting: string; turnEnd: string };
  /** The tool the model calls each turn, and its input to run `command` (one that needs approval). */
  tool: string;
  toolInput: (command: string) => Record<string, unknown>;
  /** The environment that points the CLI at the local API `url`, in the project's own home. */
  env: (url: string, project: Project) => Record<string, string>;
  /** The keys that approve the prompt in the pane; `shown`: text the pane shows once the dialog
   *  takes keys (a signal written before the dialog is drawn would lose keys sent at once). */
  approve: { keys: string[]; shown?: string };
  /** More `launch` arguments (e.g. an explicit --model). */
  launchArgs?: string[];
}

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

/** Each state change of a task, as the controller's subscribers see it, with when it arrived. */
async function stateEvents(client: ControllerClient): Promise<Array<{ at: number; task: ListedTask }>> {
  const events: Array<{ at: number; task: ListedTask }> = [];
  // State changes only: a task's progress while it waits is an event too.
  await client.subscribe((e) => {
    if (e.event === 'task' && events.filter((x) => x.task.id === e.task.id).at(-1)?.task.state !== e.task.state) events.push({ at: Date.now(), task: e.task });
  });
  return events;
}

/** The model: each turn runs one command that writes a file (read-only ones may run unasked), then answers. */
function scriptFor(agent: LiveAgent) {
  return (req: RecordedRequest): MockReply => {
    const n = turnOf(req);
    if (!offersTool(req, agent.tool) || n === undefined) return { text: 'Title' };
    const command = `echo measured-${n} > measured-${n}.txt`;
    const ran = toolExchanges(req).some((e) => e.name === agent.tool && Object.values(e.input).includes(command));
    // The tool call alone: Gemini CLI would make text beside it part of the turn's result.
    return ran ? { text: `Answer ${n}.` } : { toolUse: { name: agent.tool, input: agent.toolInput(command) } };
  };
}

/** Defines the suite that measures `agent` over `turns` turns and records its row. */
export function measureLive(agent: LiveAgent, turns = 6): void {
  describe.skipIf(!existsSync(join(BIN, agent.agent)))(`${agent.name} live: signal → event`, () => {
    let project: Project;
    let api: MockApi;
    let tmux: TestTmuxServer;
    let tc: TestController;
    let client: ControllerClient;
    let events: Array<{ at: number; task: ListedTask }>;

    beforeAll(async () => {
      project = makeProject(`panecrew-${agent.agent}-measure-`);
      api = await startMockApi(scriptFor(agent), agent.protocol ? { protocol: agent.protocol } : {});
      tmux = await startTmuxServer({ width: 200, height: 50 });
      tc = await startTestController(testConfig({ tmux: { enabled: true, close_delay_ms: '200ms' } }));
      client = await tc.client();
      events = await stateEvents(client);
    });
    afterAll(async () => {
      client?.close();
      await tc?.stop();
      await tmux?.kill();
      await api?.close();
    });

    test(`permission → waiting and turn end → completed over ${turns} turns`, { timeout: turns * 2 * SLOW }, async () => {
      const env = { ...agent.env(api.url, project), ...(await paneEnv(tmux)), TERM: 'xterm-256color' };
      const { id } = await launchWith(tc, ['--agent', agent.agent, ...(agent.launchArgs ?? []), '--cwd', project.dir, '--prompt', 'turn 0'], env);
      const signals = join(tc.home, 'tasks', id, 'signals.jsonl');
      const screen = async (paneId: string | null | undefined) => (paneId ? await tmux.client.run(['capture-pane', '-p', '-t', paneId]).catch(() => '?') : '(no pane)');
      const explained = async (err: Error) => {
        const t = await tc.get(id);
        return new Error(`${err.message}; task ${t.state} ${t.question ?? ''}\n--- pane ---\n${await screen(t.paneId)}\n--- signals ---\n${existsSync(signals) ? readFileSync(signals, 'utf8').slice(-3000) : '(none)'}`);
      };
      // The n-th event of this task into `state`, counted from the start.
      const nthEvent = (state: string, n: number) =>
        until(async () => events.filter((e) => e.task.id === id && e.task.state === state)[n - 1], `event ${state} #${n}`, SLOW).catch(async (err: Error) => {
          throw await explained(err);
        });
      const waiting: number[] = [];
      const turn: number[] = [];
      for (let n = 1; n <= turns; n++) {
        if (n > 1) expect(JSON.parse(String((await tc.cli(['send', id, `turn ${n - 1}`, '--json'])).stdout)).outcome).toBe('confirmed');
        const asked = await nthEvent('waiting', n);
        waiting.push(asked.at - lastSignalAt(signals, agent.read, 'waiting'));
        const pane = asked.task.paneId!;
        const { shown } = agent.approve;
        if (shown) await until(async () => (await screen(pane)).includes(shown), 'the approval dialog', SLOW).catch(async (err: Error) => Promise.reject(await explained(err)));
        await tmux.client.run(['send-keys', '-t', pane, ...agent.approve.keys]);
        const done = await nthEvent('completed', n);
        expect(done.task.resultPreview).toBe(`Answer ${n - 1}.`);
        turn.push(done.at - lastSignalAt(signals, agent.read, 'turn-end'));
      }
      await tc.cli(['close', id]);
      console.log(figureLine(`${agent.name}: ${agent.signals.waiting} signal → waiting event`, waiting));
      console.log(figureLine(`${agent.name}: ${agent.signals.turnEnd} signal → completed event`, turn));
      recordRow(SIGNAL_TABLE, { agent: `${agent.name} (${agent.via})`, [TURN_COLUMN]: figureCell(turn), [WAITING_COLUMN]: figureCell(waiting) });
    });
  });
}
