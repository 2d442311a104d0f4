// The table's rows: tasks outside a plan as they are sorted, then each plan as a group — a header
// (name, id, state), and per phase a progress line followed by that phase's shown tasks. Headers
// and phase lines are not selectable; the selection moves over task rows only.
import type { ListedTask, TaskState } from '../core/task.js';
import { viewOfPlan, type PlanNode, type PlanView } from '../plan/view.js';

export type TableRow =
  | { kind: 'task'; task: ListedTask }
  | { kind: 'plan'; plan: PlanView }
  | { kind: 'phase'; plan: PlanView; index: number; nodes: PlanNode[] };

/** How a phase line counts its tasks, in the order it lists them. */
const COUNTED: Array<[string, TaskState[]]> = [
  ['running', ['running', 'waiting']],
  ['queued', ['pending']],
  ['done', ['completed']],
  ['failed', ['error']],
  ['interrupted', ['interrupt']],
  ['cancelled', ['cancelled']],
];

/** "1 running, 1 done": the states of a phase's tasks (each node's latest task). */
export function phaseCounts(nodes: PlanNode[]): string {
  const parts: string[] = [];
  for (const [label, states] of COUNTED) {
    const n = nodes.filter((x) => states.includes(x.task.state)).length;
    if (n) parts.push(`${n} ${label}`);
  }
  return parts.join(', ');
}

/**
 * `shown` are the tasks the table shows, already filtered and sorted; `all` every known task, so a
 * plan's state and phases count its hidden tasks too.
 */
export function groupRows(shown: ListedTask[], all: Iterable<ListedTask>): TableRow[] {
  const rows: TableRow[] = shown.filter((t) => !t.plan).map((task) => ({ kind: 'task', task }));
  const members = new Map<string, ListedTask[]>();
  for (const t of all) if (t.plan) members.set(t.plan.id, [...(members.get(t.plan.id) ?? []), t]);
  const shownByPlan = new Map<string, ListedTask[]>();
  for (const t of shown) if (t.plan) shownByPlan.set(t.plan.id, [...(shownByPlan.get(t.plan.id) ?? []), t]);
  const oldestFirst = [...shownByPlan.keys()].sort((a, b) => firstCreated(members.get(a)!) - firstCreated(members.get(b)!) || a.localeCompare(b));
  for (const id of oldestFirst) {
    const plan = viewOfPlan(members.get(id)!);
    rows.push({ kind: 'plan', plan });
    const mine = shownByPlan.get(id)!;
    plan.phases.forEach((nodes, index) => {
      const names = new Set(nodes.map((n) => n.node));
      const tasks = mine.filter((t) => names.has(t.plan!.node));
      if (!tasks.length) return;
      rows.push({ kind: 'phase', plan, index, nodes });
      for (const task of tasks) rows.push({ kind: 'task', task });
    });
  }
  return rows;
}

function firstCreated(tasks: ListedTask[]): number {
  return Math.min(...tasks.map((t) => t.createdAt));
}
