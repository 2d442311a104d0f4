// The task model: plain data shared by the controller, its clients and the journal.
import { z } from 'zod';
import { describeCause, type Cause } from './cause.js';
import { isFinal, TASK_STATES, type TaskState } from './task-state.js';

export { FINAL_STATES, isActive, isFinal, TASK_STATES, type TaskState } from './task-state.js';

/** How the agent runs: its own TUI in the pane, kept open after a turn (`interactive`), or one-shot
 *  with its output rendered (`print`). `auto`: interactive when its profile has an interactive
 *  command and the task has a pane. */
export const RUN_MODES = ['auto', 'interactive', 'print'] as const;
export type RunMode = (typeof RUN_MODES)[number];

/** What the launcher asked for; `auto` means a pane when tmux is usable, headless otherwise. */
export const REQUESTED_PLACEMENTS = ['auto', 'pane', 'window', 'headless'] as const;
export type RequestedPlacement = (typeof REQUESTED_PLACEMENTS)[number];
/** Where the task actually runs. */
export type Placement = 'pane' | 'overflow' | 'window' | 'headless';

export const TaskIdSchema = z.string().regex(/^bg_[0-9a-z]{8}$/, 'a task id looks like bg_ followed by 8 lowercase letters or digits');

export const PlanIdSchema = z.string().regex(/^pl_[0-9a-z]{8}$/, 'a plan id looks like pl_ followed by 8 lowercase letters or digits');

/** The plan a task belongs to (`panecrew plan run`): the plan is the group of tasks carrying its id. */
export const PlanRefSchema = z
  .object({
    id: PlanIdSchema,
    name: z.string().min(1).max(200),
    /** The task's name in the plan file (a fanned-out task: `name[i]`). */
    node: z.string().min(1).max(200),
    /** The plan's shared folder ($PANECREW_PLAN_DIR); results are copied there as NODE.md. */
    artifacts: z.string().startsWith('/'),
    /** Template names (`{{ tasks.NAME.result }}`) → the dependencies' task ids (a fan-out: several). */
    refs: z.record(z.string(), z.array(z.string()).max(1000)).default({}),
  })
  .strict();
export type PlanRef = z.infer<typeof PlanRefSchema>;

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

/** One running of a task, journaled as it moves: preparing → starting → running → ended. */
export const ATTEMPT_STATES = ['preparing', 'starting', 'running', 'ending', 'ended'] as const;
export type AttemptState = (typeof ATTEMPT_STATES)[number];

export interface Attempt {
  n: number;
  state: AttemptState;
  startedAt: number;
  endedAt?: number;
  /** The runner's pid (it leads the process group of the agent). */
  pid?: number | null;
  paneId?: string | null;
  placement?: Placement | null;
  /** Why a surface put the attempt where it is, when that is not where it was asked to go. */
  placementNote?: string | null;
  exitCode?: number | null;
  signal?: string | null;
  cause?: Cause;
  /** The agent runs interactively: its TUI in the pane, open after its turns. */
  interactive?: boolean;
  /** The agent's own session id (from its session signal), to resume its conversation. */
  sessionId?: string | null;
  /** When the task's prompt was typed into the agent's TUI (so a restart does not type it twice). */
  promptSentAt?: number | null;
}

/** A task's own git worktree (launch --worktree): where it works and what its work is compared to. */
export interface Workspace {
  /** The main checkout's top folder (the repository the task was launched in). */
  repo: string;
  /** The worktree's folder (under the panecrew home, grouped by repository). */
  path: string;
  branch: string;
  /** What the branch starts from: a ref, or the branch of the task in `fromTask`. */
  base: string;
  /** The task (one it waits for) whose finished work this one starts from. */
  fromTask?: string;
  /** The commit the branch was made at: `diff` compares against it. Null until the worktree exists
   *  when the base is a dependency's branch (it is read when the dependency has ended). */
  baseCommit: string | null;
  /** Files copied or linked from the main checkout, and the setup command run in the worktree. */
  copy: string[];
  link: string[];
  setup: string[];
  /** What the person should know: uncommitted changes left behind, submodules not checked out. */
  notes: string[];
  /** What the task changed against its base, recorded when it ended. */
  changes?: { files: number; added: number; removed: number };
}

/** One turn of an interactive agent: a prompt and the answer it ended with. */
export interface Turn {
  n: number;
  attempt: number;
  startedAt: number;
  endedAt: number | null;
  /** Where the turn's whole result is: tasks/<id>/turns/<n>.md. */
  resultPreview: string | null;
}

/** What the controller stores and journals. Everything about a running is in its attempts. */
export interface TaskRecord {
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
  timeoutMs: number | null;
  /** No sign of life for this long marks the task interrupt; null: never. */
  staleTimeoutMs: number | null;
  origin: Origin;
  state: TaskState;
  /** Why the task is in its state: set when it ends, or when a retry sends it back to the queue. */
  cause: Cause | null;
  createdAt: number;
  endedAt: number | null;
  attempts: Attempt[];
  /** Epoch ms before which a retrying task must not start again. */
  notBefore: number | null;
  progress: Progress;
  usage: Usage;
  /** First lines of result.md, for lists and notifications; the whole result is on disk. */
  resultPreview: string | null;
  /** Set when a main agent has read this task's ending (MCP background_output, the hook). */
  collectedAt: number | null;
  /** Asked at launch (absent in records of older versions: auto). */
  mode?: RunMode;
  /** What a `waiting` task asks the person. */
  question?: string | null;
  /** Turns of an interactive agent, oldest first; the last one's result is the task's result. */
  turns?: Turn[];
  /** Set on the tasks of a plan. */
  plan?: PlanRef;
  /** Its own git worktree (absent: it works in `cwd` as launched). */
  workspace?: Workspace;
  /** The agent runs under bubblewrap, writing only its worktree (or cwd) and task folder; `offline`: no network. */
  sandbox?: 'on' | 'offline';
}

/**
 * A task as everyone outside the controller sees it: the record plus fields derived from its cause
 * and its current attempt. A requeued task shows no pid, pane or exit code of the attempt before.
 */
export interface Task extends TaskRecord {
  reason: string | null;
  pid: number | null;
  paneId: string | null;
  placement: Placement | null;
  placementNote: string | null;
  startedAt: number | null;
  exitCode: number | null;
  signal: string | null;
  /** An interactive agent is still open in its pane after its turn: `send` gives it another. */
  agentOpen: boolean;
}

/** A task as listed to clients: its view, and why it waits when it is pending. */
export type ListedTask = Task & { waiting: string | null };

/** The attempt whose fields the task shows: the current one, or the last one of an ended task. */
export function shownAttempt(task: Pick<TaskRecord, 'state' | 'attempts'>): Attempt | undefined {
  return task.state === 'pending' ? undefined : task.attempts.at(-1);
}

export function viewOf(record: TaskRecord): Task {
  const a = shownAttempt(record);
  return {
    ...record,
    reason: describeCause(record.cause),
    pid: a?.pid ?? null,
    paneId: a?.paneId ?? null,
    placement: a?.placement ?? null,
    placementNote: a?.placementNote ?? null,
    startedAt: a?.startedAt ?? null,
    exitCode: isFinal(record.state) ? (a?.exitCode ?? null) : null,
    signal: isFinal(record.state) ? (a?.signal ?? null) : null,
    agentOpen: !!a?.interactive && a.state !== 'ended' && isFinal(record.state),
  };
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
export type TaskInit = Pick<TaskRecord, 'id' | 'title' | 'agent' | 'model' | 'key' | 'provider' | 'prompt' | 'cwd'> & Partial<TaskRecord>;

/** A pending task with every runtime field blank: the one place a task record is put together. */
export function newTaskRecord(init: TaskInit, now = Date.now()): TaskRecord {
  return {
    priority: 5,
    after: [],
    requestedPlacement: 'auto',
    timeoutMs: null,
    staleTimeoutMs: null,
    origin: {},
    state: 'pending',
    cause: null,
    createdAt: now,
    endedAt: null,
    attempts: [],
    notBefore: null,
    progress: { toolCalls: 0 },
    usage: { inputTokens: 0, outputTokens: 0 },
    resultPreview: null,
    collectedAt: null,
    ...init,
  };
}

/** A task as clients see it, for tests and fixtures: derived fields may be given directly. */
export function newTask(init: TaskInit & Partial<Task>, now = Date.now()): Task {
  return { ...viewOf(newTaskRecord(init, now)), ...init };
}
