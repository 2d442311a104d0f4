// What every CLI verb shares: option parsing with --help, exit codes, output helpers. Kept light (no
// client, YAML or zod at load time): `panecrew VERB --help` pays only for the verb's own module.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ControllerClient } from '../controller/client.js';
import { ConfigError, ConfigFileError } from '../config/errors.js';
import { suggest } from '../core/suggest.js';
import { inert } from '../render/inert.js';

/** Every exit code of every verb, with its meaning: the README's table (a test compares the two). */
export const EXIT_CODES = {
  ok: [0, 'success'],
  failed: [1, 'a task ended other than completed (`wait`, `plan wait`, `plan show --watch`, `output --follow`, `demo`), a check failed (`doctor`, `notify test`, `integrate`), an agent did not confirm a follow-up (`send`), a merge was refused or conflicts (`merge`), or a worktree holds unmerged work (`worktree rm`)'],
  usage: [2, 'bad arguments or an invalid configuration (every verb that reads it, `config check`, `config show`)'],
  controller: [3, 'the controller is unreachable or refused the request (e.g. `relaunch` of an active task, `focus` of a task without a pane)'],
  notFound: [4, 'no such task, or (`attach`) no such tmux session'],
  internal: [70, 'an internal error: a bug in panecrew (the message has the stack)'],
  timeout: [124, 'timed out (`wait --timeout`, `demo`)'],
  interrupted: [130, 'interrupted by Ctrl-C (`demo`, `plan show --watch`)'],
} as const;

export const EXIT = Object.fromEntries(Object.entries(EXIT_CODES).map(([k, [code]]) => [k, code])) as {
  [K in keyof typeof EXIT_CODES]: (typeof EXIT_CODES)[K][0];
};

export class UsageError extends Error {}

export interface Context {
  env: NodeJS.ProcessEnv;
  cwd: string;
  out(text: string): void;
  err(text: string): void;
  /** Colour only on a terminal and never with NO_COLOR. */
  color: boolean;
  connect(): Promise<ControllerClient>;
}

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Verb<O extends Options = Options> {
  name: string;
  summary: string;
  /** Full --help text after the usage line. */
  help: string;
  usage: string;
  options: O;
  allowPositionals?: boolean;
  /** Spellings the option parser cannot take, rewritten first (e.g. a flag that may have a value). */
  aliases?: Record<string, string[]>;
  run(args: { values: Record<string, unknown>; positionals: string[] }, ctx: Context): Promise<number>;
}

export function defineVerb<O extends Options>(verb: Verb<O>): Verb {
  return verb as unknown as Verb;
}

export function createContext(env: NodeJS.ProcessEnv, cwd: string): Context {
  return {
    env,
    cwd,
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    color: Boolean(process.stdout.isTTY) && !env.NO_COLOR,
    connect: async () => (await import('../controller/client.js')).ControllerClient.connect({ env }),
  };
}

/**
 * The first thing wrong with `argv` for `verb`, said plainly: an unknown option (with the closest
 * known one), a missing or unwanted value, or an argument where none is taken. parseArgs' own
 * messages are long and quote unevenly; null when parseArgs will accept it.
 */
export function argumentProblem(verb: Verb, argv: string[]): string | null {
  const { tokens } = parseArgs({ args: argv, options: verb.options, allowPositionals: true, strict: false, tokens: true });
  const longNames = Object.keys(verb.options);
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (!verb.allowPositionals) return `unexpected argument "${token.value}": ${verb.name} takes only options`;
      continue;
    }
    if (token.kind !== 'option') continue;
    // parseArgs names a known short option by its long name, an unknown one by its letter.
    const option = Object.hasOwn(verb.options, token.name) ? verb.options[token.name] : undefined;
    if (!option) {
      const hint = token.rawName.startsWith('--') ? suggest(token.name, longNames) : undefined;
      return `unknown option ${token.rawName}${hint ? ` (did you mean --${hint}?)` : ''}`;
    }
    if (option.type === 'string' && token.value === undefined) return `${token.rawName} needs a value`;
    if (option.type === 'boolean' && token.inlineValue) return `${token.rawName} takes no value`;
  }
  return null;
}

export async function runVerb(verb: Verb, given: string[], ctx: Context): Promise<number> {
  const end = given.indexOf('--');
  const aliased = (arg: string, i: number) => (verb.aliases && (end < 0 || i < end) && Object.hasOwn(verb.aliases, arg) ? verb.aliases[arg]! : [arg]);
  const argv = given.flatMap(aliased);
  if (argv.includes('--help') || argv.includes('-h')) {
    ctx.out(`usage: panecrew ${verb.usage}\n\n${verb.summary}\n\n${verb.help.trim()}\n`);
    return EXIT.ok;
  }
  const problem = argumentProblem(verb, argv);
  if (problem) {
    ctx.err(`panecrew ${verb.name}: ${inert(problem)}\nSee: panecrew ${verb.name} --help`);
    return EXIT.usage;
  }
  try {
    const parsed = parseArgs({ args: argv, options: verb.options, allowPositionals: verb.allowPositionals ?? false, strict: true });
    return await verb.run(parsed as { values: Record<string, unknown>; positionals: string[] }, ctx);
  } catch (err) {
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      const message = err instanceof UsageError ? err.message : (err as Error).message.split('\n')[0]!;
      ctx.err(`panecrew ${verb.name}: ${inert(message, { multiline: true })}\nSee: panecrew ${verb.name} --help`);
      return EXIT.usage;
    }
    if (err instanceof ConfigError || err instanceof ConfigFileError) {
      ctx.err(`panecrew ${verb.name}: ${configErrorText(err)}`);
      return EXIT.usage;
    }
    // Only a failed request needs the client's error class: load it then, not for every verb.
    const { ClientError } = await import('../controller/client.js');
    if (err instanceof ClientError) {
      // Controller messages quote task text (ids, titles, reasons): inert like everything else.
      ctx.err(`panecrew ${verb.name}: ${inert(err.message, { multiline: true })}`);
      if (err.code === 'not-found') return EXIT.notFound;
      if (err.code === 'bad-request') return EXIT.usage;
      return EXIT.controller;
    }
    throw err;
  }
}

/** A configuration error as printed: a heading, then each problem indented on its own line. */
export function configErrorText(err: ConfigError | ConfigFileError): string {
  return `invalid configuration:\n${inert(err.message, { multiline: true }).split('\n').map((l) => `  ${l}`).join('\n')}`;
}

/** Runs `fn` with a connected client and always closes it. */
export async function withClient<T>(ctx: Context, fn: (c: ControllerClient) => Promise<T>): Promise<T> {
  const client = await ctx.connect();
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

export function printJson(ctx: Context, value: unknown): void {
  ctx.out(JSON.stringify(value, null, 2));
}
