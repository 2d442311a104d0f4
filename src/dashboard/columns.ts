// The task table's columns: what each shows, how wide it may be, and which go first when the
// terminal is narrow.
import type { ListedTask } from '../controller/protocol.js';
import type { TaskState } from '../core/task.js';
import { detail, elapsed, share, STATE_SYMBOL, tokens } from '../render/format.js';
import { clean, displayWidth } from '../render/width.js';
import { cell, type Color, type Segment } from './frame.js';

export const STATE_COLOR: Record<TaskState, Color> = {
  pending: 'gray',
  running: 'cyan',
  waiting: 'magenta',
  completed: 'green',
  error: 'red',
  cancelled: 'gray',
  interrupt: 'yellow',
};

export interface Column {
  id: string;
  header: string;
  min: number;
  /** Width it grows to when there is room. */
  max: number;
  /**
   * Its text varies in length (title, step): flexible columns share the room the others leave by what
   * their rows need, so one long title cannot starve the step column; the last one takes any room left.
   */
  flex?: boolean;
  /** Cells that identify a row (a flexible column): past them it yields to the other flexible columns. */
  enough?: number;
  /** The text the column shows, measured so it takes the width its rows need (up to max, if not flex). */
  text?(t: ListedTask): string;
  /** 0 is kept longest; the highest number is dropped first when the terminal is narrow. */
  priority: number;
  /** Order in which kept columns widen towards their max when there is room (lowest first). */
  grow: number;
  align?: 'right';
  render(t: ListedTask, now: number, width: number): Segment;
}

/** Seconds without output after which a running task without a percentage shows as idle. */
const IDLE_AFTER_MS = 10_000;

/** A bar for a known percentage, a moving block while output flows, or how long it has been quiet. */
export function progress(t: ListedTask, now: number, width: number): Segment {
  const color = STATE_COLOR[t.state];
  const pct = t.progress.percent ?? (t.state === 'completed' ? 100 : undefined);
  if (pct !== undefined) {
    const label = ` ${Math.round(pct)}%`.padStart(5);
    const bar = Math.max(0, width - label.length);
    const full = Math.round((Math.min(100, Math.max(0, pct)) / 100) * bar);
    return cell(`${'█'.repeat(full)}${'░'.repeat(bar - full)}${label}`, width, { fg: color });
  }
  if (t.state === 'pending') return cell(t.notBefore !== null && t.notBefore > now ? 'retry wait' : 'queued', width, { fg: 'gray' });
  if (t.state === 'waiting') return cell('needs you', width, { fg: 'magenta' });
  if (t.state !== 'running') return cell('', width);
  const last = t.progress.lastActivityAt ?? t.startedAt ?? now;
  const quiet = now - last;
  if (quiet >= IDLE_AFTER_MS) return cell(`idle ${Math.floor(quiet / 1000)}s`, width, { fg: 'yellow' });
  // A three-cell block that moves one step per second while the agent produces output.
  const track = Math.max(1, width - 3);
  const at = Math.floor(now / 1000) % track;
  return cell(`${'░'.repeat(at)}███${'░'.repeat(Math.max(0, track - at - 3))}`.slice(0, width), width, { fg: color });
}

export const COLUMNS: Column[] = [
  { id: 'symbol', grow: 9, header: ' ', min: 1, max: 1, priority: 0, render: (t, _n, w) => cell(STATE_SYMBOL[t.state], w, { fg: STATE_COLOR[t.state], bold: true }) },
  { id: 'id', grow: 9, header: 'ID', min: 11, max: 11, priority: 2, render: (t, _n, w) => cell(t.id, w) },
  { id: 'title', grow: 0, header: 'TITLE', min: 10, max: 40, priority: 0, flex: true, enough: 24, text: (t) => t.title, render: (t, _n, w) => cell(t.title, w, { bold: t.state === 'running' }) },
  { id: 'agent', grow: 6, header: 'AGENT', min: 6, max: 10, priority: 7, text: (t) => t.agent, render: (t, _n, w) => cell(t.agent, w) },
  { id: 'key', grow: 5, header: 'MODEL/KEY', min: 12, max: 28, priority: 5, text: (t) => t.model ?? t.key, render: (t, _n, w) => cell(t.model ?? t.key, w) },
  { id: 'state', grow: 9, header: 'STATE', min: 9, max: 9, priority: 4, render: (t, _n, w) => cell(t.state, w, { fg: STATE_COLOR[t.state] }) },
  { id: 'time', grow: 1, header: 'TIME', min: 6, max: 7, priority: 1, align: 'right', render: (t, n, w) => cell(elapsed(t, n), w, undefined, 'right') },
  { id: 'progress', grow: 2, header: 'PROGRESS', min: 10, max: 14, priority: 3, render: progress },
  { id: 'tokens', grow: 4, header: 'TOKENS', min: 6, max: 14, priority: 8, align: 'right', text: tokens, render: (t, _n, w) => cell(tokens(t), w, undefined, 'right') },
  { id: 'step', grow: 3, header: 'STEP / WAITING / ENDING', min: 12, max: 40, priority: 6, flex: true, text: detail, render: (t, _n, w) => cell(detail(t), w, t.state === 'pending' ? { fg: 'gray' } : undefined) },
];

export interface Placed {
  column: Column;
  width: number;
}

/** Cells each column with a `text` needs for its rows (its header at least), by column id. */
export function contentNeeds(rows: ListedTask[], columns: Column[] = COLUMNS): Map<string, number> {
  const needs = new Map<string, number>();
  for (const c of columns) {
    if (!c.text) continue;
    needs.set(c.id, Math.max(displayWidth(c.header), ...rows.map((t) => displayWidth(clean(c.text!(t))))));
  }
  return needs;
}

/**
 * Columns that fit in `width` cells with one space between each. In `grow` order each column widens
 * to what its rows need (`needs`, else its max) — a flexible one only to what identifies a row
 * (`enough`) or its max — then flexible columns take what is left by what they still need, those
 * without `enough` first, so what each row needs to be understood shows before any column is padded.
 */
export function layoutColumns(width: number, columns: Column[] = COLUMNS, needs: Map<string, number> = new Map()): Placed[] {
  let kept = [...columns];
  const need = (cols: Column[]) => cols.reduce((s, c) => s + c.min, 0) + Math.max(0, cols.length - 1);
  while (kept.length > 1 && need(kept) > width) {
    const drop = kept.reduce((a, b) => (b.priority >= a.priority ? b : a));
    kept = kept.filter((c) => c !== drop);
  }
  const placed = kept.map((column) => ({ column, width: column.min }));
  const wants = new Map(placed.map((p) => [p, Math.max(p.column.min, needs.get(p.column.id) ?? p.column.max)]));
  let spare = width - need(kept);
  for (const p of [...placed].sort((a, b) => a.column.grow - b.column.grow)) {
    const target = Math.min(wants.get(p)!, p.column.flex ? (p.column.enough ?? p.column.max) : p.column.max);
    const grow = Math.max(0, Math.min(spare, target - p.width));
    p.width += grow;
    spare -= grow;
  }
  const flexible = placed.filter((p) => p.column.flex);
  // Past what identifies a row, what explains it (the step) comes before more of the title.
  for (const group of [flexible.filter((p) => p.column.enough === undefined), flexible.filter((p) => p.column.enough !== undefined)]) {
    const more = share(group.map((p) => wants.get(p)! - p.width), spare, group.map(() => 0));
    group.forEach((p, i) => {
      p.width += more[i]!;
      spare -= more[i]!;
    });
  }
  if (spare > 0 && placed.length) (flexible[flexible.length - 1] ?? placed[placed.length - 1]!).width += spare;
  if (placed.length === 1) placed[0]!.width = Math.max(0, width);
  return placed;
}
