// The layout planner: pure arithmetic, no tmux and no I/O. Given a window size, whether it holds a
// main pane, how many agent panes are wanted and the layout options, it says whether they fit and
// where each pane goes — reproducing tmux 3.3's own arithmetic (layout-set.c) for the built-in
// layouts, so that the geometry predicted here is the geometry tmux draws.
//
// tmux rules reproduced here:
// - each border between two panes costs one cell;
// - when n cells share a length L, each gets floor((L - (n-1)) / n) and the LAST one gets the rest;
// - `main-pane-width: P%` gives the main pane floor((W - 1) * P / 100) columns; an absolute
//   `main-pane-width: N` gives it exactly N (main-pane-height likewise with rows);
// - tiled uses the smallest rows x columns grid (rows grow first) and an incomplete last row spreads
//   its panes over the whole width.
import type { BuiltinLayoutName } from './options.js';
import { layoutString, type LayoutCell } from './layout-string.js';

/** A custom layout: the main pane on one side, agents arranged in the rest. */
export interface CustomLayout {
  kind: 'custom';
  name: string;
  main: { side: 'left' | 'top'; /** % of the window; default: the main_pane_size option. */ size?: number };
  agents: { arrange: 'column' | 'row' | 'grid'; /** grid only */ columns?: number };
}

export type LayoutSpec = { kind: 'builtin'; name: BuiltinLayoutName } | CustomLayout;

export interface PlanOptions {
  layout: LayoutSpec;
  mainPaneSize: number;
  mainPaneMinWidth: number;
  agentPaneMinWidth: number;
  agentPaneMinHeight: number;
}

export interface PlanInput {
  width: number;
  height: number;
  /** false for windows that hold agent panes only (overflow, a window of its own): they are tiled. */
  hasMain: boolean;
  agents: number;
  /**
   * The window shows border labels (pane-border-status top): tmux lays the built-in main-* and
   * even-* layouts out in the rows below the label row, while tiled and custom layouts keep their
   * cells and the panes along the top lose that row.
   */
  labels?: boolean;
}

export interface PaneBox {
  role: 'main' | 'agent';
  x: number;
  y: number;
  w: number;
  h: number;
}

/** How to make tmux draw the plan. */
export type LayoutApply =
  | { kind: 'builtin'; name: BuiltinLayoutName; windowOptions: Record<string, string> }
  | { kind: 'custom'; layout: string };

export type LayoutPlan =
  | {
      fits: true;
      /** The layout actually used: differs from the requested one when main-vertical degraded. */
      layoutName: string;
      degradedFrom?: string;
      /** Main pane first, then agents in window order. */
      panes: PaneBox[];
      apply: LayoutApply;
    }
  | { fits: false; reason: string };

/** Cell lengths for n cells sharing `length` with one-cell borders, as tmux spreads them. */
export function spread(length: number, n: number): number[] {
  if (n <= 0) return [];
  const each = Math.floor((length - (n - 1)) / n);
  const sizes = Array.from({ length: n }, () => each);
  sizes[n - 1] = length - (n - 1) - each * (n - 1);
  return sizes;
}

/** Cells of a spread along one axis: [offset, size] pairs starting at `start`. */
function spreadCells(start: number, length: number, n: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let pos = start;
  for (const size of spread(length, n)) {
    out.push([pos, size]);
    pos += size + 1;
  }
  return out;
}

/** main-pane-width/-height as tmux computes a percentage of the window. */
export function mainSizeFromPercent(length: number, percent: number): number {
  return Math.floor(((length - 1) * percent) / 100);
}

interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Leaves and the layout tree for `n` panes arranged in `region`. */
function arrange(region: Region, n: number, arrangement: 'column' | 'row' | 'grid' | 'tiled', gridColumns = 2): { boxes: Region[]; cell: LayoutCell } {
  const { x, y, w, h } = region;
  if (n === 1) return { boxes: [region], cell: { ...region } };
  if (arrangement === 'column') {
    const cells = spreadCells(y, h, n).map(([cy, ch]) => ({ x, y: cy, w, h: ch }));
    return { boxes: cells, cell: { ...region, split: 'tb', children: cells.map((c) => ({ ...c })) } };
  }
  if (arrangement === 'row') {
    const cells = spreadCells(x, w, n).map(([cx, cw]) => ({ x: cx, y, w: cw, h }));
    return { boxes: cells, cell: { ...region, split: 'lr', children: cells.map((c) => ({ ...c })) } };
  }
  let rows: number;
  let columns: number;
  if (arrangement === 'tiled') {
    rows = 1;
    columns = 1;
    while (rows * columns < n) {
      rows++;
      if (rows * columns < n) columns++;
    }
  } else {
    columns = Math.max(1, Math.min(gridColumns, n));
    rows = Math.ceil(n / columns);
  }
  // tmux's tiled gives every row the same height and the last row the rest, every full row the
  // same column widths (last column the rest); an incomplete last row is spread over the width.
  const rowHeight = Math.floor((h - (rows - 1)) / rows);
  const colWidth = Math.floor((w - (columns - 1)) / columns);
  const boxes: Region[] = [];
  const rowCells: LayoutCell[] = [];
  let cy = y;
  for (let r = 0; r < rows; r++) {
    const rh = r === rows - 1 ? h - (rows - 1) - rowHeight * (rows - 1) : rowHeight;
    const inRow = Math.min(columns, n - r * columns);
    let widths: number[];
    if (inRow < columns) widths = spread(w, inRow);
    else widths = Array.from({ length: columns }, (_, c) => (c === columns - 1 ? w - (columns - 1) - colWidth * (columns - 1) : colWidth));
    const cells: Region[] = [];
    let cx = x;
    for (const cw of widths) {
      cells.push({ x: cx, y: cy, w: cw, h: rh });
      cx += cw + 1;
    }
    boxes.push(...cells);
    rowCells.push(cells.length === 1 ? { ...cells[0]! } : { x, y: cy, w, h: rh, split: 'lr', children: cells.map((c) => ({ ...c })) });
    cy += rh + 1;
  }
  const cell: LayoutCell = rowCells.length === 1 ? rowCells[0]! : { ...region, split: 'tb', children: rowCells };
  return { boxes, cell };
}

function numberLeaves(cell: LayoutCell, next = { i: 0 }): LayoutCell {
  if (!cell.children || cell.children.length === 0) return { ...cell, paneIndex: next.i++ };
  return { ...cell, children: cell.children.map((c) => numberLeaves(c, next)) };
}

/**
 * The main pane keeps main_pane_min_width columns, or the whole width of a narrower window: the
 * minimum is a preference that must not keep every agent out of an ordinary 100-column window.
 */
function tooSmall(boxes: PaneBox[], o: PlanOptions, windowWidth: number): string | null {
  const mainMin = Math.min(o.mainPaneMinWidth, windowWidth);
  for (const [i, b] of boxes.entries()) {
    if (b.role === 'main') {
      if (b.w < mainMin) return `the main pane would be ${b.w} columns wide, below ${mainMin < o.mainPaneMinWidth ? `the window's width ${mainMin}` : `main_pane_min_width ${mainMin}`}`;
      if (b.h < 1) return 'the main pane would have no rows';
    } else {
      if (b.w < o.agentPaneMinWidth) return `agent pane ${i} would be ${b.w} columns wide, below agent_pane_min_width ${o.agentPaneMinWidth}`;
      if (b.h < o.agentPaneMinHeight) return `agent pane ${i} would be ${b.h} rows high, below agent_pane_min_height ${o.agentPaneMinHeight}`;
    }
  }
  return null;
}

/** Panes along the window's top edge give their first row to the border labels. */
function belowLabelRow(boxes: PaneBox[], labels: boolean | undefined): PaneBox[] {
  return labels ? boxes.map((b) => (b.y === 0 ? { ...b, y: 1, h: b.h - 1 } : b)) : boxes;
}

type Attempt = { ok: true; boxes: PaneBox[]; apply: LayoutApply; name: string } | { ok: false; reason: string };

/** Main pane on one side, agents arranged beside it (main-vertical, main-horizontal and custom layouts). */
function planMainSide(input: PlanInput, o: PlanOptions, side: 'left' | 'top', percent: number, arrangement: 'column' | 'row' | 'grid', gridColumns: number, builtin: BuiltinLayoutName | null, name: string): Attempt {
  const { width: W, height: H, agents: n } = input;
  let main: Region;
  let rest: Region | null = null;
  let mainOption: string;
  if (side === 'left') {
    let mw = mainSizeFromPercent(W, percent);
    mainOption = `${percent}%`;
    // The main pane never gets narrower than main_pane_min_width: raise it (an absolute size) when
    // the percentage falls short and the window is wide enough for that.
    if (mw < o.mainPaneMinWidth) {
      mw = o.mainPaneMinWidth;
      mainOption = String(mw);
    }
    if (n === 0) mw = W;
    main = { x: 0, y: 0, w: Math.min(mw, W), h: H };
    if (n > 0) rest = { x: mw + 1, y: 0, w: W - mw - 1, h: H };
  } else {
    const mh = n === 0 ? H : mainSizeFromPercent(H, percent);
    mainOption = `${percent}%`;
    main = { x: 0, y: 0, w: W, h: mh };
    if (n > 0) rest = { x: 0, y: mh + 1, w: W, h: H - mh - 1 };
  }
  if (rest && (rest.w < 1 || rest.h < 1)) return { ok: false, reason: `no room beside a ${main.w}x${main.h} main pane in a ${W}x${H} window` };
  let boxes: PaneBox[] = [{ role: 'main', ...main }];
  let root: LayoutCell = { ...main };
  if (rest) {
    const arranged = arrange(rest, n, arrangement, gridColumns);
    boxes.push(...arranged.boxes.map((b) => ({ role: 'agent' as const, ...b })));
    root = { x: 0, y: 0, w: W, h: H, split: side === 'left' ? 'lr' : 'tb', children: [{ ...main }, arranged.cell] };
  }
  // Built-in layouts are planned below the label row already (see attempt).
  if (!builtin) boxes = belowLabelRow(boxes, input.labels);
  const small = tooSmall(boxes, o, W);
  if (small) return { ok: false, reason: small };
  const apply: LayoutApply = builtin
    ? { kind: 'builtin', name: builtin, windowOptions: { [side === 'left' ? 'main-pane-width' : 'main-pane-height']: mainOption } }
    : { kind: 'custom', layout: layoutString(numberLeaves(root)) };
  return { ok: true, boxes, apply, name };
}

function planEven(input: PlanInput, o: PlanOptions, name: 'tiled' | 'even-horizontal' | 'even-vertical'): Attempt {
  const total = input.agents + (input.hasMain ? 1 : 0);
  if (total === 0) return { ok: true, boxes: [], apply: { kind: 'builtin', name, windowOptions: {} }, name };
  const region = { x: 0, y: 0, w: input.width, h: input.height };
  const arrangement = name === 'tiled' ? 'tiled' : name === 'even-horizontal' ? 'row' : 'column';
  const { boxes } = arrange(region, total, arrangement);
  const placed: PaneBox[] = boxes.map((b, i) => ({ role: input.hasMain && i === 0 ? 'main' : 'agent', ...b }));
  const panes = name === 'tiled' ? belowLabelRow(placed, input.labels) : placed;
  const small = tooSmall(panes, o, input.width);
  if (small) return { ok: false, reason: small };
  return { ok: true, boxes: panes, apply: { kind: 'builtin', name, windowOptions: {} }, name };
}

function attempt(input: PlanInput, o: PlanOptions, layout: LayoutSpec): Attempt {
  if (!input.hasMain) return planEven(input, o, 'tiled');
  if (input.labels && layout.kind === 'builtin' && layout.name !== 'tiled') {
    // tmux draws these in the rows below the label row: plan that smaller window, one row down.
    const below = attempt({ ...input, height: input.height - 1, labels: false }, o, layout);
    return below.ok ? { ...below, boxes: below.boxes.map((b) => ({ ...b, y: b.y + 1 })) } : below;
  }
  if (layout.kind === 'custom') {
    const percent = layout.main.size ?? o.mainPaneSize;
    return planMainSide(input, o, layout.main.side, percent, layout.agents.arrange, layout.agents.columns ?? 2, null, layout.name);
  }
  switch (layout.name) {
    case 'main-vertical':
      return planMainSide(input, o, 'left', o.mainPaneSize, 'column', 1, 'main-vertical', 'main-vertical');
    case 'main-horizontal':
      return planMainSide(input, o, 'top', o.mainPaneSize, 'row', 1, 'main-horizontal', 'main-horizontal');
    default:
      return planEven(input, o, layout.name);
  }
}

/**
 * Plans `input.agents` agent panes (plus the main pane when `hasMain`) in a window.
 *
 * Degradation: a main-side layout with the main pane on the LEFT (main-vertical, or a custom layout
 * with `side: left`) needs width for main_pane_min_width + 1 border + agent_pane_min_width. When the
 * window is narrower than that, the plan falls back to main-horizontal (main pane on top at the same
 * percentage, agents in a row below) if that fits, and reports `degradedFrom`; otherwise it does
 * not fit. A window that is wide enough but too short for one more agent in the column does NOT
 * degrade: that pane goes to the overflow window, so the layout the user chose stays stable.
 */
export function planLayout(input: PlanInput, options: PlanOptions): LayoutPlan {
  if (input.width < 1 || input.height < 1) return { fits: false, reason: `the window has no size (${input.width}x${input.height})` };
  if (input.agents < 0 || !Number.isInteger(input.agents)) return { fits: false, reason: `invalid number of agent panes: ${input.agents}` };
  const layout = options.layout;
  if (input.agents === 0) {
    // The main pane alone always "fits": it is the user's pane, whatever the window size.
    const panes: PaneBox[] = input.hasMain ? [{ role: 'main', x: 0, y: 0, w: input.width, h: input.height }] : [];
    const apply: LayoutApply =
      layout.kind === 'custom' && input.hasMain
        ? { kind: 'custom', layout: layoutString({ x: 0, y: 0, w: input.width, h: input.height, paneIndex: 0 }) }
        : { kind: 'builtin', name: layout.kind === 'builtin' && input.hasMain ? layout.name : 'tiled', windowOptions: {} };
    return { fits: true, layoutName: layout.name, panes, apply };
  }
  const first = attempt(input, options, layout);
  if (first.ok) return { fits: true, layoutName: first.name, panes: first.boxes, apply: first.apply };
  const leftMain = input.hasMain && ((layout.kind === 'builtin' && layout.name === 'main-vertical') || (layout.kind === 'custom' && layout.main.side === 'left'));
  const narrow = input.width < options.mainPaneMinWidth + 1 + options.agentPaneMinWidth;
  if (leftMain && narrow && input.agents > 0) {
    const fallback = attempt(input, options, { kind: 'builtin', name: 'main-horizontal' });
    const from = layout.kind === 'builtin' ? layout.name : layout.name;
    if (fallback.ok) return { fits: true, layoutName: fallback.name, degradedFrom: from, panes: fallback.boxes, apply: fallback.apply };
    return {
      fits: false,
      reason: `a ${input.width}x${input.height} window is narrower than main_pane_min_width ${options.mainPaneMinWidth} + 1 + agent_pane_min_width ${options.agentPaneMinWidth}, and main-horizontal does not fit either: ${fallback.reason}`,
    };
  }
  return { fits: false, reason: `${input.agents} agent pane(s) do not fit a ${input.width}x${input.height} window with layout ${layout.name}: ${first.reason}` };
}

/** The largest number of agent panes that fit (every count up to it fits), capped at `cap`. */
export function maxAgents(window: { width: number; height: number; hasMain?: boolean }, options: PlanOptions, cap = 64): number {
  let n = 0;
  while (n < cap && planLayout({ width: window.width, height: window.height, hasMain: window.hasMain ?? true, agents: n + 1 }, options).fits) n++;
  return n;
}
