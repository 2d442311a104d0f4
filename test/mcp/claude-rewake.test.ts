// The real Claude Code, interactive in a real tmux pane, its model played by the local mock API:
// with the hooks `panecrew integrate claude-code` writes, a background task's ending wakes the idle
// main agent (its next model request carries the ending), each ending once, and no waiter outlives it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/controller.js';
import { startClaudePane, type ClaudePane } from '../support/claude-pane.js';
import { offersTool, promptText, toolExchanges, type MockReply, type RecordedRequest } from '../support/mock-api.js';
import { INPUT_BOXES } from '../../src/tmux/input-boxes.js';

const MARKER = 'PANECREW-REWAKE';
const MIDTURN = 'PANECREW-MIDTURN';
/** The mid-turn test's tool call: long enough for a task to end while it runs. */
const SLOW_COMMAND = 'sleep 4; echo SLOW-DONE';

const lastMessage = (req: RecordedRequest) => JSON.stringify(req.messages.at(-1) ?? '');

/** Launches one background task over MCP, then ends its turn; acknowledges every wake. */
function mainAgent(req: RecordedRequest): MockReply {
  // Mid-turn: one slow Bash command, then the turn ends.
  if (JSON.stringify(req.messages).includes(MIDTURN) && offersTool(req, 'Bash') && !toolExchanges(req).some((e) => e.name === 'Bash')) {
    return { text: 'Running it.', toolUse: { name: 'Bash', input: { command: SLOW_COMMAND, description: 'slow command' } } };
  }
  if (!promptText(req).includes(MARKER)) return { text: 'Rewake demo' };
  if (lastMessage(req).includes('Background task bg_')) return { text: 'Noted the ending.' };
  if (!offersTool(req, 'mcp__panecrew__task')) {
    if (offersTool(req, 'WaitForMcpServers')) return { text: 'Waiting for tools.', toolUse: { name: 'WaitForMcpServers', input: {} } };
    // Newer Claude Code (2.1.332) defers MCP tools: the model loads a tool's schema with ToolSearch first.
    if (offersTool(req, 'ToolSearch') && !toolExchanges(req).some((e) => e.name === 'ToolSearch')) return { text: 'Loading the tool.', toolUse: { name: 'ToolSearch', input: { query: 'select:mcp__panecrew__task' } } };
    return { text: 'The panecrew tools are not loaded yet.' };
  }
  if (!toolExchanges(req).some((e) => e.name === 'mcp__panecrew__task')) {
    return { text: 'Starting it.', toolUse: { name: 'mcp__panecrew__task', input: { prompt: 'sleep 2; echo ONE-DONE', subagent_type: 'shell', title: 'one' } } };
  }
  return { text: 'Launched; I will be told when it ends.' };
}

let cp: ClaudePane;
beforeAll(async () => {
  cp = await startClaudePane(mainAgent, { allow: ['Bash'] });
}, 120_000);
afterAll(async () => {
  await cp?.close();
});

/** The first request that carries `id`'s ending (a wake, or the prompt hook's notice in a turn). */
const toldOf = (id: string) => cp.api.requests.find((q) => JSON.stringify(q.messages).includes(`Background task ${id} `));
/** How often `id`'s ending appears in the conversation as the model last saw it. */
const timesTold = (id: string) => JSON.stringify(cp.api.requests.at(-1)!.messages).split(`Background task ${id} `).length - 1;

describe('Claude Code woken by the rewake waiter', () => {
  it('tells an ending to the idle main agent, in its next model request, once', async () => {
    await cp.type(`${MARKER}: run the one task in the background`);
    const launch = await until(() => cp.api.requests.find((q) => toolExchanges(q).some((e) => e.name === 'mcp__panecrew__task')) ?? null, 'the task call', 60_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await cp.screen()}\n${cp.api.requests.map((q) => `#${q.index} ${lastMessage(q).slice(0, 300)}`).join('\n')}`);
    });
    const reply = toolExchanges(launch).find((e) => e.name === 'mcp__panecrew__task')!.result;
    expect(reply).toContain('you will be told when it ends');
    const id = /task_id: (bg_[0-9a-z]{8})/.exec(reply)![1]!;
    const ended = await cp.tc.waitFinal(id, 30_000);
    const wake = await until(() => toldOf(id) ?? null, 'the wake with the ending', 30_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await cp.screen()}\n${cp.api.requests.map((q) => lastMessage(q).slice(0, 200)).join('\n')}`);
    });
    expect(lastMessage(wake)).toContain(`Background task ${id} (one) completed: ONE-DONE`);
    // Woken, not by a prompt: no request came between the ending and the wake (figures: npm run bench:e2e).
    expect(cp.api.requests.filter((q) => cp.arrivals[q.index]! > ended.endedAt! && q.index < wake.index)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(timesTold(id)).toBe(1);
  }, 180_000);

  it("tells a burst of five endings of tasks launched from the main agent's pane, each once", async () => {
    await cp.waiterArmed();
    const c = await cp.tc.client();
    try {
      const tasks = await Promise.all([1, 2, 3, 4, 5].map((n) => cp.tc.launchFast(c, { prompt: `sleep 1; echo BURST-${n}`, title: `burst ${n}`, origin: { tmuxPane: cp.tmux.mainPane } })));
      for (const t of tasks) await cp.tc.waitFinal(t.id);
      await until(() => (tasks.every((t) => toldOf(t.id)) ? true : null), 'every ending told', 30_000).catch(async (e: Error) => {
        throw new Error(`${e.message}\n${readFileSync(join(cp.tc.home, 'deliveries.jsonl'), 'utf8')}\n${await cp.screen()}\n${cp.api.requests.map((q) => `#${q.index} ${lastMessage(q).slice(0, 400)}`).join('\n')}`);
      });
      // Settle: anything told twice would come in a later request.
      await new Promise((r) => setTimeout(r, 1_000));
      for (const t of tasks) expect(timesTold(t.id), t.id).toBe(1);
      // Together, not a wake per ending: one wake, or two when the endings straddle one on a loaded
      // machine (the whole suite at load 4 spread these five starts over more than the wake's batching).
      expect(new Set(tasks.map((t) => toldOf(t.id)!.index)).size).toBeLessThanOrEqual(2);
    } finally {
      c.close();
    }
  }, 120_000);

  it('tells an ending that came while the controller was SIGKILLed and restarted, once', async () => {
    await cp.waiterArmed();
    const c = await cp.tc.client();
    const t = await cp.tc.launchFast(c, { prompt: 'sleep 2; echo AFTER-RESTART', title: 'restart', origin: { tmuxPane: cp.tmux.mainPane } });
    c.close();
    await cp.tc.kill('SIGKILL');
    await cp.tc.start();
    await cp.tc.waitFinal(t.id);
    await until(() => toldOf(t.id) ?? null, 'the wake after the restart', 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(timesTold(t.id)).toBe(1);
  }, 90_000);

  it('tells an ending that comes just after a wake, before the next waiter is armed, once', async () => {
    await cp.waiterArmed();
    const c = await cp.tc.client();
    try {
      const first = await cp.tc.launchFast(c, { prompt: 'sleep 1; echo FIRST', title: 'first', origin: { tmuxPane: cp.tmux.mainPane } });
      await until(() => toldOf(first.id) ?? null, 'the first wake', 30_000);
      // The waiter that woke has exited; the next one starts only after this wake's turn (≈ 0.3 s).
      const second = await cp.tc.launchFast(c, { prompt: 'echo SECOND', title: 'second', origin: { tmuxPane: cp.tmux.mainPane } });
      await cp.tc.waitFinal(second.id);
      await until(() => toldOf(second.id) ?? null, 'the second wake', 30_000);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(timesTold(first.id)).toBe(1);
      expect(timesTold(second.id)).toBe(1);
    } finally {
      c.close();
    }
  }, 90_000);

  it('tells an ending that comes while the main agent is mid-turn inside that turn', async () => {
    await cp.waiterArmed();
    const from = cp.api.requests.length;
    await cp.type(`${MIDTURN}: run the slow command`);
    // The turn is running: its slow command has been asked for.
    await until(() => cp.api.requests.find((q) => q.index >= from && JSON.stringify(q.messages).includes(MIDTURN)) ?? null, 'the mid-turn prompt', 30_000);
    const c = await cp.tc.client();
    const t = await cp.tc.launchFast(c, { prompt: 'sleep 1; echo MID-DONE', title: 'mid', origin: { tmuxPane: cp.tmux.mainPane } });
    c.close();
    const told = await until(() => toldOf(t.id) ?? null, 'the ending', 30_000);
    // In the request that carries the slow command's result: the same turn, not a wake after it.
    expect(toolExchanges(told).find((e) => e.name === 'Bash')?.result).toContain('SLOW-DONE');
    expect(JSON.stringify(told.messages.slice(-1))).toContain(`Background task ${t.id} (mid) completed: MID-DONE`);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(timesTold(t.id)).toBe(1);
  }, 90_000);

  it("leaves a half-typed input in the main agent's box untouched when it wakes", async () => {
    await cp.waiterArmed();
    const half = 'half typed, not sent';
    await cp.tmux.client.run(['send-keys', '-t', cp.tmux.mainPane, '-l', half]);
    await until(async () => (INPUT_BOXES.claude(await cp.screen()) === half ? true : null), 'the half-typed input', 10_000);
    const c = await cp.tc.client();
    const t = await cp.tc.launchFast(c, { prompt: 'sleep 1; echo TYPED-DONE', title: 'typed', origin: { tmuxPane: cp.tmux.mainPane } });
    c.close();
    const wake = await until(() => toldOf(t.id) ?? null, 'the wake', 30_000);
    // The wake's turn has ended (its answer shows), and the box still holds the text, unsent.
    await until(async () => ((await cp.screen()).includes('Noted the ending.') && cp.api.requests.length > wake.index ? true : null), 'the wake turn to end', 30_000);
    await until(() => (cp.waiters().length ? true : null), 'the next waiter', 30_000);
    expect(INPUT_BOXES.claude(await cp.screen())).toBe(half);
    expect(cp.api.requests.some((q) => JSON.stringify(q.messages).includes(half))).toBe(false);
    expect(timesTold(t.id)).toBe(1);
  }, 90_000);

  it('after a restart with --continue, tells an ending of the session once, and no earlier one again', async () => {
    await cp.waiterArmed();
    const session = () => readdirSync(`${cp.tc.home}/waiters`).find((f) => f.endsWith('.pid'))?.replace(/\.pid$/, '') ?? null;
    const before = await until(session, "the session's waiter");
    const c = await cp.tc.client();
    const told = await cp.tc.launchFast(c, { prompt: 'sleep 1; echo BEFORE-RESTART', title: 'before', origin: { tmuxPane: cp.tmux.mainPane } });
    await until(() => toldOf(told.id) ?? null, 'the ending before the restart', 30_000);
    // Linked to the session, from no pane of its own: only the session id can bring it back.
    const later = await cp.tc.launchFast(c, { prompt: 'sleep 3; echo DURING-RESTART', title: 'during', origin: { tmuxPane: '%999' } });
    await c.request({ op: 'claim', session: before, link: [later.id], take: false });
    c.close();
    await cp.restart(['--continue']);
    await cp.tc.waitFinal(later.id);
    await cp.waiterArmed();
    expect(session()).toBe(before);
    await until(() => cp.api.requests.find((q) => JSON.stringify(q.messages).includes(`Background task ${later.id} `)) ?? null, 'the ending after the restart', 30_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await cp.screen()}\n${readFileSync(join(cp.tc.home, 'deliveries.jsonl'), 'utf8')}`);
    });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(timesTold(later.id)).toBe(1);
    expect(timesTold(told.id)).toBe(1);
  }, 120_000);

  it('leaves no waiter behind once Claude Code is gone', async () => {
    await cp.waiterArmed();
    const pids = cp.waiters();
    expect(pids.length).toBeGreaterThan(0);
    // Claude Code alone is killed (not its pane's process group): the waiters must notice by themselves.
    process.kill(Number(await cp.tmux.client.run(['display', '-p', '-t', cp.tmux.mainPane, '#{pane_pid}'])), 'SIGKILL');
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await until(() => (pids.some(alive) ? null : true), 'every waiter to exit', 10_000);
  }, 60_000);
});
