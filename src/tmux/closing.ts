// Closing agent panes: the banner when a task ends, the delayed close that follows it, and the
// kill that frees the pane's room (relayout, then promotion from the overflow window).
import { showBanner } from './banner.js';
import { OPT, stateCommand } from './pane-ops.js';
import type { PaneContext } from './pane-context.js';
import { arrange, missingIsNull, promote, relayoutNow } from './relayout.js';
import { readSnapshot } from './snapshot.js';

export interface FinishOptions {
  banner: string[];
  keep: boolean;
  outputFile?: string;
  taskId?: string;
  /** Shown after the label in the border, e.g. "completed · exit 0" (set with the banner). */
  state?: string;
}

/** Shows the banner; resolves true when the pane is still the task's (and so may be closed later). */
export async function bannerPane(ctx: PaneContext, paneId: string, opts: FinishOptions): Promise<boolean> {
  const f = await ctx.client.displayFields(paneId, ['pane_id', OPT.task, 'pane_height'] as const).catch(missingIsNull);
  // display-message can fall back to another pane when this one vanished: check the id.
  if (!f || f.pane_id !== paneId || (opts.taskId !== undefined && f[OPT.task] !== opts.taskId)) {
    ctx.log(`finish: pane ${paneId} is gone${f?.pane_id === paneId ? ` (it is now another pane, of task ${f[OPT.task] || 'none'})` : ''}`);
    return false;
  }
  const before = [...(opts.state ? [stateCommand(paneId, opts.state)] : []), ...(opts.keep ? [['set-option', '-p', '-t', paneId, OPT.kept, '1']] : [])];
  try {
    await showBanner(ctx.client, paneId, Number(f.pane_height), opts.banner, opts.outputFile, before);
  } catch (err) {
    // The banner is a courtesy; the pane must still close and free its room.
    ctx.log(`banner for ${paneId} failed: ${(err as Error).message}`);
  }
  return true;
}

/**
 * Kills the pane now, lays its window out again in the same tmux call, and promotes. With `taskId`,
 * only if the pane still belongs to that task: pane ids restart at %0 with each tmux server, so
 * after a restart a remembered id may name someone else's pane.
 */
export async function killAndTidy(ctx: PaneContext, paneId: string, taskId?: string): Promise<void> {
  const snap = await readSnapshot(ctx.client, [paneId]).catch(missingIsNull);
  const pane = snap?.pane(paneId);
  const win = pane && snap?.window(pane.windowId);
  if (!snap || !pane || !win || (taskId !== undefined && pane.taskId !== taskId)) return;
  const rest = snap.panesIn(win.windowId).filter((p) => p.paneId !== paneId);
  // The pane's window closes with its last pane: nothing to lay out. The last agent of the person's
  // window goes with the window given back in the same call: the main pane is resized once.
  const layout = rest.length ? await arrange(ctx, win, rest, snap.waitingFor(win.windowId).length > 0, snap.borders.get(paneId)) : { fits: true as const, commands: [] };
  try {
    await ctx.client.runAll([['kill-pane', '-t', paneId], ...(layout.fits ? layout.commands : [])]);
    if (!layout.fits) await relayoutNow(ctx, win.windowId);
  } catch (err) {
    // Gone meanwhile (closed by hand): its window still needs laying out.
    missingIsNull(err);
    await relayoutNow(ctx, win.windowId);
  }
  const home = pane.home || pane.windowId;
  if (snap.waitingFor(home).some((p) => p.paneId !== paneId)) await promote(ctx, home);
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
