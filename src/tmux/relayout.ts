// Relayout and promotion: applies the planned layout to a window, moves agent panes out to the
// overflow window when the window no longer holds them, and brings overflow panes back in (oldest
// first) when room frees.
import { TmuxError } from './client.js';
import { planLayout, type LayoutPlan } from './layout-plan.js';
import { labelsOffCommands, labelsOnCommands } from './labels.js';
import { moveToOverflow } from './overflow.js';
import { OPT, splitFlag, windowInfo, windowPanes, type PaneGeometry, type WindowInfo } from './pane-ops.js';
import type { PaneContext } from './pane-context.js';
import { RESIZE_HOOK } from './resize-watch.js';

/** The plan for the window's current panes plus `extra` agents, or null when the window is gone. */
export async function planWindow(ctx: PaneContext, windowId: string, extra: number): Promise<LayoutPlan | null> {
  const win = await windowInfo(ctx.client, windowId);
  if (!win) return null;
  return planFor(ctx, win, await windowPanes(ctx.client, windowId), extra);
}

/** The plan for these panes of the window plus `extra` agents. */
async function planFor(ctx: PaneContext, win: WindowInfo, panes: PaneGeometry[], extra: number): Promise<LayoutPlan> {
  const hasMain = !win.isOverflow && panes.some((p) => p.paneId === win.mainPane);
  const agents = panes.length - (hasMain ? 1 : 0) + extra;
  // With agents the window shows border labels (labels.ts), which take the top row.
  return planLayout({ width: win.width, height: win.height, hasMain, agents, labels: agents > 0 }, await ctx.planOptions());
}

export async function relayoutNow(ctx: PaneContext, windowId: string): Promise<void> {
  const { client } = ctx;
  const win = await windowInfo(client, windowId);
  if (!win) return;
  let panes = await windowPanes(client, windowId);
  const hasMain = !win.isOverflow && panes.some((p) => p.paneId === win.mainPane);
  if (!hasMain) {
    await client.runAll([...(await labelsOnCommands(client, windowId, win.labels)), ['select-layout', '-t', windowId, 'tiled']]);
    return;
  }
  if (!panes.some((p) => p.taskId) && !(await hasWaiting(ctx, windowId))) {
    await client.runAll(await releaseCommands(ctx, windowId));
    return;
  }
  // Built-in layouts take the first pane of the window as the main pane.
  if (panes[0]!.paneId !== win.mainPane) {
    await client.run(['swap-pane', '-d', '-s', win.mainPane, '-t', panes[0]!.paneId]);
    panes = await windowPanes(client, windowId);
  }
  let plan = await planFor(ctx, win, panes, 0);
  // The window shrank (or a client attached smaller): move the newest agent panes out until the rest fit.
  while (!plan.fits) {
    const newest = panes.filter((p) => p.taskId).sort((a, b) => b.seq.localeCompare(a.seq))[0];
    if (!newest) break;
    ctx.log(`${windowId}: ${plan.reason}; moving ${newest.paneId} to the overflow window`);
    await moveToOverflow(ctx, newest, win.sessionId, plan.reason);
    panes = await windowPanes(client, windowId);
    plan = await planFor(ctx, win, panes, 0);
  }
  if (!plan.fits) return;
  await applyPlan(ctx, win, plan);
}

/** Whether agent panes of this home window wait in an overflow window (its resize hook must stay for them). */
export async function hasWaiting(ctx: PaneContext, homeWindowId: string): Promise<boolean> {
  const rows = await ctx.client.listPanes(null, ['window_id', OPT.task, OPT.home] as const);
  return rows.some((r) => r[OPT.task] && r[OPT.home] === homeWindowId && r.window_id !== homeWindowId);
}

/** The last agent left: the commands that give the person's window back as it was, without our hook and labels. */
export async function releaseCommands(ctx: PaneContext, windowId: string): Promise<string[][]> {
  return [
    ['set-hook', '-uw', '-t', windowId, 'window-resized'],
    ['set-option', '-uw', '-t', windowId, 'main-pane-width'],
    ['set-option', '-uw', '-t', windowId, 'main-pane-height'],
    ...(await labelsOffCommands(ctx.client, windowId)),
  ];
}

/** Once the agent runs, a failed layout is only cosmetic: say so, never lose track of the pane. */
export async function relayoutQuietly(ctx: PaneContext, windowId: string): Promise<void> {
  try {
    await relayoutNow(ctx, windowId);
  } catch (err) {
    ctx.log(`layout of ${windowId} failed: ${(err as Error).message}`);
  }
}

async function applyPlan(ctx: PaneContext, win: WindowInfo, plan: Extract<LayoutPlan, { fits: true }>): Promise<void> {
  const { client } = ctx;
  const { windowId } = win;
  const apply = plan.apply;
  // No agent left beside the main pane (they all went to the overflow window): no label row, but
  // the hook stays, so that they come back when the window grows.
  const hasAgents = plan.panes.some((p) => p.role === 'agent');
  await client.runAll([
    ...(hasAgents ? await labelsOnCommands(client, windowId, win.labels) : await labelsOffCommands(client, windowId)),
    ...(apply.kind === 'builtin' ? Object.entries(apply.windowOptions).map(([key, value]) => ['set-option', '-w', '-t', windowId, key, value]) : []),
    ['select-layout', '-t', windowId, apply.kind === 'builtin' ? apply.name : apply.layout],
    // A resize is planned again (the layout may switch, panes may move to or from the overflow
    // window): the hook only wakes the pane manager (resize-watch.ts).
    ['set-hook', '-w', '-t', windowId, 'window-resized', RESIZE_HOOK],
  ]);
}

/** Every window panecrew lays out on this server, planned again after a resize; overflow panes come back when they fit. */
export async function relayoutManaged(ctx: PaneContext): Promise<void> {
  const windows = await ctx.client.listWindows(null, ['window_id', OPT.main, OPT.overflow] as const);
  for (const w of windows.filter((w) => w[OPT.main])) {
    await relayoutNow(ctx, w.window_id);
    await promote(ctx, w.window_id);
  }
  for (const w of windows.filter((w) => w[OPT.overflow] === '1')) await relayoutNow(ctx, w.window_id);
}

/** Joins an overflow pane into its home window when the plan has room. */
export async function tryJoin(ctx: PaneContext, paneId: string, homeWindowId: string): Promise<boolean> {
  const win = await windowInfo(ctx.client, homeWindowId);
  if (!win) return false;
  const panes = await windowPanes(ctx.client, homeWindowId);
  const last = panes.at(-1);
  if (!last || !(await planFor(ctx, win, panes, 1)).fits) return false;
  try {
    await ctx.client.run(['join-pane', '-d', splitFlag(last), '-s', paneId, '-t', last.paneId]);
    return true;
  } catch (err) {
    if (err instanceof TmuxError && err.isNoSpace) return false;
    throw err;
  }
}

/** After a pane left `windowId`: lay it out again and promote overflow panes into their home window. */
export async function afterRemoval(ctx: PaneContext, windowId: string, home: string): Promise<void> {
  await relayoutNow(ctx, windowId);
  const homeWindow = home || windowId;
  if (await windowInfo(ctx.client, homeWindow)) await promote(ctx, homeWindow);
}

/** Promotes overflow panes of `homeWindowId`, oldest first (live ones before dead), while they fit. */
export async function promote(ctx: PaneContext, homeWindowId: string): Promise<void> {
  const home = await windowInfo(ctx.client, homeWindowId);
  if (!home || home.isOverflow) return;
  const rows = await ctx.client.listPanes(null, ['pane_id', 'window_id', 'pane_dead', OPT.task, OPT.home, OPT.seq] as const);
  const waiting = rows
    .filter((r) => r[OPT.task] && r[OPT.home] === homeWindowId && r.window_id !== homeWindowId)
    .sort((a, b) => Number(a.pane_dead) - Number(b.pane_dead) || a[OPT.seq].localeCompare(b[OPT.seq]));
  const touched = new Set<string>();
  for (const pane of waiting) {
    if (!(await tryJoin(ctx, pane.pane_id, homeWindowId))) break;
    ctx.log(`promoted ${pane.pane_id} (task ${pane[OPT.task]}) into ${homeWindowId}`);
    ctx.placed({ paneId: pane.pane_id, taskId: pane[OPT.task], placement: 'pane', windowId: homeWindowId });
    touched.add(pane.window_id);
    await relayoutNow(ctx, homeWindowId);
  }
  for (const w of touched) await relayoutNow(ctx, w);
}
