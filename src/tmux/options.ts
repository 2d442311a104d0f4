// The `tmux` section of the config. Option names follow oh-my-opencode where they mean the same thing.
import { z } from 'zod';
import { DurationSchema } from '../core/duration-schema.js';
import { CONTROL_IDLE_MS } from './control-link.js';

export const BUILTIN_LAYOUTS = ['main-vertical', 'main-horizontal', 'tiled', 'even-horizontal', 'even-vertical'] as const;
export type BuiltinLayoutName = (typeof BUILTIN_LAYOUTS)[number];

export function isBuiltinLayout(name: string): name is BuiltinLayoutName {
  return (BUILTIN_LAYOUTS as readonly string[]).includes(name);
}

const LAYOUT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const TmuxOptionsSchema = z
  .object({
    /** Run agents in tmux panes; false runs them as detached processes. */
    enabled: z.boolean().default(true),
    /** Detached session created when panecrew is launched outside tmux. */
    // tmux expands formats in new-session -s: a '#' would make the created name differ from this one.
    session: z.string().min(1).regex(/^[^#]+$/, 'a session name cannot contain #').default('panecrew'),
    /** A built-in tmux layout or the name of a file in layouts/ (or layouts_dir) without `.yaml`. */
    layout: z
      .string()
      .regex(LAYOUT_NAME_RE, 'a layout name: letters, digits, ".", "_" or "-" (built-ins: ' + BUILTIN_LAYOUTS.join(', ') + ')')
      .default('main-vertical'),
    /** Size of the main pane in % of the window (width for main-vertical, height for main-horizontal). */
    main_pane_size: z.number().int().min(20).max(80).default(60),
    main_pane_min_width: z.number().int().min(1).default(120),
    agent_pane_min_width: z.number().int().min(1).default(40),
    agent_pane_min_height: z.number().int().min(1).default(8),
    /** How long a finished pane stays visible with its banner before it closes. */
    close_delay_ms: DurationSchema.default(3000),
    keep_failed_panes: z.boolean().default(false),
    /** Deadline of one tmux command: a stopped or hung server fails that call instead of wedging every later one. */
    command_timeout_ms: DurationSchema.default(5000),
    /**
     * How long the controller stays attached to a session as a tmux control client after its last
     * pane operation: its tmux commands then cost no process start (control.ts). 0: never attach.
     */
    control_idle_ms: DurationSchema.default(CONTROL_IDLE_MS),
    /** Name of the window that holds agent panes that do not fit in the main window. */
    overflow_window: z.string().min(1).default('panecrew-overflow'),
    /** An extra folder of custom layouts, searched before the shipped ones. */
    layouts_dir: z.string().min(1).optional(),
  })
  .strict();

export type TmuxOptions = z.output<typeof TmuxOptionsSchema>;
export type TmuxOptionsInput = z.input<typeof TmuxOptionsSchema>;
