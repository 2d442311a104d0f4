// Where an attempt works: its task folder, made ready for the runner, and the task's git worktree
// (made by the first attempt, found again by a retry) with its setup run.
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskPaths } from '../core/paths.js';
import type { TaskRecord } from '../core/task.js';
import { prepareTaskFolder, type DependencyResult, type PrepareInput } from '../runner/prepare.js';
import type { AgentProfile } from '../runner/profile-schema.js';
import { ensureWorktree } from '../worktree/create.js';

/** What a retry moves aside, so that exit.json and the logs mean this attempt. */
const PER_ATTEMPT = ['exit.json', 'started.json', 'output.log', 'events.jsonl', 'signals.jsonl'];

export interface WorkspaceInput {
  task: TaskRecord;
  /** This attempt's number (1-based). */
  n: number;
  paths: TaskPaths;
  profile: AgentProfile | undefined;
  dependencies: DependencyResult[];
  outputLogMaxBytes: number;
  /** Prepare the agent's interactive start too (the runner uses it in a pane). */
  interactive: boolean;
  resume?: PrepareInput['resume'];
}

export async function prepareWorkspace({ task, n, paths, profile, dependencies, outputLogMaxBytes, interactive, resume }: WorkspaceInput): Promise<void> {
  if (!profile) throw new Error(`agent profile "${task.agent}" no longer exists in the configuration`);
  if (n > 1) {
    for (const name of PER_ATTEMPT) {
      const file = join(paths.dir, name);
      if (existsSync(file)) renameSync(file, join(paths.dir, `${name}.attempt-${n - 1}`));
    }
    rmSync(paths.result, { force: true });
  }
  const clientEnv = JSON.parse(readFileSync(join(paths.dir, 'client-env.json'), 'utf8')) as Record<string, string>;
  if (task.workspace) await ensureWorktree({ id: task.id, ws: task.workspace, cwd: task.cwd, taskDir: paths.dir, env: clientEnv });
  prepareTaskFolder({ task, paths, profile, clientEnv, dependencies, outputLogMaxBytes, interactive, resume });
}
