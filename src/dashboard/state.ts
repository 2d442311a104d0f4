// The dashboard's state as plain data, and the pure changes made to it by events and keys.
import type { ListedTask, ServerEvent, Stats } from '../controller/protocol.js';
import { isFinal, type TaskState } from '../core/task.js';
import { groupRows, type TableRow } from './groups.js';

export type Connection =
  | { state: 'connecting' }
  | { state: 'connected' }
  | { state: 'lost'; error: string; retryAt: number }
  /** The controller refused or garbled what the dashboard needs: not retried (it would again). */
  | { state: 'failed'; error: string };

/** What covers the table, if anything. */
export type Overlay =
  | { kind: 'none' }
  | { kind: 'help' }
  | { kind: 'output'; scroll: number | null; top: number }
  | { kind: 'confirm-cancel'; taskId: string }
  | { kind: 'filter' };

export interface Detail {
  taskId: string;
  /** The end of the task's output (at most OUTPUT_KEEP characters). */
  output: string;
  /** Characters cut from the front of `output`. */
  truncated: boolean;
  result: string | null;
}

export interface DashboardState {
  tasks: Map<string, ListedTask>;
  stats: Stats | null;
  connection: Connection;
  filter: string;
  showFinished: boolean;
  selectedId: string | null;
  /** Index of the first table row shown. */
  scroll: number;
  detail: Detail | null;
  overlay: Overlay;
  /** One line at the bottom: what the last action did, or its error. */
  message: { text: string; error: boolean } | null;
  color: boolean;
}

export function initialState(color: boolean): DashboardState {
  return {
    tasks: new Map(),
    stats: null,
    connection: { state: 'connecting' },
    filter: '',
    showFinished: true,
    selectedId: null,
    scroll: 0,
    detail: null,
    overlay: { kind: 'none' },
    message: null,
    color,
  };
}

const GROUP: Record<TaskState, number> = { running: 0, waiting: 0, pending: 1, interrupt: 2, error: 2, completed: 2, cancelled: 2 };

/** Running first, then the queue in creation order, then what ended, most recent first. */
function order(a: ListedTask, b: ListedTask): number {
  const g = GROUP[a.state] - GROUP[b.state];
  if (g) return g;
  if (GROUP[a.state] === 2) return (b.endedAt ?? 0) - (a.endedAt ?? 0) || b.createdAt - a.createdAt;
  return a.createdAt - b.createdAt || a.id.localeCompare(b.id);
}

export function matches(t: ListedTask, filter: string): boolean {
  if (!filter) return true;
  const f = filter.toLowerCase();
  return [t.id, t.title, t.agent, t.key, t.model ?? '', t.state].some((s) => s.toLowerCase().includes(f));
}

/** The table's rows in order: tasks outside a plan, then each plan's header, phase lines and tasks. */
export function tableRows(s: Pick<DashboardState, 'tasks' | 'filter' | 'showFinished'>): TableRow[] {
  const out: ListedTask[] = [];
  for (const t of s.tasks.values()) if ((s.showFinished || !isFinal(t.state)) && matches(t, s.filter)) out.push(t);
  return groupRows(out.sort(order), s.tasks.values());
}

/** The tasks the table shows, in the order they appear. */
export function visibleTasks(s: Pick<DashboardState, 'tasks' | 'filter' | 'showFinished'>): ListedTask[] {
  return tableRows(s).flatMap((r) => (r.kind === 'task' ? [r.task] : []));
}

/** Keeps a selection: the same task if still shown, else the row where it was, else the first. */
export function reselect(s: DashboardState, previous?: DashboardState): DashboardState {
  const current = s.selectedId ? s.tasks.get(s.selectedId) : undefined;
  if (current && (s.showFinished || !isFinal(current.state)) && matches(current, s.filter)) return s;
  const rows = visibleTasks(s);
  if (!rows.length) return { ...s, selectedId: null, scroll: 0 };
  const was = previous ? visibleTasks(previous).findIndex((t) => t.id === s.selectedId) : 0;
  const index = Math.min(Math.max(was, 0), rows.length - 1);
  return { ...s, selectedId: rows[index]!.id };
}

export function applyEvent(s: DashboardState, e: ServerEvent): DashboardState {
  if (e.event === 'output') return s;
  const tasks = new Map(s.tasks);
  if (e.event === 'task') tasks.set(e.task.id, e.task);
  else for (const id of e.ids) tasks.delete(id);
  return reselect({ ...s, tasks }, s);
}

/**
 * The whole list from the controller replaces what was shown. It is never older than an event received
 * before it: the controller computes each reply right before writing it, after the journal is synced.
 */
export function replaceTasks(s: DashboardState, list: ListedTask[]): DashboardState {
  return reselect({ ...s, tasks: new Map(list.map((t) => [t.id, t])) }, s);
}

/** Moves the selection by `delta` rows (clamped). */
export function move(s: DashboardState, delta: number): DashboardState {
  const rows = visibleTasks(s);
  if (!rows.length) return s;
  const at = Math.max(0, rows.findIndex((t) => t.id === s.selectedId));
  const next = Math.min(rows.length - 1, Math.max(0, at + delta));
  return { ...s, selectedId: rows[next]!.id };
}

/** The scroll offset that keeps the selected row among `height` shown rows, moving as little as possible. */
export function scrollFor(s: DashboardState, rows: TableRow[], height: number): number {
  if (height <= 0) return 0;
  const at = rows.findIndex((r) => r.kind === 'task' && r.task.id === s.selectedId);
  let scroll = Math.min(s.scroll, Math.max(0, rows.length - height));
  // Going up onto a plan's first task shows its header and phase line too.
  let top = at;
  while (top > 0 && rows[top - 1]!.kind !== 'task') top--;
  if (at >= 0 && at < scroll) scroll = top;
  if (at >= scroll + height) scroll = at - height + 1;
  return Math.max(0, scroll);
}

export function selected(s: DashboardState): ListedTask | null {
  return s.selectedId ? (s.tasks.get(s.selectedId) ?? null) : null;
}
