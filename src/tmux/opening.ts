// Opening an agent pane: beside the main pane when the planner says it fits, else in the overflow
// window, or in a window of its own when asked. Three tmux calls in the common case: a snapshot of
// the server (session.ts), the split, and one call that tags the pane, lays the window out and
// starts the command (so it starts at its final size).
import { TmuxError } from './client.js';
import { labelsOnCommands } from './labels.js';
import type { PaneBox } from './layout-plan.js';
import { newOverflowWindow, overflowCommands } from './overflow.js';
import { newWindow, OPT, splitPane, startInPane, tagCommands, type TagInfo } from './pane-ops.js';
import type { PaneContext } from './pane-context.js';
import { arrange, planFor } from './relayout.js';
import { findMain } from './session.js';
import type { Borders, PaneRow, Snapshot, WindowInfo } from './snapshot.js';

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
  /** Shown after the label in the pane's border from the start (e.g. "running"). */
  state?: string;
}

export interface OpenedPane {
  paneId: string;
  pid: number;
  placement: 'pane' | 'overflow' | 'window';
  windowId: string;
  /** Why the pane went to the overflow window instead of beside the main pane (for launch, status, MCP). */
  overflowReason?: string;
}

export async function openPane(ctx: PaneContext, req: OpenPaneRequest, seq: string): Promise<OpenedPane> {
  const { client } = ctx;
  const { main, snap } = await findMain(ctx, req.mainPane, req.taskId);
  const tag: TagInfo = { taskId: req.taskId, seq, home: '', title: `${req.taskId} ${req.agent} ${req.title}`, state: req.state };
  if (req.requested === 'window') {
    const win = await newWindow(client, main.sessionId, req.taskId, req.cwd);
    const pid = await startInPane(client, win.paneId, req.command, req.cwd, tagCommands(win.paneId, tag));
    return { paneId: win.paneId, pid, placement: 'window', windowId: win.windowId };
  }
  tag.home = main.windowId;
  const home = { ...snap.window(main.windowId)!, mainPane: main.paneId };
  const borders = snap.borders.get(main.paneId);
  const markMain = [['set-option', '-w', '-t', main.windowId, OPT.main, main.paneId]];
  const panes = snap.panesIn(main.windowId);
  const plan = await planFor(ctx, home, panes, 1);
  let why: string;
  if (plan.fits) {
    const labels = await labelsOnCommands(client, home.windowId, home.labels, borders);
    const split = await splitInto(ctx, home.windowId, panes, req.cwd, { mainPane: main.paneId, planned: plan.panes, before: [...markMain, ...labels] });
    if (split) {
      const pid = await startArranged(ctx, { ...home, labels: true }, split, tag, req, borders);
      return { paneId: split.paneId, pid, placement: 'pane', windowId: main.windowId };
    }
    why = `tmux has no space left to split in window ${main.windowId}`;
  } else {
    why = `no room beside the main pane ${main.paneId}: ${plan.reason}`;
  }
  ctx.log(`task ${req.taskId}: ${why}; using the overflow window`);
  return { ...(await openInOverflow(ctx, snap, req, main.sessionId, tag, markMain)), overflowReason: why };
}

async function openInOverflow(ctx: PaneContext, snap: Snapshot, req: OpenPaneRequest, sessionId: string, tag: TagInfo, before: string[][]): Promise<OpenedPane> {
  const overflow = snap.overflowOf(sessionId);
  if (overflow) {
    const labels = await labelsOnCommands(ctx.client, overflow.windowId, overflow.labels);
    const split = await splitInto(ctx, overflow.windowId, snap.panesIn(overflow.windowId), req.cwd, { before: [...before, ...labels] });
    if (split) {
      const pid = await startArranged(ctx, { ...overflow, labels: true }, split, tag, req);
      return { paneId: split.paneId, pid, placement: 'overflow', windowId: overflow.windowId };
    }
  }
  // No overflow window yet, or it is full to the last cell: start a (new) overflow window.
  const { windowId, paneId } = await newOverflowWindow(ctx, sessionId, req.cwd);
  const pid = await startInPane(ctx.client, paneId, req.command, req.cwd, [...before, ...overflowCommands(windowId), ...tagCommands(paneId, tag)]);
  return { paneId, pid, placement: 'overflow', windowId };
}

interface Split {
  paneId: string;
  /** The panes of the window after the split, in window order. */
  panes: PaneRow[];
}

/** Tags the new pane, lays its window out and starts the command, in one tmux call. */
async function startArranged(ctx: PaneContext, win: WindowInfo, split: Split, tag: TagInfo, req: OpenPaneRequest, borders?: Borders): Promise<number> {
  const panes = split.panes.map((p) => (p.paneId === split.paneId ? { ...p, taskId: tag.taskId, seq: tag.seq, home: tag.home } : p));
  const layout = await arrange(ctx, win, panes, false, borders);
  // It was planned with this pane: not fitting now means the window changed meanwhile, and the
  // resize hook lays it out again. Once the agent runs, a layout is only cosmetic.
  if (!layout.fits) ctx.log(`layout of ${win.windowId} skipped: ${layout.reason}`);
  return startInPane(ctx.client, split.paneId, req.command, req.cwd, [...tagCommands(split.paneId, tag), ...(layout.fits ? layout.commands : [])]);
}

interface SplitOptions {
  mainPane?: string;
  /** The plan with the new agent (main pane first, the new agent last). */
  planned?: PaneBox[];
  /** Commands run in the same tmux call first (labels on: the panes see one resize). */
  before: string[][];
}

/**
 * Splits the last pane of the window (so that panes stay in creation order), or the largest one
 * when tmux has no space there. Returns null when tmux has no space for a new pane at all. A split
 * of the main pane gives the new pane its planned size: the main pane, where the person (or a TUI
 * agent) works, is resized once, straight to its final size.
 */
async function splitInto(ctx: PaneContext, windowId: string, panes: PaneRow[], cwd: string, opts: SplitOptions): Promise<Split | null> {
  const last = panes[panes.length - 1];
  const largest = [...panes].sort((a, b) => b.width * b.height - a.width * a.height)[0];
  for (const target of new Set([last, largest])) {
    if (!target) continue;
    const box = target.paneId === opts.mainPane ? opts.planned?.at(-1) : undefined;
    const sized = box ? (box.x > 0 ? { flag: '-h' as const, size: box.w } : { flag: '-v' as const, size: box.h }) : {};
    try {
      const paneId = await splitPane(ctx.client, target, cwd, { ...sized, before: opts.before });
      // tmux puts the new pane right after the one it split.
      const at = panes.indexOf(target) + 1;
      const added: PaneRow = { paneId, windowId, taskId: '', seq: '', home: '', dead: false, pid: 0, width: 0, height: 0 };
      return { paneId, panes: [...panes.slice(0, at), added, ...panes.slice(at)] };
    } catch (err) {
      if (!(err instanceof TmuxError && err.isNoSpace)) throw err;
      ctx.log(`split of ${target.paneId} in ${windowId}: ${err.stderr.trim()}`);
    }
  }
  return null;
}
