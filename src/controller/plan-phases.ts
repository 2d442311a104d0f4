// Results of a plan are delivered phase by phase: when the last task of a phase completes, one
// notification says so ("phase 2 of 3 done: backend, frontend"); the notification strategy decides
// whether it is heard (silent: never).
import { phaseOf } from '../core/phases.js';
import { isFinal, viewOf, type TaskRecord } from '../core/task.js';
import type { Notifier } from '../notify/index.js';
import type { TaskStore } from './store.js';

export function notifyPlanPhases(store: TaskStore, notifier: () => Notifier): void {
  store.on('change', (task: TaskRecord, previous: TaskRecord | undefined) => {
    if (!task.plan || task.state !== 'completed' || (previous && isFinal(previous.state))) return;
    const planId = task.plan.id;
    // Each node's latest task: a retry's replaces the one it re-ran.
    const latest = new Map<string, TaskRecord>();
    const all = [...store.tasks.values()].filter((t) => t.plan?.id === planId).sort((a, b) => a.createdAt - b.createdAt);
    for (const t of all) latest.set(t.plan!.node, t);
    if (latest.get(task.plan.node)?.id !== task.id) return;
    const nodeOfId = new Map(all.map((t) => [t.id, t.plan!.node]));
    const phase = phaseOf([...latest.values()].map((t) => ({ node: t.plan!.node, after: t.after.map((id) => nodeOfId.get(id) ?? id) })));
    const mine = phase.get(task.plan.node)!;
    const together = [...latest.values()].filter((t) => phase.get(t.plan!.node) === mine);
    if (!together.every((t) => t.state === 'completed')) return;
    const of = Math.max(...phase.values()) + 1;
    notifier().onPlanPhase({ kind: 'phase', task: viewOf(task), plan: task.plan.name, phase: mine + 1, of, names: together.map((t) => t.plan!.node) });
  });
}
