// The real OpenCode TUI, in a real tmux pane, its model played by the local mock API: with the
// plugin `panecrew integrate opencode` writes, a background task's ending wakes the idle session
// (its next model request carries the ending), each ending once, also after a controller restart.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../agents/support.js';
import { testConfig, until } from '../support/controller.js';
import { startOpencodePane, type OpencodePane } from '../support/opencode-pane.js';
import { offersTool, toolExchanges, type MockReply, type RecordedRequest } from '../support/mock-api.js';

const MARKER = 'PANECREW-OPENCODE-WAKE';
// The task ends once the test opens this gate: after the session's turn, whatever the load.
const GATE = join(tmpdir(), `panecrew-opencode-wake-gate-${process.pid}`);
const lastMessage = (req: RecordedRequest) => JSON.stringify(req.messages.at(-1) ?? '');

/** Launches one background task over MCP, then ends its turn; acknowledges every wake. */
function mainAgent(req: RecordedRequest): MockReply {
  if (lastMessage(req).includes('Background task bg_')) return { text: 'Noted the ending.' };
  if (!JSON.stringify(req.messages).includes(MARKER) || !offersTool(req, 'panecrew_task')) return { text: 'OK.' };
  if (!toolExchanges(req).some((e) => e.name === 'panecrew_task')) {
    return { text: 'Starting it.', toolUse: { name: 'panecrew_task', input: { prompt: `while [ ! -e ${GATE} ]; do sleep 0.05; done; echo ONE-DONE`, subagent_type: 'shell', title: 'one' } } };
  }
  return { text: 'Launched; I will be told when it ends.' };
}

let op: OpencodePane;

const toldOf = (id: string) => op.api.requests.find((q) => JSON.stringify(q.messages).includes(`Background task ${id} `));
const timesTold = (id: string) => JSON.stringify(op.api.requests.at(-1)!.messages).split(`Background task ${id} `).length - 1;

// OpenCode is installed beside the locked packages (npm run agents:install): without it, skipped.
describe.skipIf(!existsSync(join(BIN, 'opencode')))('OpenCode woken by the panecrew plugin', () => {
  beforeAll(async () => {
    op = await startOpencodePane(mainAgent);
  }, 120_000);
  afterAll(async () => {
    rmSync(GATE, { force: true });
    await op?.close();
  });

  it('tells an ending to the idle session, in its next model request, once', async () => {
    await op.type(`${MARKER}: run the one task in the background`);
    const launch = await until(() => op.api.requests.find((q) => toolExchanges(q).some((e) => e.name === 'panecrew_task')) ?? null, 'the task call', 60_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await op.screen()}\n${op.api.requests.map((q) => `#${q.index} ${lastMessage(q).slice(0, 300)}`).join('\n')}`);
    });
    const reply = toolExchanges(launch).find((e) => e.name === 'panecrew_task')!.result;
    const id = /task_id: (bg_[0-9a-z]{8})/.exec(reply)![1]!;
    // The session has sent the task's result to the model, the last request of its turn.
    writeFileSync(GATE, '');
    const ended = await op.tc.waitFinal(id, 30_000);
    const wake = await until(() => toldOf(id) ?? null, 'the wake with the ending', 30_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await op.screen()}\n${op.api.requests.map((q) => `#${q.index} ${lastMessage(q).slice(0, 300)}`).join('\n')}`);
    });
    expect(JSON.stringify(wake.messages)).toContain(`Background task ${id} (one) completed: ONE-DONE`);
    console.log(`[opencode wake] endedAt → request ${op.arrivals[wake.index]! - ended.endedAt!} ms`);
    // Woken, not by a prompt: no request of the session's loop (one offering tools; a title request offers none) came between.
    const between = op.api.requests.filter((q) => op.arrivals[q.index]! > ended.endedAt! && q.index < wake.index && q.tools.length > 0);
    expect(between.map((q) => `#${q.index} ${lastMessage(q).slice(0, 200)}`)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(timesTold(id)).toBe(1);
  }, 180_000);

  it("tells a burst of five endings of tasks launched from the session's pane, each once", async () => {
    const c = await op.tc.client();
    try {
      const tasks = await Promise.all([1, 2, 3, 4, 5].map((n) => op.tc.launchFast(c, { prompt: `sleep 1; echo BURST-${n}`, title: `burst ${n}`, origin: { tmuxPane: op.tmux.mainPane } })));
      for (const t of tasks) await op.tc.waitFinal(t.id);
      await until(() => (tasks.every((t) => toldOf(t.id)) ? true : null), 'every ending told', 30_000).catch(async (e: Error) => {
        throw new Error(`${e.message}\n${await op.screen()}\n${op.api.requests.map((q) => `#${q.index} ${lastMessage(q).slice(0, 300)}`).join('\n')}`);
      });
      await new Promise((r) => setTimeout(r, 1_500));
      for (const t of tasks) expect(timesTold(t.id), t.id).toBe(1);
    } finally {
      c.close();
    }
  }, 90_000);

  it('tells an ending that came while the controller was SIGKILLed and restarted, once', async () => {
    const c = await op.tc.client();
    const t = await op.tc.launchFast(c, { prompt: 'sleep 2; echo AFTER-RESTART', title: 'restart', origin: { tmuxPane: op.tmux.mainPane } });
    c.close();
    await op.tc.kill('SIGKILL');
    await op.tc.start();
    await op.tc.waitFinal(t.id);
    await until(() => toldOf(t.id) ?? null, 'the wake after the restart', 30_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await op.screen()}\n${op.api.requests.map((q) => `#${q.index} ${lastMessage(q).slice(0, 300)}`).join('\n')}`);
    });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(timesTold(t.id)).toBe(1);
  }, 90_000);

  it('under the silent strategy wakes nobody; the ending stays for background_output', async () => {
    const strategy = async (name: string) => {
      writeFileSync(op.tc.env.PANECREW_CONFIG!, testConfig({ notification: { strategy: name, desktop: { enabled: false }, tmux: { enabled: false }, bell: { enabled: false } } }));
      const c = await op.tc.client();
      await c.request({ op: 'reload' });
      c.close();
    };
    await strategy('silent');
    try {
      const c = await op.tc.client();
      const t = await op.tc.launchFast(c, { prompt: 'echo QUIET', title: 'quiet', origin: { tmuxPane: op.tmux.mainPane } });
      c.close();
      await op.tc.waitFinal(t.id);
      const requests = op.api.requests.length;
      await new Promise((r) => setTimeout(r, 2_000));
      expect(op.api.requests.length).toBe(requests);
      expect(toldOf(t.id)).toBeUndefined();
    } finally {
      await strategy('completion');
    }
  }, 60_000);

  it('after a restart with --continue, tells an ending of the session once (at its next message), and no earlier one again', async () => {
    const c = await op.tc.client();
    const earlier = await op.tc.launchFast(c, { prompt: 'echo EARLIER', title: 'earlier', origin: { tmuxPane: op.tmux.mainPane } });
    await until(() => toldOf(earlier.id) ?? null, 'the ending before the restart', 30_000);
    const session = /"session":"([^"]+)"/.exec(readFileSync(join(op.tc.home, 'deliveries.jsonl'), 'utf8'))![1]!;
    // Linked to the session, from no pane of its own: only the session id can bring it back.
    const later = await op.tc.launchFast(c, { prompt: 'sleep 3; echo DURING-RESTART', title: 'during', origin: { tmuxPane: '%999' } });
    await c.request({ op: 'claim', session, link: [later.id], take: false });
    c.close();
    await op.restart(['--continue']);
    await op.tc.waitFinal(later.id);
    await op.type('PANECREW-AGAIN: anything new?');
    await until(() => toldOf(later.id) ?? null, 'the ending after the restart', 30_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await op.screen()}\n${readFileSync(join(op.tc.home, 'deliveries.jsonl'), 'utf8')}`);
    });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(timesTold(later.id)).toBe(1);
    expect(timesTold(earlier.id)).toBe(1);
  }, 120_000);
});

