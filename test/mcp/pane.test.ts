// The MCP server carries its own pane ($TMUX/$TMUX_PANE: the main agent's) so tasks open beside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
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

beforeAll(async () => {
  tmux = await startTmuxServer();
  tc = await startTestController(PANES);
  const [socket, pid] = (await tmux.client.run(['display-message', '-p', '-t', tmux.mainPane, '#{socket_path} #{pid}'])).trim().split(' ');
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
    expect(launched.text).toContain(`runs in: a tmux pane beside ${tmux.mainPane}`);
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
      const out = await mcp.call('background_output', { task_id: id });
      expect(out.text).toContain(`runs in: a tmux pane (${running.paneId}) beside ${tmux.mainPane}`);
    } finally {
      c.close();
    }
    expect((await mcp.call('background_cancel', { task_id: id })).text).toContain(`${id}: cancelled`);
  });
});
