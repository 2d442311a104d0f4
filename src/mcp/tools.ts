// What each MCP tool does, as plain async functions over a controller link: (arguments) → text.
import { changeLine } from '../worktree/changes.js';
import { defaultIsolation } from '../config/isolation.js';
import { captureEnv, originFromEnv } from '../controller/launch-env.js';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { loadConfig } from '../config/load.js';
import type { LaunchSpec, ListedTask } from '../controller/protocol.js';
import { isFinal } from '../core/task.js';
import type { ControllerLink, WaitOutcome } from './connection.js';
import { outputSince, outputTail } from './output.js';
import { DEFAULT_LIST_LIMIT, ownTasks, renderList, shownTasks, type ListView } from './list.js';
import { describeTask, placementKnown, whereItRuns } from './render.js';
import { DEFAULT_BLOCK_MS, DEFAULT_FOREGROUND_MS, type CancelInput, type ListInput, type OutputInput, type SendInput, type TaskInput } from './schemas.js';

type Args<S extends Record<string, z.ZodType>> = { [K in keyof S]: z.output<S[K]> };
export type TaskArgs = Args<typeof TaskInput>;
export type OutputArgs = Args<typeof OutputInput>;
export type CancelArgs = Args<typeof CancelInput>;
export type ListArgs = Args<typeof ListInput>;
export type SendArgs = Args<typeof SendInput>;

/** A mistake in the arguments that zod cannot see (it needs the file system or two fields). */
export class ArgumentError extends Error {}

export interface ToolContext {
  link: ControllerLink;
  /** The MCP server's environment: the task's environment and, via $TMUX/$TMUX_PANE, its origin. */
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Called while a blocking call waits, on every change of the task (for MCP progress notifications). */
export type OnUpdate = (task: ListedTask) => void;

const TAIL_BYTES = 4_096;
const SINCE_MAX_BYTES = 32_768;
const RESULT_MAX_CHARS = 200_000;
/** How long `task` waits to say where the task runs (a pane opens in well under a second). */
const PLACEMENT_WAIT_MS = 2_000;

/** The launch request, warnings for the reply (a project file whose choices were ignored), and
 *  whether the main agent is told of endings (the `silent` strategy tells nobody). */
export function launchSpec(args: TaskArgs, ctx: ToolContext): { spec: LaunchSpec; warnings: string[]; told: boolean } {
  if (args.category && args.subagent_type) throw new ArgumentError('give category or subagent_type, not both');
  const cwd = resolve(ctx.cwd, args.cwd ?? '.');
  let isDir = false;
  try {
    isDir = statSync(cwd).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new ArgumentError(`cwd ${cwd} is not an existing directory`);
  // A project's .panecrew.yaml sets launch defaults, as for `panecrew launch` run in the same place
  // (the default agent only once its folder is trusted).
  const { config, warnings } = loadConfig({ cwd: ctx.cwd, env: ctx.env });
  const spec: LaunchSpec = {
    prompt: args.prompt,
    agent: args.category || args.subagent_type ? undefined : config.defaults.agent,
    category: args.category,
    subagentType: args.subagent_type,
    model: args.model,
    title: args.title,
    cwd,
    priority: args.priority ?? config.defaults.priority,
    after: args.after ?? [],
    placement: config.defaults.placement,
    env: captureEnv(ctx.env),
    origin: originFromEnv(ctx.env),
    isolation: args.isolation ?? defaultIsolation(config, args.category, args.subagent_type),
    worktree: { base: args.base, ...config.worktree },
  };
  return { spec, warnings, told: config.notification.strategy !== 'silent' };
}

async function wait(ctx: ToolContext, taskId: string, timeoutMs: number, signal?: AbortSignal, onUpdate?: OnUpdate): Promise<WaitOutcome> {
  return ctx.link.waitFinal(taskId, timeoutMs, signal, onUpdate);
}

/**
 * After a wait the client cancelled (or the server closing aborted): nobody reads the answer, so no
 * report — its `collect` would mark a just-ended task read and the prompt hook would never announce it.
 */
function throwIfAborted(signal: AbortSignal | undefined, taskId: string): void {
  if (signal?.aborted) throw new Error(`the wait for ${taskId} was cancelled; the task keeps running`);
}

/** The state, progress, result and output of one task, as background_output answers. */
async function report(ctx: ToolContext, taskId: string, since: number | undefined, waited?: WaitOutcome, waitedMs?: number): Promise<string> {
  // `collect` marks a finished task as read by the main agent, so the prompt hook does not announce it again.
  const { task, result } = await ctx.link.request({ op: 'result', taskId, collect: true });
  const lines = describeTask(task);
  if (waited && !waited.ended) lines.push(`still ${task.state} after waiting ${waitedMs}ms; it keeps running — call background_output again later`);
  const final = isFinal(task.state);
  if (final && task.startedAt === null) return lines.join('\n');
  if (final && task.workspace) lines.push(`changes: ${await changeLine(task.id, task.workspace)}`);
  if (final && result !== null) {
    const text = result.length > RESULT_MAX_CHARS ? `${result.slice(0, RESULT_MAX_CHARS)}\n… (result cut at ${RESULT_MAX_CHARS} characters)` : result;
    lines.push('', '--- result ---', text.trimEnd());
  } else if (final) {
    lines.push('', '--- result ---', '(the task left no result; see its output)');
  }
  if (since !== undefined || !final || result === null) {
    const slice = since !== undefined ? await outputSince(ctx.link, taskId, since, SINCE_MAX_BYTES) : await outputTail(ctx.link, taskId, TAIL_BYTES);
    const head =
      since !== undefined
        ? `--- output since byte ${slice.from}${slice.more ? ` (first ${SINCE_MAX_BYTES} bytes; more follows)` : ''} ---`
        : `--- output${slice.from > 0 ? ` (last ${slice.next - slice.from} bytes)` : ''} ---`;
    lines.push('', head, slice.text ? slice.text.trimEnd() : since !== undefined ? '(nothing new)' : '(no output yet)');
    lines.push('', `next cursor: since=${slice.next}`);
  }
  return lines.join('\n');
}

export async function taskTool(args: TaskArgs, ctx: ToolContext, signal?: AbortSignal, onUpdate?: OnUpdate): Promise<string> {
  const { spec, warnings, told } = launchSpec(args, ctx);
  const notes = warnings.map((w) => `warning: ${w}`);
  const task = await ctx.link.request({ op: 'launch', spec }).catch((err: unknown) => {
    // A refusal may be the ignored project default's doing: say so with it.
    if (notes.length && err instanceof Error) err.message = [err.message, ...notes].join('\n');
    throw err;
  });
  if (args.run_in_background === false) {
    const timeoutMs = args.timeout ?? DEFAULT_FOREGROUND_MS;
    const outcome = await wait(ctx, task.id, timeoutMs, signal, onUpdate);
    throwIfAborted(signal, task.id);
    return [`task_id: ${task.id}`, await report(ctx, task.id, undefined, outcome, timeoutMs), ...notes].join('\n');
  }
  // Say exactly where it runs: wait (briefly) until it is placed, queued for a reason, or ended.
  const placed = (await ctx.link.waitFor(task.id, placementKnown, PLACEMENT_WAIT_MS, signal)).task;
  return [
    `task_id: ${placed.id}`,
    `launched: ${placed.agent}${placed.category ? ` (${placed.category})` : ''}${placed.model ? `, model ${placed.model}` : ''}, key ${placed.key}`,
    `state: ${placed.state}${placed.state === 'pending' && placed.waiting ? ` — ${placed.waiting}` : ''}${isFinal(placed.state) && placed.reason ? ` — ${placed.reason}` : ''}`,
    `runs in: ${whereItRuns(placed)}`,
    told
      ? `Keep working: you will be told when it ends (no need to poll). Read its whole result with background_output(task_id: "${task.id}").`
      : `Keep working. Read the result with background_output(task_id: "${task.id}") — add block: true to wait for it.`,
    ...notes,
  ].join('\n');
}

export async function outputTool(args: OutputArgs, ctx: ToolContext, signal?: AbortSignal, onUpdate?: OnUpdate): Promise<string> {
  if (!args.block) return report(ctx, args.task_id, args.since);
  const timeoutMs = args.timeout ?? DEFAULT_BLOCK_MS;
  const outcome = await wait(ctx, args.task_id, timeoutMs, signal, onUpdate);
  throwIfAborted(signal, args.task_id);
  return report(ctx, args.task_id, args.since, outcome, timeoutMs);
}

export async function cancelTool(args: CancelArgs, ctx: ToolContext): Promise<string> {
  if (!args.all && !args.task_id) throw new ArgumentError('give task_id, or all: true to cancel every active task');
  if (args.all && args.task_id) throw new ArgumentError('give task_id or all: true, not both');
  if (args.task_id) {
    const before = await ctx.link.request({ op: 'get', taskId: args.task_id });
    if (isFinal(before.state)) return `${before.id} had already ended: ${before.state}; nothing to cancel`;
  }
  const cancelled = await ctx.link.request(args.all ? { op: 'cancel', all: true } : { op: 'cancel', taskIds: [args.task_id!] });
  if (!cancelled.length) return 'no active tasks to cancel';
  return [`cancelled ${cancelled.length} task${cancelled.length === 1 ? '' : 's'}:`, ...cancelled.map((t) => `  ${t.id}: ${t.state} — ${t.title}`)].join('\n');
}

export async function sendTool(args: SendArgs, ctx: ToolContext): Promise<string> {
  const { task, outcome } = await ctx.link.request({ op: 'send', taskId: args.task_id, text: args.text });
  if (outcome === 'queued') return `the person is typing in ${task.id}'s input: your text waits and is typed once theirs is sent or cleared`;
  if (outcome === 'unconfirmed') return `typed into ${task.id}'s input, but the agent has not confirmed it yet; check with background_output(${task.id})`;
  return `sent: ${task.id} is ${task.state} again; collect its next result with background_output(${task.id}, block: true)`;
}

export async function listTool(args: ListArgs, ctx: ToolContext): Promise<string> {
  const limit = args.limit ?? DEFAULT_LIST_LIMIT;
  const [tasks, stats] = await Promise.all([ctx.link.request({ op: 'list', all: args.all ?? false }), ctx.link.request({ op: 'stats' })]);
  const { mine, scope } = ownTasks(tasks, ctx.env, ctx.cwd);
  const view: ListView = args.all ? { tasks, scope: 'of every session', limit, others: 0 } : { tasks: mine, scope, limit, others: tasks.length - mine.length };
  // An ending the main agent has seen here is told: the waiter, the plugin and the hooks skip it.
  const seen = shownTasks(view).filter((t) => isFinal(t.state) && t.collectedAt === null).map((t) => t.id);
  if (seen.length) await ctx.link.request({ op: 'collect', taskIds: seen });
  return renderList(view, stats);
}
