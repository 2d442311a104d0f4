import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { captureEnv, originFromEnv } from '../../controller/launch-env.js';
import { defaultIsolation } from '../../config/isolation.js';
import { loadLaunchConfig, type LaunchConfig } from '../../config/launch-config.js';
import type { LaunchSpec, ListedTask } from '../../controller/protocol.js';
import { defineVerb, EXIT, printJson, UsageError, withClient, type Context } from '../command.js';
import { durationOption } from '../duration-option.js';
import { SUMMARY } from '../summaries.js';
import { inert } from '../../render/inert.js';

function readPrompt(values: Record<string, unknown>, positionals: string[], ctx: Context): string {
  const sources = [values.prompt !== undefined, values['prompt-file'] !== undefined, positionals.length > 0].filter(Boolean).length;
  if (sources > 1) throw new UsageError('give the prompt one way: --prompt TEXT, --prompt-file FILE, or - to read standard input');
  if (typeof values.prompt === 'string') return values.prompt;
  if (typeof values['prompt-file'] === 'string') {
    const file = resolve(ctx.cwd, values['prompt-file']);
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`--prompt-file ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  }
  if (positionals.length === 1 && positionals[0] === '-') return readFileSync(0, 'utf8');
  if (positionals.length) return positionals.join(' ');
  throw new UsageError('no prompt: use --prompt TEXT, --prompt-file FILE, or - to read it from standard input');
}

/** The config launch reads (cached: config/launch-config.ts), its warnings said on stderr. */
async function launchConfig(ctx: Context): Promise<LaunchConfig> {
  const { config, warnings } = await loadLaunchConfig(ctx.cwd, ctx.env);
  for (const w of warnings) ctx.err(`panecrew launch: warning: ${inert(w)}`);
  return config;
}

export default defineVerb({
  name: 'launch',
  summary: SUMMARY.launch,
  usage: 'launch [--prompt T | --prompt-file F | - | TEXT...] [options]',
  help: `
Options:
  --prompt TEXT          the task's prompt
  --prompt-file FILE     read the prompt from FILE
  -                      read the prompt from standard input
  --agent NAME           agent profile (see: panecrew agents); default from config defaults.agent
  --category NAME        a task kind mapping to an agent and model (quick, deep, research, ...)
  --subagent NAME        a subagent type (explore, librarian, oracle) or an agent profile name
  --model P/M            model as provider/model, e.g. anthropic/claude-sonnet-4-5
  --key K                concurrency key (default: the model, else <provider>/<agent>)
  --class NAME           task class (e2e, build, ...): its classConcurrency limit holds too
  --title T              a short title (default: the prompt's first line)
  --cwd DIR              working directory (default: the current one)
  --priority N           1-10, higher starts first (default 5)
  --after ID             wait for task ID to complete first (repeatable)
  --placement P          auto | pane | window | headless (default auto: a pane when in tmux)
  --mode M               interactive | print | auto (default auto: the agent's own TUI in its pane,
                         open after its turn for \`panecrew send\`, where its profile has one and the
                         task has a pane; else one-shot with its output rendered)
  --timeout DUR          end the task as error after DUR (90s, 5m, 2h, 250ms; a bare number is seconds)
  --stale-timeout DUR    mark it interrupt after DUR with no sign of life; none: never
                         (default: its agent profile's, else background_task.staleTimeoutMs)
  --worktree             work in a new git worktree of the repository holding the cwd, on a new
                         branch (panecrew/<id>); worktree.copy/link/setup prepare it. Default:
                         isolation of the category or subagent type, else defaults.isolation
  --no-worktree          work in the cwd itself, whatever the defaults say
  --branch NAME          the worktree's branch (must not exist yet)
  --base REF             the commit the branch starts from (default: this checkout's HEAD); a task
                         id given with --after: start from that task's branch once it has ended
  --sandbox              run the agent under bubblewrap: it may write only its worktree (or cwd), its
                         task folder, a private /tmp and its CLI's state folder (default: the
                         category's sandbox, else defaults.sandbox)
  --offline              --sandbox without network (also --sandbox=offline)
  --json                 print the task as JSON instead of its id
  --batch FILE|-         launch many tasks in one request, all or nothing: one JSON object per line
                         with the fields a launch takes (or what \`launch --json\` printed): prompt,
                         agent, category, model, key, title, cwd, priority, placement, mode,
                         timeoutMs, ...; "ref" names a task so that another line's "after" can
                         name it. Prints the ids, one per line (--json: the tasks). Other options
                         are not used with --batch.

The task runs with this shell's environment. Exit codes: 0 queued, 2 bad arguments or config,
3 controller unreachable or refused.`,
  options: {
    prompt: { type: 'string' },
    'prompt-file': { type: 'string' },
    agent: { type: 'string' },
    category: { type: 'string' },
    subagent: { type: 'string' },
    model: { type: 'string' },
    key: { type: 'string' },
    class: { type: 'string' },
    title: { type: 'string' },
    cwd: { type: 'string' },
    priority: { type: 'string' },
    after: { type: 'string', multiple: true },
    placement: { type: 'string' },
    mode: { type: 'string' },
    timeout: { type: 'string' },
    'stale-timeout': { type: 'string' },
    worktree: { type: 'boolean' },
    'no-worktree': { type: 'boolean' },
    branch: { type: 'string' },
    base: { type: 'string' },
    sandbox: { type: 'boolean' },
    offline: { type: 'boolean' },
    json: { type: 'boolean' },
    batch: { type: 'string' },
  },
  allowPositionals: true,
  aliases: { '--sandbox=offline': ['--offline'], '--sandbox=on': ['--sandbox'] },
  async run({ values, positionals }, ctx) {
    if (typeof values.batch === 'string') return launchBatch(values.batch, Boolean(values.json), positionals, ctx);
    const prompt = readPrompt(values, positionals, ctx);
    const str = (k: string) => values[k] as string | undefined;
    const duration = (name: string): number | undefined => (str(name) === undefined ? undefined : durationOption(`--${name}`, str(name)!));
    const timeoutMs = duration('timeout');
    const staleTimeoutMs = str('stale-timeout') === 'none' ? null : duration('stale-timeout');
    let priority: number | undefined;
    if (str('priority') !== undefined) {
      priority = Number(str('priority'));
      if (!Number.isInteger(priority) || priority < 1 || priority > 10) throw new UsageError(`--priority ${str('priority')}: expected a whole number from 1 to 10`);
    }
    // The project's .panecrew.yaml sets launch defaults for tasks launched from inside it (what runs
    // only once its folder is trusted: the warning says what was ignored and how to trust it).
    const config = await launchConfig(ctx);
    const spec: LaunchSpec = {
      prompt,
      agent: str('agent') ?? (str('category') || str('subagent') ? undefined : config.defaults.agent),
      category: str('category'),
      subagentType: str('subagent'),
      model: str('model'),
      key: str('key'),
      taskClass: str('class'),
      title: str('title'),
      cwd: resolve(ctx.cwd, str('cwd') ?? '.'),
      priority: priority ?? config.defaults.priority,
      after: (values.after as string[] | undefined) ?? [],
      placement: (str('placement') as LaunchSpec['placement']) ?? config.defaults.placement,
      mode: str('mode') as LaunchSpec['mode'],
      timeoutMs,
      staleTimeoutMs,
      env: captureEnv(ctx.env),
      origin: originFromEnv(ctx.env),
      isolation: values.worktree ? 'worktree' : values['no-worktree'] ? 'none' : defaultIsolation(config, str('category'), str('subagent')),
      worktree: { branch: str('branch'), base: str('base'), ...config.worktree },
      sandbox: values.offline ? 'offline' : values.sandbox ? 'on' : undefined,
    };
    if (values.worktree && values['no-worktree']) throw new UsageError('--worktree and --no-worktree contradict each other: give one');
    const task = await withClient(ctx, (c) => c.request({ op: 'launch', spec }));
    for (const note of task.workspace?.notes ?? []) ctx.err(`panecrew launch: note: ${inert(note)}`);
    if (values.json) printJson(ctx, task);
    else ctx.out(task.id);
    return EXIT.ok;
  },
});

async function launchBatch(file: string, json: boolean, positionals: string[], ctx: Context): Promise<number> {
  if (positionals.length) throw new UsageError('--batch reads the prompts from its file: give no other prompt');
  const path = file === '-' ? '-' : resolve(ctx.cwd, file);
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    throw new UsageError(`--batch ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const config = await launchConfig(ctx);
  // The batch's schema (zod) only for a batch: a single launch loads none.
  const { parseBatchLines } = await import('../batch-lines.js');
  const defaults = { cwd: ctx.cwd, agent: config.defaults.agent, priority: config.defaults.priority, placement: config.defaults.placement };
  const tasks = parseBatchLines(text, path === '-' ? 'standard input' : path, defaults);
  const launched = await withClient(ctx, (c) => c.request({ op: 'launch-batch', tasks, env: captureEnv(ctx.env), origin: originFromEnv(ctx.env) }));
  if (json) printJson(ctx, launched);
  else ctx.out(launched.map((t) => t.id).join('\n'));
  return EXIT.ok;
}
