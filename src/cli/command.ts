// What every CLI verb shares: option parsing with --help, exit codes, output helpers.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ClientError, ControllerClient } from '../controller/client.js';
import { ConfigFileError } from '../config/layers.js';
import { ConfigError } from '../config/load.js';

export const EXIT = {
  ok: 0,
  /** A task ended other than completed (wait), or a check failed. */
  failed: 1,
  usage: 2,
  /** The controller could not be reached or refused the request. */
  controller: 3,
  notFound: 4,
  timeout: 124,
} as const;

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
    connect: () => ControllerClient.connect({ env }),
  };
}

export async function runVerb(verb: Verb, argv: string[], ctx: Context): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    ctx.out(`usage: panecrew ${verb.usage}\n\n${verb.summary}\n\n${verb.help.trim()}\n`);
    return EXIT.ok;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: verb.options, allowPositionals: verb.allowPositionals ?? false, strict: true });
  } catch (err) {
    ctx.err(`panecrew ${verb.name}: ${(err as Error).message.split('\n')[0]}\nSee: panecrew ${verb.name} --help`);
    return EXIT.usage;
  }
  try {
    return await verb.run(parsed as { values: Record<string, unknown>; positionals: string[] }, ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      ctx.err(`panecrew ${verb.name}: ${err.message}\nSee: panecrew ${verb.name} --help`);
      return EXIT.usage;
    }
    if (err instanceof ConfigError || err instanceof ConfigFileError) {
      ctx.err(`panecrew ${verb.name}: invalid configuration:\n${err.message.split('\n').map((l) => `  ${l}`).join('\n')}`);
      return EXIT.usage;
    }
    if (err instanceof ClientError) {
      ctx.err(`panecrew ${verb.name}: ${err.message}`);
      if (err.code === 'not-found') return EXIT.notFound;
      if (err.code === 'bad-request') return EXIT.usage;
      return EXIT.controller;
    }
    throw err;
  }
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
