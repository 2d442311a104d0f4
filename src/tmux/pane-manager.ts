// The doer: opens agent panes where the planner says they fit, sends the rest to the overflow
// window, shows the ending banner, closes finished panes and promotes overflow panes when room frees.
// All state that must survive a controller restart lives in tmux itself (pane and window options,
// see OPT), so a new PaneManager picks up where the last one stopped.
import { TmuxError, type TmuxClient } from './client.js';
import { planLayout, type LayoutPlan, type LayoutSpec, type PlanOptions } from './layout-plan.js';
import { loadLayout } from './layouts.js';
import type { TmuxOptions } from './options.js';
import { killPane, newWindow, OPT, paneInfo, splitPane, startInPane, windowInfo, windowPanes, type PaneGeometry } from './pane-ops.js';

export interface OpenPaneRequest {
  taskId: string;
  title: string;
  agent: string;
  /** argv the pane runs, executed without a shell. */
  command: string[];
  cwd: string;
  /** %id of the launching pane: agent panes go into its window, where it is the main pane. */
  mainPane?: string;
  /** 'window' = a new window of its own in that session. */
  requested: 'pane' | 'window';
}

export interface OpenedPane {
  paneId: string;
  pid: number;
  placement: 'pane' | 'overflow' | 'window';
  windowId: string;
}

export interface TaggedPane {
  paneId: string;
  taskId: string;
  pid: number;
  dead: boolean;
  windowId: string;
}

/** Shows $1's last $2 lines (when $1 is set), then the remaining arguments one per line, and stays. */
const BANNER_SCRIPT = '[ -n "$1" ] && tail -n "$2" -- "$1"; shift 2; printf "%s\\n" "$@"; exec sleep 2147483647';

/** Size of the detached session created when panecrew runs outside tmux (an attaching client resizes it). */
const DETACHED_SIZE = { x: '240', y: '60' };

export class PaneManager {
  private readonly client: TmuxClient;
  private readonly options: TmuxOptions;
  private readonly log: (msg: string) => void;
  private layout: LayoutSpec | null = null;
  private readonly closeTimers = new Map<string, NodeJS.Timeout>();
  /** The task whose pane a pending close is for (see kill). */
  private readonly closeTasks = new Map<string, string | undefined>();
  private seq = 0;
  /** Every change to tmux goes through this chain: two opens must not both claim the last free slot. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(client: TmuxClient, options: TmuxOptions, log?: (msg: string) => void) {
    this.client = client;
    this.options = options;
    this.log = log ?? (() => {});
  }

  open(req: OpenPaneRequest): Promise<OpenedPane> {
    return this.serial(() => this.openNow(req));
  }

  /**
   * The task ended. The pane's screen is redrawn with the banner lines below the agent's last
   * output (see showBanner), and unless `keep` the pane closes after close_delay_ms, the window is
   * laid out again and the oldest overflow pane is promoted. Resolves once the banner shows.
   */
  finish(paneId: string, opts: { banner: string[]; keep: boolean; outputFile?: string; taskId?: string }): Promise<void> {
    return this.serial(async () => {
      const info = await paneInfo(this.client, paneId);
      if (!info || (opts.taskId !== undefined && info.taskId !== opts.taskId)) {
        this.log(`finish: pane ${paneId} is gone${info ? ` (it is now another pane, of task ${info.taskId || 'none'})` : ''}`);
        return;
      }
      try {
        await this.showBanner(paneId, opts.banner, opts.outputFile);
      } catch (err) {
        // The banner is a courtesy; the pane must still close and free its room.
        this.log(`banner for ${paneId} failed: ${(err as Error).message}`);
      }
      if (opts.keep) return;
      this.clearTimer(paneId);
      const timer = setTimeout(() => {
        this.closeTimers.delete(paneId);
        this.kill(paneId, this.closeTasks.get(paneId)).catch((err: unknown) => this.log(`closing finished pane ${paneId} failed: ${(err as Error).message}`));
      }, this.options.close_delay_ms);
      timer.unref();
      this.closeTimers.set(paneId, timer);
      this.closeTasks.set(paneId, opts.taskId);
    });
  }

  /**
   * Kills the pane now (cancel, or the delayed close), lays its window out again and promotes. With
   * `taskId`, only if the pane still belongs to that task: pane ids restart at %0 with each tmux
   * server, so after a restart a remembered id may name someone else's pane.
   */
  kill(paneId: string, taskId?: string): Promise<void> {
    return this.serial(async () => {
      this.clearTimer(paneId);
      const info = await paneInfo(this.client, paneId);
      if (!info || (taskId !== undefined && info.taskId !== taskId)) return;
      await killPane(this.client, paneId);
      await this.afterRemoval(info.windowId, info.home);
    });
  }

  /**
   * Shows the pane: selects its window and the pane. A pane in the overflow window is first brought
   * into its home window: joined when there is room, otherwise swapped with the oldest visible agent
   * pane (which goes to the overflow window in its place), so the user sees it beside the main pane.
   */
  focus(paneId: string, taskId?: string): Promise<void> {
    return this.serial(async () => {
      let info = await paneInfo(this.client, paneId);
      if (!info || (taskId !== undefined && info.taskId !== taskId)) throw new Error(`cannot focus pane ${paneId}: it no longer exists`);
      const from = await windowInfo(this.client, info.windowId);
      const home = info.home ? await windowInfo(this.client, info.home) : null;
      if (from?.isOverflow && home) {
        if (!(await this.tryJoin(paneId, home.windowId))) {
          const visible = (await windowPanes(this.client, home.windowId)).filter((p) => p.taskId && p.paneId !== home.mainPane);
          const oldest = visible.sort((a, b) => a.seq.localeCompare(b.seq))[0];
          if (oldest) {
            await this.client.run(['swap-pane', '-d', '-s', paneId, '-t', oldest.paneId]);
            this.log(`focus: swapped overflow pane ${paneId} with ${oldest.paneId}`);
          }
        }
        await this.relayoutNow(home.windowId);
        await this.relayoutNow(from.windowId);
        info = (await paneInfo(this.client, paneId)) ?? info;
      }
      await this.client.run(['select-window', '-t', info.windowId]);
      await this.client.run(['select-pane', '-t', paneId]);
    });
  }

  /** Every pane tagged with a task id on this server, for re-adoption after a controller restart. */
  async listTagged(): Promise<TaggedPane[]> {
    let rows: Array<Record<string, string>>;
    try {
      rows = await this.client.listPanes(null, ['pane_id', OPT.task, 'pane_pid', 'pane_dead', 'window_id']);
    } catch (err) {
      if (err instanceof TmuxError && err.isNoServer) return [];
      throw err;
    }
    return rows
      .filter((r) => r[OPT.task])
      .map((r) => ({ paneId: r.pane_id!, taskId: r[OPT.task]!, pid: Number(r.pane_pid), dead: r.pane_dead === '1', windowId: r.window_id! }));
  }

  /** Applies the layout to a window again (call it when a client resized the window, for example). */
  relayout(windowId: string): Promise<void> {
    return this.serial(() => this.relayoutNow(windowId));
  }

  /** Cancels pending delayed closes (the panes stay; a restarted controller finds them dead and tagged). */
  dispose(): void {
    for (const t of this.closeTimers.values()) clearTimeout(t);
    this.closeTimers.clear();
  }

  // ---------------------------------------------------------------------------------------------

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }

  private clearTimer(paneId: string): void {
    const t = this.closeTimers.get(paneId);
    if (t) clearTimeout(t);
    this.closeTimers.delete(paneId);
    this.closeTasks.delete(paneId);
  }

  private nextSeq(): string {
    return String(Date.now() * 1000 + (this.seq++ % 1000)).padStart(17, '0');
  }

  private async layoutSpec(): Promise<LayoutSpec> {
    this.layout ??= await loadLayout(this.options.layout, this.options.layouts_dir);
    return this.layout;
  }

  private async planOptions(): Promise<PlanOptions> {
    return {
      layout: await this.layoutSpec(),
      mainPaneSize: this.options.main_pane_size,
      mainPaneMinWidth: this.options.main_pane_min_width,
      agentPaneMinWidth: this.options.agent_pane_min_width,
      agentPaneMinHeight: this.options.agent_pane_min_height,
    };
  }

  private async openNow(req: OpenPaneRequest): Promise<OpenedPane> {
    const main = (req.mainPane && (await this.resolveMain(req.mainPane, req.taskId))) || (await this.ensureSession());
    const tag = { taskId: req.taskId, seq: this.nextSeq(), home: '', title: `${req.taskId} ${req.agent} ${req.title}` };
    if (req.requested === 'window') {
      const win = await newWindow(this.client, main.sessionId, req.taskId, req.cwd);
      const pid = await startInPane(this.client, win.paneId, tag, req.command, req.cwd);
      return { paneId: win.paneId, pid, placement: 'window', windowId: win.windowId };
    }
    await this.client.run(['set-option', '-w', '-t', main.windowId, OPT.main, main.paneId]);
    tag.home = main.windowId;
    const plan = await this.planWindow(main.windowId, 1);
    if (plan?.fits) {
      const paneId = await this.splitInto(main.windowId, req.cwd);
      if (paneId) {
        const pid = await startInPane(this.client, paneId, tag, req.command, req.cwd);
        await this.relayoutAfterStart(main.windowId);
        return { paneId, pid, placement: 'pane', windowId: main.windowId };
      }
    } else {
      this.log(`task ${req.taskId}: no room in ${main.windowId} (${plan?.fits === false ? plan.reason : 'window gone'}), using the overflow window`);
    }
    return this.openInOverflow(req, main.sessionId, tag);
  }

  private async openInOverflow(req: OpenPaneRequest, sessionId: string, tag: { taskId: string; seq: string; home: string; title: string }): Promise<OpenedPane> {
    let windowId = await this.findOverflow(sessionId);
    let paneId: string | null = null;
    if (windowId) paneId = await this.splitInto(windowId, req.cwd);
    if (!paneId) {
      // No overflow window yet, or it is full to the last cell: start a (new) overflow window.
      const win = await newWindow(this.client, sessionId, this.options.overflow_window, req.cwd);
      await this.client.run(['set-option', '-w', '-t', win.windowId, OPT.overflow, '1']);
      windowId = win.windowId;
      paneId = win.paneId;
    }
    const pid = await startInPane(this.client, paneId, tag, req.command, req.cwd);
    await this.relayoutAfterStart(windowId!);
    return { paneId, pid, placement: 'overflow', windowId: windowId! };
  }

  /** Once the agent runs, a failed layout is only cosmetic: say so, never lose track of the pane. */
  private async relayoutAfterStart(windowId: string): Promise<void> {
    try {
      await this.relayoutNow(windowId);
    } catch (err) {
      this.log(`layout of ${windowId} failed: ${(err as Error).message}`);
    }
  }

  private async findOverflow(sessionId: string): Promise<string | null> {
    const windows = await this.client.listWindows(sessionId, ['window_id', OPT.overflow] as const);
    return windows.find((w) => w[OPT.overflow] === '1')?.window_id ?? null;
  }

  /**
   * Splits the last pane of the window (so that panes stay in creation order), or the largest one
   * when tmux has no space there. Returns null when tmux has no space for a new pane at all.
   */
  private async splitInto(windowId: string, cwd: string): Promise<string | null> {
    const panes = await windowPanes(this.client, windowId);
    const last = panes[panes.length - 1];
    const largest = [...panes].sort((a, b) => b.width * b.height - a.width * a.height)[0];
    for (const target of [last, largest]) {
      if (!target) continue;
      try {
        return await splitPane(this.client, target, cwd);
      } catch (err) {
        if (!(err instanceof TmuxError && err.isNoSpace)) throw err;
        this.log(`split of ${target.paneId} in ${windowId}: ${err.stderr.trim()}`);
      }
    }
    return null;
  }

  /** The launching pane, or null when it closed while the task waited in the queue. */
  private async resolveMain(paneId: string, taskId: string): Promise<{ paneId: string; windowId: string; sessionId: string } | null> {
    const info = await paneInfo(this.client, paneId);
    if (!info) {
      this.log(`task ${taskId}: the launching pane ${paneId} is gone; using the ${this.options.session} session`);
      return null;
    }
    return { paneId, windowId: info.windowId, sessionId: info.sessionId };
  }

  /** The detached session of options.session, created when missing; its first pane is the main pane. */
  private async ensureSession(): Promise<{ paneId: string; windowId: string; sessionId: string }> {
    // tmux turns "." and ":" in session names into "_".
    const name = this.options.session.replace(/[.:]/g, '_');
    const sessions = await this.client.listSessions(['session_id', 'session_name'] as const);
    const found = sessions.find((s) => s.session_name === name);
    if (!found) {
      const out = await this.client.run(['new-session', '-d', '-s', name, '-x', DETACHED_SIZE.x, '-y', DETACHED_SIZE.y, '-P', '-F', '#{session_id} #{window_id} #{pane_id}']);
      const [sessionId = '', windowId = '', paneId = ''] = out.split(' ');
      return { sessionId, windowId, paneId };
    }
    const windows = await this.client.listWindows(found.session_id, ['window_id', OPT.main, OPT.overflow] as const);
    const marked = windows.find((w) => w[OPT.main]);
    if (marked && (await paneInfo(this.client, marked[OPT.main]))) return { sessionId: found.session_id, windowId: marked.window_id, paneId: marked[OPT.main] };
    const first = windows.find((w) => w[OPT.overflow] !== '1') ?? windows[0];
    if (!first) throw new Error(`tmux session ${name} has no window`);
    const panes = await windowPanes(this.client, first.window_id);
    return { sessionId: found.session_id, windowId: first.window_id, paneId: panes[0]!.paneId };
  }

  /** The plan for the window's current panes plus `extra` agents, or null when the window is gone. */
  private async planWindow(windowId: string, extra: number): Promise<LayoutPlan | null> {
    const win = await windowInfo(this.client, windowId);
    if (!win) return null;
    const panes = await windowPanes(this.client, windowId);
    const hasMain = !win.isOverflow && panes.some((p) => p.paneId === win.mainPane);
    const agents = panes.length - (hasMain ? 1 : 0) + extra;
    return planLayout({ width: win.width, height: win.height, hasMain, agents }, await this.planOptions());
  }

  private async relayoutNow(windowId: string): Promise<void> {
    const win = await windowInfo(this.client, windowId);
    if (!win) return;
    let panes = await windowPanes(this.client, windowId);
    const hasMain = !win.isOverflow && panes.some((p) => p.paneId === win.mainPane);
    if (!hasMain) {
      await this.client.run(['select-layout', '-t', windowId, 'tiled']);
      return;
    }
    if (!panes.some((p) => p.taskId)) {
      // The last agent left: give the person's window back as it was, without our resize hook.
      await this.client.runAll([
        ['set-hook', '-uw', '-t', windowId, 'window-resized'],
        ['set-option', '-uw', '-t', windowId, 'main-pane-width'],
        ['set-option', '-uw', '-t', windowId, 'main-pane-height'],
      ]);
      return;
    }
    // Built-in layouts take the first pane of the window as the main pane.
    if (panes[0]!.paneId !== win.mainPane) {
      await this.client.run(['swap-pane', '-d', '-s', win.mainPane, '-t', panes[0]!.paneId]);
      panes = await windowPanes(this.client, windowId);
    }
    let plan = await this.planWindow(windowId, 0);
    // The window shrank (or a client attached smaller): move the newest agent panes out until the rest fit.
    while (plan && !plan.fits) {
      const newest = panes.filter((p) => p.taskId).sort((a, b) => b.seq.localeCompare(a.seq))[0];
      if (!newest) break;
      this.log(`${windowId}: ${plan.reason}; moving ${newest.paneId} to the overflow window`);
      await this.moveToOverflow(newest.paneId, win.sessionId);
      panes = await windowPanes(this.client, windowId);
      plan = await this.planWindow(windowId, 0);
    }
    if (!plan?.fits) return;
    await this.apply(windowId, plan);
  }

  private async apply(windowId: string, plan: Extract<LayoutPlan, { fits: true }>): Promise<void> {
    if (plan.apply.kind === 'custom') {
      await this.client.run(['select-layout', '-t', windowId, plan.apply.layout]);
      // A custom layout string is drawn for one window size; on resize tmux scales it proportionally.
      await this.client.run(['set-hook', '-uw', '-t', windowId, 'window-resized']).catch(() => {});
      return;
    }
    await this.client.runAll([
      ...Object.entries(plan.apply.windowOptions).map(([key, value]) => ['set-option', '-w', '-t', windowId, key, value]),
      ['select-layout', '-t', windowId, plan.apply.name],
      // Resize: tmux itself re-applies the built-in layout (main-pane-width is a percentage, so the main
      // pane keeps its share). Only our fixed text goes into the hook: a window id and a layout name.
      ['set-hook', '-w', '-t', windowId, 'window-resized', `select-layout -t ${windowId} ${plan.apply.name}`],
    ]);
  }

  private async moveToOverflow(paneId: string, sessionId: string): Promise<void> {
    const overflow = await this.findOverflow(sessionId);
    if (overflow) {
      const target = (await windowPanes(this.client, overflow)).at(-1);
      if (target) {
        try {
          await this.client.run(['join-pane', '-d', '-s', paneId, '-t', target.paneId]);
          await this.client.run(['select-layout', '-t', overflow, 'tiled']);
          return;
        } catch (err) {
          if (!(err instanceof TmuxError && err.isNoSpace)) throw err;
        }
      }
    }
    // Without -t, break-pane puts the new window in tmux's "best" session, not the pane's own.
    const windowId = await this.client.run(['break-pane', '-d', '-s', paneId, '-t', `${sessionId}:`, '-n', this.options.overflow_window, '-P', '-F', '#{window_id}']);
    await this.client.run(['set-option', '-w', '-t', windowId, OPT.overflow, '1']);
  }

  /** Joins an overflow pane into its home window when the plan has room. */
  private async tryJoin(paneId: string, homeWindowId: string): Promise<boolean> {
    const plan = await this.planWindow(homeWindowId, 1);
    if (!plan?.fits) return false;
    const last = (await windowPanes(this.client, homeWindowId)).at(-1);
    if (!last) return false;
    try {
      await this.client.run(['join-pane', '-d', last.width >= 2 * last.height ? '-h' : '-v', '-s', paneId, '-t', last.paneId]);
      return true;
    } catch (err) {
      if (err instanceof TmuxError && err.isNoSpace) return false;
      throw err;
    }
  }

  private async afterRemoval(windowId: string, home: string): Promise<void> {
    await this.relayoutNow(windowId);
    const homeWindow = home || windowId;
    if (await windowInfo(this.client, homeWindow)) await this.promote(homeWindow);
  }

  /** Promotes overflow panes of `homeWindowId`, oldest first (live ones before dead), while they fit. */
  private async promote(homeWindowId: string): Promise<void> {
    const home = await windowInfo(this.client, homeWindowId);
    if (!home || home.isOverflow) return;
    const rows = await this.client.listPanes(null, ['pane_id', 'window_id', 'pane_dead', OPT.task, OPT.home, OPT.seq] as const);
    const waiting = rows
      .filter((r) => r[OPT.task] && r[OPT.home] === homeWindowId && r.window_id !== homeWindowId)
      .sort((a, b) => Number(a.pane_dead) - Number(b.pane_dead) || a[OPT.seq].localeCompare(b[OPT.seq]));
    const touched = new Set<string>();
    for (const pane of waiting) {
      if (!(await this.tryJoin(pane.pane_id, homeWindowId))) break;
      this.log(`promoted ${pane.pane_id} (task ${pane[OPT.task]}) into ${homeWindowId}`);
      touched.add(pane.window_id);
      await this.relayoutNow(homeWindowId);
    }
    for (const w of touched) await this.relayoutNow(w);
  }

  /**
   * The banner. The pane is respawned with a fixed script that shows the agent's last output — the
   * tail of its output file when the caller has one, else the rows tmux has on screen — then the
   * banner lines, and stays alive until the pane closes. Everything variable goes in as positional
   * arguments of that fixed script, never into its text.
   *
   * Why not leave the dead pane as it is: tmux can drop the last bytes a process wrote just before it
   * exited (the pty reports EOF before everything was read), so neither the agent's final lines nor a
   * banner printed by a process that exits at once are reliably on screen. A live process and the
   * output file avoid both. tmux's "Pane is dead" line is switched off with an empty
   * remain-on-exit-format for when the user ends the script by hand.
   */
  private async showBanner(paneId: string, banner: string[], outputFile?: string): Promise<void> {
    const height = Number(await this.client.display(paneId, '#{pane_height}'));
    const rows = Math.max(0, height - banner.length - 1);
    let lines: string[] = [];
    if (!outputFile) {
      // History too (-S -): a pane that shrank after its output pushed its top rows there. Rows as
      // drawn (no -J), so each is at most the pane's width and the respawn stays far under tmux's
      // 16 KB command limit.
      // No -e: colour codes would make rows longer than the pane is wide.
      const screen = await this.client.run(['capture-pane', '-p', '-S', '-', '-t', paneId]);
      lines = screen.split('\n');
      while (lines.length > 0 && (lines[lines.length - 1]!.trim() === '' || /^Pane is dead/.test(lines[lines.length - 1]!))) lines.pop();
      lines = rows ? lines.slice(-rows) : [];
    }
    await this.client.runAll([
      ['set-option', '-p', '-t', paneId, 'remain-on-exit', 'on'],
      ['set-option', '-p', '-t', paneId, 'remain-on-exit-format', ''],
      ['respawn-pane', '-k', '-t', paneId, '--', 'sh', '-c', BANNER_SCRIPT, 'panecrew-banner', outputFile ?? '', String(rows), ...lines, '\u001b[0m', ...banner],
    ]);
  }
}
