// The MCP server carries its own pane ($TMUX/$TMUX_PANE: the main agent's) so tasks open beside it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmuxClient } from '../../src/tmux/client.js';
import { startTestController, until, type TestController } from '../support/controller.js';
import { startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';
import { startMcp, taskIdOf, type McpSession } from './helpers.js';

const PANES = `
background_task:
  resourceGate: { enabled: false }
  killGraceMs: 1s
tmux:
  enabled: true
  close_delay_ms: 60s
notification:
  strategy: silent
`;

let tc: TestController;
let tmux: TestTmuxServer;
let mcp: McpSession;
let tmuxSocket: string;

beforeAll(async () => {
  tmux = await startTmuxServer();
  tc = await startTestController(PANES);
  const [socket, pid] = (await tmux.client.run(['display-message', '-p', '-t', tmux.mainPane, '#{socket_path} #{pid}'])).trim().split(' ');
  tmuxSocket = socket!;
  // What Claude Code running in the main pane passes to the MCP server it starts.
  mcp = await startMcp({ ...tc.env, TMUX: `${socket},${pid},0`, TMUX_PANE: tmux.mainPane }, { cwd: tc.dir });
});
afterAll(async () => {
  await mcp?.close();
  await tc?.stop();
  await tmux?.kill();
});

describe('panecrew mcp inside tmux', () => {
  it("opens the task's pane in the main agent's window", async () => {
    const launched = await mcp.call('task', { prompt: 'echo from a pane; sleep 30', subagent_type: 'shell', title: 'pane task' });
    const id = taskIdOf(launched.text);
    const c = await tc.client();
    try {
      const running = await until(async () => {
        const t = await c.request({ op: 'get', taskId: id });
        return t.state === 'running' && t.paneId ? t : null;
      }, 'the task to run in a pane');
      expect(running.placement).toBe('pane');
      expect(running.origin.tmuxPane).toBe(tmux.mainPane);
      const panes = await tmux.client.run(['list-panes', '-t', tmux.mainWindow, '-F', '#{pane_id}']);
      expect(panes.split('\n')).toContain(running.paneId);
      // The answer to `task` already named the pane: it waited until the task was placed.
      expect(launched.text).toContain(`runs in: a tmux pane (${running.paneId}) beside ${tmux.mainPane}`);
      const out = await mcp.call('background_output', { task_id: id });
      expect(out.text).toContain(`runs in: a tmux pane (${running.paneId}) beside ${tmux.mainPane}`);
    } finally {
      c.close();
    }
    expect((await mcp.call('background_cancel', { task_id: id })).text).toContain(`${id}: cancelled`);
  });

  it("lists this pane's tasks, not those of another pane or of no pane", async () => {
    const own = taskIdOf((await mcp.call('task', { prompt: 'true', subagent_type: 'shell', title: 'own' })).text);
    const c = await tc.client();
    try {
      const elsewhere = await tc.launchFast(c, { prompt: 'true', placement: 'headless', origin: { tmuxSocket, tmuxPane: '%999' } });
      const nowhere = await tc.launchFast(c, { prompt: 'true', placement: 'headless' });
      const list = (await mcp.call('background_list')).text;
      expect(list).toContain(`tasks launched from this session's pane ${tmux.mainPane}:`);
      expect(list).toContain(own);
      expect(list).not.toContain(elsewhere.id);
      expect(list).not.toContain(nowhere.id);
    } finally {
      c.close();
    }
  });
});

describe('panecrew mcp outside tmux, with a controller that has tmux', () => {
  it("says the task's pane is in panecrew's detached session (not headless)", async () => {
    // TMUX_TMPDIR moves the default server's socket into a private folder: never the user's server.
    const socketDir = mkdtempSync(join(tmpdir(), 'pc-mcp-default-'));
    const outside = await startTestController(PANES, { TMUX_TMPDIR: socketDir });
    const session = await startMcp(outside.env, { cwd: outside.dir });
    try {
      const launched = await session.call('task', { prompt: 'sleep 30', subagent_type: 'shell' });
      const id = taskIdOf(launched.text);
      const running = await outside.waitPane(id);
      expect(running.placement).toBe('pane');
      // The reply waits up to 2 s for the pane; on a loaded machine it may still be opening, and then
      // says where it will be. Either way it names the detached session, never "headless".
      expect(launched.text).toMatch(/runs in: (a tmux pane \(%\d+\)|starting; then a tmux pane) in panecrew's detached tmux session \(watch it with: panecrew attach\)/);
      expect(launched.text).not.toContain('a detached process');
    } finally {
      await session.close();
      await outside.stop();
      await new TmuxClient({ socketPath: join(socketDir, `tmux-${process.getuid!()}`, 'default') }).run(['kill-server']).catch(() => {});
      rmSync(socketDir, { recursive: true, force: true });
    }
  });
});
