// A plan as people see it, built from its tasks (a plan is the tasks carrying its id): each node's
// latest task (a retry adds newer ones), the phases (tasks that can run together) and its state.
import { phaseOf } from '../core/phases.js';
import { isFinal, type ListedTask, type TaskState } from '../core/task.js';
import { elapsed, paint, STATE_SYMBOL } from '../render/format.js';
import { inert } from '../render/inert.js';

export type PlanState = 'pending' | 'running' | 'completed' | 'failed';

export interface PlanNode {
  node: string;
  task: ListedTask;
  /** Nodes this one waits for. */
  after: string[];
}

export interface PlanView {
  id: string;
  name: string;
  state: PlanState;
  artifacts: string;
  /** Phase n holds the nodes whose longest chain of dependencies has n links. */
  phases: PlanNode[][];
  counts: Partial<Record<TaskState, number>>;
}

/** Every plan among `tasks`, oldest first. */
export function plansOf(tasks: ListedTask[]): PlanView[] {
  const byPlan = new Map<string, ListedTask[]>();
  for (const t of tasks) if (t.plan) byPlan.set(t.plan.id, [...(byPlan.get(t.plan.id) ?? []), t]);
  return [...byPlan.values()].sort((a, b) => a[0]!.createdAt - b[0]!.createdAt).map(viewOfPlan);
}

/** The latest task of each node: what `plan retry` created replaces what it re-ran. */
export function latestByNode(tasks: ListedTask[]): Map<string, ListedTask> {
  const latest = new Map<string, ListedTask>();
  for (const t of [...tasks].sort((a, b) => a.createdAt - b.createdAt)) latest.set(t.plan!.node, t);
  return latest;
}

export function viewOfPlan(tasks: ListedTask[]): PlanView {
  const latest = latestByNode(tasks);
  const nodeOfId = new Map(tasks.map((t) => [t.id, t.plan!.node]));
  // By name, numbers in order (explore[2] before explore[10]): the tasks of a plan share one
  // creation time, so no other order is the same in every list.
  const nodes = [...latest.entries()]
    .map(([node, task]): PlanNode => ({ node, task, after: task.after.map((id) => nodeOfId.get(id) ?? id) }))
    .sort((a, b) => a.node.localeCompare(b.node, 'en', { numeric: true }));
  const phase = phaseOf(nodes);
  const phases: PlanNode[][] = [];
  for (const n of nodes) (phases[phase.get(n.node)!] ??= []).push(n);
  const counts: Partial<Record<TaskState, number>> = {};
  for (const n of nodes) counts[n.task.state] = (counts[n.task.state] ?? 0) + 1;
  const first = tasks[0]!.plan!;
  return { id: first.id, name: first.name, artifacts: first.artifacts, state: planState(nodes.map((n) => n.task)), phases: phases.filter(Boolean), counts };
}

function planState(tasks: ListedTask[]): PlanState {
  if (tasks.every((t) => t.state === 'completed')) return 'completed';
  if (tasks.some((t) => !isFinal(t.state))) return tasks.some((t) => t.state !== 'pending') ? 'running' : 'pending';
  return 'failed';
}

/** One line per plan for `plan ls`. */
export function planLine(p: PlanView): string {
  const total = p.phases.flat().length;
  return `${p.id}  ${p.state.padEnd(9)} ${String(p.counts.completed ?? 0).padStart(3)}/${total} done  ${p.phases.length} phase(s)  ${inert(p.name)}`;
}

/** The graph for `plan show`: phases in order, each node with its state, time, edges and result. */
export function renderPlan(p: PlanView, color: boolean, now = Date.now()): string {
  const out = [`${p.id}  ${inert(p.name)}  ${p.state}  artifacts: ${inert(p.artifacts)}`];
  p.phases.forEach((phase, i) => {
    const done = phase.filter((n) => n.task.state === 'completed').length;
    out.push(`phase ${i + 1}/${p.phases.length}  ${done}/${phase.length} done`);
    for (const n of phase) {
      const t = n.task;
      const state = paint(`${STATE_SYMBOL[t.state]} ${t.state}`, t.state, color);
      const edges = n.after.length ? `  ← ${n.after.map((a) => inert(a)).join(', ')}` : '';
      const why = t.reason ?? t.waiting;
      out.push(`  ${inert(n.node).padEnd(16)} ${t.id}  ${state}  ${elapsed(t, now)}${edges}${why ? `  (${inert(why)})` : ''}`);
      const result = t.resultPreview?.split('\n').find((l) => l.trim());
      if (result) out.push(`      ${inert(result).slice(0, 100)}`);
    }
  });
  return out.join('\n');
}
