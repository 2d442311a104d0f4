// The engine composes queue, runner, liveness and placement: it decides, the store records, parts act.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newTaskId } from '../core/ids.js';
import { taskPaths, type HomePaths } from '../core/paths.js';
import { describeWait, isFinal, newTask, type Task, type WaitReason } from '../core/task.js';
import { killGroup } from '../runner/kill.js';
import { prepareTaskFolder } from '../runner/prepare.js';
import { checkDependencies, plan, SlotCounter, type Limits } from '../scheduler/plan.js';
import { readGate } from '../scheduler/gate.js';
import type { Config } from '../config/schema.js';
import { TaskWatcher } from '../liveness/watcher.js';
import { timerAt } from '../liveness/monitor.js';
import { decideOutcome } from './outcome.js';
import { RequestError, type KeyStats, type LaunchSpec, type ListedTask } from './protocol.js';
import { resolveLaunch, type Catalog } from './resolve.js';
import { TaskRuntime } from './runtime.js';
import type { Placer } from './placer.js';
import type { TaskStore } from './store.js';

const GATE_RECHECK_MS = 2_000;
/** Runners that are not this controller's children (panes, adopted after a restart) have no exit
 *  event to wait on when they die without writing exit.json (SIGKILL): check those this often. */
const VANISH_CHECK_MS = 1_000;

export interface EngineDeps {
  config: Config;
  paths: HomePaths;
  store: TaskStore;
  catalog: Catalog;
  /** Chooses where a task runs: a pane placer or the headless one. */
  placerFor(task: Task): Placer;
  onOutput(taskId: string): void;
  /** A pending task's reason for waiting changed (slot, dependency, gate…): subscribers show it. */
  onWaitChange(task: Task): void;
  log(message: string): void;
}

export class Engine {
  private readonly runtimes = new Map<string, TaskRuntime>();
  private readonly watcher: TaskWatcher;
  private waits = new Map<string, WaitReason>();
  private scheduled = false;
  private wakeTimer: { clear(): void } | undefined;
  private vanishTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: EngineDeps) {
    mkdirSync(deps.paths.tasks, { recursive: true, mode: 0o700 });
    this.watcher = new TaskWatcher(deps.paths.tasks);
    this.watcher.on('exit', (id) => void this.runtimes.get(id)?.exited());
    this.watcher.on('activity', (id, file) => this.runtimes.get(id)?.activity(file));
  }

  private get limits(): Limits {
    return this.deps.config.background_task;
  }

  launch(spec: LaunchSpec): Task {
    const { store, config, catalog } = this.deps;
    const resolved = resolveLaunch(spec, catalog);
    if (!isDirectory(spec.cwd)) throw new RequestError('bad-request', `cwd ${spec.cwd} is not a directory`);
    const id = newTaskId();
    const problem = checkDependencies({ id, after: spec.after }, store.tasks);
    if (problem) throw new RequestError('bad-request', problem);
    const task = newTask({
      id,
      title: spec.title ?? spec.prompt.split('\n')[0]!.slice(0, 80),
      agent: resolved.agent,
      category: resolved.category,
      model: resolved.model,
      key: resolved.key,
      provider: resolved.provider,
      prompt: resolved.prompt,
      cwd: spec.cwd,
      priority: spec.priority ?? config.defaults.priority,
      after: spec.after,
      requestedPlacement: spec.placement ?? config.defaults.placement,
      timeoutMs: spec.timeoutMs ?? config.background_task.defaultTimeoutMs,
      origin: spec.origin,
    });
    // The client's environment is captured at launch (as pueue does) and kept beside the task, 0600.
    const paths = taskPaths(this.deps.paths.tasks, id);
    mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(paths.dir, 'client-env.json'), JSON.stringify(spec.env), { mode: 0o600 });
    store.create(task);
    this.schedule();
    return task;
  }

  /** Plans on the next turn of the event loop, so a burst of changes costs one pass. */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.runPlan();
    });
  }

  private runPlan(): void {
    const { store, config } = this.deps;
    for (;;) {
      const p = plan({ tasks: store.tasks.values(), limits: this.limits, gate: readGate(config.background_task.resourceGate), now: Date.now() });
      const before = this.waits;
      this.waits = p.waits;
      for (const [id, wait] of p.waits) {
        const old = before.get(id);
        const task = store.get(id);
        if (task?.state === 'pending' && (!old || describeWait(old) !== describeWait(wait))) this.deps.onWaitChange(task);
      }
      for (const { task, reason } of p.cancel) store.update(task.id, { state: 'cancelled', reason, endedAt: Date.now() });
      for (const task of p.start) this.start(task);
      this.wakeTimer?.clear();
      const gated = [...p.waits.values()].some((w) => w.kind === 'gate');
      const wakeAt = gated ? Math.min(p.wakeAt ?? Infinity, Date.now() + GATE_RECHECK_MS) : p.wakeAt;
      if (wakeAt !== null) this.wakeTimer = timerAt(wakeAt, () => this.schedule());
      // A cancelled dependency may cancel its own dependents: plan again until nothing cascades.
      if (!p.cancel.length) break;
    }
  }

  private dependencyResults(task: Task) {
    return task.after.map((id) => {
      const dep = this.deps.store.get(id)!;
      return { id, title: dep.title, resultFile: taskPaths(this.deps.paths.tasks, id).result };
    });
  }

  private start(task: Task): void {
    const { store, catalog } = this.deps;
    const paths = taskPaths(this.deps.paths.tasks, task.id);
    const profile = catalog.profiles[task.agent];
    try {
      if (!profile) throw new Error(`agent profile "${task.agent}" no longer exists in the configuration`);
      archivePreviousAttempt(paths.dir, task.attempts.length);
      const clientEnv = JSON.parse(readFileSync(join(paths.dir, 'client-env.json'), 'utf8')) as Record<string, string>;
      prepareTaskFolder({ task, paths, profile, clientEnv, dependencies: this.dependencyResults(task) });
    } catch (err) {
      store.update(task.id, { state: 'error', reason: `could not prepare the task: ${(err as Error).message}`, endedAt: Date.now() });
      return;
    }
    const startedAt = Date.now();
    // Journal the intent first: a crash before the spawn leaves "running" without started.json,
    // which recovery requeues; a crash after it finds started.json and adopts the runner.
    const running = store.update(task.id, {
      state: 'running',
      startedAt,
      notBefore: null,
      reason: null,
      attempts: [...task.attempts, { n: task.attempts.length + 1, startedAt }],
    })!;
    const runtime = this.track(running, startedAt);
    void this.place(running, runtime);
  }

  private async place(task: Task, runtime: TaskRuntime): Promise<void> {
    const placer = this.deps.placerFor(task);
    try {
      const started = await placer.start(task, taskPaths(this.deps.paths.tasks, task.id).dir);
      runtime.placer = placer;
      runtime.pid = started.pid;
      if (started.child) started.child.once('exit', () => runtime.checkVanished());
      else this.watchVanishing(runtime);
      const current = this.deps.store.get(task.id);
      // Still this attempt's runtime: a retry may have started a newer attempt meanwhile.
      if (current?.state === 'running' && this.runtimes.get(task.id) === runtime) {
        this.deps.store.update(task.id, { pid: started.pid, paneId: started.paneId, placement: started.placement });
      } else if (current) {
        // It ended (or was cancelled, or retried) while the pane was being opened: finish what end() could not.
        if (!runtime.exitedCleanly) killGroup(started.pid, this.deps.config.background_task.killGraceMs);
        placer.ended(current, { ...current, pid: started.pid, paneId: started.paneId, placement: started.placement });
      }
    } catch (err) {
      this.end(task.id, { state: 'error', reason: `could not start the agent: ${(err as Error).message}`, endedAt: Date.now() });
    }
  }

  /** Starts watching a running task: its files, timers and parser. */
  track(task: Task, lastActivity: number): TaskRuntime {
    const { config } = this.deps;
    const profile = this.deps.catalog.profiles[task.agent];
    const runtime = new TaskRuntime({
      task,
      paths: taskPaths(this.deps.paths.tasks, task.id),
      profile,
      options: config.background_task,
      lastActivity,
      onProgress: (patch) => this.deps.store.setProgress(task.id, patch),
      onOutput: () => this.deps.onOutput(task.id),
      onEnd: (patch) => this.end(task.id, patch),
      outcome: (current, exit, parsed) =>
        decideOutcome({ task: current, exit, parsed, profile, retry: config.background_task.retry, now: Date.now() }),
      current: () => this.deps.store.get(task.id),
    });
    this.runtimes.set(task.id, runtime);
    this.watcher.add(task.id);
    return runtime;
  }

  /** The fallback for runners without an exit event: only runs while such runners exist. */
  watchVanishing(runtime: TaskRuntime): void {
    runtime.orphan = true;
    if (this.vanishTimer) return;
    this.vanishTimer = setInterval(() => {
      const orphans = [...this.runtimes.values()].filter((r) => r.orphan);
      if (!orphans.length) {
        clearInterval(this.vanishTimer);
        this.vanishTimer = undefined;
      }
      for (const r of orphans) r.checkVanished();
    }, VANISH_CHECK_MS);
  }

  /** Records a task's end (or its requeue for a retry), kills what is left of it, frees its slot. */
  end(id: string, patch: Partial<Task>): void {
    const runtime = this.runtimes.get(id);
    const before = this.deps.store.get(id);
    if (!before || isFinal(before.state)) return;
    const after = this.deps.store.update(id, patch);
    if (!after) return;
    if (runtime) {
      this.runtimes.delete(id);
      this.watcher.remove(id);
      runtime.stop();
      if (runtime.pid && !runtime.exitedCleanly) killGroup(runtime.pid, this.deps.config.background_task.killGraceMs);
      runtime.placer?.ended(after, before);
    }
    this.schedule();
  }

  cancel(ids: string[], reason = 'cancelled by request'): Task[] {
    const unknown = ids.filter((id) => !this.deps.store.get(id));
    if (unknown.length) throw new RequestError('not-found', `no task ${unknown.join(', ')}; nothing was cancelled`);
    const cancelled: Task[] = [];
    for (const id of ids) {
      const task = this.deps.store.get(id)!;
      if (isFinal(task.state)) continue;
      this.end(id, { state: 'cancelled', reason, endedAt: Date.now() });
      cancelled.push(this.deps.store.get(id)!);
    }
    return cancelled;
  }

  waitReason(task: Task): string | null {
    if (task.state !== 'pending') return null;
    const w = this.waits.get(task.id);
    return w ? describeWait(w) : 'queued';
  }

  listed(task: Task): ListedTask {
    return { ...task, waiting: this.waitReason(task) };
  }

  keyStats(): KeyStats[] {
    const slots = new SlotCounter(this.limits);
    const byKey = new Map<string, KeyStats>();
    for (const t of this.deps.store.tasks.values()) {
      if (t.state !== 'running' && t.state !== 'pending') continue;
      let k = byKey.get(t.key);
      if (!k) {
        const { limit, source } = slots.limitFor(t);
        k = { key: t.key, running: 0, pending: 0, limit, limitSource: source };
        byKey.set(t.key, k);
      }
      if (t.state === 'running') k.running++;
      else k.pending++;
    }
    return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
  }

  runtime(id: string): TaskRuntime | undefined {
    return this.runtimes.get(id);
  }

  async close(): Promise<void> {
    this.wakeTimer?.clear();
    clearInterval(this.vanishTimer);
    for (const r of this.runtimes.values()) r.stop();
    await this.watcher.close();
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A retry starts clean: the previous attempt's records move aside so exit.json means this attempt. */
function archivePreviousAttempt(dir: string, previous: number): void {
  if (previous === 0) return;
  for (const name of ['exit.json', 'started.json', 'output.log', 'events.jsonl']) {
    const file = join(dir, name);
    if (existsSync(file)) renameSync(file, join(dir, `${name}.attempt-${previous}`));
  }
  rmSync(join(dir, 'result.md'), { force: true });
}
