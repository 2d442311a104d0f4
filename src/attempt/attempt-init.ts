// What an attempt is given (AttemptRun, attempt.ts): its task, where and how it runs, and its owner.
import type { BackgroundTaskOptions } from '../config/schema.js';
import type { Progress, TaskRecord, Attempt, Usage } from '../core/task.js';
import type { Executor } from '../executor/executor.js';
import type { DependencyResult } from '../runner/prepare.js';
import type { AgentProfile } from '../runner/profile-schema.js';
import type { Surface } from '../surface/surface.js';

/** What the attempt's owner (the engine) does for it. */
export interface AttemptOwner {
  /** Journals a change of this attempt, and of its task in the same entry; returns the task as recorded. */
  record(attempt: Partial<Attempt>, task?: Partial<TaskRecord>): TaskRecord;
  /** The task as recorded now. */
  current(): TaskRecord;
  progress(p: { progress: Progress; usage: Usage }): void;
  output(): void;
  /** The attempt is over and recorded: its slot is free. */
  done(): void;
  log(message: string): void;
}

export interface AttemptInit {
  task: TaskRecord;
  tasksDir: string;
  profile: AgentProfile | undefined;
  executor: Executor;
  surface: Surface;
  options: BackgroundTaskOptions;
  dependencies: DependencyResult[];
  /** Reopen the agent's earlier session with a follow-up (`panecrew resume`). */
  resume?: { sessionId: string; text: string };
  owner: AttemptOwner;
}
