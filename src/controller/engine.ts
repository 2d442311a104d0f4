// The engine plans, creates attempts and records: the scheduler decides what starts, an AttemptRun
// runs each start, and every change goes through the store (journal first).
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describeCause, stateOf, type Cause } from '../core/cause.js';
import { exitRecordFromStatus } from '../runner/exit-record.js';
import { taskPaths, type HomePaths } from '../core/paths.js';
import { describeWait, isActive, isFinal, viewOf, type Attempt, type TaskRecord, type WaitReason } from '../core/task.js';
import { plan, type Limits } from '../scheduler/plan.js';
import type { Config } from '../config/schema.js';
import { timerAt } from '../liveness/monitor.js';
import { AttemptRun } from '../attempt/attempt.js';
import type { AttemptInit } from '../attempt/attempt-init.js';
import { recoveryOf } from '../attempt/recover.js';
import { startToken, type Executor } from '../executor/executor.js';
import type { Surfaces } from '../surface/pane.js';
import type { Moved } from '../surface/surface.js';
import { taskFromLaunch } from './launch.js';
import { createBatch, type Batch } from './batch.js';
import { RequestError, type LaunchSpec, type ListedTask } from './protocol.js';
import { Resources } from './resources.js';
import type { Catalog } from './resolve.js';
import type { AgentProfile } from '../runner/profile-schema.js';
import type { TaskStore } from './store.js';

const GATE_RECHECK_MS = 2_000;
/** After a change could not be journaled, plan again this soon. */
const RETRY_PLAN_MS = 1_000;

export interface EngineDeps {
  config: Config;
  paths: HomePaths;
  store: TaskStore;
  catalog: Catalog;
  executor: Executor;
  surfaces: Surfaces;
  onOutput(taskId: string): void;
  /** A pending task's reason for waiting changed (slot, dependency, gate…): subscribers show it. */
  onWaitChange(task: TaskRecord): void;
  log(message: string): void;
}

export class Engine {
  private readonly attempts = new Map<string, AttemptRun>();
  private waits = new Map<string, WaitReason>();
  private scheduled = false;
  private wakeTimer: { clear(): void } | undefined;
  readonly resources: Resources;

  constructor(private readonly deps: EngineDeps) {
    mkdirSync(deps.paths.tasks, { recursive: true, mode: 0o700 });
    const running = function* () {
      for (const t of deps.store.tasks.values()) if (isActive(t.state)) yield t;
    };
    this.resources = new Resources(deps.config.background_task, deps.paths.home, running);
    for (const surface of deps.surfaces.all()) surface.onMoved((move) => this.moved(move));
  }

  /** A surface moved a running attempt (a pane to the overflow window and back): record where it is. */
  private moved({ taskId, paneId, placement, note }: Moved): void {
    const task = this.deps.store.get(taskId);
    const attempt = task?.attempts.at(-1);
    if (!task || attempt?.paneId !== paneId || attempt.state === 'ended') return;
    try {
      this.deps.store.updateAttempt(taskId, attempt.n, { placement, placementNote: note });
    } catch (err) {
      this.deps.log(`recording that ${taskId} moved to ${placement} failed: ${(err as Error).message}`);
    }
  }

  private get limits(): Limits {
    return this.deps.config.background_task;
  }

  /** Refuses a launch whose surface could not host it (see Surface.ready), before anything is written. */
  async ready(spec: Pick<LaunchSpec, 'placement'>): Promise<void> {
    const requestedPlacement = spec.placement ?? this.deps.config.defaults.placement;
    try {
      await this.deps.surfaces.surfaceFor({ requestedPlacement, placement: null }).ready(requestedPlacement);
    } catch (err) {
      throw new RequestError('bad-request', (err as Error).message);
    }
  }

  launch(spec: LaunchSpec): TaskRecord {
    const { store, config, catalog, paths } = this.deps;
    let task: TaskRecord;
    try {
      task = store.create(taskFromLaunch(spec, catalog, config, store.tasks, paths.tasks));
    } catch (err) {
      // The task folder or the journal could not be written: nothing was queued, and the person
      // needs to know why and what to do, not an errno.
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      throw new RequestError('conflict', `the disk holding ${paths.home} is full: the task was not queued. Free some space and launch it again; running tasks go on`);
    }
    this.schedule();
    return task;
  }

  launchBatch(batch: Batch): TaskRecord[] {
    return createBatch(batch, this.deps, () => this.schedule());
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
    const { store } = this.deps;
    for (;;) {
      const p = plan({ tasks: store.tasks.values(), limits: this.limits, gate: this.resources.gate(), now: Date.now() });
      const before = this.waits;
      this.waits = p.waits;
      for (const [id, wait] of p.waits) {
        const old = before.get(id);
        const task = store.get(id);
        if (task?.state === 'pending' && (!old || describeWait(old) !== describeWait(wait))) this.deps.onWaitChange(task);
      }
      let failed = false;
      // A change that cannot be journaled (a full disk) is not made: the task stays where it was and
      // the plan runs again shortly; the controller stays up for everything else.
      const attempt = (what: string, fn: () => void) => {
        try {
          fn();
        } catch (err) {
          failed = true;
          this.deps.log(`${what} failed: ${(err as Error).message}; planning again in ${RETRY_PLAN_MS} ms`);
        }
      };
      for (const { task, cause } of p.cancel) attempt(`cancelling ${task.id}`, () => store.update(task.id, { state: 'cancelled', cause, endedAt: Date.now() }));
      for (const task of p.start) attempt(`starting ${task.id}`, () => this.start(task));
      this.wakeTimer?.clear();
      const gated = [...p.waits.values()].some((w) => w.kind === 'gate');
      let wakeAt = gated ? Math.min(p.wakeAt ?? Infinity, Date.now() + GATE_RECHECK_MS) : p.wakeAt;
      if (failed) wakeAt = Math.min(wakeAt ?? Infinity, Date.now() + RETRY_PLAN_MS);
      if (wakeAt !== null) this.wakeTimer = timerAt(wakeAt, () => this.schedule());
      // A cancelled dependency may cancel its own dependents: plan again until nothing cascades.
      if (!p.cancel.length || failed) break;
    }
  }

  /** Starts the task's next attempt now (the plan chose it, or the person asked: `resume`). */
  start(task: TaskRecord, resume?: AttemptInit['resume']): TaskRecord {
    const started = this.deps.store.beginAttempt(task.id, Date.now());
    this.attempts.set(task.id, AttemptRun.start({ ...this.attemptInit(started), resume }));
    return started;
  }

  private attemptInit(task: TaskRecord): AttemptInit {
    const { store, config, paths, executor, surfaces } = this.deps;
    const n = task.attempts.at(-1)!.n;
    return {
      task,
      tasksDir: paths.tasks,
      profile: this.profileOf(task.agent),
      executor,
      surface: surfaces.surfaceFor(viewOf(task)),
      options: config.background_task,
      dependencies: task.after.map((id) => ({ id, title: store.get(id)?.title ?? id, resultFile: taskPaths(paths.tasks, id).result })),
      owner: {
        record: (attempt, patch) => {
          const recorded = store.updateAttempt(task.id, n, attempt, patch);
          // An interactive agent's turn ended (its slot is free) or a follow-up took one again.
          if (patch?.state) this.schedule();
          return recorded;
        },
        current: () => store.must(task.id),
        progress: (p) => store.setProgress(task.id, p),
        output: () => this.deps.onOutput(task.id),
        done: () => {
          if (this.attempts.get(task.id)?.n === n) this.attempts.delete(task.id);
          this.resources.ended(store.must(task.id));
          this.schedule();
        },
        log: this.deps.log,
      },
    };
  }

  /** After a restart: adopts every attempt the journal says is under way, or settles it. */
  recover(): void {
    const { store, executor, paths, log } = this.deps;
    for (const task of [...store.tasks.values()]) {
      const attempt = task.attempts.at(-1);
      // An interactive agent may be open after its turn (its task completed): it is adopted too.
      if (!attempt || attempt.state === 'ended' || (!isActive(task.state) && !attempt.interactive)) continue;
      const dir = taskPaths(paths.tasks, task.id).dir;
      const exitRecorded = executor.exitRecord(dir) !== undefined;
      let startedPid = executor.locate(dir)?.pid ?? null;
      // A start with no sign of its runner may still be on its way (tmux runs it later): give it up
      // before requeueing, unless its runner claimed it first.
      if (attempt.state === 'starting' && attempt.pid == null && startedPid === null && !exitRecorded) startedPid = executor.giveUpStart(dir, startToken(attempt));
      const recovery = recoveryOf(attempt, { exitRecorded, startedPid, alive: (pid) => executor.alive(pid, dir) });
      if (recovery.kind === 'adopt') {
        this.attempts.set(task.id, AttemptRun.adopt(this.attemptInit(task), recovery.pid, lastActivityOf(dir, attempt.startedAt)));
        log(`re-adopted ${task.id} (pid ${recovery.pid})`);
      } else if (recovery.kind === 'requeue') {
        store.abandonAttempt(task.id, attempt.n);
        log(`requeued ${task.id}: the controller stopped before its agent started`);
      } else void this.settleLost(task, attempt, recovery.pid);
    }
    this.schedule();
    // Panes an earlier controller left (a banner whose close was pending when it stopped): a task id
    // this store does not know may be another controller's on a shared tmux server, so it stays.
    const inUse = (id: string) => {
      const t = store.get(id);
      return !t || !isFinal(t.state) || viewOf(t).agentOpen;
    };
    const views = [...store.tasks.values()].map(viewOf);
    for (const surface of this.deps.surfaces.all()) void surface.tidy(inUse, views);
  }

  /**
   * A runner that ended while the controller was down, without an exit record. A pane's runner that
   * could not write one (a full disk) left its exit status on its pane: the agent's own end stands.
   * Else it is lost, and whatever its process group left running is ended with it.
   */
  private async settleLost(task: TaskRecord, attempt: Attempt, pid: number | null): Promise<void> {
    const { store, executor, surfaces, config } = this.deps;
    const view = viewOf(task);
    const status = attempt.paneId ? await surfaces.surfaceFor(view).exitLeft(view, attempt.paneId).catch(() => null) : null;
    const now = Date.now();
    let cause: Cause;
    if (status !== null) {
      const exit = exitRecordFromStatus(status, attempt.startedAt, now);
      cause = exit.signal ? { kind: 'signal', signal: exit.signal } : { kind: 'exit', code: exit.code };
    } else cause = { kind: 'lost', pid, killedGroup: pid !== null && executor.kill(pid, config.background_task.killGraceMs) };
    const ended = { state: 'ended' as const, endedAt: now, exitCode: status };
    try {
      // An agent closed after its turn while the controller was down: the task keeps that turn.
      if (isFinal(task.state)) store.updateAttempt(task.id, attempt.n, { ...ended, cause: { kind: 'closed', by: describeCause(cause) ?? 'it exited' } });
      else store.updateAttempt(task.id, attempt.n, { ...ended, cause }, { state: stateOf(cause), cause, endedAt: now });
    } catch (err) {
      this.deps.log(`recording the end of ${task.id} failed: ${(err as Error).message}`);
    }
    this.schedule();
  }

  cancel(ids: string[], by = 'cancelled by request'): TaskRecord[] {
    const { store } = this.deps;
    const unknown = ids.filter((id) => !store.get(id));
    if (unknown.length) throw new RequestError('not-found', `no task ${unknown.join(', ')}; nothing was cancelled`);
    const cause: Cause = { kind: 'cancel', by };
    const cancelled: TaskRecord[] = [];
    for (const id of ids) {
      const task = store.must(id);
      if (isFinal(task.state)) {
        // Its turn is done: cancelling it closes the agent still open in its pane.
        if (viewOf(task).agentOpen) this.attempts.get(id)?.stop({ kind: 'closed', by });
        continue;
      }
      const attempt = this.attempts.get(id);
      if (attempt) attempt.stop(cause);
      else store.update(id, { state: 'cancelled', cause, endedAt: Date.now() });
      cancelled.push(store.must(id));
    }
    this.schedule();
    return cancelled;
  }

  /** The profile of an agent, as the configuration says now (it may have been reloaded). */
  profileOf(agent: string): AgentProfile | undefined {
    const { profiles } = this.deps.catalog;
    return Object.hasOwn(profiles, agent) ? profiles[agent] : undefined;
  }

  /** The attempt under way for a task, if any (an interactive agent open after its turn too). */
  attemptOf(id: string): AttemptRun | undefined {
    return this.attempts.get(id);
  }

  /** The pending task waits for a dependency to end (not for a slot). */
  waitsForDependency(id: string): boolean {
    return this.waits.get(id)?.kind === 'dependency';
  }

  waitReason(task: TaskRecord): string | null {
    if (task.state !== 'pending') return null;
    const w = this.waits.get(task.id);
    return w ? describeWait(w) : 'queued';
  }

  listed(task: TaskRecord): ListedTask {
    return { ...viewOf(task), waiting: this.waitReason(task) };
  }

  async close(): Promise<void> {
    this.wakeTimer?.clear();
    this.resources.close();
    for (const a of this.attempts.values()) a.detach();
    await this.deps.executor.close();
    await this.deps.surfaces.close();
  }
}

/** The last sign of life an attempt left on disk: a restart must not reset its stale clock. */
function lastActivityOf(dir: string, startedAt: number): number {
  let last = startedAt;
  for (const name of ['output.log', 'events.jsonl']) {
    try {
      last = Math.max(last, statSync(join(dir, name)).mtimeMs);
    } catch {
      // not written yet
    }
  }
  return last;
}
