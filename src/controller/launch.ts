// A launch request becomes a task record: resolved, checked, its client environment kept beside it.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { newTaskId } from '../core/ids.js';
import { taskPaths } from '../core/paths.js';
import { ensurePrivateDir, writePrivateFile } from '../core/private-dir.js';
import { newTaskRecord, type TaskRecord } from '../core/task.js';
import { checkDependencies } from '../scheduler/plan.js';
import { RequestError, type LaunchSpec } from './protocol.js';
import { resolveLaunch, type Catalog } from './resolve.js';
import { isolate } from './isolation.js';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** What a launch reads of the tasks it may depend on (a batch's own are not recorded yet). */
export type KnownTask = Pick<TaskRecord, 'id' | 'after' | 'workspace'>;

/** The new task's record; throws a RequestError (nothing written) when the launch cannot be run. */
export function taskFromLaunch(spec: LaunchSpec, catalog: Catalog, config: Config, existing: Map<string, TaskRecord>, tasksDir: string): TaskRecord {
  const task = recordFromLaunch(spec, catalog, config, existing, tasksDir);
  keepClientEnv(tasksDir, task.id, spec.env);
  return task;
}

/** The record alone, checked, nothing written: a batch checks every task before writing any. */
export function recordFromLaunch(spec: LaunchSpec, catalog: Catalog, config: Config, existing: Map<string, KnownTask>, tasksDir: string, id = newTaskId()): TaskRecord {
  const resolved = resolveLaunch(spec, catalog);
  if (!isDirectory(spec.cwd)) throw new RequestError('bad-request', `cwd ${spec.cwd} is not a directory`);
  const problem = checkDependencies({ id, after: spec.after }, existing);
  if (problem) throw new RequestError('bad-request', problem);
  const { cwd, workspace, sandbox } = isolate(spec, id, resolved.category, catalog, config, existing, tasksDir);
  return newTaskRecord({
    id,
    title: spec.title ?? spec.prompt.split('\n')[0]!.slice(0, 80),
    agent: resolved.agent,
    category: resolved.category,
    model: resolved.model,
    key: resolved.key,
    provider: resolved.provider,
    prompt: resolved.prompt,
    cwd,
    ...(workspace && { workspace }),
    ...(sandbox && { sandbox }),
    priority: spec.priority ?? config.defaults.priority,
    after: spec.after,
    requestedPlacement: spec.placement ?? config.defaults.placement,
    mode: spec.mode ?? 'auto',
    timeoutMs: spec.timeoutMs ?? config.background_task.defaultTimeoutMs,
    taskClass: spec.taskClass,
    staleTimeoutMs: resolved.staleTimeoutMs,
    origin: spec.origin,
  });
}

/** The client's environment is captured at launch (as pueue does) and kept beside the task, 0600. */
export function keepClientEnv(tasksDir: string, id: string, env: Record<string, string>): void {
  const dir = taskPaths(tasksDir, id).dir;
  ensurePrivateDir(dir, false);
  writePrivateFile(join(dir, 'client-env.json'), JSON.stringify(env));
}
