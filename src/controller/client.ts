// The controller's client: requests and the event stream over the Unix socket; starts the controller on demand.
import { mkdirSync, openSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { CLI_ENTRY, homePaths, panecrewHome, type HomePaths } from '../core/paths.js';
import { isFinal } from '../core/task-state.js';
import type { ListedTask, Op, RequestFor, Results } from './protocol.js';
import { checkServerMessage, type ErrorCode, type ServerEvent, type ServerMessage } from './server-message.js';

export class ClientError extends Error {
  constructor(
    /** `unavailable`: no controller answers, or it went away; `bad-reply`: it sent something that is not a reply. */
    readonly code: ErrorCode | 'unavailable' | 'bad-reply',
    message: string,
  ) {
    super(message);
  }
}

const START_TIMEOUT_MS = 10_000;

function connectOnce(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Starts `panecrew controller run` detached and resolves when it says it is serving. */
export async function startController(env: NodeJS.ProcessEnv, paths: HomePaths, sets: string[] = []): Promise<void> {
  // Loaded here: every CLI call would pay for child_process (and what it loads), few start a controller.
  const { spawn } = await import('node:child_process');
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  const log = openSync(paths.log, 'a', 0o600);
  // The controller runs from /, so a relative PANECREW_CONFIG must be made absolute here.
  const childEnv = env.PANECREW_CONFIG ? { ...env, PANECREW_CONFIG: resolve(env.PANECREW_CONFIG) } : env;
  const child = spawn(process.execPath, [CLI_ENTRY, 'controller', 'run', ...sets.flatMap((s) => ['--set', s])], {
    detached: true,
    env: childEnv,
    cwd: '/',
    stdio: ['ignore', log, log, 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`the controller did not start within ${START_TIMEOUT_MS / 1000}s; see ${paths.log}`), START_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      child.removeAllListeners();
      if (child.connected) child.disconnect();
      child.unref();
    };
    const fail = (message: string) => {
      done();
      reject(new ClientError('unavailable', message));
    };
    child.on('message', (m) => {
      if (m !== 'ready') return;
      done();
      resolve();
    });
    // Exit code 3: another controller won the race to start; it will answer.
    child.on('exit', (code) => (code === 3 ? (done(), resolve()) : fail(`the controller exited during start-up (code ${code}); see ${paths.log}`)));
    child.on('error', (err) => fail(`cannot start the controller: ${err.message}`));
  });
}

export interface ConnectOptions {
  env?: NodeJS.ProcessEnv;
  /** Start the controller when none is running (default true). */
  autostart?: boolean;
}

export interface WaitOptions {
  /** Give up after this long: the answer then says `why: 'timeout'` (null or absent: no limit). */
  timeoutMs?: number | null;
  signal?: AbortSignal;
  /** Each change of a watched task that does not settle it yet. */
  onUpdate?(task: ListedTask): void;
}

export type WaitResult = { ended: true; tasks: ListedTask[] } | { ended: false; tasks: ListedTask[]; why: 'timeout' | 'aborted' };

/** A line from the controller, checked, or why it is not a reply. */
function parseLine(line: string): ServerMessage | string {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return `not JSON: ${JSON.stringify(line.slice(0, 80))}`;
  }
  return checkServerMessage(raw);
}

export class ControllerClient {
  private nextId = 1;
  private buffered = '';
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly listeners = new Set<(e: ServerEvent) => void>();
  private readonly closedHandlers = new Set<(reason: ClientError) => void>();
  /** Why the connection closed, when it was not simply the controller going away. */
  private closeReason: ClientError | null = null;

  private constructor(
    private readonly socket: Socket,
    readonly paths: HomePaths,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      const reason = this.closed();
      for (const w of this.waiting.values()) w.reject(reason);
      this.waiting.clear();
      for (const h of this.closedHandlers) h(reason);
    });
  }

  static async connect({ env = process.env, autostart = true }: ConnectOptions = {}): Promise<ControllerClient> {
    const paths = homePaths(panecrewHome(env));
    try {
      return new ControllerClient(await connectOnce(paths.socket), paths);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!autostart || (code !== 'ENOENT' && code !== 'ECONNREFUSED')) {
        throw new ClientError('unavailable', `no controller is answering at ${paths.socket} (${code}); start one with: panecrew controller start`);
      }
    }
    await startController(env, paths);
    // Another CLI may have won the race to start it and still be replaying the journal: retry a while.
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      try {
        return new ControllerClient(await connectOnce(paths.socket), paths);
      } catch {
        if (Date.now() > deadline) throw new ClientError('unavailable', `the controller started but does not answer at ${paths.socket}; see ${paths.log}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  private closed(): ClientError {
    return this.closeReason ?? new ClientError('unavailable', 'the controller closed the connection');
  }

  // Runs inside the socket's data event: nothing here may throw, or the process dies of it.
  private onData(chunk: string): void {
    this.buffered += chunk;
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      const msg = parseLine(line);
      if (typeof msg === 'string') {
        // Replies are matched by id: after a line that is not one, no later reply can be trusted.
        this.closeReason = new ClientError(
          'bad-reply',
          `${this.paths.socket} sent a line that is not a panecrew controller reply (${msg}); the connection is closed. ` +
            'If another program listens there, stop it; else restart the controller: panecrew controller stop',
        );
        this.socket.destroy();
        return;
      }
      if ('event' in msg) {
        for (const l of this.listeners) l(msg);
        continue;
      }
      const w = this.waiting.get(msg.id);
      // Id 0 is the controller refusing a request it could not read (too large): it closes next, for this reason.
      if (!w && !msg.ok && msg.id === 0) this.closeReason = new ClientError(msg.error.code, msg.error.message);
      if (!w) continue;
      this.waiting.delete(msg.id);
      if (msg.ok) w.resolve(msg.result);
      else w.reject(new ClientError(msg.error.code, msg.error.message));
    }
  }

  /** Sends one request; resolves with its op's result (see `Results` in protocol.ts). */
  request<O extends Op>(req: RequestFor<O>): Promise<Results[O]> {
    if (this.socket.destroyed) return Promise.reject(this.closeReason ?? new ClientError('unavailable', 'the connection to the controller is closed'));
    const id = this.nextId++;
    return new Promise<Results[O]>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(`${JSON.stringify({ ...req, id })}\n`);
    });
  }

  /** Receives every change from now on; resolves once subscribed, with the current stats. */
  async subscribe(listener: (e: ServerEvent) => void): Promise<Results['subscribe']> {
    this.listeners.add(listener);
    return this.request({ op: 'subscribe' });
  }

  /**
   * Resolves when every watched task has ended: `ids`, or every task active now. Subscribes this
   * connection (so it receives every event from then on), then reads the tasks: an ending cannot
   * fall between the two, and nothing is polled.
   */
  waitUntilEnded(which: string[] | 'active', opts: WaitOptions = {}): Promise<WaitResult> {
    return this.waitUntil(which, (t) => isFinal(t.state), opts);
  }

  /**
   * Resolves when `settled` holds for every watched task. An event and a reply read around the
   * same moment cannot be ordered here, so they are merged by preferring the settled one: exact for
   * an ending (final is final); for a state that can pass (such as "placed"), the answer is one
   * that held a moment ago.
   */
  async waitUntil(which: string[] | 'active', settled: (t: ListedTask) => boolean, { timeoutMs = null, signal, onUpdate }: WaitOptions = {}): Promise<WaitResult> {
    // Tasks already settled need no subscription: one round trip answers (`wait` on an ended task).
    if (which !== 'active') {
      const now = await Promise.all(which.map((taskId) => this.request({ op: 'get', taskId })));
      if (now.every(settled)) return { ended: true, tasks: now };
    }
    const seen = new Map<string, ListedTask>();
    const latest = new Map<string, ListedTask>();
    let settle: (outcome: WaitResult | Error) => void = () => {};
    const listener = (e: ServerEvent): void => {
      if (e.event !== 'task') return;
      seen.set(e.task.id, e.task);
      if (!latest.has(e.task.id)) return;
      latest.set(e.task.id, e.task);
      if ([...latest.values()].every(settled)) settle({ ended: true, tasks: [...latest.values()] });
      else if (!settled(e.task)) onUpdate?.(e.task);
    };
    let onClose: (reason: ClientError) => void = () => {};
    try {
      this.listeners.add(listener);
      await this.request({ op: 'subscribe' });
      const first = which === 'active' ? (await this.request({ op: 'list' })).filter((t) => !isFinal(t.state)) : await Promise.all(which.map((taskId) => this.request({ op: 'get', taskId })));
      for (const t of first) {
        const event = seen.get(t.id);
        latest.set(t.id, event && settled(event) && !settled(t) ? event : t);
      }
      return await new Promise<WaitResult>((resolve, reject) => {
        const current = (): ListedTask[] => [...latest.values()];
        const timer = timeoutMs !== null ? setTimeout(() => settle({ ended: false, tasks: current(), why: 'timeout' }), timeoutMs) : undefined;
        const onAbort = (): void => settle({ ended: false, tasks: current(), why: 'aborted' });
        settle = (outcome) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        };
        onClose = (reason) => settle(reason.code === 'unavailable' ? new ClientError('unavailable', 'the controller went away while waiting; the tasks keep running (panecrew ls lists them)') : reason);
        this.closedHandlers.add(onClose);
        if (this.socket.destroyed) return onClose(this.closed());
        signal?.addEventListener('abort', onAbort, { once: true });
        if (signal?.aborted) return onAbort();
        if (current().every(settled)) settle({ ended: true, tasks: current() });
      });
    } finally {
      this.listeners.delete(listener);
      this.closedHandlers.delete(onClose);
    }
  }

  /** Called once when the connection closes, with why (`unavailable` when the controller went away). */
  onClose(handler: (reason: ClientError) => void): void {
    this.closedHandlers.add(handler);
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }
}
