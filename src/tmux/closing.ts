// Closing agent panes: the banner when a task ends, the delayed close that follows it, and the
// kill that frees the pane's room (relayout, then promotion from the overflow window).
import { showBanner } from './banner.js';
import { killPane, OPT, paneInfo, windowInfo, windowPanes } from './pane-ops.js';
import type { PaneContext } from './pane-context.js';
import { afterRemoval, hasWaiting, releaseCommands } from './relayout.js';

export interface FinishOptions {
  banner: string[];
  keep: boolean;
  outputFile?: string;
  taskId?: string;
}

/** Whether `paneId` still exists and (with `taskId`) still belongs to that task. */
async function stillTheTasks(ctx: PaneContext, paneId: string, taskId: string | undefined, why: string): Promise<{ windowId: string; home: string } | null> {
  const info = await paneInfo(ctx.client, paneId);
  if (info && (taskId === undefined || info.taskId === taskId)) return info;
  if (why) ctx.log(`${why}: pane ${paneId} is gone${info ? ` (it is now another pane, of task ${info.taskId || 'none'})` : ''}`);
  return null;
}

/** Shows the banner; resolves true when the pane is still the task's (and so may be closed later). */
export async function bannerPane(ctx: PaneContext, paneId: string, opts: FinishOptions): Promise<boolean> {
  if (!(await stillTheTasks(ctx, paneId, opts.taskId, 'finish'))) return false;
  if (opts.keep) await ctx.client.run(['set-option', '-p', '-t', paneId, OPT.kept, '1']);
  try {
    await showBanner(ctx.client, paneId, opts.banner, opts.outputFile);
  } catch (err) {
    // The banner is a courtesy; the pane must still close and free its room.
    ctx.log(`banner for ${paneId} failed: ${(err as Error).message}`);
  }
  return true;
}

/**
 * Kills the pane now, lays its window out again and promotes. With `taskId`, only if the pane still
 * belongs to that task: pane ids restart at %0 with each tmux server, so after a restart a
 * remembered id may name someone else's pane.
 */
export async function killAndTidy(ctx: PaneContext, paneId: string, taskId?: string): Promise<void> {
  const info = await stillTheTasks(ctx, paneId, taskId, '');
  if (!info) return;
  const others = (await windowPanes(ctx.client, info.windowId)).filter((p) => p.taskId && p.paneId !== paneId);
  const win = await windowInfo(ctx.client, info.windowId);
  if (others.length === 0 && win && !win.isOverflow && !(await hasWaiting(ctx, info.windowId))) {
    // The last agent of the person's window: close it and give the window back in one tmux call,
    // so the main pane is resized once, not once per step.
    await ctx.client.runAll([['kill-pane', '-t', paneId], ...(await releaseCommands(ctx, info.windowId))]);
  } else {
    await killPane(ctx.client, paneId);
  }
  await afterRemoval(ctx, info.windowId, info.home);
}

/** Delayed closes, by pane id: the task each is for and its timer. */
export class PendingCloses {
  private readonly pending = new Map<string, { taskId: string | undefined; timer: NodeJS.Timeout }>();

  schedule(paneId: string, taskId: string | undefined, delayMs: number, close: (paneId: string, taskId: string | undefined) => void): void {
    this.cancel(paneId);
    const timer = setTimeout(() => {
      this.pending.delete(paneId);
      close(paneId, taskId);
    }, delayMs);
    timer.unref();
    this.pending.set(paneId, { taskId, timer });
  }

  cancel(paneId: string): void {
    const entry = this.pending.get(paneId);
    if (entry) clearTimeout(entry.timer);
    this.pending.delete(paneId);
  }

  has(paneId: string): boolean {
    return this.pending.has(paneId);
  }

  /** Cancels every timer and hands back what was pending. */
  takeAll(): Array<{ paneId: string; taskId: string | undefined }> {
    const all = [...this.pending].map(([paneId, e]) => {
      clearTimeout(e.timer);
      return { paneId, taskId: e.taskId };
    });
    this.pending.clear();
    return all;
  }
}
