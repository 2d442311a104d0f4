// The MCP tools' inputs: zod shapes (the SDK turns them into JSON Schema and validates every call).
// Names follow oh-my-opencode's tools so its users feel at home.
import { z } from 'zod';
import { TaskIdSchema } from '../core/task.js';

const taskId = TaskIdSchema.describe('A task id as returned by `task`, e.g. bg_k3x9m2qa.');
const waitTimeout = (what: string, defaultMs: number) =>
  z
    .number()
    .int()
    .min(0)
    .max(3_600_000)
    .optional()
    .describe(`How long to wait for ${what}, in milliseconds (default ${defaultMs}, at most 3600000). When it passes the task keeps running and you get its state so far.`);

export const DEFAULT_BLOCK_MS = 60_000;
export const DEFAULT_FOREGROUND_MS = 600_000;

export const TaskInput = {
  prompt: z.string().min(1, 'the prompt is empty').max(1_000_000).describe('The complete instructions for the background agent. It starts with no context from this conversation: say what to do, where, and what to report back. For subagent_type "shell" this is the shell command itself (run with bash -c).'),
  subagent_type: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('Who does the work: explore (maps code relevant to a question, read-only), librarian (researches docs and code with sources), oracle (careful senior review of a design or change), or an agent profile name: claude (Claude Code), opencode, codex, builtin (read-only panecrew agent), shell (runs the prompt as a shell command). Give this or category, not both.'),
  category: z.string().min(1).max(64).optional().describe('Instead of subagent_type, a kind of work that picks agent and model: quick, deep, balanced, visual-engineering, research (or one from the user\'s config).'),
  model: z.string().optional().describe('Override the model, as provider/model, e.g. anthropic/claude-sonnet-4-5. Usually leave it out.'),
  title: z.string().max(200).optional().describe('A short one-line title shown in the pane and in lists (default: the prompt\'s first line).'),
  cwd: z.string().min(1).optional().describe("Working directory of the task; relative paths are taken from this server's directory (the default)."),
  priority: z.number().int().min(1).max(10).optional().describe('1–10, higher starts first when tasks queue for the same slot (default from config: 5 unless changed).'),
  after: z.array(taskId).max(100).optional().describe('Task ids that must complete first; this task waits for them (and fails if one of them fails).'),
  isolation: z
    .enum(['none', 'worktree'])
    .optional()
    .describe('"worktree": the agent works in its own git worktree on a new branch (panecrew/<task id>), so parallel agents never edit the same files; the user merges it back with `panecrew merge`. "none": in cwd itself. Default: the category\'s or the project\'s setting.'),
  base: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('With isolation "worktree": the commit the branch starts from; a task id that is also in `after` starts from that task\'s finished branch (e.g. a contract task for backend and frontend tasks).'),
  run_in_background: z
    .boolean()
    .optional()
    .describe('true (default): return the task id at once and keep working; read the result later with background_output. false: wait here until the task ends and return its result.'),
  timeout: waitTimeout('the task when run_in_background is false', DEFAULT_FOREGROUND_MS),
};

export const OutputInput = {
  task_id: taskId,
  block: z.boolean().optional().describe('true: wait until the task has ended (or `timeout` passes) before answering. false (default): answer at once with the state so far.'),
  timeout: waitTimeout('the task when block is true', DEFAULT_BLOCK_MS),
  since: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Byte offset into the task\'s output log: return only output written after it. Every answer ends with the next cursor to pass here, so repeated calls show only what is new.'),
};

export const CancelInput = {
  task_id: taskId.optional().describe('The task to cancel.'),
  all: z.boolean().optional().describe('true: cancel every pending and running task instead of one.'),
};

export const SendInput = {
  task_id: taskId,
  text: z.string().min(1).max(65_536).describe('The follow-up, as the person would type it into the agent.'),
};

export const ListInput = {
  all: z.boolean().optional().describe("true: every task of every session (other projects' and main agents' too), including those that ended long ago. Default: only the tasks this session launched."),
  limit: z.number().int().min(1).max(500).optional().describe('At most this many tasks (default 20): running first, then pending, then the most recently ended. The answer says how many more there are.'),
};

export const DESCRIPTIONS = {
  task: `Start a background agent (in its own tmux pane beside you, in panecrew's detached tmux session when you are not in tmux, or headless) and keep working while it runs.
Use it for work that can proceed in parallel: exploring a codebase, researching docs, reviewing a change, or running a long shell command.
Returns the task id at once (run_in_background defaults to true); collect the result later with background_output(task_id). Launch several tasks in a row to run them in parallel; concurrency limits queue the rest automatically.
With run_in_background: false it waits and returns the result directly.`,
  background_output: `Read a background task's state, progress and result. Re-readable at any time; reading a finished task marks it as read, which only stops the prompt hook from announcing its ending.
For a running task it shows the tail of its output; with block: true it waits until the task ends (up to timeout ms) and returns the result.
Pass since (the cursor from the previous answer) to get only output written since then.`,
  background_cancel: 'Cancel a pending or running background task (task_id), or every active task (all: true). Its pane and process are stopped.',
  background_send: `Give an interactive background agent (one still open in its pane after its turn) a follow-up: typed into its input as if the person typed it. The task runs again and its next result replaces the last; collect it with background_output(task_id, block: true). Refused while the agent waits for the person to answer a question in its pane.`,
  background_list: 'List the background tasks this session launched (all: true for every session\'s): id, state, why pending ones wait, agent and title, at most `limit` of them; plus slot usage per concurrency key.',
} as const;
