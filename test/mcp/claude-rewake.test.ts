// The real Claude Code, interactive in a real tmux pane, its model played by the local mock API:
// with the hooks `panecrew integrate claude-code` writes, a background task's ending wakes the idle
// main agent (its next model request carries the ending), each ending once, and no waiter outlives it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/controller.js';
import { startClaudePane, type ClaudePane } from '../support/claude-pane.js';
import { offersTool, promptText, toolExchanges, type MockReply, type RecordedRequest } from '../support/mock-api.js';

const MARKER = 'PANECREW-REWAKE';

const lastMessage = (req: RecordedRequest) => JSON.stringify(req.messages.at(-1) ?? '');

/** Launches one background task over MCP, then ends its turn; acknowledges every wake. */
function mainAgent(req: RecordedRequest): MockReply {
  if (!promptText(req).includes(MARKER)) return { text: 'Rewake demo' };
  if (lastMessage(req).includes('Background task bg_')) return { text: 'Noted the ending.' };
  if (!offersTool(req, 'mcp__panecrew__task')) return { text: 'Waiting for tools.', toolUse: { name: 'WaitForMcpServers', input: {} } };
  if (!toolExchanges(req).some((e) => e.name === 'mcp__panecrew__task')) {
    return { text: 'Starting it.', toolUse: { name: 'mcp__panecrew__task', input: { prompt: 'sleep 2; echo ONE-DONE', subagent_type: 'shell', title: 'one' } } };
  }
  return { text: 'Launched; I will be told when it ends.' };
}

let cp: ClaudePane;
beforeAll(async () => {
  cp = await startClaudePane(mainAgent);
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
      // In one wake.
      expect(new Set(tasks.map((t) => toldOf(t.id)!.index)).size).toBe(1);
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
