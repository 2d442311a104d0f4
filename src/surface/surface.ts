// How an attempt is shown: a surface hosts the runner's command (a tmux pane is its terminal; the
// headless surface runs it as a detached process), shows the outcome, focuses and closes. It knows
// nothing of where the agent runs: the executor built the command.
import type { Attempt, Placement, RequestedPlacement, Task } from '../core/task.js';
import type { InputBoxName } from '../tmux/input-boxes.js';

export interface HostRequest {
  task: Task;
  /** The command the executor builds for a mode: a surface that cannot show the runner (its tmux
   *  server is gone) may host it headless instead. */
  command(mode: 'pane' | 'headless'): string[];
}

/** A runner as its parent sees it: `exitCode` null when a signal killed it. */
export interface RunnerChild {
  readonly exitCode: number | null;
  /** Calls `listener` once the runner is gone, also when it went before this was called (a fast
   *  task may end before its attempt watches it); returns what stops the watch. */
  onExit(listener: () => void): () => void;
}

export interface Hosted {
  pid: number;
  placement: Placement;
  paneId: string | null;
  /** Why it went somewhere else than asked (e.g. the overflow window), for the person. */
  note: string | null;
  /** Set when the runner is this controller's own (its spawner's) child: its exit event is then exact. */
  child?: RunnerChild;
}

export interface Surface {
  /** A task hosted here has a terminal of its own (a pane), which an interactive agent needs. */
  readonly terminal: boolean;
  host(req: HostRequest): Promise<Hosted>;
  /** Types text into the input of the agent in `paneId` and submits it; with `box`, once its input
   *  box shows, and never into text the person has typed there (PendingInputError). */
  deliver(task: Task, paneId: string, text: string, box?: InputBoxName): Promise<void>;
  /** Throws, with the fix, when this surface could not host a task launched now (a pane layout
   *  that does not exist): a launch is refused instead of failing when it starts. */
  ready(requested: RequestedPlacement): Promise<void>;
  /** The exit status the runner left with this surface when it could not write its exit record
   *  (a pane keeps it in a pane option); null when there is none. */
  exitLeft(task: Task, paneId: string): Promise<number | null>;
  /** The attempt ended (the task ended or was requeued): show the outcome, tidy up. */
  ended(task: Task, attempt: Attempt): void;
  focus(task: Task): Promise<void>;
  /** After a restart: where an attempt's runner is now, found by its own marks (a pane's tag). */
  locate(task: Task): Promise<{ paneId: string; pid: number } | null>;
  /** After a restart: closes what this surface left of tasks that are no longer active. */
  tidy(isActive: (taskId: string) => boolean, tasks: Iterable<Task>): Promise<void>;
  /** Tells `listener` when an attempt moved after it was hosted (a pane sent to the overflow window
   *  when its window shrank, or brought back), so its recorded placement stays true. */
  onMoved(listener: (move: Moved) => void): void;
  close(): Promise<void>;
}

export interface Moved {
  taskId: string;
  paneId: string;
  placement: Placement;
  note: string | null;
}
