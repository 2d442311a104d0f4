// The `notification` config section: which task events notify, how often, and through which channels.
import { z } from 'zod';
import { DurationSchema } from '../core/duration-schema.js';

export const NOTIFICATION_STRATEGIES = ['silent', 'completion', 'milestone', 'verbose'] as const;
export type NotificationStrategy = (typeof NOTIFICATION_STRATEGIES)[number];

export const URGENCIES = ['low', 'normal', 'critical'] as const;

/** Placeholders the `command` channel substitutes inside each argv element. */
export const COMMAND_PLACEHOLDERS = ['id', 'title', 'agent', 'state', 'duration', 'summary', 'reason'] as const;
export type CommandPlaceholder = (typeof COMMAND_PLACEHOLDERS)[number];
/** `{word}` in an argv element; anything else with braces (JSON, `{}`) is left alone. */
export const PLACEHOLDER_RE = /\{([a-z_]+)\}/g;

const EventsSchema = z
  .object({
    completed: z.boolean().default(true),
    error: z.boolean().default(true),
    interrupt: z.boolean().default(true),
    cancelled: z.boolean().default(false),
    /** An interactive agent asks the person something (a permission prompt). */
    waiting: z.boolean().default(true),
  })
  .strict();

const DesktopSchema = z
  .object({
    enabled: z.boolean().default(true),
    sound: z.boolean().default(false),
    urgency_on_error: z.enum(URGENCIES).default('critical'),
  })
  .strict();

const TmuxSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** How long the message stays on the status line of each attached client. */
    duration_ms: DurationSchema.default(4000),
  })
  .strict();

const BellSchema = z.object({ enabled: z.boolean().default(true) }).strict();

const CommandSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Program and arguments, run without a shell; placeholders are replaced inside each element. */
    argv: z
      .array(z.string())
      .default([])
      .superRefine((argv, ctx) => {
        argv.forEach((arg, i) => {
          for (const m of arg.matchAll(PLACEHOLDER_RE)) {
            if (!(COMMAND_PLACEHOLDERS as readonly string[]).includes(m[1]!)) {
              ctx.addIssue({
                code: 'custom',
                path: [i],
                message: `unknown placeholder {${m[1]}}; known ones are ${COMMAND_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`,
              });
            }
          }
        });
      }),
    /** A hook that runs longer than this is killed, so it cannot pile up. */
    timeout_ms: DurationSchema.default(10_000),
  })
  .strict()
  .refine((c) => !c.enabled || c.argv.length > 0, {
    message: 'notification.command.enabled is true but notification.command.argv is empty; give the program and its arguments, e.g. ["notify-hook", "{id}", "{state}"]',
    path: ['argv'],
  });

export const NotificationOptionsSchema = z
  .object({
    strategy: z.enum(NOTIFICATION_STRATEGIES).default('completion'),
    /** Which endings notify. */
    events: EventsSchema.prefault({}),
    /** Minimum time between two notifications; what arrives in between is batched into the next. */
    throttle_ms: DurationSchema.default(2000),
    /** Endings within this window of the first one become one notification. */
    batch_window_ms: DurationSchema.default(1500),
    /** `milestone` notifies each time progress crosses a multiple of this many percent. */
    min_progress_delta: z.number().int().min(1).max(100).default(25),
    /** Say so when the last running task of a launching pane ends. */
    all_done: z.boolean().default(true),
    desktop: DesktopSchema.prefault({}),
    tmux: TmuxSchema.prefault({}),
    bell: BellSchema.prefault({}),
    command: CommandSchema.prefault({}),
  })
  .strict();

export type NotificationOptions = z.output<typeof NotificationOptionsSchema>;
/** What a config file may contain: every field optional, durations as text or numbers. */
export type NotificationOptionsInput = z.input<typeof NotificationOptionsSchema>;
