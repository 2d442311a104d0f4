// Relayout and promotion: applies the planned layout to a window, moves agent panes out to the
// overflow window when the window no longer holds them, and brings overflow panes back in (oldest
// first) when room frees. `arrange` only computes commands, from a snapshot the caller already has,
// so that opening or closing a pane lays its window out in the same tmux call.
import { TmuxError } from './client.js';
import { planLayout, type LayoutPlan } from './layout-plan.js';
import { labelsOffCommands, labelsOnCommands } from './labels.js';
import { moveToOverflow } from './overflow.js';
import { splitFlag } from './pane-ops.js';
import type { PaneContext } from './pane-context.js';
import { RESIZE_HOOK } from './resize-watch.js';
import { readSnapshot, type Borders, type PaneRow, type Snapshot, type WindowInfo } from './snapshot.js';

/** The plan for these panes of the window plus `extra` agents. */
export async function planFor(ctx: PaneContext, win: WindowInfo, panes: readonly PaneRow[], extra: number): Promise<LayoutPlan> {
  const hasMain = !win.isOverflow && panes.some((p) => p.paneId === win.mainPane);
  const agents = panes.length - (hasMain ? 1 : 0) + extra;
  // With agents the window shows border labels (labels.ts), which take the top row.
  return planLayout({ width: win.width, height: win.height, hasMain, agents, labels: agents > 0 }, await ctx.planOptions());
}

export type Arrangement = { fits: true; commands: string[][] } | { fits: false; reason: string };

/**
 * The commands that lay `win` out with `panes` (in window order, as they will be when the commands
 * run), or why the planned layout does not fit. `waiting`: agent panes of this window wait in the
 * overflow window (its resize hook must stay for them). `borders`: the window's, when read already.
 */
export async function arrange(ctx: PaneContext, win: WindowInfo, panes: readonly PaneRow[], waiting: boolean, borders?: Borders): Promise<Arrangement> {
  const { client } = ctx;
  const { windowId } = win;
  if (win.isOverflow || !panes.some((p) => p.paneId === win.mainPane)) {
    return { fits: true, commands: [...(await labelsOnCommands(client, windowId, win.labels, borders)), ['select-layout', '-t', windowId, 'tiled']] };
  }
  if (!panes.some((p) => p.taskId) && !waiting) return { fits: true, commands: await releaseCommands(ctx, win, borders) };
  const plan = await planFor(ctx, win, panes, 0);
  if (!plan.fits) return plan;
  // Built-in layouts take the first pane of the window as the main pane.
  const swap = panes[0]!.paneId !== win.mainPane ? [['swap-pane', '-d', '-s', win.mainPane, '-t', panes[0]!.paneId]] : [];
  const apply = plan.apply;
  // No agent left beside the main pane (they all went to the overflow window): no label row, but
  // the hook stays, so that they come back when the window grows.
  const hasAgents = plan.panes.some((p) => p.role === 'agent');
  return {
    fits: true,
    commands: [
      ...swap,
      ...(hasAgents ? await labelsOnCommands(client, windowId, win.labels, borders) : await labelsOffCommands(client, windowId, win.labels, borders)),
      ...(apply.kind === 'builtin' ? Object.entries(apply.windowOptions).map(([key, value]) => ['set-option', '-w', '-t', windowId, key, value]) : []),
      ['select-layout', '-t', windowId, apply.kind === 'builtin' ? apply.name : apply.layout],
      // A resize is planned again (the layout may switch, panes may move to or from the overflow
      // window): the hook only wakes the pane manager (resize-watch.ts).
      ['set-hook', '-w', '-t', windowId, 'window-resized', RESIZE_HOOK],
    ],
  };
}

/** The last agent left: the commands that give the person's window back as it was, without our hook and labels. */
export async function releaseCommands(ctx: PaneContext, win: WindowInfo, borders?: Borders): Promise<string[][]> {
  const { windowId } = win;
  return [
    ['set-hook', '-uw', '-t', windowId, 'window-resized'],
    ['set-option', '-uw', '-t', windowId, 'main-pane-width'],
    ['set-option', '-uw', '-t', windowId, 'main-pane-height'],
    ...(await labelsOffCommands(ctx.client, windowId, win.labels, borders)),
  ];
}

/**
 * Lays the window out as planned: one snapshot and one call when it fits; when the window shrank
 * (or a client attached smaller), the newest agent panes move out first until the rest fit.
 */
export async function relayoutNow(ctx: PaneContext, windowId: string): Promise<void> {
  for (;;) {
    const snap = await readSnapshot(ctx.client, [windowId]).catch(missingIsNull);
    const win = snap?.window(windowId);
    if (!snap || !win) return;
    const panes = snap.panesIn(windowId);
    const layout = await arrange(ctx, win, panes, snap.waitingFor(windowId).length > 0, snap.borders.get(windowId));
    if (layout.fits) {
      await ctx.client.runAll(layout.commands);
      return;
    }
    const newest = panes.filter((p) => p.taskId).sort((a, b) => b.seq.localeCompare(a.seq))[0];
    if (!newest) return;
    ctx.log(`${windowId}: ${layout.reason}; moving ${newest.paneId} to the overflow window`);
    await moveToOverflow(ctx, snap, newest, win.sessionId, layout.reason);
  }
}

/** Every window panecrew lays out on this server, planned again after a resize; overflow panes come back when they fit. */
export async function relayoutManaged(ctx: PaneContext): Promise<void> {
  const snap = await readSnapshot(ctx.client);
  for (const w of snap.windows.filter((w) => w.mainPane && !w.isOverflow)) {
    await relayoutNow(ctx, w.windowId);
    await promote(ctx, w.windowId);
  }
  for (const w of snap.windows.filter((w) => w.isOverflow)) await relayoutNow(ctx, w.windowId);
}

/**
 * Joins an overflow pane into its home window after the last pane there, laid out in the same call,
 * when the plan has room. `snap` must have the home window's borders.
 */
export async function tryJoin(ctx: PaneContext, snap: Snapshot, pane: PaneRow, homeWindowId: string): Promise<boolean> {
  const home = snap.window(homeWindowId);
  const panes = snap.panesIn(homeWindowId);
  const last = panes.at(-1);
  if (!home || !last) return false;
  const layout = await arrange(ctx, home, [...panes, { ...pane, windowId: homeWindowId }], true, snap.borders.get(homeWindowId));
  if (!layout.fits) return false;
  try {
    await ctx.client.runAll([['join-pane', '-d', splitFlag(last), '-s', pane.paneId, '-t', last.paneId], ...layout.commands]);
    return true;
  } catch (err) {
    if (err instanceof TmuxError && err.isNoSpace) return false;
    throw err;
  }
}

/** Promotes overflow panes of `homeWindowId`, oldest first (live ones before dead), while they fit. */
export async function promote(ctx: PaneContext, homeWindowId: string): Promise<void> {
  const left = new Set<string>();
  for (;;) {
    const snap = await readSnapshot(ctx.client, [homeWindowId]).catch(missingIsNull);
    const home = snap?.window(homeWindowId);
    const next = snap?.waitingFor(homeWindowId)[0];
    if (!snap || !home || home.isOverflow || !next || !(await tryJoin(ctx, snap, next, homeWindowId))) break;
    ctx.log(`promoted ${next.paneId} (task ${next.taskId}) into ${homeWindowId}`);
    ctx.placed({ paneId: next.paneId, taskId: next.taskId, placement: 'pane', windowId: homeWindowId });
    left.add(next.windowId);
  }
  // The windows they left (an emptied one is gone: relayoutNow finds nothing to do).
  for (const w of left) await relayoutNow(ctx, w);
}

/** A window (or pane) that vanished between two calls is no error: there is nothing left to lay out. */
export function missingIsNull(err: unknown): null {
  if (err instanceof TmuxError && err.isMissingTarget) return null;
  throw err;
}
