// Start-up: re-adopt every task the journal says is running, so agents outlive the controller.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { taskPaths } from '../core/paths.js';
import { readStartedRecord } from '../runner/exit-record.js';
import { processAlive } from '../runner/kill.js';
import type { Engine } from './engine.js';
import type { Placer } from './placer.js';
import type { TaskStore } from './store.js';

/** Guards against pid reuse: the live process must be this task's runner. */
function isRunnerOf(pid: number, taskDir: string): boolean {
  if (!processAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(taskDir);
  } catch {
    return true; // no /proc: trust the live pid
  }
}

const mtime = (file: string): number | null => (existsSync(file) ? statSync(file).mtimeMs : null);

export function recover(engine: Engine, store: TaskStore, tasksDir: string, placerFor: (id: string) => Placer, log: (m: string) => void): void {
  for (const task of [...store.tasks.values()]) {
    if (task.state !== 'running') continue;
    const paths = taskPaths(tasksDir, task.id);
    const started = readStartedRecord(paths.dir + '/started.json');
    const pid = task.pid ?? started?.pid ?? null;
    const lastActivity = Math.max(mtime(paths.output) ?? 0, mtime(paths.events) ?? 0, task.startedAt ?? 0);
    if (existsSync(paths.exit) || (pid !== null && isRunnerOf(pid, paths.dir))) {
      const adopted = pid !== task.pid ? store.update(task.id, { pid }) ?? task : task;
      const runtime = engine.track(adopted, lastActivity);
      const placer = placerFor(task.id);
      runtime.placer = placer;
      engine.watchVanishing(runtime);
      log(`re-adopted ${task.id} (pid ${pid})`);
      // A pane task: confirm its pane by the @panecrew_task tag (the pane id in the journal may be
      // missing if the controller died right after opening it).
      void placer.locate?.(adopted).then(
        (found) => {
          if (found && found.pid === pid && found.paneId !== store.get(task.id)?.paneId && store.get(task.id)?.state === 'running') {
            store.update(task.id, { paneId: found.paneId });
          }
        },
        (err: unknown) => log(`locating the pane of ${task.id} failed: ${(err as Error).message}`),
      );
      if (existsSync(paths.exit)) void runtime.exited();
    } else if (!started) {
      // Journaled as running, but the runner never started: the attempt did not happen.
      store.update(task.id, { state: 'pending', startedAt: null, reason: null, attempts: task.attempts.slice(0, -1) });
      log(`requeued ${task.id}: the controller stopped before its agent started`);
    } else {
      store.update(task.id, {
        state: 'error',
        reason: `the runner (pid ${pid}) ended while the controller was down, without an exit record (killed with SIGKILL?)`,
        endedAt: Date.now(),
      });
    }
  }
  engine.schedule();
}
