// The MCP server's line to the controller: one shared connection for requests, re-opened (and the
// controller restarted) when it drops; a dedicated subscribed connection for each blocking wait.
import { ClientError, ControllerClient } from '../controller/client.js';
import type { ListedTask, RequestInput } from '../controller/protocol.js';
import { isFinal } from '../core/task.js';

export interface ConnectionOptions {
  env: NodeJS.ProcessEnv;
  /** Start the controller when none runs (default true). */
  autostart: boolean;
}

export type WaitOutcome = { ended: true; task: ListedTask } | { ended: false; task: ListedTask; why: 'timeout' | 'aborted' };

export class ControllerLink {
  private shared: Promise<ControllerClient> | null = null;
  /** Set by close(): no connection is opened (nor a controller started) after it. */
  private closed = false;

  constructor(private readonly opts: ConnectionOptions) {}

  private closedError(): ClientError {
    return new ClientError('unavailable', 'the MCP server is shutting down');
  }

  private async connect(): Promise<ControllerClient> {
    if (this.closed) throw this.closedError();
    const c = await ControllerClient.connect({ env: this.opts.env, autostart: this.opts.autostart });
    // Closed while connecting: nobody would close this connection, and it would keep the process alive.
    if (this.closed) {
      c.close();
      throw this.closedError();
    }
    return c;
  }

  private client(): Promise<ControllerClient> {
    if (this.closed) return Promise.reject(this.closedError());
    if (!this.shared) {
      const pending = this.connect();
      this.shared = pending;
      pending.then(
        (c) => c.onClose(() => this.shared === pending && (this.shared = null)),
        () => this.shared === pending && (this.shared = null),
      );
    }
    return this.shared;
  }

  async request<T>(req: RequestInput): Promise<T> {
    return (await this.client()).request<T>(req);
  }

  /**
   * Resolves when the task is final, the timeout passes or `signal` aborts. Driven by the
   * controller's events on a connection of its own: subscribe first, then read the state, so an
   * ending cannot fall between the two.
   */
  async waitFinal(taskId: string, timeoutMs: number, signal?: AbortSignal, onUpdate?: (task: ListedTask) => void): Promise<WaitOutcome> {
    const first = await this.request<ListedTask>({ op: 'get', taskId });
    if (isFinal(first.state)) return { ended: true, task: first };
    const c = await this.connect();
    try {
      return await new Promise<WaitOutcome>((resolve, reject) => {
        let latest = first;
        const timer = setTimeout(() => finish({ ended: false, task: latest, why: 'timeout' }), timeoutMs);
        const onAbort = () => finish({ ended: false, task: latest, why: 'aborted' });
        function finish(outcome: WaitOutcome | Error): void {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        }
        const seen = (t: ListedTask) => {
          if (t.id !== taskId) return;
          latest = t;
          if (isFinal(t.state)) finish({ ended: true, task: t });
          else onUpdate?.(t);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        if (signal?.aborted) return onAbort();
        c.onClose(() => finish(new ClientError('unavailable', `the controller went away while waiting for ${taskId}`)));
        c.subscribe((e) => {
          if (e.event === 'task') seen(e.task);
          else if (e.event === 'removed' && e.ids.includes(taskId)) finish(new ClientError('not-found', `task ${taskId} was pruned while waiting for it`));
        })
          .then(() => c.request<ListedTask>({ op: 'get', taskId }))
          .then(seen, finish);
      });
    } finally {
      c.close();
    }
  }

  /** Closes the shared connection; every later request is refused and opens no new connection. */
  close(): void {
    this.closed = true;
    const shared = this.shared;
    this.shared = null;
    void shared?.then((c) => c.close(), () => {});
  }
}
