// `plan retry`: what failed, was cancelled or was interrupted runs again, with every task that waits
// on it (directly or not); completed results are kept and their dependents read them. Given the plan
// file again, tasks whose spec changed (or that are new) run again too.
import { isFinal, type ListedTask } from '../core/task.js';
import type { BatchItem } from '../controller/protocol.js';
import { PlanError } from './load.js';
import { latestByNode } from './view.js';

/** The batch that re-runs the plan's failed part; empty when nothing needs to run again. */
export function retryBatch(tasks: ListedTask[], fromFile?: BatchItem[]): BatchItem[] {
  const latest = latestByNode(tasks);
  const active = [...latest.values()].filter((t) => !isFinal(t.state));
  if (active.length) throw new PlanError(`the plan still has ${active.length} task(s) pending or running (${active.map((t) => t.plan!.node).join(', ')}); wait for it or cancel it first`);
  const nodeOfId = new Map(tasks.map((t) => [t.id, t.plan!.node]));
  const fileItems = new Map((fromFile ?? []).map((i) => [i.ref!, i]));
  const items = new Map<string, BatchItem>();
  for (const [node, t] of latest) items.set(node, fileItems.get(node) ?? itemFromTask(t, nodeOfId));
  for (const [node, item] of fileItems) if (!items.has(node)) items.set(node, item);
  // The nodes' dependencies by node name (a file's items already name nodes).
  const deps = new Map([...items].map(([node, item]) => [node, item.after.map((a) => nodeOfId.get(a) ?? a)]));
  const rerun = new Set([...items.keys()].filter((node) => {
    const t = latest.get(node);
    return !t || t.state !== 'completed' || (fileItems.has(node) && changed(fileItems.get(node)!, t));
  }));
  // Whatever waits on something that runs again runs again (until nothing more is added).
  for (let grew = true; grew; ) {
    grew = false;
    for (const [node, after] of deps) if (!rerun.has(node) && after.some((d) => rerun.has(d))) grew = rerun.add(node) !== undefined;
  }
  const target = (node: string): string => (rerun.has(node) ? node : latest.get(node)!.id);
  return [...rerun].map((node) => {
    const item = items.get(node)!;
    const refs = Object.fromEntries(Object.entries(item.plan!.refs).map(([name, ns]) => [name, ns.map((n) => target(nodeOfId.get(n) ?? n))]));
    return { ...item, after: deps.get(node)!.map(target), plan: { ...item.plan!, refs } };
  });
}

/** The spec a plan task was created from (its prompt still holds its templates). */
function itemFromTask(t: ListedTask, nodeOfId: Map<string, string>): BatchItem {
  const refs = Object.fromEntries(Object.entries(t.plan!.refs).map(([name, ids]) => [name, ids.map((id) => nodeOfId.get(id) ?? id)]));
  return {
    ref: t.plan!.node,
    prompt: t.prompt,
    title: t.title,
    agent: t.agent,
    model: t.model ?? undefined,
    key: t.key,
    taskClass: t.taskClass,
    cwd: t.cwd,
    priority: t.priority,
    placement: t.requestedPlacement,
    mode: t.mode,
    timeoutMs: t.timeoutMs,
    staleTimeoutMs: t.staleTimeoutMs,
    after: t.after.map((id) => nodeOfId.get(id) ?? id),
    plan: { ...t.plan!, refs },
  };
}

function changed(item: BatchItem, t: ListedTask): boolean {
  return item.prompt !== t.prompt || item.title !== t.title || item.cwd !== t.cwd || (item.agent !== undefined && item.agent !== t.agent) || (item.model !== undefined && item.model !== t.model);
}
