// The overflow window: one per session, tiled, for agent panes that do not fit beside the main pane.
import { TmuxError } from './client.js';
import { labelsOnCommands } from './labels.js';
import { newWindow, OPT, windowPanes } from './pane-ops.js';
import type { PaneContext } from './pane-context.js';

export async function findOverflow(ctx: PaneContext, sessionId: string): Promise<string | null> {
  const windows = await ctx.client.listWindows(sessionId, ['window_id', OPT.overflow] as const);
  return windows.find((w) => w[OPT.overflow] === '1')?.window_id ?? null;
}

/** A new overflow window whose only pane runs the placeholder. */
export async function newOverflowWindow(ctx: PaneContext, sessionId: string, cwd: string): Promise<{ windowId: string; paneId: string }> {
  const win = await newWindow(ctx.client, sessionId, ctx.options.overflow_window, cwd);
  await ctx.client.run(['set-option', '-w', '-t', win.windowId, OPT.overflow, '1']);
  return win;
}

/** Moves an agent pane (not focused) into the session's overflow window, creating it when needed. */
export async function moveToOverflow(ctx: PaneContext, pane: { paneId: string; taskId: string }, sessionId: string, reason: string): Promise<void> {
  const windowId = await joinOverflow(ctx, pane.paneId, sessionId);
  ctx.placed({ paneId: pane.paneId, taskId: pane.taskId, placement: 'overflow', windowId, reason });
}

/** Joins the pane into the overflow window (or breaks it out into a new one); resolves with that window. */
async function joinOverflow(ctx: PaneContext, paneId: string, sessionId: string): Promise<string> {
  const { client } = ctx;
  const overflow = await findOverflow(ctx, sessionId);
  if (overflow) {
    const target = (await windowPanes(client, overflow)).at(-1);
    if (target) {
      try {
        await client.runAll([...(await labelsOnCommands(client, overflow)), ['join-pane', '-d', '-s', paneId, '-t', target.paneId], ['select-layout', '-t', overflow, 'tiled']]);
        return overflow;
      } catch (err) {
        if (!(err instanceof TmuxError && err.isNoSpace)) throw err;
      }
    }
  }
  // Without -t, break-pane puts the new window in tmux's "best" session, not the pane's own.
  const windowId = await client.run(['break-pane', '-d', '-s', paneId, '-t', `${sessionId}:`, '-n', ctx.options.overflow_window, '-P', '-F', '#{window_id}']);
  await client.runAll([['set-option', '-w', '-t', windowId, OPT.overflow, '1'], ...(await labelsOnCommands(client, windowId))]);
  return windowId;
}
