// The only place that runs tmux. Every call is an argv array (spawned, never through a shell), and
// every caller names its target explicitly: this module never assumes a "current" window or pane.
// Every call has a deadline: callers serialise their tmux work, so one call that never returns (a
// stopped or hung server) would otherwise wedge every later one.
// A call starts a tmux client process (about 10 ms on a busy machine) unless the client keeps a
// control connection (attachControl; control.ts, control-link.ts), which answers in well under a
// millisecond: callers batch commands (runAll, runEach) either way rather than make one call each.
// node:child_process, not execa: execa costs the controller ~2 MB of memory at start for nothing
// this module needs.
import { spawn } from 'node:child_process';
import { TmuxError } from './client-error.js';
import { controlLine, TmuxControl } from './control.js';
import { CONTROL_IDLE_MS, ControlLink } from './control-link.js';

export { TmuxError } from './client-error.js';

/** Which tmux server to talk to: a socket path (as in `$TMUX`) or a socket name (`-L`). */
export interface TmuxServer {
  socketPath?: string;
  socketName?: string;
}

/** Separates fields in `-F` output. A control character that task ids, numbers and ids cannot hold. */
export const FIELD_SEPARATOR = '\u001f';

/** The line runEach prints between the outputs of its commands (fixed text, no `#`: a format prints it as is). */
const OUTPUT_SEPARATOR = `${FIELD_SEPARATOR}panecrew-next-output${FIELD_SEPARATOR}`;

/**
 * tmux ends a command at ANY argument that ends in ';', even one passed in argv: `set-option @x 'a;'
 * kill-server` runs kill-server. An argument ending in '\;' is taken as a literal ';'. Every argument
 * goes through this, so text (titles, an agent's output in the banner) can never start a command.
 */
export function tmuxArg(arg: string): string {
  return arg.endsWith(';') ? `${arg.slice(0, -1)}\\;` : arg;
}

/** Escapes text for tmux arguments that are expanded as formats (e.g. `select-pane -T`): `#` → `##`. */
export function escapeFormat(text: string): string {
  return text.replace(/#/g, '##');
}

export interface TmuxClientOptions {
  /** Deadline of one tmux invocation; the default suits a healthy server on a busy machine. */
  timeoutMs?: number;
  /** Merged over process.env for the tmux process. */
  env?: NodeJS.ProcessEnv;
  bin?: string;
  /** How long an unused control connection stays attached (CONTROL_IDLE_MS); 0: calls always spawn a client. */
  controlIdleMs?: number;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 5000;

export class TmuxClient {
  readonly server: Readonly<TmuxServer>;
  readonly timeoutMs: number;
  private readonly bin: string;
  private readonly env: NodeJS.ProcessEnv | undefined;
  private readonly controlIdleMs: number;
  private link = new ControlLink();

  constructor(server: TmuxServer = {}, options: TmuxClientOptions = {}) {
    this.server = { ...server };
    this.bin = options.bin ?? 'tmux';
    this.timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.env = options.env;
    this.controlIdleMs = options.controlIdleMs ?? CONTROL_IDLE_MS;
  }

  /** The same server with another deadline per call. */
  withTimeout(timeoutMs: number, controlIdleMs = this.controlIdleMs): TmuxClient {
    const copy = new TmuxClient(this.server, { bin: this.bin, env: this.env, timeoutMs, controlIdleMs });
    copy.link = this.link;
    return copy;
  }

  /**
   * Keeps a control connection to the server, attached to `sessionId` ($N), for the calls that
   * follow; until it is up (and whenever it is down) calls spawn a client, so this never fails. It
   * detaches after controlIdleMs without a call, or at stopControl. `onRefused` hears of an attach
   * that failed, once until one succeeds: calls then go on spawning clients, slower but working.
   */
  attachControl(sessionId: string, onRefused?: (err: Error) => void): void {
    if (this.controlIdleMs <= 0) return;
    this.link.attach(sessionId, this.controlIdleMs, () => TmuxControl.open(this.bin, this.serverArgs(), sessionId, this.processEnv(), this.timeoutMs), onRefused);
  }

  /** Attaches again where the last attachControl did, if it detached since (idle): a warm start for the calls to come. */
  resumeControl(): void {
    if (this.link.sessionId) this.attachControl(this.link.sessionId);
  }

  /** Whether calls go over a control connection now. */
  get controlAttached(): boolean {
    return this.link.attached;
  }

  /** Detaches the control connection for good (shutdown). */
  stopControl(): void {
    this.link.stop();
  }

  /** The argv that selects the server, put before every command. */
  serverArgs(): string[] {
    if (this.server.socketPath) return ['-S', this.server.socketPath];
    if (this.server.socketName) return ['-L', this.server.socketName];
    return [];
  }

  /** Runs one tmux command; resolves with stdout without its final newline, rejects with a TmuxError. */
  run(args: string[]): Promise<string> {
    return this.runAll([args]);
  }

  /** Runs one tmux command with `input` on its stdin (`load-buffer -`): text that is never an argument. */
  runWithInput(args: string[], input: string): Promise<string> {
    return this.spawnClient(args.map(tmuxArg), input);
  }

  /**
   * Runs several commands in one tmux invocation (one process start instead of many), separated by
   * tmux's own `;`; they run in order and stop at the first that fails. Resolves with what they printed.
   */
  async runAll(commands: string[][]): Promise<string> {
    const args = commands.flatMap((c, i) => (i ? [';', ...c.map(tmuxArg)] : c.map(tmuxArg)));
    const control = this.link.forCall();
    const line = control && controlLine(commands);
    if (!control || line === null) return this.spawnClient(args);
    return control.run(line, args, this.timeoutMs);
  }

  /**
   * Like runAll, and resolves with each command's own output (a command that prints nothing gets
   * ''), so that several queries cost one tmux process. Outputs may span lines.
   */
  async runEach(commands: string[][]): Promise<string[]> {
    const marked = commands.flatMap((c, i) => (i ? [['display-message', '-p', OUTPUT_SEPARATOR], c] : [c]));
    const outputs: string[][] = [[]];
    for (const line of (await this.runAll(marked)).split('\n')) {
      if (line === OUTPUT_SEPARATOR) outputs.push([]);
      else outputs[outputs.length - 1]!.push(line);
    }
    return outputs.map((lines) => lines.join('\n'));
  }

  private spawnClient(args: string[], input?: string): Promise<string> {
    // -u: without it, a client whose locale is not UTF-8 (LANG unset or C) gets every control
    // character of its output as '_', FIELD_SEPARATOR too, and non-ASCII text (titles) mangled.
    const full = ['-u', ...this.serverArgs(), ...args];
    return new Promise((resolve, reject) => {
      const child = spawn(this.bin, full, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env: this.processEnv() });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout!.on('data', (d: Buffer) => out.push(d));
      child.stderr!.on('data', (d: Buffer) => err.push(d));
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      // Not waiting for the pipes to close after a kill: the tmux client hands its stdout to the
      // server, so a stopped server still holds them open.
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        child.stdout!.destroy();
        child.stderr!.destroy();
        settle(() => reject(new TmuxError(args, '', undefined, this.timeoutMs)));
      }, this.timeoutMs);
      child.on('error', (e) => settle(() => reject(new TmuxError(args, e.message, undefined))));
      child.on('close', (code, signal) =>
        settle(() => {
          const stdout = Buffer.concat(out).toString('utf8');
          if (code === 0) return resolve(stdout.endsWith('\n') ? stdout.slice(0, stdout.endsWith('\r\n') ? -2 : -1) : stdout);
          const stderr = Buffer.concat(err).toString('utf8');
          reject(new TmuxError(args, stderr || (signal ? `killed by ${signal}` : ''), code ?? undefined));
        }),
      );
      if (input !== undefined) {
        child.stdin!.on('error', () => {}); // a client that exits before reading all of it fails on its own
        child.stdin!.end(input);
      }
    });
  }

  /** process.env with the client's additions (as a child would inherit it). */
  private processEnv(): NodeJS.ProcessEnv | undefined {
    return this.env ? { ...process.env, ...this.env } : undefined;
  }

  /**
   * `wait-for channel`: a tmux client that waits, without a deadline, until something runs
   * `wait-for -S channel` (a hook, say). `done` is true when signalled, false when the wait ended
   * otherwise (server gone, cancelled). It does not keep Node running.
   */
  waitFor(channel: string): { done: Promise<boolean>; cancel(): void } {
    const child = spawn(this.bin, [...this.serverArgs(), 'wait-for', tmuxArg(channel)], { stdio: 'ignore', env: this.processEnv() });
    child.unref();
    const done = new Promise<boolean>((resolve) => {
      child.on('error', () => resolve(false));
      child.on('exit', (code) => resolve(code === 0));
    });
    return { done, cancel: () => child.kill() };
  }

  /** `display-message -p -t target format`. */
  async display(target: string, format: string): Promise<string> {
    return this.run(['display-message', '-p', '-t', target, format]);
  }

  /** Several format values of one target at once. */
  async displayFields<K extends string>(target: string, fields: readonly K[]): Promise<Record<K, string>> {
    const out = await this.display(target, fields.map((f) => `#{${f}}`).join(FIELD_SEPARATOR));
    return zipFields(fields, out);
  }

  /**
   * `list-panes` with one `#{field}` per requested field. `target` is a window (`@1`), a session
   * (`$0`, with `-s`), or `null` for every pane of the server (`-a`).
   */
  async listPanes<K extends string>(
    target: string | null,
    fields: readonly K[],
    scope: 'window' | 'session' = 'window',
  ): Promise<Array<Record<K, string>>> {
    const format = fields.map((f) => `#{${f}}`).join(FIELD_SEPARATOR);
    const args = target === null ? ['list-panes', '-a', '-F', format] : ['list-panes', ...(scope === 'session' ? ['-s'] : []), '-t', target, '-F', format];
    const out = await this.run(args);
    return splitLines(out).map((line) => zipFields(fields, line));
  }

  /** `list-windows` of a session (or every window with `null`), fields as in listPanes. */
  async listWindows<K extends string>(target: string | null, fields: readonly K[]): Promise<Array<Record<K, string>>> {
    const format = fields.map((f) => `#{${f}}`).join(FIELD_SEPARATOR);
    const args = target === null ? ['list-windows', '-a', '-F', format] : ['list-windows', '-t', target, '-F', format];
    return splitLines(await this.run(args)).map((line) => zipFields(fields, line));
  }

  /** `list-clients` attached to a session, fields as in listPanes. */
  async listClients<K extends string>(sessionId: string, fields: readonly K[]): Promise<Array<Record<K, string>>> {
    const format = fields.map((f) => `#{${f}}`).join(FIELD_SEPARATOR);
    return splitLines(await this.run(['list-clients', '-t', sessionId, '-F', format])).map((line) => zipFields(fields, line));
  }

  /** `list-sessions`, fields as in listPanes; an empty list when no server runs. */
  async listSessions<K extends string>(fields: readonly K[]): Promise<Array<Record<K, string>>> {
    const format = fields.map((f) => `#{${f}}`).join(FIELD_SEPARATOR);
    try {
      return splitLines(await this.run(['list-sessions', '-F', format])).map((line) => zipFields(fields, line));
    } catch (err) {
      if (err instanceof TmuxError && err.isNoServer) return [];
      throw err;
    }
  }
}

function splitLines(out: string): string[] {
  return out === '' ? [] : out.split('\n');
}

function zipFields<K extends string>(fields: readonly K[], line: string): Record<K, string> {
  const parts = line.split(FIELD_SEPARATOR);
  const record = {} as Record<K, string>;
  fields.forEach((f, i) => {
    record[f] = parts[i] ?? '';
  });
  return record;
}
