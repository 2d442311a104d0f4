// The OpenCode plugin (registered by `panecrew integrate opencode` as file:///…/opencode-plugin.js):
// an MCP server cannot push into an OpenCode session, a plugin can. It links each `panecrew_task`
// call's task id to its session, subscribes to the controller, claims a session's endings (each
// told once, shared with every other path) and adds them to the session with promptAsync, which
// wakes an idle one. A main session it has not seen use a panecrew tool (OpenCode restarted, e.g.
// `--continue`) is learnt from its next message. OpenCode may load a plugin twice: the state is on
// globalThis.
import { ControllerClient } from '../controller/client.js';
import { isFinal } from '../core/task.js';
import { wakeText } from './wake.js';

const RECONNECT_MS = 250;

interface PromptClient {
  session: {
    promptAsync(options: { path: { id: string }; body: { parts: Array<{ type: 'text'; text: string; synthetic?: boolean }> } }): Promise<unknown>;
    get(options: { path: { id: string } }): Promise<{ data?: { parentID?: string } }>;
  };
}

interface State {
  sessions: Set<string>;
  connection: ControllerClient | null;
  started: boolean;
}

const state: State = ((globalThis as { __panecrewWake?: State }).__panecrewWake ??= { sessions: new Set(), connection: null, started: false });

const pane = () => process.env.TMUX_PANE || 'headless';

/** Claims what the strategy tells this session (one request) and adds it to the session, which wakes it. */
async function claimFor(c: ControllerClient, client: PromptClient, session: string): Promise<void> {
  const { tasks, milestones } = await c.request({ op: 'claim', session, pane: pane(), wake: true });
  if (tasks.length + milestones.length) {
    await client.session.promptAsync({ path: { id: session }, body: { parts: [{ type: 'text', text: wakeText({ tasks, milestones }), synthetic: true }] } });
  }
}

/** Keeps one subscription to the controller, again after it restarts; claims on every ending (and progress, for milestones). */
async function connectLoop(client: PromptClient): Promise<void> {
  for (;;) {
    try {
      const c = await ControllerClient.connect({ autostart: false });
      state.connection = c;
      const closed = new Promise<void>((resolve) => c.onClose(() => resolve()));
      const claimAll = async () => {
        for (const s of state.sessions) await claimFor(c, client, s).catch(() => {});
      };
      await c.subscribe((e) => {
        if (e.event === 'task' && (isFinal(e.task.state) || e.task.progress.percent !== undefined)) void claimAll();
      });
      // Endings while the plugin was not listening (before it started, or the controller was down).
      await claimAll();
      await closed;
    } catch {
      // no controller yet: try again
    }
    state.connection = null;
    await new Promise((r) => setTimeout(r, RECONNECT_MS));
  }
}

export const PanecrewWake = async ({ client }: { client: PromptClient }) => {
  if (!state.started) {
    state.started = true;
    void connectLoop(client);
  }
  return {
    'tool.execute.after': async (input: { tool: string; sessionID: string }, output: { output?: unknown }) => {
      if (!/^panecrew_/.test(input.tool)) return;
      state.sessions.add(input.sessionID);
      const link = [...String(output.output ?? '').matchAll(/task_id: (bg_[0-9a-z]{8})/g)].map((m) => m[1]!);
      if (link.length) await state.connection?.request({ op: 'claim', session: input.sessionID, link, take: false }).catch(() => {});
    },
    'chat.message': async (input: { sessionID: string }) => {
      if (state.sessions.has(input.sessionID)) return;
      // A subagent's session (it has a parent) is not told: its main session is.
      const info = await client.session.get({ path: { id: input.sessionID } }).catch(() => null);
      if (!info?.data || info.data.parentID) return;
      state.sessions.add(input.sessionID);
      // Not awaited: the message being added must not wait for a prompt of ours.
      if (state.connection) void claimFor(state.connection, client, input.sessionID).catch(() => {});
    },
  };
};
