// The whole configuration, validated with zod. Each part that owns options exports its own section schema.
import { z } from 'zod';
import { DurationSchema } from '../core/duration-schema.js';
import { TmuxOptionsSchema } from '../tmux/options.js';
import { NotificationOptionsSchema } from '../notify/options.js';
import { ProfileSchema, CategorySchema } from '../runner/profile-schema.js';
import { ISOLATIONS, SANDBOXES, WorktreeOptionsSchema } from '../worktree/options.js';

const Percent = z.number().min(1).max(100);
const Limit = z.number().int().min(0, 'a concurrency limit is 0 (unlimited) or more');

/** Peak RSS expected of an agent never measured here (MB): Node CLIs with a model's context take hundreds. */
const DEFAULT_RSS_MB = { claude: 600, opencode: 500, codex: 400, gemini: 500, aider: 300, builtin: 150, shell: 20 };

export const BackgroundTaskSchema = z
  .object({
    defaultConcurrency: Limit.default(5),
    providerConcurrency: z.record(z.string(), Limit).default({}),
    modelConcurrency: z.record(z.string(), Limit).default({}),
    maxConcurrentTasks: Limit.default(16),
    classConcurrency: z.record(z.string().regex(/^[^\s\0]+$/, 'a task class has no spaces'), Limit).default({ e2e: 1, build: 2 }),
    priorityAgingMs: DurationSchema.default(10_000),
    staleTimeoutMs: DurationSchema.default(180_000),
    stabilityMs: DurationSchema.default(10_000),
    /** An interactive agent stays open in its pane this long after its last turn, for a follow-up. */
    keepOpenMs: DurationSchema.default(30 * 60_000),
    defaultTimeoutMs: DurationSchema.nullable().default(null),
    killGraceMs: DurationSchema.default(5_000),
    retentionMs: DurationSchema.default(7 * 86_400_000),
    outputLogMaxBytes: z
      .number()
      .int()
      .refine((n) => n === 0 || n >= 65_536, 'outputLogMaxBytes is 0 (no cap) or at least 65536 bytes')
      .default(8 * 1024 * 1024),
    resourceGate: z
      .object({
        enabled: z.boolean().default(true),
        cpuPercent: Percent.default(70),
        memoryPercent: Percent.default(85),
        minRunning: z.number().int().min(0).default(1),
        expectedRssMb: z.record(z.string(), z.number().int().min(0)).default(DEFAULT_RSS_MB),
        defaultRssMb: z.number().int().min(0).default(500),
      })
      .strict()
      .default({ enabled: true, cpuPercent: 70, memoryPercent: 85, minRunning: 1, expectedRssMb: DEFAULT_RSS_MB, defaultRssMb: 500 }),
    retry: z
      .object({
        attempts: z.number().int().min(1).max(20).default(3),
        backoffMs: DurationSchema.default(5_000),
        maxBackoffMs: DurationSchema.default(300_000),
        factor: z.number().min(1).max(10).default(2),
      })
      .strict()
      .default({ attempts: 3, backoffMs: 5_000, maxBackoffMs: 300_000, factor: 2 }),
  })
  .strict();

export const DefaultsSchema = z
  .object({
    agent: z.string().min(1).default('auto'),
    placement: z.enum(['auto', 'pane', 'window', 'headless']).default('auto'),
    priority: z.number().int().min(1).max(10).default(5),
    /** `worktree`: each task in its own git worktree (launch --no-worktree overrides). */
    isolation: z.enum(ISOLATIONS).default('none'),
    /** Run agents under bubblewrap (launch --sandbox[=offline]). */
    sandbox: z.enum(['off', ...SANDBOXES]).default('off'),
  })
  .strict();

/** A socket deadline: at least a second (a client on a busy machine needs that much), at most a day
 *  (the sweep timer's interval must stay under Node's 2^31 ms). */
const SocketDeadline = DurationSchema.refine((ms) => ms >= 1_000 && ms <= 86_400_000, 'a duration from 1s to 24h');

/** What one client may hold of the controller's socket (controller/socket-limits.ts applies it). */
export const SocketSchema = z
  .object({
    max_connections: z.number().int().min(1, 'at least 1 connection').max(65_536, 'at most 65536 connections').default(256),
    idle_timeout_ms: SocketDeadline.default(10 * 60_000),
    request_timeout_ms: SocketDeadline.default(30_000),
  })
  .strict();

export const ConfigSchema = z
  .object({
    background_task: BackgroundTaskSchema.default(BackgroundTaskSchema.parse({})),
    defaults: DefaultsSchema.default(DefaultsSchema.parse({})),
    tmux: TmuxOptionsSchema.default(TmuxOptionsSchema.parse({})),
    notification: NotificationOptionsSchema.default(NotificationOptionsSchema.parse({})),
    socket: SocketSchema.default(SocketSchema.parse({})),
    agents: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'agent names are lowercase letters, digits, - and _'), ProfileSchema).default({}),
    categories: z.record(z.string(), CategorySchema).default({}),
    subagents: z.record(z.string(), CategorySchema).default({}),
    worktree: WorktreeOptionsSchema.default(WorktreeOptionsSchema.parse({})),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type BackgroundTaskOptions = Config['background_task'];
export type SocketOptions = Config['socket'];
