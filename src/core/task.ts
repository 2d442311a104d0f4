// The task model: plain data shared by the controller, its clients and the journal.
import { z } from 'zod';

export const TASK_STATES = ['pending', 'running', 'completed', 'error', 'cancelled', 'interrupt'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const FINAL_STATES: ReadonlySet<TaskState> = new Set(['completed', 'error', 'cancelled', 'interrupt']);
export const isFinal = (state: TaskState): boolean => FINAL_STATES.has(state);

/** What the launcher asked for; `auto` means a pane when tmux is usable, headless otherwise. */
export const REQUESTED_PLACEMENTS = ['auto', 'pane', 'window', 'headless'] as const;
export type RequestedPlacement = (typeof REQUESTED_PLACEMENTS)[number];
/** Where the task actually runs. */
export type Placement = 'pane' | 'overflow' | 'window' | 'headless';

export const TaskIdSchema = z.string().regex(/^bg_[0-9a-z]{8}$/, 'a task id looks like bg_ followed by 8 lowercase letters or digits');

/** Where the launch came from: the tmux server and pane of the launching process, if any. */
export interface Origin {
  /** Path of the tmux server socket (first field of $TMUX). */
  tmuxSocket?: string;
  /** $TMUX_PANE of the launcher, e.g. %3. */
  tmuxPane?: string;
}

export interface Progress {
  /** The agent's current step, e.g. "Read src/auth.ts". */
  step?: string;
  toolCalls: number;
  /** 0–100 when the agent reports it. */
  percent?: number;
  /** Epoch ms of the last output or event seen from the agent. */
  lastActivityAt?: number;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  costUsd?: number;
}

export interface Attempt {
  n: number;
  startedAt: number;
  endedAt?: number;
  exitCode?: number | null;
  signal?: string | null;
  outcome?: string;
}

export interface Task {
  id: string;
  title: string;
  agent: string;
  category?: string;
  taskClass?: string; // `--class e2e`: its classConcurrency limit holds besides the key's
  model: string | null;
  key: string;
  provider: string;
  prompt: string;
  cwd: string;
  priority: number;
  after: string[];
  requestedPlacement: RequestedPlacement;
  placement: Placement | null;
  timeoutMs: number | null;
  origin: Origin;
  state: TaskState;
  reason: string | null;
  pid: number | null;
  paneId: string | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  exitCode: number | null;
  signal: string | null;
  attempts: Attempt[];
  /** Epoch ms before which a retrying task must not start again. */
  notBefore: number | null;
  progress: Progress;
  usage: Usage;
  /** First lines of result.md, for lists and notifications; the whole result is on disk. */
  resultPreview: string | null;
  /** Set when a main agent has read this task's ending (MCP background_output, the hook). */
  collectedAt: number | null;
}

/** Why a pending task is not running yet, for `ls`, the dashboard and MCP. */
export type WaitReason =
  | { kind: 'dependency'; on: string[] }
  | { kind: 'slot'; limit: string }
  | { kind: 'class'; taskClass: string; running: number; limit: number }
  | { kind: 'global-cap'; cap: number }
  | { kind: 'gate'; detail: string }
  | { kind: 'backoff'; until: number };

export function describeWait(w: WaitReason): string {
  switch (w.kind) {
    case 'dependency':
      return `waiting for ${w.on.join(', ')}`;
    case 'slot':
      return `no free slot (${w.limit})`;
    case 'class':
      return `no free slot in class ${w.taskClass} (${w.running}/${w.limit}, classConcurrency)`;
    case 'global-cap':
      return `global cap of ${w.cap} running tasks reached`;
    case 'gate':
      return `resource gate: ${w.detail}`;
    case 'backoff':
      return `retry backoff until ${new Date(w.until).toISOString()}`;
  }
}

/** What a launch decides; everything else starts blank. */
export type TaskInit = Pick<Task, 'id' | 'title' | 'agent' | 'model' | 'key' | 'provider' | 'prompt' | 'cwd'> & Partial<Task>;

/** A pending task with every runtime field blank: the one place a Task is put together. */
export function newTask(init: TaskInit, now = Date.now()): Task {
  return {
    priority: 5,
    after: [],
    requestedPlacement: 'auto',
    placement: null,
    timeoutMs: null,
    origin: {},
    state: 'pending',
    reason: null,
    pid: null,
    paneId: null,
    createdAt: now,
    startedAt: null,
    endedAt: null,
    exitCode: null,
    signal: null,
    attempts: [],
    notBefore: null,
    progress: { toolCalls: 0 },
    usage: { inputTokens: 0, outputTokens: 0 },
    resultPreview: null,
    collectedAt: null,
    ...init,
  };
}
