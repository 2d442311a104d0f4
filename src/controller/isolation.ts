// How a launched task is isolated: its own git worktree or not, a sandbox or not. The launch's word,
// else its category's (or subagent type's), else the configured default.
import { dirname, join, relative } from 'node:path';
import type { Config } from '../config/schema.js';
import type { TaskRecord, Workspace } from '../core/task.js';
import type { Category } from '../runner/profile-schema.js';
import { planWorktree, WorktreeRefused } from '../worktree/plan.js';
import { sandboxProblem } from '../runner/sandbox.js';
import { RequestError, type LaunchSpec } from './protocol.js';
import type { Catalog } from './resolve.js';

function categoryOf(spec: LaunchSpec, catalog: Catalog, name: string | undefined): Category | undefined {
  if (!name) return undefined;
  const table = spec.category ? catalog.categories : catalog.subagents;
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

export interface Isolation {
  cwd: string;
  workspace?: Workspace;
  sandbox?: 'on' | 'offline';
}

/** The task's cwd, worktree and sandbox; throws a RequestError (nothing made) when it cannot have them. */
export function isolate(spec: LaunchSpec, id: string, category: string | undefined, catalog: Catalog, config: Config, tasks: Map<string, Pick<TaskRecord, 'id' | 'workspace'>>, tasksDir: string): Isolation {
  const cat = categoryOf(spec, catalog, category);
  const isolation = spec.isolation ?? cat?.isolation ?? config.defaults.isolation;
  const sandboxChoice = spec.sandbox ?? cat?.sandbox ?? config.defaults.sandbox;
  const sandbox = sandboxChoice === 'off' ? undefined : sandboxChoice;
  const problem = sandbox && sandboxProblem();
  if (problem) throw new RequestError('bad-request', `a sandboxed task cannot run here: ${problem}. Launch it without --sandbox, or fix this (panecrew doctor)`);
  if (isolation !== 'worktree') {
    if (spec.worktree?.branch || spec.worktree?.base) throw new RequestError('bad-request', '--branch and --base choose the worktree\'s branch: add --worktree');
    return { cwd: spec.cwd, sandbox };
  }
  const w = spec.worktree ?? {};
  const req = { branch: w.branch, base: w.base, copy: w.copy ?? config.worktree.copy, link: w.link ?? config.worktree.link, setup: w.setup ?? config.worktree.setup };
  try {
    return { ...planWorktree(spec.cwd, req, id, dirname(tasksDir), tasks, spec.after), sandbox };
  } catch (err) {
    if (err instanceof WorktreeRefused) throw new RequestError('bad-request', err.message);
    throw err;
  }
}

/** A relaunch isolated as its original was: a fresh worktree of the same checkout (at the same
 *  relative cwd, with the same setup), the same sandbox. */
export function isolationAgain(old: TaskRecord): Pick<LaunchSpec, 'cwd' | 'isolation' | 'worktree' | 'sandbox'> {
  const ws = old.workspace;
  const sandbox = old.sandbox ?? 'off';
  if (!ws) return { cwd: old.cwd, isolation: 'none', sandbox };
  return { cwd: join(ws.repo, relative(ws.path, old.cwd)), isolation: 'worktree', worktree: { ...(ws.fromTask ? {} : { base: ws.base }), copy: ws.copy, link: ws.link, setup: ws.setup }, sandbox };
}
