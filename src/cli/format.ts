// Plain-text rendering of tasks for `ls`, `status` and `wait`: aligned columns, symbols, optional colour.
import { formatDuration } from '../core/duration.js';
import type { ListedTask } from '../controller/protocol.js';
import type { TaskState } from '../core/task.js';

export const STATE_SYMBOL: Record<TaskState, string> = {
  pending: '◌',
  running: '●',
  completed: '✓',
  error: '✗',
  cancelled: '⊘',
  interrupt: '⚠',
};

const STATE_COLOR: Record<TaskState, number> = { pending: 90, running: 36, completed: 32, error: 31, cancelled: 90, interrupt: 33 };

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

/** What a row says in its last column: why it waits, what it does, or how it ended. */
export function detail(t: ListedTask): string {
  if (t.state === 'pending') return t.waiting ?? '';
  if (t.state === 'running') return t.progress.step ?? '';
  return t.reason ?? t.resultPreview?.split('\n')[0] ?? '';
}

function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length > width ? `${chars.slice(0, Math.max(0, width - 1)).join('')}…` : text;
}

export function table(tasks: ListedTask[], color: boolean, width = 120): string {
  if (!tasks.length) return 'no tasks';
  const rows = tasks.map((t) => ({
    t,
    cells: [t.id, `${STATE_SYMBOL[t.state]} ${t.state}`, t.agent, t.key, elapsed(t), tokens(t), t.title],
  }));
  const header = ['ID', 'STATE', 'AGENT', 'KEY', 'TIME', 'TOKENS', 'TITLE'];
  const widths = header.map((h, i) => Math.min(i === 6 ? 40 : 32, Math.max(h.length, ...rows.map((r) => [...r.cells[i]!].length))));
  const line = (cells: string[]) => cells.map((c, i) => truncate(c, widths[i]!).padEnd(widths[i]!)).join('  ');
  const used = widths.reduce((a, b) => a + b + 2, 0);
  const out = [`${line(header)}  DETAIL`];
  for (const { t, cells } of rows) {
    const text = `${line(cells)}  ${truncate(detail(t), Math.max(10, width - used))}`;
    out.push(paint(text, t.state, color));
  }
  return out.join('\n');
}
