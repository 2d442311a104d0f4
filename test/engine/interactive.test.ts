// An interactive agent in a real tmux pane: its own signals drive the task (running, waiting for the
// person, completed after a turn while it stays open), `send` gives it follow-ups, `close` ends it,
// and a controller SIGKILL + restart re-adopts it without recording a turn twice.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { processAlive } from '../../src/runner/kill.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { paneEnv, startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';
import { startMcp } from '../mcp/helpers.js';

const AGENT = resolve(import.meta.dirname, '../fixtures/interactive-agent.mjs');
const CONFIG = testConfig({
  tmux: { enabled: true, close_delay_ms: '200ms' },
  agents: { fake: { command: ['node', AGENT, '--print'], provider: 'local', interactive: { command: ['node', AGENT], signals: 'panecrew', resume: ['--resume', '{session_id}'] } } },
});

let tc: TestController | undefined;
let tmux: TestTmuxServer | undefined;
afterEach(async () => {
  await tc?.stop();
  await tmux?.kill();
  tc = tmux = undefined;
});

async function setup() {
  tmux = await startTmuxServer({ width: 200, height: 50 });
  tc = await startTestController(CONFIG);
  const env = await paneEnv(tmux);
  const launch = async (args: string[]) => {
    const r = await tc!.cli(['launch', '--json', '--agent', 'fake', ...args], { env });
    if (r.exitCode !== 0) throw new Error(String(r.stderr));
    return JSON.parse(String(r.stdout)) as ListedTask;
  };
  const state = (id: string, want: (t: ListedTask) => boolean, what: string) => until(async () => {
    const t = await tc!.get(id);
    return want(t) ? t : undefined;
  }, what, 30_000);
  const screen = (paneId: string) => tmux!.client.run(['capture-pane', '-p', '-t', paneId]);
  return { launch, state, screen, tc: tc!, tmux: tmux! };
}

const completedTurn = (n: number) => (t: ListedTask) => t.state === 'completed' && (t.turns?.length ?? 0) === n;

describe('an interactive agent in its pane', () => {
  it('takes its prompt in its own input, completes the turn and stays open; send starts a second turn', async () => {
    const { launch, state, screen, tc } = await setup();
    const t = await launch(['--prompt', 'first question']);
    const done = await state(t.id, completedTurn(1), 'the first turn to end');
    expect(done.resultPreview).toBe('echo: first question');
    expect(done.agentOpen).toBe(true);
    expect(done.placement).toBe('pane');
    expect(await screen(done.paneId!)).toContain('echo: first question');
    expect(processAlive(done.pid!)).toBe(true);
    // The slot is free while the agent waits for a follow-up.
    expect((await tc.cli(['ls', '--json'])).exitCode).toBe(0);

    const sent = await tc.cli(['send', t.id, 'and', 'a', 'second', '--json']);
    expect(sent.exitCode).toBe(0);
    expect(JSON.parse(String(sent.stdout)).outcome).toBe('confirmed');
    const second = await state(t.id, completedTurn(2), 'the second turn to end');
    expect(second.resultPreview).toBe('echo: and a second');
    expect(readFileSync(join(tc.home, 'tasks', t.id, 'turns', '1.md'), 'utf8')).toBe('echo: first question');
    expect(readFileSync(join(tc.home, 'tasks', t.id, 'result.md'), 'utf8')).toBe('echo: and a second');

    // A main agent does the same over MCP.
    const mcp = await startMcp(tc.env, { cwd: tc.dir });
    try {
      const reply = await mcp.call('background_send', { task_id: t.id, text: 'third, from MCP' });
      expect(reply.isError).toBe(false);
      expect(reply.text).toContain(`sent: ${t.id} is`);
      const third = await state(t.id, completedTurn(3), 'the third turn to end');
      expect(third.resultPreview).toBe('echo: third, from MCP');
      const refused = await mcp.call('background_send', { task_id: t.id, text: '' });
      expect(refused.isError).toBe(true);
    } finally {
      await mcp.close();
    }
  });

  it('is waiting while it asks the person, and goes on when answered in the pane', async () => {
    const { launch, state, tmux } = await setup();
    const t = await launch(['--prompt', 'please ask first']);
    const waiting = await state(t.id, (x) => x.state === 'waiting', 'the question');
    expect(waiting.question).toBe('Allow Bash `npm test`?');
    const refused = await tc!.cli(['send', t.id, 'hello']);
    expect(refused.exitCode).toBe(3);
    expect(String(refused.stderr)).toContain('answer it there first');
    await tmux.client.run(['send-keys', '-t', waiting.paneId!, 'y', 'Enter']);
    const done = await state(t.id, completedTurn(1), 'the answered turn to end');
    expect(done.resultPreview).toBe('echo: please ask first (answered y)');
    expect(done.question ?? null).toBeNull();
  });

  it('close ends the agent and keeps the result; the pane goes', async () => {
    const { launch, state, tmux } = await setup();
    const t = await launch(['--prompt', 'short one']);
    const done = await state(t.id, completedTurn(1), 'the turn to end');
    const closed = await tc!.cli(['close', t.id, '--json']);
    expect(closed.exitCode).toBe(0);
    const after = await state(t.id, (x) => !x.agentOpen, 'the agent to close');
    expect(after.state).toBe('completed');
    expect(after.resultPreview).toBe('echo: short one');
    expect(after.attempts.at(-1)!.cause).toMatchObject({ kind: 'closed', by: 'closed by request' });
    await until(async () => !processAlive(done.pid!), 'the agent to exit');
    await until(async () => !(await tmux.client.run(['list-panes', '-a', '-F', '#{pane_id}'])).split('\n').includes(done.paneId!), 'its pane to close');

    // resume reopens the same session in a new pane, with the follow-up as its prompt.
    expect((await tc!.cli(['send', t.id, 'too late'])).exitCode).toBe(3);
    const resumed = await tc!.cli(['resume', t.id, 'welcome', 'back']);
    expect(resumed.exitCode).toBe(0);
    const again = await state(t.id, completedTurn(2), 'the resumed turn to end');
    expect(again.resultPreview).toBe('echo: welcome back');
    expect(again.attempts).toHaveLength(2);
    expect(again.attempts[1]!.sessionId).toBe(done.attempts[0]!.sessionId);
    expect(again.agentOpen).toBe(true);
  });

  it('a controller SIGKILL and restart re-adopts the open agent; nothing is recorded twice', async () => {
    const { launch, state, tc } = await setup();
    const t = await launch(['--prompt', 'survive a crash']);
    const done = await state(t.id, completedTurn(1), 'the turn to end');
    await tc.kill('SIGKILL');
    await tc.start();
    const adopted = await state(t.id, (x) => x.agentOpen, 'the agent to be adopted');
    expect(adopted.turns).toHaveLength(1);
    expect(adopted.pid).toBe(done.pid);
    const sent = await tc.cli(['send', t.id, 'after', 'the', 'crash']);
    expect(sent.exitCode).toBe(0);
    const second = await state(t.id, completedTurn(2), 'the second turn to end');
    expect(second.resultPreview).toBe('echo: after the crash');
    expect(second.turns!.map((x) => x.n)).toEqual([1, 2]);
  });

  it('runs one-shot (print mode) when asked, or when it has no pane', async () => {
    const { launch, state } = await setup();
    const print = await launch(['--mode', 'print', '--prompt', 'one shot']);
    const headless = await launch(['--placement', 'headless', '--prompt', 'no pane']);
    for (const [t, text] of [[print, 'echo: one shot'], [headless, 'echo: no pane']] as const) {
      const done = await state(t.id, (x) => x.state === 'completed', 'the one-shot task to end');
      expect(done.resultPreview).toBe(text);
      expect(done.agentOpen).toBe(false);
      expect(done.turns ?? []).toHaveLength(0);
    }
  });
});
