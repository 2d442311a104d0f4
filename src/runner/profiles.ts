// Agent profiles: how to start each agent CLI and how to read its output.
//
// Built-in profiles (override any of them under `agents.<name>` in config):
//   name      argv (prompt from: <stdin, F the prompt file)                     output              completion  retry  provider
//   claude    claude -p --output-format stream-json --verbose [--model M] <stdin claude-stream-json  exit        —      anthropic
//   opencode  opencode run --format json [-m provider/model] <stdin            opencode-json       exit        —      (model prefix)
//             (in a pane: its TUI, `opencode [-m provider/model]`, state from a per-task plugin)
//   codex     codex exec --json --sandbox workspace-write --skip-git-repo-check [-m M] - <stdin
//                                                                                codex-json          exit        —      openai
//   aider     aider --message-file=F --yes-always --no-pretty [--model provider/model]
//                                                                                plain               exit        —      (model prefix)
//   gemini    gemini --output-format stream-json --approval-mode auto_edit [-m M] <stdin
//                                                                                gemini-stream-json  exit        —      google
//             (in a pane: its TUI, `gemini [-m M]`, state from its hooks in a per-task system settings file)
//   shell     bash -c P panecrew-task                                            plain               exit        —      local
//   builtin   node panecrew agent --prompt-file F --model M --events D/events.jsonl
//                                                                                panecrew-events     exit        75     anthropic
//
// Why these flags:
//  - The prompt never goes in argv, where every user of the machine reads it with ps: each CLI reads
//    it from standard input (the runner gives it tasks/<id>/stdin, a 0600 file) or from the prompt
//    file. Claude Code's -p, `opencode run`, `codex exec -` and gemini read stdin when given no
//    prompt argument (verified with real runs); aider has --message-file. Only shell keeps it in argv (docs/agents.md).
//  - claude: `-p` is a boolean flag. Claude Code exits 1 on any API failure, rate limit or not, so
//    no exit code is treated as "retry".
//  - opencode 1.18: `-m` wants provider/model, so it gets {model}, not {model_name}.
//  - codex interactive: its hooks (SessionStart included) fire only once a first prompt is submitted,
//    so nothing says when its TUI takes input: the prompt is its positional argument (visible in ps).
//    Reopening is a subcommand, `codex resume ID [OPTIONS] [PROMPT]`: resume_at after_executable.
//  - codex: `codex exec` is read-only by default; workspace-write lets it edit the task's cwd, like the
//    other agents. It refuses to run outside a git repository without --skip-git-repo-check.
//    `--json` prints one JSON event per line on stdout (codex-json parser).
//  - gemini interactive: its SessionStart hook fires as the TUI starts, so the prompt is typed in
//    (kept out of ps); `--resume ID` reopens a session by its id. Its hooks are given through a
//    Gemini home of the task's own (signals/gemini.ts).
//  - gemini: reading piped stdin makes it non-interactive; there a tool that needs approval is
//    refused, and auto_edit approves edits (like codex's workspace-write) but not shell commands.
//  - aider: `--flag=value` so a path starting with "-" stays a value.
//  - shell: the prompt IS the user's own command — the one place user text reaches a shell, because
//    that is what the user asked for. `panecrew-task` becomes $0 in error messages. A prompt that is
//    one simple command (`npm test`) is exec'd without bash (direct_exec; runner/simple-command.ts).
//  - builtin: see src/agent; exit 75 (EX_TEMPFAIL) means the API rate-limited it.
import { z } from 'zod';
import { executableOf, locateExecutable } from './readiness.js';
import { ProfileSchema, type AgentProfile, type AgentProfileInput } from './profile-schema.js';

export const AGENT_NAME_RE = /^[a-z][a-z0-9_-]*$/;

const BUILTIN_INPUTS: Record<string, AgentProfileInput> = {
  claude: {
    description: 'Claude Code: its TUI in the pane, state from its hooks; one-shot (-p, stream-json) elsewhere',
    command: ['claude', '-p', '--output-format', 'stream-json', '--verbose', '--model', '?{model_name}'],
    output: 'claude-stream-json',
    interactive: { command: ['claude', '--model', '?{model_name}'], signals: 'claude', resume: ['--resume', '{session_id}'], input_box: 'claude' },
    provider: 'anthropic',
    install: 'npm install -g @anthropic-ai/claude-code',
  },
  opencode: {
    description: 'OpenCode: its TUI in the pane, state from a per-task plugin; one-shot (opencode run, JSON events) elsewhere',
    command: ['opencode', 'run', '--format', 'json', '-m', '?{model}'],
    output: 'opencode-json',
    interactive: { command: ['opencode', '-m', '?{model}'], signals: 'opencode', resume: ['--session', '{session_id}'], input_box: 'opencode' },
    install: 'npm install -g opencode-ai',
  },
  codex: {
    description: 'OpenAI Codex CLI: its TUI in the pane, state from its hooks; one-shot (codex exec, JSON events) elsewhere; allowed to edit its working directory',
    command: ['codex', 'exec', '--json', '--sandbox', 'workspace-write', '--skip-git-repo-check', '-m', '?{model_name}', '-'],
    output: 'codex-json',
    interactive: { command: ['codex', '--sandbox', 'workspace-write', '-m', '?{model_name}', '{prompt}'], signals: 'codex', prompt: 'argv', resume: ['resume', '{session_id}'], resume_at: 'after_executable', input_box: 'codex' },
    provider: 'openai',
    install: 'npm install -g @openai/codex',
  },
  aider: {
    description: 'Aider, one message then exit, every confirmation answered yes',
    command: ['aider', '--message-file={prompt_file}', '--yes-always', '--no-pretty', '--model', '?{model}'],
    output: 'plain',
    install: 'pipx install aider-chat',
  },
  gemini: {
    description: 'Gemini CLI: its TUI in the pane, state from its hooks; one-shot (prompt on stdin, JSON events, allowed to edit files) elsewhere',
    command: ['gemini', '--output-format', 'stream-json', '--approval-mode', 'auto_edit', '-m', '?{model_name}'],
    output: 'gemini-stream-json',
    interactive: { command: ['gemini', '-m', '?{model_name}'], signals: 'gemini', resume: ['--resume', '{session_id}'], input_box: 'gemini' },
    provider: 'google',
    install: 'npm install -g @google/gemini-cli',
  },
  shell: {
    description: 'Your own shell command (the task prompt), run with bash -c (one simple command runs without bash)',
    command: ['bash', '-c', '{prompt}', 'panecrew-task'],
    direct_exec: true,
    output: 'plain',
    provider: 'local',
    // A quiet build or test run is normal: a command is judged by its exit, not its silence.
    stale_timeout: 'none',
  },
  builtin: {
    description: "panecrew's built-in read-only agent (Anthropic API)",
    command: ['{node}', '{panecrew}', 'agent', '--prompt-file', '{prompt_file}', '--model', '{model_name}', '--events', '{task_dir}/events.jsonl'],
    output: 'panecrew-events',
    events_from: 'events-file',
    retry_exit_codes: [75],
    provider: 'anthropic',
    default_model: 'anthropic/claude-haiku-4-5',
    requires_env_any: ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'],
  },
};

function freezeProfile(p: AgentProfile): AgentProfile {
  Object.freeze(p.command);
  Object.freeze(p.retry_exit_codes);
  if (p.env) Object.freeze(p.env);
  return Object.freeze(p);
}

/** The built-in profiles, validated by the same schema as user profiles. */
export const BUILTIN_PROFILES: Readonly<Record<string, AgentProfile>> = Object.freeze(
  Object.fromEntries(Object.entries(BUILTIN_INPUTS).map(([name, input]) => [name, freezeProfile(ProfileSchema.parse(input))])),
);

export class ProfileConfigError extends Error {
  override name = 'ProfileConfigError';
  constructor(readonly issues: string[]) {
    super(`invalid agent profile${issues.length > 1 ? 's' : ''}:\n  ${issues.join('\n  ')}`);
  }
}

/** "agents.mine.command.2: unknown placeholder {modle} …" */
export function formatIssues(prefix: string, error: z.ZodError): string[] {
  return error.issues.map((i) => `${[prefix, ...i.path.map(String)].join('.')}: ${i.message}`);
}

/**
 * User profiles over the built-ins. A user profile with a built-in's name REPLACES it entirely (no
 * field-by-field merge: a half-inherited command line is harder to reason about than a full one).
 * Throws ProfileConfigError listing every bad profile.
 */
export function resolveProfiles(userAgents: Record<string, unknown> = {}): Record<string, AgentProfile> {
  const profiles: Record<string, AgentProfile> = { ...BUILTIN_PROFILES };
  const issues: string[] = [];
  for (const [name, raw] of Object.entries(userAgents)) {
    if (!AGENT_NAME_RE.test(name)) {
      issues.push(`agents.${name}: agent names are lowercase letters, digits, - and _, starting with a letter`);
      continue;
    }
    const parsed = ProfileSchema.safeParse(raw);
    if (parsed.success) profiles[name] = parsed.data;
    else issues.push(...formatIssues(`agents.${name}`, parsed.error));
  }
  if (issues.length > 0) throw new ProfileConfigError(issues);
  return profiles;
}

export interface InstalledCheck {
  installed: boolean;
  /** The executable as the template names it, after {node}/{panecrew}. */
  executable: string;
  /** Where it was found. */
  path?: string;
}

/**
 * Whether the profile's executable exists: a name is looked up on PATH the way execvp would, a path
 * is checked directly. No shell, no process started.
 */
export async function installedCheck(profile: Pick<AgentProfile, 'command'>, env: NodeJS.ProcessEnv = process.env): Promise<InstalledCheck> {
  const executable = executableOf(profile) ?? profile.command[0] ?? '';
  const found = executableOf(profile) ? locateExecutable(executable, env.PATH) : null;
  return found ? { installed: true, executable, path: found } : { installed: false, executable };
}
