import Anthropic from '@anthropic-ai/sdk';
import { parseArgs, USAGE, UsageError, type AgentOptions } from './args.js';
import { Confinement } from './confine.js';
import { classifyError, EXIT } from './errors.js';
import { EventLog, writeResultFile } from './events.js';
import { runLoop, type LoopOutcome } from './loop.js';
import { Transcript, type TranscriptSink } from './transcript.js';

export { EXIT } from './errors.js';

/** Where the agent writes and what can stop it; defaults are the real process's. Tests pass their own. */
export interface AgentIO {
  stdout?: TranscriptSink;
  stderr?: { write(chunk: string): unknown };
  /** Aborting it cancels the run like SIGTERM (exit 143). */
  signal?: AbortSignal;
  /** Base for a relative --cwd, --prompt-file, --events, --result (default process.cwd()). */
  cwd?: string;
}

type SignalName = 'SIGTERM' | 'SIGINT';

/**
 * The built-in agent: `panecrew agent --prompt TEXT [options]`. Returns the exit code:
 * 0 answered (also when stopped at a limit, which the result says), 1 API or internal error,
 * 2 bad usage or no API key, 75 rate limited/overloaded after retries, 130 SIGINT, 143 SIGTERM.
 */
export async function runAgent(argv: string[], env: NodeJS.ProcessEnv, io: AgentIO = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const fail = (message: string): void => void stderr.write(`panecrew agent: ${message}\n`);

  let opts: AgentOptions;
  let events: EventLog;
  let confine: Confinement;
  try {
    opts = parseArgs(argv, env, io.cwd ?? process.cwd());
    events = new EventLog(opts.eventsFile);
    confine = new Confinement(opts.cwd);
  } catch (err) {
    fail(err instanceof UsageError ? `${err.message}\n\n${USAGE}` : (err as Error).message);
    return EXIT.usage;
  }

  const apiKey = env.ANTHROPIC_API_KEY || undefined;
  const authToken = apiKey ? undefined : env.ANTHROPIC_AUTH_TOKEN || undefined;
  if (!apiKey && !authToken) {
    const message = 'no API key: set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) in the environment of the agent';
    fail(message);
    events.emit({ type: 'error', message, retryable: false });
    return EXIT.usage;
  }

  const client = new Anthropic({
    ...(apiKey ? { apiKey } : { authToken }),
    // null, not undefined: only the env we were given counts, never a stray process.env value.
    baseURL: env.ANTHROPIC_BASE_URL || null,
    maxRetries: opts.maxRetries,
  });

  const controller = new AbortController();
  let cancelledBy: SignalName | undefined;
  const cancel = (name: SignalName) => (): void => {
    cancelledBy ??= name;
    controller.abort(new Error(`cancelled by ${name}`));
  };
  const onTerm = cancel('SIGTERM');
  const onInt = cancel('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  if (io.signal?.aborted) onTerm();
  io.signal?.addEventListener('abort', onTerm, { once: true });

  const transcript = new Transcript(stdout, env);
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  events.emit({ type: 'start', model: opts.model });
  transcript.header(opts.model, confine.root);

  try {
    let outcome: LoopOutcome;
    try {
      outcome = await runLoop({ client, opts, confine, events, transcript, signal: controller.signal });
    } catch (err) {
      if (cancelledBy) {
        const message = `cancelled by ${cancelledBy} after ${elapsed()}`;
        events.emit({ type: 'error', message, retryable: false });
        transcript.summary(false, message);
        return cancelledBy === 'SIGINT' ? EXIT.sigint : EXIT.sigterm;
      }
      const c = classifyError(err, { maxRetries: opts.maxRetries, baseURL: client.baseURL });
      fail(c.message);
      events.emit({ type: 'error', message: c.message, retryable: c.retryable, ...(c.status !== undefined ? { status: c.status } : {}) });
      transcript.summary(false, c.message);
      return c.exitCode;
    }

    events.emit({ type: 'result', text: outcome.text, isError: false });
    if (opts.resultFile) writeResultFile(opts.resultFile, outcome.text);
    const tokens = `${outcome.usage.inputTokens} in / ${outcome.usage.outputTokens} out tokens`;
    const turns = `${outcome.turns} ${outcome.turns === 1 ? 'turn' : 'turns'}`;
    if (outcome.stoppedBy) transcript.notice(outcome.text.slice(outcome.text.lastIndexOf('[stopped:')));
    transcript.summary(true, `${outcome.stoppedBy ? `stopped (${outcome.stoppedBy})` : 'done'}: ${turns}, ${tokens}, ${elapsed()}`);
    return EXIT.ok;
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    io.signal?.removeEventListener('abort', onTerm);
  }
}
