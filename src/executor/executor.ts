// Where an attempt's agent runs. An executor builds the command that runs the task runner, observes
// the attempt (exit and activity, with the bytes the agent wrote), judges whether it is alive and
// ends it. It knows nothing of panes: a surface hosts the command (see src/surface/).
import type { RunnerChild } from '../surface/surface.js';
import type { ActivityFile } from '../liveness/watcher.js';
import type { ExitRecord } from '../runner/exit-record.js';

export type { ActivityFile };
/** The files whose new bytes an observation delivers. */
export type TailedFile = Exclude<ActivityFile, 'result'>;

export interface ObserveHandlers {
  /** The runner recorded how the agent ended: read it with `exitRecord`. */
  exit(): void;
  /** Something was written (a sign of life), with the new bytes of output/events files. */
  activity(file: ActivityFile): void;
  bytes(file: TailedFile, chunk: Buffer): void;
}

export interface Observation {
  /** Reads whatever was written and not yet delivered; resolves with how many bytes that was. */
  drain(): Promise<number>;
  close(): void;
}

/** How the runner is reached once started: its pid, and the process object when it is our child. */
export interface RunnerRef {
  pid: number;
  child?: RunnerChild;
}

/** Names one start of one attempt (an attempt's number is reused when a start is given up). */
export const startToken = (attempt: { n: number; startedAt: number }): string => `${attempt.n}-${attempt.startedAt}`;

export interface Executor {
  /** argv that runs the runner of the attempt in `dir`; `pane` when a terminal shows it. The runner
   *  claims `token` (startToken) before it does anything, so that a start can be given up. */
  command(dir: string, mode: 'pane' | 'headless', token: string): string[];
  observe(taskId: string, dir: string, handlers: ObserveHandlers): Observation;
  /** How the agent ended: undefined while there is no record, null when the record is unreadable. */
  exitRecord(dir: string): ExitRecord | null | undefined;
  /** The runner's own record of its pid, for an attempt started before a restart. */
  locate(dir: string): { pid: number } | null;
  /** After a restart, for a start with no sign of its runner: takes its claim, so that a runner
   *  still on its way (tmux may run it later) never runs its agent. Returns the pid of the runner
   *  that claimed it first, or null when the start is given up. */
  giveUpStart(dir: string, token: string): number | null;
  /** Whether this runner (not a reused pid) is still alive. */
  alive(pid: number, dir: string): boolean;
  /** Calls `onGone` once when the runner is gone: at once for our own child, by checking otherwise. */
  watchGone(runner: RunnerRef, dir: string, onGone: () => void): () => void;
  /** CPU time (clock ticks) used so far by the runner's process group: a sign of life of an agent
   *  that is quiet (a build, a test run); null when it cannot be read. */
  cpuTime(pid: number): number | null;
  /** Ends the runner and everything it started (TERM, then KILL after the grace period); false when
   *  nothing of it was left alive. */
  kill(pid: number, graceMs: number): boolean;
  close(): Promise<void>;
}
