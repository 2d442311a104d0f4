// The overflow window: one per session, tiled, for agent panes that do not fit beside the main pane.
import { TmuxError } from './client.js';
import { FRESH_WINDOW_BORDERS, labelsOn, labelsOnCommands } from './labels.js';
import { newWindow, OPT } from './pane-ops.js';
import type { PaneContext } from './pane-context.js';
import type { Snapshot } from './snapshot.js';

/** A new overflow window whose only pane runs the placeholder; the caller marks and labels it (overflowCommands). */
export async function newOverflowWindow(ctx: PaneContext, sessionId: string, cwd: string): Promise<{ windowId: string; paneId: string }> {
  return newWindow(ctx.client, sessionId, ctx.options.overflow_window, cwd);
}

/** What makes a new window an overflow window: the mark, and labels (it has no border options of its own yet). */
export function overflowCommands(windowId: string): string[][] {
  return [['set-option', '-w', '-t', windowId, OPT.overflow, '1'], ...labelsOn(windowId, FRESH_WINDOW_BORDERS)];
}

/** Moves an agent pane (not focused) into the session's overflow window, creating it when needed. */
export async function moveToOverflow(ctx: PaneContext, snap: Snapshot, pane: { paneId: string; taskId: string }, sessionId: string, reason: string): Promise<void> {
  const windowId = await joinOverflow(ctx, snap, pane.paneId, sessionId);
  ctx.placed({ paneId: pane.paneId, taskId: pane.taskId, placement: 'overflow', windowId, reason });
}

/** Joins the pane into the overflow window (or breaks it out into a new one); resolves with that window. */
async function joinOverflow(ctx: PaneContext, snap: Snapshot, paneId: string, sessionId: string): Promise<string> {
  const { client } = ctx;
  const overflow = snap.overflowOf(sessionId);
  const target = overflow && snap.panesIn(overflow.windowId).at(-1);
  if (overflow && target) {
    try {
      await client.runAll([...(await labelsOnCommands(client, overflow.windowId, overflow.labels)), ['join-pane', '-d', '-s', paneId, '-t', target.paneId], ['select-layout', '-t', overflow.windowId, 'tiled']]);
      return overflow.windowId;
    } catch (err) {
      if (!(err instanceof TmuxError && err.isNoSpace)) throw err;
    }
  }
  // Without -t, break-pane puts the new window in tmux's "best" session, not the pane's own.
  const windowId = await client.run(['break-pane', '-d', '-s', paneId, '-t', `${sessionId}:`, '-n', ctx.options.overflow_window, '-P', '-F', '#{window_id}']);
  await client.runAll(overflowCommands(windowId));
  return windowId;
}
