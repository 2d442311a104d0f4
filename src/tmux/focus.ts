// Showing a pane: an overflow pane is first brought into its home window beside the main pane.
import type { PaneContext } from './pane-context.js';
import { relayoutNow, tryJoin } from './relayout.js';
import { readSnapshot } from './snapshot.js';

/**
 * Selects the pane's window and the pane. A pane in the overflow window is joined into its home
 * window when there is room, otherwise swapped with the oldest visible agent pane (which goes to the
 * overflow window in its place), so the user sees it beside the main pane.
 */
export async function focusPane(ctx: PaneContext, paneId: string, taskId?: string): Promise<void> {
  const { client } = ctx;
  const first = await readSnapshot(client);
  const pane = first.pane(paneId);
  if (!pane || (taskId !== undefined && pane.taskId !== taskId)) throw new Error(`cannot focus pane ${paneId}: it no longer exists`);
  let windowId = pane.windowId;
  const from = first.window(pane.windowId);
  if (from?.isOverflow && pane.home && first.window(pane.home)) {
    const snap = await readSnapshot(client, [pane.home]);
    const home = snap.window(pane.home)!;
    if (await tryJoin(ctx, snap, pane, home.windowId)) {
      ctx.placed({ paneId, taskId: pane.taskId, placement: 'pane', windowId: home.windowId });
      windowId = home.windowId;
    } else {
      const visible = snap.panesIn(home.windowId).filter((p) => p.taskId && p.paneId !== home.mainPane);
      const oldest = visible.sort((a, b) => a.seq.localeCompare(b.seq))[0];
      if (oldest) {
        await client.run(['swap-pane', '-d', '-s', paneId, '-t', oldest.paneId]);
        ctx.log(`focus: swapped overflow pane ${paneId} with ${oldest.paneId}`);
        ctx.placed({ paneId, taskId: pane.taskId, placement: 'pane', windowId: home.windowId });
        ctx.placed({ paneId: oldest.paneId, taskId: oldest.taskId, placement: 'overflow', windowId: from.windowId, reason: `made room for ${pane.taskId}, which was focused` });
        windowId = home.windowId;
        await relayoutNow(ctx, home.windowId);
      }
    }
    await relayoutNow(ctx, from.windowId);
  }
  await client.runAll([
    ['select-window', '-t', windowId],
    ['select-pane', '-t', paneId],
  ]);
}
