// What `controller status`, the dashboard and MCP show of the queue: counts, the gate, each key's
// limit and where it comes from.
import type { Config } from '../config/schema.js';
import { isActive, type TaskRecord } from '../core/task.js';
import { SlotCounter } from '../scheduler/plan.js';
import type { Gate } from '../scheduler/plan.js';
import type { KeyStats, Stats } from './protocol.js';

/** `blocked(id)`: the pending task waits for a dependency, not for a slot of its key: it is not
 *  counted as queued against the key (it would not start if a slot freed). */
export function keyStats(tasks: Iterable<TaskRecord>, limits: Config['background_task'], blocked: (id: string) => boolean = () => false): KeyStats[] {
  const slots = new SlotCounter(limits);
  const byKey = new Map<string, KeyStats>();
  for (const t of tasks) {
    if (!isActive(t.state) && t.state !== 'pending') continue;
    if (t.state === 'pending' && blocked(t.id)) continue;
    let k = byKey.get(t.key);
    if (!k) {
      const { limit, source } = slots.limitFor(t);
      k = { key: t.key, running: 0, pending: 0, limit, limitSource: source };
      byKey.set(t.key, k);
    }
    if (isActive(t.state)) k.running++;
    else k.pending++;
  }
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export function queueStats(tasks: TaskRecord[], options: Config['background_task'], gate: Gate, startedAt: number, blocked: (id: string) => boolean): Stats {
  return {
    pid: process.pid,
    uptimeMs: Date.now() - startedAt,
    running: tasks.filter((t) => isActive(t.state)).length,
    pending: tasks.filter((t) => t.state === 'pending').length,
    globalCap: options.maxConcurrentTasks,
    gate: { enabled: options.resourceGate.enabled, open: gate.open, detail: gate.detail },
    keys: keyStats(tasks, options, blocked),
    rssBytes: process.memoryUsage().rss,
  };
}
