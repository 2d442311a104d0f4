// The config schema of one agent profile (`agents.<name>`) and of one category or subagent type
// (`categories.<name>`, `subagents.<name>`). Field names are snake_case like the rest of the YAML.
import { z } from 'zod';
import { DurationSchema } from '../core/duration-schema.js';
import { OUTPUT_FORMATS } from './parsers/types.js';
import { placeholdersIn, validateArgvTemplate } from './argv-template.js';
import { INPUT_BOXES, type InputBoxName } from '../tmux/input-boxes.js';

export const PROMPT_VIA = ['argv', 'file', 'stdin'] as const;
export type PromptVia = (typeof PROMPT_VIA)[number];

/** Where an interactive agent's state comes from: its vendor's hooks (an adapter in runner/signals),
 *  or `panecrew` (the agent appends AgentSignal lines to $PANECREW_SIGNALS_FILE itself). An agent
 *  with no signals runs in print mode (`completion: idle` is its stability fallback). claude, codex,
 *  gemini and opencode are run end to end through the controller (test/agents/*-live.test.ts). */
export const SIGNAL_SOURCES = ['claude', 'codex', 'gemini', 'opencode', 'panecrew'] as const;

/** Where an interactive profile's `resume` arguments go: `end`, after the whole command (Claude
 *  Code's `claude … --resume ID`), or `after_executable`, as a subcommand that the command's own
 *  options and prompt follow (Codex's `codex resume ID [OPTIONS] [PROMPT]`). */
export const RESUME_AT = ['end', 'after_executable'] as const;

/** The argv template that reopens a session: the interactive command with `resume` where `resume_at` puts it. */
export function resumeTemplate({ command, resume = [], resume_at = 'end' }: { command: string[]; resume?: string[] | undefined; resume_at?: (typeof RESUME_AT)[number] | undefined }): string[] {
  return resume_at === 'end' ? [...command, ...resume] : [command[0]!, ...resume, ...command.slice(1)];
}

/** One argv element: the runner's files are NUL-separated, and execve takes no NUL. */
const Arg = z.string().regex(/^[^\0]*$/, 'an argument cannot contain a NUL byte');

/** The agent's own TUI in its pane, kept open after its turns (see RunMode in core/task.ts). */
const InteractiveSchema = z.strictObject({
  /** Argv template of the TUI; {prompt} only with `prompt: argv`. */
  command: z.array(Arg).min(1, 'give at least the executable, e.g. [claude]'),
  signals: z.enum(SIGNAL_SOURCES),
  /** How the first prompt arrives: typed into the TUI once it is ready (kept out of `ps`), or argv. */
  prompt: z.enum(['paste', 'argv']).default('paste'),
  /** Added to the command to reopen the agent's conversation ({session_id}): `panecrew resume`. */
  resume: z.array(Arg).min(1).optional(),
  /** Where `resume` goes (see RESUME_AT); absent: `end`. */
  resume_at: z.enum(RESUME_AT).optional(),
  /** How to read the TUI's input box off its screen (tmux/input-boxes.ts): text is typed only once
   *  the box shows, never into what the person has half-typed there. */
  input_box: z.enum(Object.keys(INPUT_BOXES) as [InputBoxName, ...InputBoxName[]]).optional(),
});

const ExitCode = z.number().int().min(1, 'exit code 0 means success; it cannot mean "rate limited"').max(255);

export const ProfileSchema = z
  .strictObject({
    description: z.string().optional(),
    /** Argv template, first element the executable; see argv-template.ts for placeholders. */
    command: z.array(Arg).min(1, 'give at least the executable, e.g. [claude, -p, "{prompt}"]'),
    env: z.record(z.string(), z.string().regex(/^[^\0]*$/, 'a value cannot contain a NUL byte')).optional(),
    output: z.enum(OUTPUT_FORMATS).default('plain'),
    /** Where progress events come from: the agent's output, or tasks/<id>/events.jsonl (builtin). */
    events_from: z.enum(['output', 'events-file']).default('output'),
    /** `exit`: done when the process exits. `idle`: an interactive agent that never exits; done when
     *  its output is stable (and idle_pattern matches the last line, if set). */
    completion: z.enum(['exit', 'idle']).default('exit'),
    /** A regular expression tested against the last non-empty output line, e.g. a prompt. */
    idle_pattern: z.string().optional(),
    /** No sign of life for this long marks a task interrupt; `none` for commands that are quiet by
     *  nature (a build, a test run). Absent: background_task.staleTimeoutMs. */
    stale_timeout: z.union([z.literal('none').transform(() => null), z.null(), DurationSchema]).optional(),
    /** How to install the agent's CLI, shown when a launch finds it missing. */
    install: z.string().optional(),
    /** The agent needs one of these variables (an API key) in its environment to run at all. */
    requires_env_any: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).optional(),
    /** Exit codes meaning "rate limited": the task is requeued with backoff instead of failing. */
    retry_exit_codes: z.array(ExitCode).default([]),
    /** Who bills the task (anthropic, openai, google, local); the concurrency key's first part. */
    provider: z.string().min(1).optional(),
    /** Used when neither the task nor its category names a model. */
    default_model: z.string().min(1).optional(),
    /** How the agent gets the prompt; when absent: argv if the command has {prompt}, file if it has
     *  {prompt_file}, else stdin. */
    prompt_via: z.enum(PROMPT_VIA).optional(),
    /** How to run the agent interactively (the default where the task has a pane). */
    interactive: InteractiveSchema.optional(),
    /** For a command `bash -c {prompt} …`: a prompt that is one simple command (plain words, no
     *  shell syntax, not a builtin) runs without bash, as make runs such a recipe line
     *  (runner/simple-command.ts). */
    direct_exec: z.boolean().default(false),
  })
  .superRefine((p, ctx) => {
    // An empty command was already reported by .min(1).
    for (const issue of p.command.length > 0 ? validateArgvTemplate(p.command) : []) {
      ctx.addIssue({ code: 'custom', path: ['command', issue.index], message: issue.message });
    }
    if (p.idle_pattern !== undefined) {
      try {
        new RegExp(p.idle_pattern);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['idle_pattern'], message: `not a valid regular expression: ${(err as Error).message}` });
      }
    }
    if (p.events_from === 'events-file' && p.output !== 'panecrew-events') {
      ctx.addIssue({ code: 'custom', path: ['events_from'], message: 'an events file holds panecrew events: set output: panecrew-events, or events_from: output' });
    }
    if (p.interactive) {
      const { command, resume = [], resume_at } = p.interactive;
      if (resume_at && !resume.length) {
        ctx.addIssue({ code: 'custom', path: ['interactive', 'resume_at'], message: 'resume_at says where the resume arguments go, and there are none: add resume (e.g. [resume, "{session_id}"]) or remove resume_at' });
      }
      // Checked in the order it runs (an optional element pairs with the one before it there).
      const first = resume_at === 'after_executable' ? 1 : command.length;
      for (const { index, message } of validateArgvTemplate(resumeTemplate(p.interactive))) {
        const inResume = index >= first && index < first + resume.length;
        ctx.addIssue({ code: 'custom', path: ['interactive', inResume ? 'resume' : 'command', inResume ? index - first : index < first ? index : index - resume.length], message });
      }
      const hasPrompt = placeholdersIn(p.interactive.command).has('prompt');
      if (hasPrompt !== (p.interactive.prompt === 'argv')) {
        ctx.addIssue({ code: 'custom', path: ['interactive', 'prompt'], message: hasPrompt ? 'the command has {prompt}: set prompt: argv' : 'prompt is argv but the command has no {prompt} element' });
      }
    }
    for (const name of Object.keys(p.env ?? {})) {
      if (!/^[^=\0]+$/.test(name)) ctx.addIssue({ code: 'custom', path: ['env', name], message: 'a variable name cannot be empty or contain = or a NUL byte' });
    }
    if (p.direct_exec && !runsPromptWithBash(p.command)) {
      ctx.addIssue({ code: 'custom', path: ['direct_exec'], message: 'direct_exec follows the rules of bash -c: the command must be [bash, -c, "{prompt}", …]' });
    }
    const used = placeholdersIn(p.command);
    if (p.prompt_via === 'argv' && !used.has('prompt')) {
      ctx.addIssue({ code: 'custom', path: ['prompt_via'], message: 'prompt_via is argv but the command has no {prompt} element' });
    }
    if (p.prompt_via === 'file' && !used.has('prompt_file')) {
      ctx.addIssue({ code: 'custom', path: ['prompt_via'], message: 'prompt_via is file but the command has no {prompt_file} element' });
    }
  })
  .transform((p) => ({ ...p, prompt_via: p.prompt_via ?? inferPromptVia(p.command) }));

/** A validated profile, defaults filled in and prompt_via resolved. */
export type AgentProfile = z.output<typeof ProfileSchema>;
/** A profile as written in YAML. */
export type AgentProfileInput = z.input<typeof ProfileSchema>;

/** `[bash, -c, {prompt}, …]`, bash by name or by path. */
function runsPromptWithBash([shell = '', flag, script]: readonly string[]): boolean {
  return (shell === 'bash' || shell.endsWith('/bash')) && flag === '-c' && script === '{prompt}';
}

function inferPromptVia(command: readonly string[]): PromptVia {
  const used = placeholdersIn(command);
  if (used.has('prompt')) return 'argv';
  if (used.has('prompt_file')) return 'file';
  return 'stdin';
}

/** A category (`quick`, `deep`, …) or subagent type (`explore`, `oracle`, …): an agent and a model. */
export const CategorySchema = z.strictObject({
  agent: z.string().min(1),
  model: z.string().min(1).optional(),
  /** Put before the task's prompt, separated by a blank line. */
  prompt_prefix: z.string().optional(),
  description: z.string().optional(),
  /** Tasks of this kind work in their own git worktree (`worktree`), or in the launch cwd (`none`). */
  isolation: z.enum(['none', 'worktree']).optional(),
  sandbox: z.enum(['off', 'on', 'offline']).optional(),
});
export type Category = z.output<typeof CategorySchema>;
