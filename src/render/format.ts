// How tasks read as text, shared by `ls`, `status`, `wait`, the dashboard and the demo: state
// symbols, elapsed time, tokens, the one-line detail, and the aligned table. Every value that came
// from outside panecrew goes through inert() here, so no caller can print it raw by forgetting.
import { formatDuration } from '../core/duration.js';
import type { ListedTask } from '../core/task.js';
import type { TaskState } from '../core/task.js';
import { inert } from './inert.js';
import { displayWidth, fit } from './width.js';

export const STATE_SYMBOL: Record<TaskState, string> = {
  pending: '◌',
  running: '●',
  waiting: '?',
  completed: '✓',
  error: '✗',
  cancelled: '⊘',
  interrupt: '⚠',
};

const STATE_COLOR: Record<TaskState, number> = { pending: 90, running: 36, waiting: 35, completed: 32, error: 31, cancelled: 90, interrupt: 33 };

export function paint(text: string, state: TaskState, color: boolean): string {
  return color ? `\u001b[${STATE_COLOR[state]}m${text}\u001b[0m` : text;
}

export function elapsed(t: ListedTask, now = Date.now()): string {
  if (t.startedAt === null) return formatDuration(now - t.createdAt);
  return formatDuration((t.endedAt ?? now) - t.startedAt);
}

export function tokens(t: ListedTask): string {
  const n = t.usage.inputTokens + t.usage.outputTokens;
  if (!n) return '';
  const k = n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
  return t.usage.costUsd !== undefined ? `${k} $${t.usage.costUsd.toFixed(3)}` : k;
}

/** What a row says in its last column: why it waits, what it does, or how it ended. Inert, one line. */
export function detail(t: ListedTask): string {
  if (t.state === 'pending') return inert(t.waiting ?? '');
  if (t.state === 'running') return inert(t.progress.step ?? '');
  if (t.state === 'waiting') return inert(`needs you: ${t.question ?? 'the agent asks something'}`);
  const open = t.agentOpen ? ' (agent open: panecrew send)' : '';
  const c = t.workspace?.changes;
  const changes = c ? `[${c.files} file${c.files === 1 ? '' : 's'} +${c.added} -${c.removed}] ` : '';
  return inert(changes + (t.reason ?? t.resultPreview?.split('\n')[0] ?? '') + open);
}

/** The fewest cells a shrinkable column is cut to before the other gives way. */
const MIN_SHRUNK = 12;

/**
 * Widths for columns that may be cut, sharing `room` cells by what their text needs: whoever needs
 * less than an equal share gets all of it, the rest is split among the others (water-filling). No
 * column goes below its minimum; room left over when every need is met stays unallotted.
 */
export function share(needs: number[], room: number, mins: number[] = needs.map(() => MIN_SHRUNK)): number[] {
  const widths = needs.map((n, i) => Math.min(n, mins[i]!));
  let left = room - widths.reduce((a, b) => a + b, 0);
  const order = needs.map((_, i) => i).sort((a, b) => needs[a]! - needs[b]!);
  order.forEach((i, k) => {
    const extra = Math.max(0, Math.min(needs[i]! - widths[i]!, Math.floor(left / (order.length - k))));
    widths[i]! += extra;
    left -= extra;
  });
  return widths;
}

/** Below this many cells a detail that does not fit goes on a line of its own under its row. */
const DETAIL_INLINE_MIN = 40;

/**
 * A table of `tasks` at most `width` cells wide: fixed columns whole, TITLE and DETAIL share the
 * rest by need. When DETAIL would be cut short there, each row's detail gets a line of its own.
 */
export function table(tasks: ListedTask[], color: boolean, width = 120): string {
  if (!tasks.length) return 'no tasks';
  const header = ['ID', 'STATE', 'AGENT', 'KEY', 'TIME', 'TOKENS', 'TITLE', 'DETAIL'];
  const rows = tasks.map((t) => ({
    t,
    cells: [t.id, `${STATE_SYMBOL[t.state]} ${t.state}`, inert(t.agent), inert(t.key), elapsed(t), tokens(t), inert(t.title), detail(t)],
  }));
  // A column nobody has a value for (TOKENS for shell tasks) takes no room.
  const shown = header.map((_, i) => i >= 6 || rows.some((r) => r.cells[i] !== ''));
  const need = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r.cells[i]!))));
  const widths = need.map((n, i) => (i < 6 ? Math.min(n, 32) : n));
  const fixed = widths.slice(0, 6).reduce((sum, w, i) => sum + (shown[i] ? w + 2 : 0), 0);
  const [title, last] = share([need[6]!, need[7]!], width - fixed - 2);
  const below = last! < need[7]! && last! < DETAIL_INLINE_MIN;
  widths[6] = below ? Math.max(MIN_SHRUNK, Math.min(need[6]!, width - fixed)) : title!;
  widths[7] = last!;
  shown[7] = !below;
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (shown[i] ? fit(c, widths[i]!) : null))
      .filter((c) => c !== null)
      .join('  ')
      .trimEnd();
  const indent = ' '.repeat(widths[0]! + 2);
  const out = [line(header)];
  for (const { t, cells } of rows) {
    out.push(paint(line(cells), t.state, color));
    if (below && cells[7]) out.push(paint(`${indent}${fit(`↳ ${cells[7]}`, Math.max(MIN_SHRUNK, width - indent.length)).trimEnd()}`, t.state, color));
  }
  return out.join('\n');
}
