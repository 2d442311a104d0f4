// A plan's shared folder: made before its first task can start, and each task's result copied in
// as NODE.md when the task ends, so that later tasks (and people) find every result in one place.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { taskPaths } from '../core/paths.js';
import { isFinal, type TaskRecord } from '../core/task.js';
import type { TaskStore } from './store.js';

/** A fanned-out node `explore[2]` is saved as `explore[2].md`; a slash could not name a file. */
const fileName = (node: string): string => `${node.replaceAll('/', '_')}.md`;

export function keepPlanArtifacts(store: TaskStore, tasksDir: string, log: (message: string) => void): void {
  store.on('change', (task: TaskRecord, previous: TaskRecord | undefined) => {
    const plan = task.plan;
    if (!plan) return;
    try {
      if (!previous) mkdirSync(plan.artifacts, { recursive: true, mode: 0o700 });
      else if (isFinal(task.state) && !isFinal(previous.state)) {
        const result = taskPaths(tasksDir, task.id).result;
        if (existsSync(result)) copyFileSync(result, join(plan.artifacts, fileName(plan.node)));
      }
    } catch (err) {
      log(`plan ${plan.id}: keeping ${task.id}'s artifacts in ${plan.artifacts} failed: ${(err as Error).message}`);
    }
  });
}
