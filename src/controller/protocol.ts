// The socket protocol: one JSON object per line each way. Every request is validated here, at the boundary.
import { z } from 'zod';
import { PlanRefSchema, REQUESTED_PLACEMENTS, RUN_MODES, TaskIdSchema, type ListedTask } from '../core/task.js';
import type { ChannelHealth, ChannelReport } from '../notify/notification.js';
import type { Config } from '../config/schema.js';
import type { ReloadResult } from './reload.js';
import { ISOLATIONS, SANDBOXES, WorktreeOptionsSchema } from '../worktree/options.js';
import { SessionIdSchema } from './deliveries.js';
import type { ErrorCode } from './server-message.js';

/** Requests larger than this are refused before parsing. */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

const EnvSchema = z
  .record(z.string().regex(/^[^=\0]+$/, 'environment variable names cannot contain = or NUL'), z.string().regex(/^[^\0]*$/, 'environment values cannot contain NUL'))
  .refine((env) => Object.keys(env).length <= 10_000, 'too many environment variables');

export const LaunchSpecSchema = z
  .object({
    prompt: z.string().min(1, 'the prompt is empty').max(1_000_000, 'the prompt is over 1 MB').regex(/^[^\0]*$/, 'the prompt contains a NUL byte'),
    agent: z.string().min(1).max(64).optional(),
    category: z.string().min(1).max(64).optional(),
    subagentType: z.string().min(1).max(64).optional(),
    model: z
      .string()
      .regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._:@/-]+$/, 'a model is provider/model, e.g. anthropic/claude-sonnet-4-5')
      .optional(),
    key: z.string().min(1).max(200).regex(/^[^\s\0]+$/, 'a concurrency key has no spaces').optional(),
    taskClass: z.string().min(1).max(200).regex(/^[^\s\0]+$/, 'a task class has no spaces').optional(),
    title: z.string().max(200).regex(/^[^\0\n]*$/, 'a title is one line').optional(),
    cwd: z.string().startsWith('/', 'cwd must be an absolute path'),
    priority: z.number().int().min(1).max(10).optional(),
    after: z.array(TaskIdSchema).max(100).default([]),
    placement: z.enum(REQUESTED_PLACEMENTS).optional(),
    /** interactive: the agent's own TUI in its pane, open after its turn; print: one-shot. */
    mode: z.enum(RUN_MODES).optional(),
    timeoutMs: z.number().int().positive().nullable().optional(),
    /** No sign of life for this long marks the task interrupt; null: never; absent: its profile's. */
    staleTimeoutMs: z.number().int().positive().nullable().optional(),
    env: EnvSchema.default({}),
    /** `worktree`: the task works in its own git worktree; absent: its category's, else the configured default. */
    isolation: z.enum(ISOLATIONS).optional(),
    worktree: z
      .strictObject({
        branch: z.string().min(1).max(200).optional(),
        /** A ref, or the id of a task in `after`: start from that task's branch. */
        base: z.string().min(1).max(200).regex(/^[^\0\s]+$/, 'a base is a ref or a task id').optional(),
      })
      .merge(WorktreeOptionsSchema.partial())
      .optional(),
    sandbox: z.enum(['off', ...SANDBOXES]).optional(),
    origin: z
      .object({
        tmuxSocket: z.string().startsWith('/').optional(),
        tmuxPane: z.string().regex(/^%\d+$/, 'a tmux pane id looks like %12').optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
export type LaunchSpec = z.infer<typeof LaunchSpecSchema>;

/** A name a batch gives one of its tasks, so that others of the batch can wait for it. */
const BatchRef = z.string().min(1).max(200).regex(/^[^\s\0]+$/, 'a batch ref has no spaces');
/** One task of a batch: a launch spec (environment and origin are the batch's), `after` naming
 *  existing task ids or refs of the same batch. */
export const BatchItemSchema = LaunchSpecSchema.omit({ env: true, origin: true, after: true })
  .extend({ ref: BatchRef.optional(), after: z.array(z.union([TaskIdSchema, BatchRef])).max(1_000).default([]), plan: PlanRefSchema.optional() })
  .strict();
export type BatchItem = z.infer<typeof BatchItemSchema>;
export const MAX_BATCH_TASKS = 10_000;

const Ids = z.array(TaskIdSchema).min(1).max(10_000);
/** Text typed into an interactive agent, as the person would type it. */
const FollowUp = z.string().min(1, 'give the text to send').max(65_536).regex(/^[^\0]*$/, 'the text has a NUL character');

export const RequestSchema = z.discriminatedUnion('op', [
  z.object({ id: z.number(), op: z.literal('ping') }).strict(),
  z.object({ id: z.number(), op: z.literal('launch'), spec: LaunchSpecSchema }).strict(),
  /** Many tasks, all or nothing, in one journal entry. */
  z.object({ id: z.number(), op: z.literal('launch-batch'), tasks: z.array(BatchItemSchema).min(1, 'the batch is empty').max(MAX_BATCH_TASKS), env: EnvSchema.default({}), origin: LaunchSpecSchema.shape.origin }).strict(),
  z.object({ id: z.number(), op: z.literal('list'), all: z.boolean().default(false) }).strict(),
  z.object({ id: z.number(), op: z.literal('get'), taskId: TaskIdSchema }).strict(),
  z
    .object({
      id: z.number(),
      op: z.literal('output'),
      taskId: TaskIdSchema,
      offset: z.number().int().min(0).default(0),
      /** Read the last `tail` bytes instead of from `offset` (starts at a character boundary). */
      tail: z.number().int().positive().max(16_777_216).optional(),
      maxBytes: z.number().int().positive().max(16_777_216).default(1_048_576),
    })
    .strict(),
  z.object({ id: z.number(), op: z.literal('result'), taskId: TaskIdSchema, collect: z.boolean().default(false) }).strict(),
  z.object({ id: z.number(), op: z.literal('cancel'), taskIds: Ids.optional(), all: z.boolean().default(false) }).strict(),
  z.object({ id: z.number(), op: z.literal('relaunch'), taskId: TaskIdSchema }).strict(),
  z.object({ id: z.number(), op: z.literal('focus'), taskId: TaskIdSchema }).strict(),
  /** A follow-up for an interactive agent, typed into its input. */
  z.object({ id: z.number(), op: z.literal('send'), taskId: TaskIdSchema, text: FollowUp }).strict(),
  /** Reopens a closed interactive agent in its conversation with a follow-up. */
  z.object({ id: z.number(), op: z.literal('resume'), taskId: TaskIdSchema, text: FollowUp }).strict(),
  /** Ends an interactive agent open after its turn (the task keeps its result). */
  z.object({ id: z.number(), op: z.literal('close'), taskId: TaskIdSchema }).strict(),
  z.object({ id: z.number(), op: z.literal('prune'), olderThanMs: z.number().int().min(0).optional() }).strict(),
  z.object({ id: z.number(), op: z.literal('uncollected'), origin: z.string().optional(), mark: z.boolean().default(true) }).strict(),
  /** Marks ended tasks read by the main agent (shown by background_list): no path tells them again. */
  z.object({ id: z.number(), op: z.literal('collect'), taskIds: Ids }).strict(),
  /** Takes, for a main agent's session, every ending not told to it yet (recorded before the answer). */
  z
    .object({
      id: z.number(),
      op: z.literal('claim'),
      session: SessionIdSchema,
      pane: z.string().max(64).optional(),
      link: z.array(TaskIdSchema).max(100).default([]),
      take: z.boolean().default(true),
      /** A wake (the waiter, the plugin): follows the notification strategy. Without it (a person's prompt asked) every ending is taken. */
      wake: z.boolean().default(false),
    })
    .strict(),
  z.object({ id: z.number(), op: z.literal('stats') }).strict(),
  z.object({ id: z.number(), op: z.literal('health') }).strict(),
  z
    .object({
      id: z.number(),
      op: z.literal('notify-test'),
      origin: z.object({ tmuxSocket: z.string().startsWith('/').optional(), tmuxPane: z.string().regex(/^%\d+$/).optional() }).strict().default({}),
    })
    .strict(),
  z.object({ id: z.number(), op: z.literal('subscribe') }).strict(),
  z.object({ id: z.number(), op: z.literal('shutdown') }).strict(),
  /** Reads the configuration files again and applies what can change live. */
  z.object({ id: z.number(), op: z.literal('reload') }).strict(),
  /** The configuration the running controller uses, and its last reload. */
  z.object({ id: z.number(), op: z.literal('config') }).strict(),
]);
export type Request = z.infer<typeof RequestSchema>;
export type Op = Request['op'];
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** What a caller sends: the request without its id; defaults are filled in by the server. */
export type RequestInput = DistributiveOmit<z.input<typeof RequestSchema>, 'id'>;

export { ERROR_CODES, type ErrorCode, type ServerEvent, type ServerMessage } from './server-message.js';

export interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { code: ErrorCode; message: string };
}

/** A pending task as listed, with why it waits. */
export type { ListedTask };

export interface KeyStats {
  key: string;
  running: number;
  pending: number;
  limit: number;
  limitSource: string;
}

export interface Stats {
  pid: number;
  uptimeMs: number;
  running: number;
  pending: number;
  globalCap: number;
  gate: { enabled: boolean; open: boolean; detail: string };
  keys: KeyStats[];
  rssBytes: number;
}


/** What `output` answers: the text between byte `from` and byte `offset` (the next read's start) of output.log. */
export interface OutputChunk {
  text: string;
  from: number;
  offset: number;
  /** Size of output.log when it was read. */
  size: number;
  /** The task has ended and nothing follows `offset`. */
  final: boolean;
}

/** What each op answers: `client.request({ op })` resolves to `Results[op]`. */
export interface Results {
  ping: { pid: number; home: string };
  launch: ListedTask;
  'launch-batch': ListedTask[];
  list: ListedTask[];
  get: ListedTask;
  output: OutputChunk;
  result: { task: ListedTask; result: string | null };
  cancel: ListedTask[];
  relaunch: ListedTask;
  focus: ListedTask;
  /** `confirmed`: the agent said it took the text (its prompt-submitted signal) within 10 s;
   *  `queued`: the person has half-typed text in its input, and the text waits until that is gone. */
  send: { task: ListedTask; outcome: 'confirmed' | 'unconfirmed' | 'queued' };
  close: ListedTask;
  resume: ListedTask;
  prune: { removed: string[] };
  uncollected: ListedTask[];
  /** The ids newly marked read. */
  collect: { collected: string[] };
  /** `strategy`: the notification strategy, which the main agent's notices follow too. */
  claim: { tasks: ListedTask[]; milestones: Array<{ task: ListedTask; percent: number }>; active: number; strategy: string };
  stats: Stats;
  health: { notifications: ChannelHealth[]; stats: Stats; journal: { problems: string[]; quarantineFile: string | null } };
  'notify-test': ChannelReport[];
  subscribe: { subscribed: true; stats: Stats };
  shutdown: { stopping: true };
  reload: ReloadResult;
  config: { pid: number; config: Config; lastReload: ReloadResult | null };
}
/** The request for one op, as a caller writes it (`RequestFor<'get'>` = `{ op: 'get', taskId }`). */
export type RequestFor<O extends Op> = RequestInput & { op: O };

export class RequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A zod error as one readable line: `field: message; other: message`. */
export function formatZodError(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.join('.');
      if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}${path ? ` in ${path}` : ''}`;
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}
