// Opening an agent pane: beside the main pane when the planner says it fits, else in the overflow
// window, or in a window of its own when asked.
import { TmuxError } from './client.js';
import { labelsOnCommands } from './labels.js';
import type { PaneBox } from './layout-plan.js';
import { findOverflow, newOverflowWindow } from './overflow.js';
import { newWindow, OPT, splitPane, startInPane, windowPanes, type TagInfo } from './pane-ops.js';
import type { PaneContext } from './pane-context.js';
import { planWindow, relayoutQuietly } from './relayout.js';
import { ensureSession, resolveMain } from './session.js';

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
  /** Why the pane went to the overflow window instead of beside the main pane (for launch, status, MCP). */
  overflowReason?: string;
}

export async function openPane(ctx: PaneContext, req: OpenPaneRequest, seq: string): Promise<OpenedPane> {
  const { client } = ctx;
  const main = (req.mainPane && (await resolveMain(ctx, req.mainPane, req.taskId))) || (await ensureSession(ctx));
  const tag: TagInfo = { taskId: req.taskId, seq, home: '', title: `${req.taskId} ${req.agent} ${req.title}` };
  if (req.requested === 'window') {
    const win = await newWindow(client, main.sessionId, req.taskId, req.cwd);
    const pid = await startInPane(client, win.paneId, tag, req.command, req.cwd);
    return { paneId: win.paneId, pid, placement: 'window', windowId: win.windowId };
  }
  await client.run(['set-option', '-w', '-t', main.windowId, OPT.main, main.paneId]);
  tag.home = main.windowId;
  const plan = await planWindow(ctx, main.windowId, 1);
  let why: string;
  if (plan?.fits) {
    const paneId = await splitInto(ctx, main.windowId, req.cwd, main.paneId, plan.panes);
    if (paneId) {
      const pid = await startInPane(client, paneId, tag, req.command, req.cwd, () => relayoutQuietly(ctx, main.windowId));
      return { paneId, pid, placement: 'pane', windowId: main.windowId };
    }
    why = `tmux has no space left to split in window ${main.windowId}`;
  } else {
    why = plan ? `no room beside the main pane ${main.paneId}: ${plan.reason}` : `window ${main.windowId} is gone`;
  }
  ctx.log(`task ${req.taskId}: ${why}; using the overflow window`);
  return { ...(await openInOverflow(ctx, req, main.sessionId, tag)), overflowReason: why };
}

async function openInOverflow(ctx: PaneContext, req: OpenPaneRequest, sessionId: string, tag: TagInfo): Promise<OpenedPane> {
  let windowId = await findOverflow(ctx, sessionId);
  let paneId: string | null = null;
  if (windowId) paneId = await splitInto(ctx, windowId, req.cwd, null, null);
  if (!windowId || !paneId) {
    // No overflow window yet, or it is full to the last cell: start a (new) overflow window.
    ({ windowId, paneId } = await newOverflowWindow(ctx, sessionId, req.cwd));
  }
  const overflow = windowId;
  const pid = await startInPane(ctx.client, paneId, tag, req.command, req.cwd, () => relayoutQuietly(ctx, overflow));
  return { paneId, pid, placement: 'overflow', windowId };
}

/**
 * Splits the last pane of the window (so that panes stay in creation order), or the largest one
 * when tmux has no space there. Returns null when tmux has no space for a new pane at all.
 * Border labels go on in the same tmux call, and a split of the main pane gives the new pane its
 * planned size (`planned`: main pane first, the new agent last): the main pane, where the person
 * (or a TUI agent) works, is resized once, straight to its final size.
 */
async function splitInto(ctx: PaneContext, windowId: string, cwd: string, mainPane: string | null, planned: PaneBox[] | null): Promise<string | null> {
  const { client } = ctx;
  const panes = await windowPanes(client, windowId);
  const last = panes[panes.length - 1];
  const largest = [...panes].sort((a, b) => b.width * b.height - a.width * a.height)[0];
  const before = await labelsOnCommands(client, windowId);
  for (const target of [last, largest]) {
    if (!target) continue;
    const box = target.paneId === mainPane ? planned?.at(-1) : undefined;
    const sized = box ? (box.x > 0 ? { flag: '-h' as const, size: box.w } : { flag: '-v' as const, size: box.h }) : {};
    try {
      return await splitPane(client, target, cwd, { ...sized, before });
    } catch (err) {
      if (!(err instanceof TmuxError && err.isNoSpace)) throw err;
      ctx.log(`split of ${target.paneId} in ${windowId}: ${err.stderr.trim()}`);
    }
  }
  return null;
}
