// The view model: dashboard state + terminal size → a frame of text. Pure, so it is tested with plain
// data; the terminal layer only paints what this returns.
import type { ListedTask, Stats } from '../controller/protocol.js';
import { isActive, isFinal } from '../core/task.js';
import { STATE_SYMBOL } from '../render/format.js';
import { contentNeeds, layoutColumns, STATE_COLOR } from './columns.js';
import { box, cell, restyle, row, type Frame, type Line, type Segment, type Style } from './frame.js';
import { groupLine } from './group-lines.js';
import type { TableRow } from './groups.js';
import { scrollFor, selected, tableRows, type DashboardState } from './state.js';
import { plainLines, tailRows, wrap } from './text.js';
import { displayWidth } from '../render/width.js';

export interface ViewSize {
  width: number;
  height: number;
  now: number;
}

export interface View {
  frame: Frame;
  /** The table's scroll offset after keeping the selection in sight; the app stores it. */
  scroll: number;
  /** Task rows the table shows at once (the page for PgUp/PgDn). */
  pageRows: number;
  /** The output view's first row shown, after clamping. */
  outputTop: number;
}

export const MIN_WIDTH = 30;
export const MIN_HEIGHT = 8;

const HINTS: Array<[string, string]> = [
  ['↑↓', 'move'],
  ['⏎', 'focus pane'],
  ['o', 'output'],
  ['c', 'cancel'],
  ['r', 'relaunch'],
  ['/', 'filter'],
  ['a', 'finished'],
  ['?', 'help'],
  ['q', 'quit'],
];

export const HELP: Array<[string, string]> = [
  ['↑ ↓  j k', 'move the selection (PgUp PgDn Home End g G jump)'],
  ['Enter', "focus the task's tmux pane (brings it in from the overflow window)"],
  ['o', 'show the whole output of the selected task (Esc or q to go back)'],
  ['c', 'cancel the selected task (asks first: y to confirm)'],
  ['r', 'relaunch the selected task once it has ended'],
  ['/', 'filter by id, title, agent, model or state (Enter keeps it, Esc clears)'],
  ['a', 'show or hide finished tasks'],
  ['?', 'this help'],
  ['q  Ctrl-C', 'quit (the tasks keep running)'],
];

function header(s: DashboardState, width: number, now: number): Line {
  const parts: Segment[] = [{ text: ' panecrew ', style: { bold: true, inverse: true } }, { text: ' ' }];
  const c = s.connection;
  if (c.state === 'connected') parts.push({ text: '● connected', style: { fg: 'green' } });
  else if (c.state === 'connecting') parts.push({ text: '◌ connecting to the controller…', style: { fg: 'yellow' } });
  else if (c.state === 'failed') parts.push({ text: `✗ ${c.error} (q quits)`, style: { fg: 'red', bold: true } });
  else parts.push({ text: `✗ controller unreachable, retrying in ${Math.max(0, Math.ceil((c.retryAt - now) / 1000))}s: ${c.error}`, style: { fg: 'red', bold: true } });
  const counts = { running: 0, pending: 0, ended: 0 };
  for (const t of s.tasks.values()) counts[isActive(t.state) ? 'running' : t.state === 'pending' ? 'pending' : 'ended']++;
  parts.push({ text: `   ${counts.running} running · ${counts.pending} queued · ${counts.ended} ended` });
  return row(parts, width);
}

function gateText(stats: Stats): [string, Style | undefined] {
  if (!stats.gate.enabled) return ['resource gate off', undefined];
  return stats.gate.open ? [`resource gate open${stats.gate.detail ? ` (${stats.gate.detail})` : ''}`, { fg: 'green' }] : [`resource gate CLOSED: ${stats.gate.detail}`, { fg: 'red', bold: true }];
}

/** The concurrency picture: global cap, gate, then one cell per key with running/limit and its queue. */
function concurrencyLines(stats: Stats | null, width: number, maxKeyLines: number): Line[] {
  if (!stats) return [row([{ text: 'waiting for the controller’s stats…', style: { fg: 'gray' } }], width)];
  const [gate, gateStyle] = gateText(stats);
  const cap = stats.globalCap ? `${stats.running}/${stats.globalCap}` : `${stats.running}/∞`;
  const capFull = stats.globalCap > 0 && stats.running >= stats.globalCap;
  const first = row([{ text: 'global ', style: { bold: true } }, { text: cap, style: capFull ? { fg: 'yellow', bold: true } : undefined }, { text: ` running · ${stats.pending} queued · ` }, { text: gate, style: gateStyle }], width);
  const keys = [...stats.keys].sort((a, b) => a.key.localeCompare(b.key));
  if (!keys.length || maxKeyLines <= 0) return [first];
  const cells = keys.map((k) => ({ k, text: `${k.key} ${k.running}/${k.limit || '∞'}${k.pending ? ` +${k.pending} queued` : ''}` }));
  const cellWidth = Math.min(width, Math.max(...cells.map((c) => displayWidth(c.text))) + 3);
  const perLine = Math.max(1, Math.floor(width / cellWidth));
  const lines: Line[] = [first];
  const room = perLine * maxKeyLines;
  const shown = cells.length > room ? cells.slice(0, room - 1) : cells;
  for (let i = 0; i < shown.length; i += perLine) {
    const parts: Segment[] = [];
    for (const { k, text } of shown.slice(i, i + perLine)) {
      const full = k.limit > 0 && k.running >= k.limit;
      const name = `${k.key} `;
      parts.push({ text: name }, cell(text.slice(name.length), cellWidth - displayWidth(name), full ? { fg: 'yellow', bold: true } : { fg: 'cyan' }));
    }
    lines.push(row(parts, width));
  }
  if (shown.length < cells.length) {
    const more = `+${cells.length - shown.length} more keys`;
    const last = lines[lines.length - 1]!;
    lines[lines.length - 1] = row([...last.slice(0, -1), { text: more, style: { fg: 'gray' } }], width);
  }
  return lines;
}

function tableLines(s: DashboardState, rows: TableRow[], scroll: number, width: number, height: number, now: number): Line[] {
  const cols = layoutColumns(width, undefined, contentNeeds(rows.flatMap((r) => (r.kind === 'task' ? [r.task] : []))));
  const head: Segment[] = [];
  cols.forEach((p, i) => head.push(cell(p.column.header, p.width, { bold: true }, p.column.align), ...(i < cols.length - 1 ? [{ text: ' ' }] : [])));
  const lines: Line[] = [row(head, width)];
  if (!rows.length) {
    const why = s.filter ? `no task matches /${s.filter}` : s.tasks.size && !s.showFinished ? 'no active tasks (a shows finished ones)' : 'no tasks yet: panecrew launch --prompt …';
    lines.push(row([{ text: why, style: { fg: 'gray' } }], width));
    return lines;
  }
  for (const r of rows.slice(scroll, scroll + height - 1)) {
    if (r.kind !== 'task') {
      lines.push(groupLine(r, width));
      continue;
    }
    const t = r.task;
    const parts: Segment[] = [];
    cols.forEach((p, i) => parts.push(p.column.render(t, now, p.width), ...(i < cols.length - 1 ? [{ text: ' ' }] : [])));
    const line = row(parts, width);
    lines.push(t.id === s.selectedId ? restyle(line, { inverse: true }) : line);
  }
  return lines;
}

function detailLines(s: DashboardState, t: ListedTask | null, width: number, height: number): Line[] {
  if (!t) return [row([{ text: 'no task selected', style: { fg: 'gray' } }], width)];
  const label = (l: string): Segment => cell(l, 8, { bold: true });
  const where = [t.agent, t.model ?? t.key, t.paneId ? `pane ${t.paneId}` : t.placement, t.cwd].filter(Boolean).join(' · ');
  const lines: Line[] = [
    row([{ text: `${t.id} ` }, { text: `${STATE_SYMBOL[t.state]} ${t.state}`, style: { fg: STATE_COLOR[t.state], bold: true } }, { text: `  ${where}` }], width),
  ];
  const prompt = plainLines(t.prompt).join(' ⏎ ');
  lines.push(row([label('prompt'), { text: prompt }], width));
  if (t.state === 'pending') lines.push(row([label('waits'), { text: t.waiting ?? 'about to start', style: { fg: 'yellow' } }], width));
  else if (t.state === 'running' && t.progress.step) lines.push(row([label('step'), { text: t.progress.step }], width));
  else if (t.reason) lines.push(row([label('reason'), { text: t.reason, style: { fg: STATE_COLOR[t.state] } }], width));
  const d = s.detail && s.detail.taskId === t.id ? s.detail : null;
  let room = height - lines.length;
  if (d?.result && isFinal(t.state) && room > 1) {
    const resultRows = plainLines(d.result).flatMap((l) => wrap(l, width - 8));
    const take = Math.min(resultRows.length, Math.max(1, Math.floor(room / 2)));
    resultRows.slice(0, take).forEach((r, i) => lines.push(row([i ? cell('', 8) : label('result'), { text: r }], width)));
    room = height - lines.length;
  }
  if (room > 1) {
    const out = d ? plainLines(d.output) : [];
    const rule = d ? (out.length ? '── output (last lines, o for all) ' : '── no output yet ') : '── loading output… ';
    lines.push(row([{ text: rule + '─'.repeat(Math.max(0, width - displayWidth(rule))), style: { fg: 'gray' } }], width));
    for (const r of tailRows(out, width, room - 1)) lines.push(row([{ text: r }], width));
  }
  return lines;
}

function footer(s: DashboardState, width: number): { line: Line; cursor?: number } {
  if (s.overlay.kind === 'filter') {
    const text = `/${s.filter}`;
    return { line: row([{ text, style: { bold: true } }, { text: '   Enter keeps the filter, Esc clears it', style: { fg: 'gray' } }], width), cursor: Math.min(width - 1, displayWidth(text)) };
  }
  if (s.overlay.kind === 'confirm-cancel') {
    const t = s.tasks.get(s.overlay.taskId);
    return { line: row([{ text: `Cancel ${s.overlay.taskId}${t ? ` "${t.title}"` : ''}? y to cancel it, any other key to keep it`, style: { fg: 'yellow', bold: true, inverse: true } }], width) };
  }
  if (s.message) return { line: row([{ text: s.message.text, style: s.message.error ? { fg: 'red', bold: true } : { fg: 'green' } }], width) };
  const parts: Segment[] = [];
  for (const [k, what] of HINTS) parts.push({ text: k, style: { bold: true } }, { text: ` ${what}  ` });
  return { line: row(parts, width) };
}

function outputOverlay(s: DashboardState, t: ListedTask | null, width: number, height: number): { lines: Line[]; top: number } {
  const innerW = width - 2;
  const innerH = height - 2;
  const d = t && s.detail?.taskId === t.id ? s.detail : null;
  const rows = d ? plainLines(d.output).flatMap((l) => wrap(l, innerW)) : [];
  if (d?.truncated) rows.unshift(`(earlier output cut; all of it: panecrew output ${d.taskId})`);
  const max = Math.max(0, rows.length - innerH);
  const want = s.overlay.kind === 'output' ? s.overlay.scroll : null;
  const top = want === null ? max : Math.min(max, Math.max(0, want));
  const title = t ? `output ${t.id} ${t.title} · ${top + 1}-${Math.min(rows.length, top + innerH)}/${rows.length} · j k PgUp PgDn g G · Esc back` : 'output';
  const inner = rows.slice(top, top + innerH).map((r) => row([{ text: r }], innerW));
  if (!d) inner.push(row([{ text: 'loading output…', style: { fg: 'gray' } }], innerW));
  return { lines: box(title, inner, width, height, true), top };
}

function helpOverlay(base: Line[], width: number, top: number): void {
  const keyW = Math.max(...HELP.map(([k]) => displayWidth(k))) + 2;
  const w = Math.min(width, Math.max(...HELP.map(([k, v]) => keyW + displayWidth(v))) + 4);
  const inner = HELP.map(([k, v]) => row([cell(k, keyW, { bold: true }), { text: v }], w - 2));
  const lines = box('keys · any key closes', inner, w, Math.min(base.length - top, inner.length + 2), true);
  const left = Math.floor((width - w) / 2);
  lines.forEach((l, i) => {
    const at = top + i;
    if (at >= base.length) return;
    base[at] = row([{ text: ' '.repeat(left) }, ...l], width);
  });
}

export function renderView(s: DashboardState, size: ViewSize): View {
  const { width, height, now } = size;
  if (width < MIN_WIDTH || height < MIN_HEIGHT) {
    const lines = Array.from({ length: height }, (_, i) => row(i ? [] : [{ text: `${width}x${height} is too small; q quits` }], width));
    return { frame: { width, height, lines }, scroll: s.scroll, pageRows: 1, outputTop: 0 };
  }
  const rows = tableRows(s);
  const task = selected(s);
  const lines: Line[] = [header(s, width, now)];
  let avail = height - 2;

  // Concurrency: a box when there is room, one line when short, nothing when tiny.
  if (avail >= 18) {
    const inner = concurrencyLines(s.stats, width - 2, avail >= 30 ? 3 : 1);
    lines.push(...box('concurrency', inner, width, inner.length + 2));
    avail -= inner.length + 2;
  } else if (avail >= 10) {
    lines.push(concurrencyLines(s.stats, width, 0)[0]!);
    avail -= 1;
  }
  const detailHeight = avail >= 16 ? Math.max(7, Math.floor(avail * 0.4)) : 0;
  const tableHeight = avail - detailHeight;
  const pageRows = Math.max(1, tableHeight - 3);
  const scroll = scrollFor(s, rows, pageRows);
  const isTask = (r: TableRow): boolean => r.kind === 'task';
  const total = rows.filter(isTask).length;
  const above = rows.slice(0, scroll).filter(isTask).length;
  const inView = rows.slice(scroll, scroll + pageRows).filter(isTask).length;
  const shown = total ? `${above + 1}-${above + inView} of ${total}` : '0';
  const title = `tasks ${shown}${total < s.tasks.size ? ` (${s.tasks.size} known)` : ''}${s.filter ? ` · filter /${s.filter}` : ''}${s.showFinished ? '' : ' · finished hidden'}`;
  const tableTop = lines.length;
  lines.push(...box(title, tableLines(s, rows, scroll, width - 2, tableHeight - 2, now), width, tableHeight, s.overlay.kind === 'none'));
  if (detailHeight) lines.push(...box(task ? `task ${task.id}` : 'task', detailLines(s, task, width - 2, detailHeight - 2), width, detailHeight));

  let outputTop = 0;
  if (s.overlay.kind === 'output') {
    const o = outputOverlay(s, task, width, height - 2);
    lines.splice(1, height - 2, ...o.lines);
    outputTop = o.top;
  } else if (s.overlay.kind === 'help') {
    helpOverlay(lines, width, tableTop);
  }
  const f = footer(s, width);
  lines.push(f.line);
  const frame: Frame = { width, height, lines };
  if (f.cursor !== undefined) frame.cursor = { x: f.cursor, y: height - 1 };
  return { frame, scroll, pageRows, outputTop };
}
