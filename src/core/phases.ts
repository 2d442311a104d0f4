// A plan's phases: a node's phase is the length of its longest chain of dependencies, so a phase
// holds tasks that can run together. Shared by the plan view and the controller's phase notices.

/** Phase (from 0) of each node; `after` names nodes (unknown names are ignored). */
export function phaseOf(nodes: ReadonlyArray<{ node: string; after: string[] }>): Map<string, number> {
  const byName = new Map(nodes.map((n) => [n.node, n]));
  const depth = new Map<string, number>();
  const visit = (name: string, path: Set<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    path.add(name);
    const deps = byName.get(name)!.after.filter((a) => byName.has(a) && !path.has(a));
    const d = deps.length ? 1 + Math.max(...deps.map((a) => visit(a, path))) : 0;
    path.delete(name);
    depth.set(name, d);
    return d;
  };
  for (const n of nodes) visit(n.node, new Set());
  return depth;
}
