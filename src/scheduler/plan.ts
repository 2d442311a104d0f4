// The scheduler is pure: (tasks, limits, gate, now) → which pending tasks start, which are cancelled, why the rest wait.
import { describeCause, type Cause } from '../core/cause.js';
import { isActive, type TaskRecord as Task, type WaitReason } from '../core/task.js';

export interface Limits {
  defaultConcurrency: number;
  providerConcurrency: Record<string, number>;
  modelConcurrency: Record<string, number>;
  maxConcurrentTasks: number;
  /** Running tasks allowed per task class (`--class e2e`), on top of the key's limit. 0 = unlimited. */
  classConcurrency?: Record<string, number>;
  /** A waiting task's priority rises by 1 per this many ms waited, so no priority starves. 0 = never. */
  priorityAgingMs?: number;
}

/** What the resource gate allows in one pass; built from machine readings by gate.ts. */
export interface Gate {
  /** false: the machine is too busy (CPU) for another start. */
  open: boolean;
  detail: string;
  /** The gate never holds a start while fewer than this many of our tasks run. */
  minRunning?: number;
  /** Memory admission per task; absent = none. */
  memory?: MemoryBudget;
}

export interface MemoryBudget {
  /** Bytes that may still be taken before memory in use reaches `percent`, after what our running
   *  tasks are still expected to grow by. */
  headroomBytes: number;
  percent: number;
  /** The peak RSS an agent is expected to reach. */
  expectedRss(agent: string): number;
}

export interface PlanInput {
  tasks: Iterable<Task>;
  limits: Limits;
  gate: Gate;
  now: number;
}

export interface Plan {
  start: Task[];
  cancel: Array<{ task: Task; cause: Cause }>;
  waits: Map<string, WaitReason>;
  /** Earliest backoff expiry among waiting tasks: when to plan again without an event. */
  wakeAt: number | null;
}

/** A task waits from its creation, or from the end of its retry backoff. */
const queuedAt = (t: Task): number => Math.max(t.createdAt, t.notBefore ?? 0);

/** Priority plus one step per `agingMs` waited: a bounded wait for every priority. */
export function effectivePriority(t: Task, now: number, agingMs: number): number {
  return agingMs > 0 ? t.priority + Math.floor(Math.max(0, now - queuedAt(t)) / agingMs) : t.priority;
}

/** Highest effective priority first, then oldest: FIFO among equals (an older task has aged at least as much). */
export function queueOrder(now: number, agingMs: number): (a: Task, b: Task) => number {
  return (a, b) => effectivePriority(b, now, agingMs) - effectivePriority(a, now, agingMs) || queuedAt(a) - queuedAt(b) || (a.id < b.id ? -1 : 1);
}

const unlimited = (limit: number | undefined): boolean => limit === undefined || limit === 0;

export class SlotCounter {
  private readonly byKey = new Map<string, number>();
  private readonly byProvider = new Map<string, number>();
  private readonly byClass = new Map<string, number>();
  total = 0;

  constructor(private readonly limits: Limits) {}

  add(task: Pick<Task, 'key' | 'provider' | 'taskClass'>): void {
    this.byKey.set(task.key, (this.byKey.get(task.key) ?? 0) + 1);
    this.byProvider.set(task.provider, (this.byProvider.get(task.provider) ?? 0) + 1);
    if (task.taskClass !== undefined) this.byClass.set(task.taskClass, (this.byClass.get(task.taskClass) ?? 0) + 1);
    this.total++;
  }

  running(key: string): number {
    return this.byKey.get(key) ?? 0;
  }

  /** The limit that applies to a key, as shown to people: model > provider > default. */
  limitFor(task: Pick<Task, 'key' | 'provider'>): { limit: number; source: string } {
    const { modelConcurrency, providerConcurrency, defaultConcurrency } = this.limits;
    if (task.key in modelConcurrency) return { limit: modelConcurrency[task.key]!, source: `modelConcurrency[${task.key}]` };
    if (task.provider in providerConcurrency) return { limit: providerConcurrency[task.provider]!, source: `providerConcurrency[${task.provider}]` };
    return { limit: defaultConcurrency, source: 'defaultConcurrency' };
  }

  /** Why this task may not take a slot now, or null if it may. */
  blockedBy(task: Pick<Task, 'key' | 'provider' | 'taskClass'>): WaitReason | null {
    const { modelConcurrency, providerConcurrency, defaultConcurrency, maxConcurrentTasks } = this.limits;
    const keyCount = this.running(task.key);
    const model = modelConcurrency[task.key];
    const provider = providerConcurrency[task.provider];
    if (model !== undefined && !unlimited(model) && keyCount >= model) {
      return { kind: 'slot', limit: `${task.key} ${keyCount}/${model} (modelConcurrency)` };
    }
    if (provider !== undefined && !unlimited(provider)) {
      const providerCount = this.byProvider.get(task.provider) ?? 0;
      if (providerCount >= provider) return { kind: 'slot', limit: `provider ${task.provider} ${providerCount}/${provider} (providerConcurrency)` };
    }
    if (model === undefined && provider === undefined && !unlimited(defaultConcurrency) && keyCount >= defaultConcurrency) {
      return { kind: 'slot', limit: `${task.key} ${keyCount}/${defaultConcurrency} (defaultConcurrency)` };
    }
    const classLimit = task.taskClass === undefined ? undefined : this.limits.classConcurrency?.[task.taskClass];
    if (classLimit !== undefined && !unlimited(classLimit)) {
      const classCount = this.byClass.get(task.taskClass!) ?? 0;
      if (classCount >= classLimit) return { kind: 'class', taskClass: task.taskClass!, running: classCount, limit: classLimit };
    }
    if (!unlimited(maxConcurrentTasks) && this.total >= maxConcurrentTasks) return { kind: 'global-cap', cap: maxConcurrentTasks };
    return null;
  }
}

function dependencyState(task: Task, byId: Map<string, Task>): { failed?: Cause; waiting: string[] } {
  const waiting: string[] = [];
  for (const id of task.after) {
    const dep = byId.get(id);
    if (!dep) return { failed: { kind: 'dependency', on: id, state: 'removed', reason: null }, waiting };
    if (dep.state === 'completed') continue;
    if (dep.state === 'pending' || isActive(dep.state)) waiting.push(id);
    else return { failed: { kind: 'dependency', on: id, state: dep.state, reason: describeCause(dep.cause) }, waiting };
  }
  return { waiting };
}

export function plan({ tasks, limits, gate, now }: PlanInput): Plan {
  const byId = new Map<string, Task>();
  const pending: Task[] = [];
  const slots = new SlotCounter(limits);
  for (const t of tasks) {
    byId.set(t.id, t);
    if (isActive(t.state)) slots.add(t);
    else if (t.state === 'pending') pending.push(t);
  }
  pending.sort(queueOrder(now, limits.priorityAgingMs ?? 0));
  let headroom = gate.memory?.headroomBytes ?? Infinity;

  const result: Plan = { start: [], cancel: [], waits: new Map(), wakeAt: null };
  for (const task of pending) {
    const deps = dependencyState(task, byId);
    if (deps.failed) {
      result.cancel.push({ task, cause: deps.failed });
      continue;
    }
    if (deps.waiting.length) {
      result.waits.set(task.id, { kind: 'dependency', on: deps.waiting });
      continue;
    }
    if (task.notBefore !== null && task.notBefore > now) {
      result.waits.set(task.id, { kind: 'backoff', until: task.notBefore });
      result.wakeAt = Math.min(result.wakeAt ?? Infinity, task.notBefore);
      continue;
    }
    const blocked = slots.blockedBy(task);
    if (blocked) {
      result.waits.set(task.id, blocked);
      continue;
    }
    const expected = gate.memory?.expectedRss(task.agent) ?? 0;
    // The gate keeps the machine from being overloaded by us; it never stops us from running at all.
    if (slots.total >= (gate.minRunning ?? 0)) {
      const held = !gate.open ? gate.detail : expected > headroom ? memoryDetail(task.agent, expected, headroom, gate.memory!.percent) : null;
      if (held) {
        result.waits.set(task.id, { kind: 'gate', detail: held });
        continue;
      }
    }
    headroom -= expected;
    slots.add(task);
    result.start.push(task);
  }
  return result;
}

const mb = (bytes: number): string => `${Math.round(bytes / 1048576)} MB`;

function memoryDetail(agent: string, expected: number, headroom: number, percent: number): string {
  return `memory: ${agent} is expected to take ${mb(expected)}, ${mb(Math.max(0, headroom))} left below ${percent}% in use`;
}

/**
 * Refuses unknown ids. A new task has no dependents yet, so it cannot close a cycle: refusing ids
 * that do not exist (and its own) is what keeps the graph acyclic.
 */
export function checkDependencies(newTask: Pick<Task, 'id' | 'after'>, existing: Map<string, Pick<Task, 'id' | 'after'>>): string | null {
  if (newTask.after.includes(newTask.id)) return `task ${newTask.id} cannot wait for itself`;
  for (const id of newTask.after) if (!existing.has(id)) return `unknown task id in --after: ${id}`;
  return null;
}
