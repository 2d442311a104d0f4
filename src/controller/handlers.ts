// One function per request op: the controller's whole public surface.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { taskPaths, type HomePaths } from '../core/paths.js';
import { isFinal, viewOf, type TaskRecord } from '../core/task.js';
import { utf8Boundary } from '../core/utf8.js';
import { logicalEnd, logicalSize, physicalRead, readCapHead, readCut } from '../runner/output-cap.js';
import type { Config } from '../config/schema.js';
import type { Engine } from './engine.js';
import * as followUps from './follow-ups.js';
import { RequestError, type LaunchSpec, type Request, type Stats } from './protocol.js';
import type { Surfaces } from '../surface/pane.js';
import type { TaskStore } from './store.js';
import type { Notifier } from '../notify/index.js';
import type { ConfigReloader } from './reload.js';
import { queueStats } from './stats.js';
import { isolationAgain } from './isolation.js';
import type { Deliveries } from './deliveries.js';

/** `ls` without --all shows active tasks and those that ended within this window. */
const RECENT_MS = 60 * 60_000;

export interface HandlerDeps {
  config: Config;
  paths: HomePaths;
  store: TaskStore;
  engine: Engine;
  surfaces: Surfaces;
  startedAt: number;
  notifier(): Notifier;
  reloader: ConfigReloader;
  /** What replaying the journal found wrong at start (quarantined lines, set-aside records). */
  journal: { problems: string[]; quarantineFile: string | null };
  deliveries: Deliveries;
  shutdown(): void;
}

export function createHandlers(deps: HandlerDeps) {
  const { store, engine, paths } = deps;
  const must = (id: string): TaskRecord => {
    const task = store.get(id);
    if (!task) throw new RequestError('not-found', `no task ${id}; list tasks with: panecrew ls --all`);
    return task;
  };
  const readResult = (id: string): string | null => {
    const file = taskPaths(paths.tasks, id).result;
    return existsSync(file) ? readFileSync(file, 'utf8') : null;
  };

  const stats = (): Stats => queueStats([...store.tasks.values()], deps.config.background_task, engine.resources.gate(), deps.startedAt, (id) => engine.waitsForDependency(id));

  const handle = async (req: Request): Promise<unknown> => {
    switch (req.op) {
      case 'ping':
        return { pid: process.pid, home: paths.home };
      case 'launch': {
        await engine.ready(req.spec);
        const { id } = engine.launch(req.spec);
        return () => engine.listed(store.get(id)!);
      }
      case 'launch-batch': {
        const placements = new Set(req.tasks.map((t) => t.placement));
        for (const placement of placements) await engine.ready({ placement });
        const ids = engine.launchBatch(req).map((t) => t.id);
        return () => ids.map((id) => engine.listed(store.get(id)!));
      }
      case 'list': {
        const since = Date.now() - RECENT_MS;
        return () => [...store.tasks.values()]
          .filter((t) => req.all || !isFinal(t.state) || (t.endedAt ?? 0) >= since)
          .sort((a, b) => a.createdAt - b.createdAt)
          .map((t) => engine.listed(t));
      }
      case 'get':
        must(req.taskId);
        return () => engine.listed(must(req.taskId));
      case 'output': {
        const task = must(req.taskId);
        const { dir, output: file } = taskPaths(paths.tasks, task.id);
        if (!existsSync(file)) return { text: '', from: req.offset, offset: req.offset, size: 0, final: isFinal(task.state) };
        const handle = await open(file, 'r');
        try {
          // Offsets count the agent's bytes; a capped log's cut middle reads as its marker line.
          const physical = (await handle.stat()).size;
          const cut = await readCut(handle, readCapHead(dir));
          const size = logicalSize(cut, physical);
          const at = req.tail !== undefined ? Math.max(0, size - req.tail) : req.offset;
          const { from: readFrom, until } = physicalRead(cut, at);
          const atMarker = cut !== null && readFrom === cut.head;
          const want = Math.min(until - readFrom, Math.max(Math.min(req.maxBytes, req.tail ?? req.maxBytes), atMarker ? cut.marker : 0));
          const buf = Buffer.alloc(want);
          const { bytesRead } = await handle.read(buf, 0, want, readFrom);
          let start = 0;
          // A tail may begin inside a character: skip its continuation bytes.
          if (req.tail !== undefined && !atMarker) while (start < bytesRead && (buf[start]! & 0xc0) === 0x80) start++;
          // Keep a character split by the read for the next one, unless nothing more will come.
          const atEnd = isFinal(task.state) && readFrom + bytesRead >= physical;
          const end = atEnd ? bytesRead : utf8Boundary(buf.subarray(0, bytesRead));
          const from = logicalEnd(cut, readFrom + start);
          const offset = logicalEnd(cut, readFrom + end);
          return { text: buf.subarray(start, end).toString('utf8'), from, offset, size, final: isFinal(task.state) && offset >= size };
        } finally {
          await handle.close();
        }
      }
      case 'result': {
        let task = must(req.taskId);
        if (req.collect && isFinal(task.state) && task.collectedAt === null) task = store.update(task.id, { collectedAt: Date.now() });
        return () => ({ task: engine.listed(store.get(task.id)!), result: readResult(task.id) });
      }
      case 'cancel': {
        const ids = req.all
          ? [...store.tasks.values()].filter((t) => !isFinal(t.state)).map((t) => t.id)
          : (req.taskIds ?? []);
        if (!req.all && !ids.length) throw new RequestError('bad-request', 'name the tasks to cancel, or cancel --all');
        const cancelled = engine.cancel(ids).map((t) => t.id);
        return () => cancelled.map((id) => engine.listed(store.get(id)!));
      }
      case 'relaunch': {
        const old = must(req.taskId);
        if (!isFinal(old.state)) throw new RequestError('conflict', `task ${old.id} is still ${old.state}; cancel it first or wait for it`);
        const envFile = join(taskPaths(paths.tasks, old.id).dir, 'client-env.json');
        const spec: LaunchSpec = {
          prompt: old.prompt,
          agent: old.agent,
          model: old.model ?? undefined,
          key: old.key,
          title: old.title,
          ...isolationAgain(old),
          priority: old.priority,
          after: [],
          placement: old.requestedPlacement,
          timeoutMs: old.timeoutMs,
          staleTimeoutMs: old.staleTimeoutMs,
          env: existsSync(envFile) ? (JSON.parse(readFileSync(envFile, 'utf8')) as Record<string, string>) : {},
          origin: old.origin,
        };
        const { id } = engine.launch(spec);
        return () => engine.listed(store.get(id)!);
      }
      case 'focus': {
        const task = viewOf(must(req.taskId));
        if (task.paneId === null) throw new RequestError('conflict', `task ${task.id} has no pane (${task.placement ?? task.state}); read its output with: panecrew output ${task.id} --follow`);
        await deps.surfaces.surfaceFor(task).focus(task);
        return () => engine.listed(store.get(task.id)!);
      }
      case 'send': {
        const { task, outcome } = await followUps.send(deps, req.taskId, req.text);
        return () => ({ task: engine.listed(store.get(task.id)!), outcome });
      }
      case 'resume': {
        const task = followUps.resume(deps, req.taskId, req.text);
        return () => engine.listed(store.get(task.id)!);
      }
      case 'close': {
        const task = followUps.close(deps, req.taskId);
        return () => engine.listed(store.get(task.id)!);
      }
      case 'prune': {
        const cutoff = Date.now() - (req.olderThanMs ?? deps.config.background_task.retentionMs);
        // A task that an active one still waits for stays: its dependent needs its state and result.
        const needed = new Set([...store.tasks.values()].filter((t) => !isFinal(t.state)).flatMap((t) => t.after));
        const ids = [...store.tasks.values()].filter((t) => isFinal(t.state) && (t.endedAt ?? 0) <= cutoff && !needed.has(t.id)).map((t) => t.id);
        store.remove(ids);
        // A just-cancelled runner may still be writing its last files: retry, and never fail the prune.
        for (const id of ids) {
          try {
            rmSync(taskPaths(paths.tasks, id).dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
          } catch {
            // left on disk; it holds nothing the controller needs any more
          }
        }
        return { removed: ids };
      }
      case 'uncollected': {
        const found = [...store.tasks.values()].filter(
          (t) => isFinal(t.state) && !deps.deliveries.isDelivered(t) && (req.origin === undefined || (t.origin.tmuxPane ?? 'headless') === req.origin),
        );
        const now = Date.now();
        if (req.mark) for (const t of found) store.update(t.id, { collectedAt: now });
        return () => found.map((t) => engine.listed(store.get(t.id)!));
      }
      case 'collect': {
        const now = Date.now();
        const collected = req.taskIds.filter((id) => {
          const t = store.get(id);
          return t !== undefined && isFinal(t.state) && t.collectedAt === null;
        });
        for (const id of collected) store.update(id, { collectedAt: now });
        return { collected };
      }
      case 'claim': {
        const { strategy, min_progress_delta: step } = deps.config.notification;
        const rules = req.wake ? { endings: strategy !== 'silent', milestoneStep: strategy === 'milestone' || strategy === 'verbose' ? step : null } : undefined;
        const { taken, milestones, active } = await deps.deliveries.claim(req, store.tasks.values(), (id) => store.get(id) !== undefined, rules);
        const ended = taken.sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0)).map((t) => engine.listed(t));
        return { tasks: ended, milestones: milestones.map((m) => ({ task: engine.listed(m.task), percent: m.percent })), active, strategy };
      }
      case 'stats':
        return stats;
      case 'health':
        return () => ({ notifications: deps.notifier().health(), stats: stats(), journal: deps.journal });
      case 'notify-test':
        return deps.notifier().test(req.origin);
      case 'subscribe':
        return () => ({ subscribed: true, stats: stats() });
      case 'reload':
        return deps.reloader.reload('panecrew controller reload');
      case 'config':
        return { pid: process.pid, config: deps.config, lastReload: deps.reloader.last };
      case 'shutdown':
        setImmediate(deps.shutdown);
        return { stopping: true };
    }
  };
  return handle;
}
