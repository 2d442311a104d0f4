// Where a task runs. The engine asks a placer to start the runner and tells it when the task ended.
import type { ChildProcess } from 'node:child_process';
import type { Placement, Task } from '../core/task.js';
import { startHeadless } from '../runner/headless.js';

export interface Started {
  pid: number;
  placement: Placement;
  paneId: string | null;
  /** Set when the runner is this controller's own child: its exit event is then exact. */
  child?: ChildProcess;
}

export interface Placer {
  start(task: Task, taskDir: string): Promise<Started>;
  /** The task reached a final state (or was requeued): tidy up its pane, if any. */
  ended(task: Task, before: Task): void;
  focus(task: Task): Promise<void>;
  /** After a restart: where the task's runner is now, found by its own marks (a tmux pane's tag). */
  locate?(task: Task): Promise<{ paneId: string; pid: number } | null>;
}

export const headlessPlacer: Placer = {
  async start(_task, taskDir) {
    const child = startHeadless(taskDir);
    if (child.pid === undefined) {
      const error = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(`cannot start bash for the runner: ${error.message}`);
    }
    return { pid: child.pid, placement: 'headless', paneId: null, child };
  },
  ended() {},
  async focus(task) {
    throw new Error(`task ${task.id} runs headless: there is no pane to focus; read its output with: panecrew output ${task.id} --follow`);
  },
};
