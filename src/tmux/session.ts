// Where agent panes go: the launching pane's window, or the detached session created when panecrew
// runs outside tmux (its first pane is the main pane).
import type { PaneContext } from './pane-context.js';
import { missingIsNull } from './relayout.js';
import { readSnapshot, type Snapshot } from './snapshot.js';

export interface MainPane {
  paneId: string;
  windowId: string;
  sessionId: string;
}

/** Size of the detached session created when panecrew runs outside tmux (an attaching client resizes it). */
const DETACHED_SIZE = { x: '240', y: '60' };

/**
 * The main pane for a new agent pane, with a snapshot of the server that has its window's border
 * options: the launching pane, else (none, or it closed while the task waited in the queue) the
 * detached session's.
 */
export async function findMain(ctx: PaneContext, launchingPane: string | undefined, taskId: string): Promise<{ main: MainPane; snap: Snapshot }> {
  if (launchingPane) {
    const snap = await readSnapshot(ctx.client, [launchingPane]).catch(missingIsNull);
    const main = snap && mainPaneIn(snap, launchingPane);
    if (snap && main) return { main, snap };
    ctx.log(`task ${taskId}: the launching pane ${launchingPane} is gone; using the ${ctx.options.session} session`);
  }
  const main = await ensureSession(ctx);
  return { main, snap: await readSnapshot(ctx.client, [main.paneId]) };
}

function mainPaneIn(snap: Snapshot, paneId: string): MainPane | null {
  const pane = snap.pane(paneId);
  const win = pane && snap.window(pane.windowId);
  return pane && win ? { paneId, windowId: win.windowId, sessionId: win.sessionId } : null;
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
  const snap = await readSnapshot(client);
  const windows = snap.windows.filter((w) => w.sessionId === found.session_id);
  const marked = windows.find((w) => w.mainPane && snap.pane(w.mainPane));
  if (marked) return { sessionId: found.session_id, windowId: marked.windowId, paneId: marked.mainPane };
  const first = windows.find((w) => !w.isOverflow) ?? windows[0];
  const pane = first && snap.panesIn(first.windowId)[0];
  if (!first || !pane) throw new Error(`tmux session ${name} has no window`);
  return { sessionId: found.session_id, windowId: first.windowId, paneId: pane.paneId };
}
