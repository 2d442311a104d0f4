// Opening an agent pane: beside the main pane when the planner says it fits, else in the overflow
// window, or in a window of its own when asked. Two tmux calls in the common case: a snapshot of
// the server (session.ts), then one call that splits, tags the new pane and lays the window out.
import { TmuxError } from './client.js';
import { CONTROL_RETRY_MS } from './control-link.js';
import { labelsOnCommands } from './labels.js';
import type { PaneBox } from './layout-plan.js';
import { newOverflowWindow, overflowCommands } from './overflow.js';
import { execArgv, newWindow, OPT, splitFlag, startInPane, tagCommands, type TagInfo } from './pane-ops.js';
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
  // Calls go over a control connection once it is up instead of a tmux process each: attaching
  // again (after it went idle) while the snapshot is read lets this open's split use it.
  client.resumeControl();
  const { main, snap } = await findMain(ctx, req.mainPane, req.taskId);
  client.attachControl(main.sessionId, (err) =>
    ctx.log(`tmux refused a control connection to session ${main.sessionId} (${err.message}): each tmux call starts a tmux process instead (slower, no less correct); the attach is tried again every ${CONTROL_RETRY_MS / 1000} s, and tmux.control_idle_ms: 0 turns it off`),
  );
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
    const opened = await splitAndStart(ctx, { ...home, labels: true }, panes, req, tag, { mainPane: main.paneId, planned: plan.panes, before: [...markMain, ...labels], borders });
    if (opened) return { ...opened, placement: 'pane', windowId: main.windowId };
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
    const opened = await splitAndStart(ctx, { ...overflow, labels: true }, snap.panesIn(overflow.windowId), req, tag, { before: [...before, ...labels] });
    if (opened) return { ...opened, placement: 'overflow', windowId: overflow.windowId };
  }
  // No overflow window yet, or it is full to the last cell: start a (new) overflow window.
  const { windowId, paneId } = await newOverflowWindow(ctx, sessionId, req.cwd);
  const pid = await startInPane(ctx.client, paneId, req.command, req.cwd, [...before, ...overflowCommands(windowId), ...tagCommands(paneId, tag)]);
  return { paneId, pid, placement: 'overflow', windowId };
}

interface SplitOptions {
  mainPane?: string;
  /** The plan with the new agent (main pane first, the new agent last). */
  planned?: PaneBox[];
  /** Commands run in the same tmux call first (labels on: the panes see one resize). */
  before: string[][];
  /** The window's border options, when read already. */
  borders?: Borders;
}

/**
 * Splits the last pane of the window (so that panes stay in creation order), or the largest one
 * when tmux has no space there, and in the same tmux call tags the new pane and lays the window out.
 * Returns null when tmux has no space for a new pane at all.
 *
 * The command starts with the split itself: tmux runs the commands of one call before it reads any
 * pane's output or reaps any process, so remain-on-exit and the tag are set before the command can
 * be seen to exit, and its first output lands in the pane at its final size. A split of the main
 * pane gives the new pane its planned size: the main pane, where the person (or a TUI agent) works,
 * is resized once, straight to its final size.
 */
async function splitAndStart(ctx: PaneContext, win: WindowInfo, panes: PaneRow[], req: OpenPaneRequest, tag: TagInfo, opts: SplitOptions): Promise<{ paneId: string; pid: number } | null> {
  const last = panes[panes.length - 1];
  const largest = [...panes].sort((a, b) => b.width * b.height - a.width * a.height)[0];
  for (const target of new Set([last, largest])) {
    if (!target) continue;
    const box = target.paneId === opts.mainPane ? opts.planned?.at(-1) : undefined;
    const flag = box ? (box.x > 0 ? '-h' : '-v') : splitFlag(target);
    const size = box ? ['-l', String(box.x > 0 ? box.w : box.h)] : [];
    // tmux puts the new pane right after the one it split: until its id is known, its index names it.
    const added = `${win.windowId}.${target.index + 1}`;
    const at = panes.indexOf(target) + 1;
    const row: PaneRow = { ...target, paneId: added, taskId: tag.taskId, seq: tag.seq, home: tag.home };
    const layout = await arrange(ctx, win, [...panes.slice(0, at), row, ...panes.slice(at)], false, opts.borders);
    // It was planned with this pane: not fitting now means the window changed meanwhile, and the
    // resize hook lays it out again. Once the agent runs, a layout is only cosmetic.
    if (!layout.fits) ctx.log(`layout of ${win.windowId} skipped: ${layout.reason}`);
    try {
      const out = await ctx.client.runAll([
        ...opts.before,
        ['split-window', '-d', flag, ...size, '-t', target.paneId, '-c', req.cwd, '--', ...execArgv(req.command)],
        ['display-message', '-p', '-t', added, '#{pane_id} #{pane_pid}'],
        ...tagCommands(added, tag),
        ...(layout.fits ? layout.commands : []),
      ]);
      const [paneId = '', pid] = out.split(' ');
      return { paneId, pid: Number(pid) };
    } catch (err) {
      if (!(err instanceof TmuxError && err.isNoSpace)) throw err;
      ctx.log(`split of ${target.paneId} in ${win.windowId}: ${err.stderr.trim()}`);
    }
  }
  return null;
}
