// Showing a pane: an overflow pane is first brought into its home window beside the main pane.
import { paneInfo, windowInfo, windowPanes } from './pane-ops.js';
import type { PaneContext } from './pane-context.js';
import { relayoutNow, tryJoin } from './relayout.js';

/**
 * Selects the pane's window and the pane. A pane in the overflow window is joined into its home
 * window when there is room, otherwise swapped with the oldest visible agent pane (which goes to the
 * overflow window in its place), so the user sees it beside the main pane.
 */
export async function focusPane(ctx: PaneContext, paneId: string, taskId?: string): Promise<void> {
  const { client } = ctx;
  let info = await paneInfo(client, paneId);
  if (!info || (taskId !== undefined && info.taskId !== taskId)) throw new Error(`cannot focus pane ${paneId}: it no longer exists`);
  const from = await windowInfo(client, info.windowId);
  const home = info.home ? await windowInfo(client, info.home) : null;
  if (from?.isOverflow && home) {
    if (await tryJoin(ctx, paneId, home.windowId)) {
      ctx.placed({ paneId, taskId: info.taskId, placement: 'pane', windowId: home.windowId });
    } else {
      const visible = (await windowPanes(client, home.windowId)).filter((p) => p.taskId && p.paneId !== home.mainPane);
      const oldest = visible.sort((a, b) => a.seq.localeCompare(b.seq))[0];
      if (oldest) {
        await client.run(['swap-pane', '-d', '-s', paneId, '-t', oldest.paneId]);
        ctx.log(`focus: swapped overflow pane ${paneId} with ${oldest.paneId}`);
        ctx.placed({ paneId, taskId: info.taskId, placement: 'pane', windowId: home.windowId });
        ctx.placed({ paneId: oldest.paneId, taskId: oldest.taskId, placement: 'overflow', windowId: from.windowId, reason: `made room for ${info.taskId}, which was focused` });
      }
    }
    await relayoutNow(ctx, home.windowId);
    await relayoutNow(ctx, from.windowId);
    info = (await paneInfo(client, paneId)) ?? info;
  }
  await client.run(['select-window', '-t', info.windowId]);
  await client.run(['select-pane', '-t', paneId]);
}
