// The controller's client: requests and the event stream over the Unix socket; starts the controller on demand.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { homePaths, panecrewHome, type HomePaths } from '../core/paths.js';
import { CLI_ENTRY } from '../runner/prepare.js';
import type { ErrorCode, Reply, RequestInput, ServerEvent } from './protocol.js';

export class ClientError extends Error {
  constructor(
    readonly code: ErrorCode | 'unavailable',
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
export function startController(env: NodeJS.ProcessEnv, paths: HomePaths, sets: string[] = []): Promise<void> {
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

export class ControllerClient {
  private nextId = 1;
  private buffered = '';
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly listeners = new Set<(e: ServerEvent) => void>();
  private closedHandlers = new Set<() => void>();

  private constructor(
    private readonly socket: Socket,
    readonly paths: HomePaths,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      for (const w of this.waiting.values()) w.reject(new ClientError('unavailable', 'the controller closed the connection'));
      this.waiting.clear();
      for (const h of this.closedHandlers) h();
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

  private onData(chunk: string): void {
    this.buffered += chunk;
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      const msg = JSON.parse(line) as Reply | ServerEvent;
      if ('event' in msg) {
        for (const l of this.listeners) l(msg);
        continue;
      }
      const w = this.waiting.get(msg.id);
      if (!w) continue;
      this.waiting.delete(msg.id);
      if (msg.ok) w.resolve(msg.result);
      else w.reject(new ClientError(msg.error?.code ?? 'internal', msg.error?.message ?? 'unknown error'));
    }
  }

  request<T = unknown>(req: RequestInput): Promise<T> {
    if (this.socket.destroyed) return Promise.reject(new ClientError('unavailable', 'the connection to the controller is closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(`${JSON.stringify({ ...req, id })}\n`);
    });
  }

  /** Receives every change from now on; resolves once subscribed, with the current stats. */
  async subscribe<T = unknown>(listener: (e: ServerEvent) => void): Promise<T> {
    this.listeners.add(listener);
    return this.request<T>({ op: 'subscribe' });
  }

  onClose(handler: () => void): void {
    this.closedHandlers.add(handler);
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }
}
