// The real Claude Code, interactive in a real tmux pane, its model played by the local mock API:
// with the hooks `panecrew integrate claude-code` writes, a background task's ending wakes the idle
// main agent (its next model request carries the ending), each ending once, and no waiter outlives it.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeEnv } from '../agents/support.js';
import { shellQuote } from '../../src/mcp/integrate.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { offersTool, promptText, startMockApi, toolExchanges, type MockApi, type MockReply, type RecordedRequest } from '../support/mock-api.js';
import { startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';

const MARKER = 'PANECREW-REWAKE';
const KEY = 'sk-ant-test-dummy-key-0123456789';

/** When each model request arrived, by index. */
const arrivals: number[] = [];
const lastMessage = (req: RecordedRequest) => JSON.stringify(req.messages.at(-1) ?? '');

/** Launches one background task over MCP, then ends its turn; acknowledges every wake. */
function mainAgent(req: RecordedRequest): MockReply {
  arrivals[req.index] = Date.now();
  if (!promptText(req).includes(MARKER)) return { text: 'Rewake demo' };
  if (lastMessage(req).includes('Background task bg_')) return { text: 'Noted the ending.' };
  if (!offersTool(req, 'mcp__panecrew__task')) return { text: 'Waiting for tools.', toolUse: { name: 'WaitForMcpServers', input: {} } };
  if (!toolExchanges(req).some((e) => e.name === 'mcp__panecrew__task')) {
    return { text: 'Starting it.', toolUse: { name: 'mcp__panecrew__task', input: { prompt: 'sleep 2; echo ONE-DONE', subagent_type: 'shell', title: 'one' } } };
  }
  return { text: 'Launched; I will be told when it ends.' };
}

let tc: TestController;
let api: MockApi;
let tmux: TestTmuxServer;
let dir: string;
let project: string;

/** The first request that carries `id`'s ending (a wake, or the prompt hook's notice in a turn). */
const toldOf = (id: string) => api.requests.find((q) => JSON.stringify(q.messages).includes(`Background task ${id} `));
/** How often `id`'s ending appears in the conversation as the model last saw it. */
const timesTold = (id: string) => JSON.stringify(api.requests.at(-1)!.messages).split(`Background task ${id} `).length - 1;

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'panecrew-rewake-')));
  project = join(dir, 'project');
  const home = join(dir, 'home');
  mkdirSync(project);
  mkdirSync(home);
  // Claude Code's own state: set up, this folder trusted, this key approved (no first-run screens).
  writeFileSync(
    join(home, '.claude.json'),
    JSON.stringify({ hasCompletedOnboarding: true, projects: { [project]: { hasTrustDialogAccepted: true } }, customApiKeyResponses: { approved: [KEY.slice(-20)], rejected: [] } }),
  );
  tc = await startTestController(testConfig({ notification: { strategy: 'completion', desktop: { enabled: false }, tmux: { enabled: false }, bell: { enabled: false } } }));
  api = await startMockApi(mainAgent);
  tmux = await startTmuxServer({ width: 160, height: 50 });
  const integrated = await tc.cli(['integrate', 'claude-code', '--write', '--dir', project]);
  expect(integrated.exitCode, integrated.stderr as string).toBe(0);
  const settingsFile = join(project, '.claude', 'settings.json');
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(settingsFile, JSON.stringify({ ...settings, enableAllProjectMcpServers: true, permissions: { allow: ['mcp__panecrew__task', 'mcp__panecrew__background_output'] } }));
  const env = { ...claudeEnv(api.url, home), PANECREW_HOME: tc.home, PANECREW_CONFIG: tc.env.PANECREW_CONFIG!, XDG_CONFIG_HOME: tc.env.XDG_CONFIG_HOME!, MCP_TIMEOUT: '60000', TERM: 'xterm-256color' };
  const script = join(dir, 'main-agent.sh');
  writeFileSync(script, `${Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`).join('\n')}\ncd ${shellQuote(project)}\nexec claude\n`);
  await tmux.client.run(['respawn-pane', '-k', '-t', tmux.mainPane, 'sh', script]);
});
afterAll(async () => {
  await tmux?.kill();
  await api?.close();
  await tc?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
});

const screen = () => tmux.client.run(['capture-pane', '-p', '-t', tmux.mainPane]);
async function type(text: string): Promise<void> {
  await tmux.client.run(['send-keys', '-t', tmux.mainPane, '-l', text]);
  // Enter right behind the text would be read as part of a paste: send it once the text shows.
  await until(async () => ((await screen()).includes(text) ? true : null), 'the typed text', 10_000);
  await until(async () => {
    await tmux.client.run(['send-keys', '-t', tmux.mainPane, 'Enter']);
    return api.requests.some((q) => promptText(q).includes(text)) ? true : null;
  }, 'the prompt to be sent', 30_000, 1_000);
}
/** The session is idle: the last request got its closing answer and the waiter for the next wake holds its lock. */
async function idleWithWaiter(): Promise<void> {
  await until(() => (readdirSync(join(tc.home, 'waiters'), { withFileTypes: true }).some((e) => e.name.endsWith('.pid')) ? true : null), 'a waiter to be armed', 60_000);
}

describe('Claude Code woken by the rewake waiter', () => {
  it('tells an ending to the idle main agent, in its next model request, once', async () => {
    await until(async () => ((await screen()).includes('? for shortcuts') ? true : null), 'claude to be ready', 60_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await screen()}`);
    });
    await type(`${MARKER}: run the one task in the background`);
    const launch = await until(() => api.requests.find((q) => toolExchanges(q).some((e) => e.name === 'mcp__panecrew__task')) ?? null, 'the task call', 60_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await screen()}\n${api.requests.map((q) => `#${q.index} ${lastMessage(q).slice(0, 300)}`).join('\n')}`);
    });
    const reply = toolExchanges(launch).find((e) => e.name === 'mcp__panecrew__task')!.result;
    expect(reply).toContain('you will be told when it ends');
    const id = /task_id: (bg_[0-9a-z]{8})/.exec(reply)![1]!;
    const ended = await tc.waitFinal(id, 30_000);
    const wake = await until(() => toldOf(id) ?? null, 'the wake with the ending', 30_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await screen()}\n${api.requests.map((q) => lastMessage(q).slice(0, 200)).join('\n')}`);
    });
    expect(lastMessage(wake)).toContain(`Background task ${id} (one) completed: ONE-DONE`);
    // Woken, not by a prompt: no request came between the ending and the wake (figures: npm run bench:e2e).
    expect(api.requests.filter((q) => arrivals[q.index]! > ended.endedAt! && q.index < wake.index)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(timesTold(id)).toBe(1);
  }, 180_000);

  it("tells a burst of five endings of tasks launched from the main agent's pane, each once", async () => {
    await idleWithWaiter();
    const c = await tc.client();
    try {
      const tasks = await Promise.all([1, 2, 3, 4, 5].map((n) => tc.launchFast(c, { prompt: `sleep 1; echo BURST-${n}`, title: `burst ${n}`, origin: { tmuxPane: tmux.mainPane } })));
      for (const t of tasks) await tc.waitFinal(t.id);
      await until(() => (tasks.every((t) => toldOf(t.id)) ? true : null), 'every ending told', 30_000).catch(async (e: Error) => {
        throw new Error(`${e.message}\n${readFileSync(join(tc.home, 'deliveries.jsonl'), 'utf8')}\n${await screen()}\n${api.requests.map((q) => `#${q.index} ${lastMessage(q).slice(0, 400)}`).join('\n')}`);
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
    await idleWithWaiter();
    const c = await tc.client();
    const t = await tc.launchFast(c, { prompt: 'sleep 2; echo AFTER-RESTART', title: 'restart', origin: { tmuxPane: tmux.mainPane } });
    c.close();
    await tc.kill('SIGKILL');
    await tc.start();
    await tc.waitFinal(t.id);
    await until(() => toldOf(t.id) ?? null, 'the wake after the restart', 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(timesTold(t.id)).toBe(1);
  }, 90_000);

  it('leaves no waiter behind once Claude Code is gone', async () => {
    await idleWithWaiter();
    const pids = readdirSync(join(tc.home, 'waiters'))
      .filter((f) => f.endsWith('.pid'))
      .map((f) => Number(readFileSync(join(tc.home, 'waiters', f), 'utf8')));
    expect(pids.length).toBeGreaterThan(0);
    // Claude Code alone is killed (not its pane's process group): the waiters must notice by themselves.
    process.kill(Number(await tmux.client.run(['display', '-p', '-t', tmux.mainPane, '#{pane_pid}'])), 'SIGKILL');
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
