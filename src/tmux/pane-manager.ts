// The pane manager: the one door to a tmux server's agent panes. Every change goes through one
// chain, so two opens cannot both claim the last free slot; the work itself lives in the files of
// each job (opening.ts, closing.ts, focus.ts, relayout.ts, session.ts).
// All state that must survive a controller restart lives in tmux itself (pane and window options,
// see OPT), so a new PaneManager picks up where the last one stopped.
import { TmuxError, type TmuxClient } from './client.js';
import { deliverText } from './input.js';
import type { InputBoxName } from './input-boxes.js';
import { bannerPane, killAndTidy, PendingCloses, type FinishOptions } from './closing.js';
import { focusPane } from './focus.js';
import type { LayoutSpec, PlanOptions } from './layout-plan.js';
import { loadLayout } from './layouts.js';
import { openPane, type OpenedPane, type OpenPaneRequest } from './opening.js';
import type { TmuxOptions } from './options.js';
import type { PaneContext, PlacementChange } from './pane-context.js';
import { OPT } from './pane-ops.js';
import { relayoutManaged, relayoutNow } from './relayout.js';
import { ResizeWatch } from './resize-watch.js';

export type { OpenedPane, OpenPaneRequest } from './opening.js';
export type { PlacementChange } from './pane-context.js';

export interface TaggedPane {
  paneId: string;
  taskId: string;
  pid: number;
  dead: boolean;
  windowId: string;
}

export class PaneManager {
  private readonly ctx: PaneContext;
  private layout: LayoutSpec | null = null;
  private readonly closes = new PendingCloses();
  private seq = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly resizes: ResizeWatch;
  /** A relayout after a resize is queued and has not started: further resizes join it. */
  private resizeQueued = false;
  private readonly placementListeners: Array<(change: PlacementChange) => void> = [];

  constructor(client: TmuxClient, options: TmuxOptions, log?: (msg: string) => void) {
    this.ctx = {
      client: client.withTimeout(options.command_timeout_ms, options.control_idle_ms),
      options,
      log: log ?? (() => {}),
      planOptions: () => this.planOptions(),
      placed: (change) => {
        for (const listener of this.placementListeners) {
          try {
            listener(change);
          } catch (err) {
            this.ctx.log(`a placement listener failed: ${(err as Error).message}`);
          }
        }
      },
    };
    this.resizes = new ResizeWatch(client, () => this.onResize());
  }

  open(req: OpenPaneRequest): Promise<OpenedPane> {
    return this.serial(() => openPane(this.ctx, req, this.nextSeq()));
  }

  /**
   * The task ended. The pane's screen is redrawn with the banner lines below the agent's last
   * output, and unless `keep` the pane closes after close_delay_ms, the window is laid out again
   * and the oldest overflow pane is promoted. Resolves once the banner shows. With no delay the
   * pane closes at once: a banner nobody would see is not drawn.
   */
  finish(paneId: string, opts: FinishOptions): Promise<void> {
    return this.serial(async () => {
      if (!opts.keep && this.ctx.options.close_delay_ms <= 0) return killAndTidy(this.ctx, paneId, opts.taskId);
      if (!(await bannerPane(this.ctx, paneId, opts)) || opts.keep) return;
      this.closes.schedule(paneId, opts.taskId, this.ctx.options.close_delay_ms, (id, taskId) => {
        this.kill(id, taskId).catch((err: unknown) => this.ctx.log(`closing finished pane ${id} failed: ${(err as Error).message}`));
      });
    });
  }

  /** Kills the pane now (cancel, or the delayed close), lays its window out again and promotes. */
  kill(paneId: string, taskId?: string): Promise<void> {
    return this.serial(async () => {
      this.closes.cancel(paneId);
      await killAndTidy(this.ctx, paneId, taskId);
    });
  }

  /** Shows the pane, bringing an overflow pane beside the main pane first (see focusPane). */
  focus(paneId: string, taskId?: string): Promise<void> {
    return this.serial(() => focusPane(this.ctx, paneId, taskId));
  }

  /** Types text into the pane's program and submits it. */
  deliver(paneId: string, text: string, box?: InputBoxName): Promise<void> {
    return deliverText(this.ctx.client, paneId, text, { box });
  }

  /**
   * The exit status the task's runner left on its pane when it could not write exit.json (the runner
   * sets it before it exits, so it is there once the runner is gone), or null: none, or the pane is
   * gone or now another task's.
   */
  async exitLeft(paneId: string, taskId: string): Promise<number | null> {
    const f = await this.ctx.client.displayFields(paneId, ['pane_id', OPT.task, OPT.exit] as const).catch(() => null);
    if (!f || f.pane_id !== paneId || f[OPT.task] !== taskId || !/^\d{1,3}$/.test(f[OPT.exit])) return null;
    return Number(f[OPT.exit]);
  }

  /** Every pane tagged with a task id on this server, for re-adoption after a controller restart. */
  async listTagged(): Promise<TaggedPane[]> {
    return (await this.listTaggedNow([])).map(({ paneId, taskId, pid, dead, windowId }) => ({ paneId, taskId, pid, dead, windowId }));
  }

  /** Applies the layout to a window again (call it when a client resized the window, for example). */
  relayout(windowId: string): Promise<void> {
    return this.serial(() => relayoutNow(this.ctx, windowId));
  }

  /** Calls `listener` whenever an agent pane moves after it opened (to the overflow window and back). */
  onPlacement(listener: (change: PlacementChange) => void): void {
    this.placementListeners.push(listener);
  }

  /**
   * A restarted controller tidies what its predecessor left: closes every tagged pane whose task is
   * no longer active (a banner whose close was lost, a dead pane), except panes kept on purpose
   * (keep_failed_panes) and panes this manager is about to close itself. `isActive` must answer true
   * for a task id the caller does not know when other controllers may share the tmux server.
   * Resolves with the closed pane ids.
   */
  tidyLeftovers(isActive: (taskId: string) => boolean): Promise<string[]> {
    return this.serial(async () => {
      const rows = await this.listTaggedNow([OPT.kept]);
      const closed: string[] = [];
      for (const pane of rows) {
        if (isActive(pane.taskId) || pane[OPT.kept] === '1' || this.closes.has(pane.paneId)) continue;
        this.ctx.log(`closing pane ${pane.paneId} left over by task ${pane.taskId}`);
        await killAndTidy(this.ctx, pane.paneId, pane.taskId);
        closed.push(pane.paneId);
      }
      return closed;
    });
  }

  /**
   * Shutdown: pending delayed closes happen now rather than never (a banner pane would otherwise run
   * `sleep` forever). Waits at most `waitMs` for them; what is left then, tidyLeftovers finds.
   */
  async dispose(waitMs = 2 * this.ctx.options.command_timeout_ms): Promise<void> {
    this.resizes.stop();
    const closing = this.closes.takeAll().map((c) => this.kill(c.paneId, c.taskId).catch((err: unknown) => this.ctx.log(`closing pane ${c.paneId} at shutdown failed: ${(err as Error).message}`)));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    await Promise.race([Promise.all(closing), deadline]).finally(() => clearTimeout(timer));
    this.ctx.client.stopControl();
  }

  // ---------------------------------------------------------------------------------------------

  private async listTaggedNow<K extends string>(extra: readonly K[]): Promise<Array<TaggedPane & Record<K, string>>> {
    let rows: Array<Record<string, string>>;
    try {
      rows = await this.ctx.client.listPanes(null, ['pane_id', OPT.task, 'pane_pid', 'pane_dead', 'window_id', ...extra]);
    } catch (err) {
      if (err instanceof TmuxError && err.isNoServer) return [];
      throw err;
    }
    return rows
      .filter((r) => r[OPT.task])
      .map((r) => ({ ...(r as Record<K, string>), paneId: r.pane_id!, taskId: r[OPT.task]!, pid: Number(r.pane_pid), dead: r.pane_dead === '1', windowId: r.window_id! }));
  }

  private onResize(): void {
    if (this.resizeQueued) return;
    this.resizeQueued = true;
    this.serial(() => {
      this.resizeQueued = false;
      return relayoutManaged(this.ctx);
    }).catch((err: unknown) => this.ctx.log(`relayout after a resize failed: ${(err as Error).message}`));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    // Any use of the server arms the resize watch (again after the server restarted).
    this.resizes.start();
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }

  /** Creation order, zero-padded so that it sorts as text (see OPT.seq). */
  private nextSeq(): string {
    return String(Date.now() * 1000 + (this.seq++ % 1000)).padStart(17, '0');
  }

  private async planOptions(): Promise<PlanOptions> {
    const o = this.ctx.options;
    this.layout ??= await loadLayout(o.layout, o.layouts_dir);
    return {
      layout: this.layout,
      mainPaneSize: o.main_pane_size,
      mainPaneMinWidth: o.main_pane_min_width,
      agentPaneMinWidth: o.agent_pane_min_width,
      agentPaneMinHeight: o.agent_pane_min_height,
    };
  }
}
