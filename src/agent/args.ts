import fs from 'node:fs';
import path from 'node:path';

export const DEFAULT_MODEL = 'claude-haiku-4-5';

export interface AgentOptions {
  prompt: string;
  model: string;
  cwd: string;
  maxTurns: number;
  maxTokens: number;
  tokenBudget: number;
  maxRetries: number;
  eventsFile: string | undefined;
  resultFile: string | undefined;
  system: string | undefined;
}

export const USAGE = `usage: panecrew agent (--prompt TEXT | --prompt-file FILE) [options]
  --model M           model id (default ${DEFAULT_MODEL})
  --cwd DIR           folder the read-only tools are confined to (default: current folder)
  --max-turns N       model responses before stopping (default 12)
  --max-tokens N      output tokens per response (default 4096)
  --token-budget N    total input+output tokens before stopping (default 200000)
  --max-retries N     retries on 429/529/5xx/connection errors, with backoff (default 2)
  --events FILE       JSON-lines events file (default $PANECREW_EVENTS_FILE)
  --result FILE       final answer file (default $PANECREW_RESULT_FILE)
  --system TEXT       system prompt
env: ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN), optional ANTHROPIC_BASE_URL, NO_COLOR`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const VALUE_FLAGS = new Set([
  '--prompt',
  '--prompt-file',
  '--model',
  '--cwd',
  '--max-turns',
  '--max-tokens',
  '--token-budget',
  '--max-retries',
  '--events',
  '--result',
  '--system',
]);

function integer(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag} needs an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Parses the agent's argv (`--flag value` or `--flag=value`). Throws UsageError with a message for people. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv, defaultCwd = process.cwd()): AgentOptions {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_FLAGS.has(flag)) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    let value: string | undefined;
    if (flag !== arg) value = arg.slice(eq + 1);
    else value = argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    values.set(flag, value);
  }

  const cwd = path.resolve(defaultCwd, values.get('--cwd') ?? '.');
  if (!fs.existsSync(cwd) || !fs.statSync(cwd).isDirectory()) throw new UsageError(`--cwd ${cwd} is not a directory`);

  let prompt = values.get('--prompt');
  const promptFile = values.get('--prompt-file');
  if (prompt !== undefined && promptFile !== undefined) throw new UsageError('give --prompt or --prompt-file, not both');
  if (promptFile !== undefined) {
    try {
      prompt = fs.readFileSync(path.resolve(defaultCwd, promptFile), 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --prompt-file ${promptFile}: ${(err as Error).message}`);
    }
  }
  if (prompt === undefined || prompt.trim() === '') throw new UsageError('a prompt is required: --prompt TEXT or --prompt-file FILE');

  // Relative events/result paths are taken from where the agent was started, not from --cwd.
  const file = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : path.resolve(defaultCwd, v));
  return {
    prompt,
    model: values.get('--model') ?? DEFAULT_MODEL,
    cwd,
    maxTurns: integer('--max-turns', values.get('--max-turns') ?? '12', 1),
    maxTokens: integer('--max-tokens', values.get('--max-tokens') ?? '4096', 1),
    tokenBudget: integer('--token-budget', values.get('--token-budget') ?? '200000', 1),
    maxRetries: integer('--max-retries', values.get('--max-retries') ?? '2', 0),
    eventsFile: file(values.get('--events') ?? env.PANECREW_EVENTS_FILE),
    resultFile: file(values.get('--result') ?? env.PANECREW_RESULT_FILE),
    system: values.get('--system'),
  };
}
