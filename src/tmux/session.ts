// Where agent panes go: the launching pane's window, or the detached session created when panecrew
// runs outside tmux (its first pane is the main pane).
import { paneInfo, windowPanes, OPT } from './pane-ops.js';
import type { PaneContext } from './pane-context.js';

export interface MainPane {
  paneId: string;
  windowId: string;
  sessionId: string;
}

/** Size of the detached session created when panecrew runs outside tmux (an attaching client resizes it). */
const DETACHED_SIZE = { x: '240', y: '60' };

/** The launching pane, or null when it closed while the task waited in the queue. */
export async function resolveMain(ctx: PaneContext, paneId: string, taskId: string): Promise<MainPane | null> {
  const info = await paneInfo(ctx.client, paneId);
  if (!info) {
    ctx.log(`task ${taskId}: the launching pane ${paneId} is gone; using the ${ctx.options.session} session`);
    return null;
  }
  return { paneId, windowId: info.windowId, sessionId: info.sessionId };
}

/** The detached session of options.session, created when missing; its first pane is the main pane. */
export async function ensureSession(ctx: PaneContext): Promise<MainPane> {
  const { client } = ctx;
  // tmux turns "." and ":" in session names into "_".
  const name = ctx.options.session.replace(/[.:]/g, '_');
  const sessions = await client.listSessions(['session_id', 'session_name'] as const);
  const found = sessions.find((s) => s.session_name === name);
  if (!found) {
    const out = await client.run(['new-session', '-d', '-s', name, '-x', DETACHED_SIZE.x, '-y', DETACHED_SIZE.y, '-P', '-F', '#{session_id} #{window_id} #{pane_id}']);
    const [sessionId = '', windowId = '', paneId = ''] = out.split(' ');
    return { sessionId, windowId, paneId };
  }
  const windows = await client.listWindows(found.session_id, ['window_id', OPT.main, OPT.overflow] as const);
  const marked = windows.find((w) => w[OPT.main]);
  if (marked && (await paneInfo(client, marked[OPT.main]))) return { sessionId: found.session_id, windowId: marked.window_id, paneId: marked[OPT.main] };
  const first = windows.find((w) => w[OPT.overflow] !== '1') ?? windows[0];
  if (!first) throw new Error(`tmux session ${name} has no window`);
  const panes = await windowPanes(client, first.window_id);
  return { sessionId: found.session_id, windowId: first.window_id, paneId: panes[0]!.paneId };
}
