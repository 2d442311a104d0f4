// Relayout and promotion: applies the planned layout to a window, moves agent panes out to the
// overflow window when the window no longer holds them, and brings overflow panes back in (oldest
// first) when room frees.
import { TmuxError } from './client.js';
import { planLayout, type LayoutPlan } from './layout-plan.js';
import { moveToOverflow } from './overflow.js';
import { OPT, splitFlag, windowInfo, windowPanes } from './pane-ops.js';
import type { PaneContext } from './pane-context.js';

/** The plan for the window's current panes plus `extra` agents, or null when the window is gone. */
export async function planWindow(ctx: PaneContext, windowId: string, extra: number): Promise<LayoutPlan | null> {
  const win = await windowInfo(ctx.client, windowId);
  if (!win) return null;
  const panes = await windowPanes(ctx.client, windowId);
  const hasMain = !win.isOverflow && panes.some((p) => p.paneId === win.mainPane);
  const agents = panes.length - (hasMain ? 1 : 0) + extra;
  return planLayout({ width: win.width, height: win.height, hasMain, agents }, await ctx.planOptions());
}

export async function relayoutNow(ctx: PaneContext, windowId: string): Promise<void> {
  const { client } = ctx;
  const win = await windowInfo(client, windowId);
  if (!win) return;
  let panes = await windowPanes(client, windowId);
  const hasMain = !win.isOverflow && panes.some((p) => p.paneId === win.mainPane);
  if (!hasMain) {
    await client.run(['select-layout', '-t', windowId, 'tiled']);
    return;
  }
  if (!panes.some((p) => p.taskId)) {
    // The last agent left: give the person's window back as it was, without our resize hook.
    await client.runAll([
      ['set-hook', '-uw', '-t', windowId, 'window-resized'],
      ['set-option', '-uw', '-t', windowId, 'main-pane-width'],
      ['set-option', '-uw', '-t', windowId, 'main-pane-height'],
    ]);
    return;
  }
  // Built-in layouts take the first pane of the window as the main pane.
  if (panes[0]!.paneId !== win.mainPane) {
    await client.run(['swap-pane', '-d', '-s', win.mainPane, '-t', panes[0]!.paneId]);
    panes = await windowPanes(client, windowId);
  }
  let plan = await planWindow(ctx, windowId, 0);
  // The window shrank (or a client attached smaller): move the newest agent panes out until the rest fit.
  while (plan && !plan.fits) {
    const newest = panes.filter((p) => p.taskId).sort((a, b) => b.seq.localeCompare(a.seq))[0];
    if (!newest) break;
    ctx.log(`${windowId}: ${plan.reason}; moving ${newest.paneId} to the overflow window`);
    await moveToOverflow(ctx, newest.paneId, win.sessionId);
    panes = await windowPanes(client, windowId);
    plan = await planWindow(ctx, windowId, 0);
  }
  if (!plan?.fits) return;
  await applyPlan(ctx, windowId, plan);
}

/** Once the agent runs, a failed layout is only cosmetic: say so, never lose track of the pane. */
export async function relayoutQuietly(ctx: PaneContext, windowId: string): Promise<void> {
  try {
    await relayoutNow(ctx, windowId);
  } catch (err) {
    ctx.log(`layout of ${windowId} failed: ${(err as Error).message}`);
  }
}

async function applyPlan(ctx: PaneContext, windowId: string, plan: Extract<LayoutPlan, { fits: true }>): Promise<void> {
  const { client } = ctx;
  if (plan.apply.kind === 'custom') {
    await client.run(['select-layout', '-t', windowId, plan.apply.layout]);
    // A custom layout string is drawn for one window size; on resize tmux scales it proportionally.
    await client.run(['set-hook', '-uw', '-t', windowId, 'window-resized']).catch(() => {});
    return;
  }
  await client.runAll([
    ...Object.entries(plan.apply.windowOptions).map(([key, value]) => ['set-option', '-w', '-t', windowId, key, value]),
    ['select-layout', '-t', windowId, plan.apply.name],
    // Resize: tmux itself re-applies the built-in layout (main-pane-width is a percentage, so the main
    // pane keeps its share). Only our fixed text goes into the hook: a window id and a layout name.
    ['set-hook', '-w', '-t', windowId, 'window-resized', `select-layout -t ${windowId} ${plan.apply.name}`],
  ]);
}

/** Joins an overflow pane into its home window when the plan has room. */
export async function tryJoin(ctx: PaneContext, paneId: string, homeWindowId: string): Promise<boolean> {
  const plan = await planWindow(ctx, homeWindowId, 1);
  if (!plan?.fits) return false;
  const last = (await windowPanes(ctx.client, homeWindowId)).at(-1);
  if (!last) return false;
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
    touched.add(pane.window_id);
    await relayoutNow(ctx, homeWindowId);
  }
  for (const w of touched) await relayoutNow(ctx, w);
}
