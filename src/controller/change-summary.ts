// When a worktree task ends, its change summary (files, +/- lines) is recorded with it, so `ls` and
// the dashboard show it without a git call per task and per refresh.
import { isFinal, type TaskRecord } from '../core/task.js';
import { baseRef, summarize } from '../worktree/changes.js';
import type { TaskStore } from './store.js';

export function recordChangeSummaries(store: TaskStore, log: (message: string) => void): void {
  store.on('change', (next: TaskRecord, previous: TaskRecord | undefined) => {
    if (!next.workspace || !isFinal(next.state) || (previous && isFinal(previous.state))) return;
    summarize(next.workspace.path, baseRef(next.id)).then(
      (changes) => {
        const now = store.get(next.id);
        if (now?.workspace) store.update(next.id, { workspace: { ...now.workspace, changes } });
      },
      (err: Error) => log(`change summary of ${next.id}: ${err.message}`),
    );
  });
}
