// The MCP server's line to the controller: one shared connection for requests, re-opened (and the
// controller restarted) when it drops; a dedicated subscribed connection for each wait.
import { ClientError, ControllerClient } from '../controller/client.js';
import type { ListedTask, Op, RequestFor, Results } from '../controller/protocol.js';
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

  async request<O extends Op>(req: RequestFor<O>): Promise<Results[O]> {
    return (await this.client()).request(req);
  }

  /**
   * Resolves when `settled` holds for the task, the timeout passes or `signal` aborts: on a
   * connection of its own, since a subscribed connection receives every event from then on.
   */
  async waitFor(taskId: string, settled: (t: ListedTask) => boolean, timeoutMs: number, signal?: AbortSignal, onUpdate?: (task: ListedTask) => void): Promise<WaitOutcome> {
    // Most waits are for a task that has already got there: one request, no new connection.
    const first = await this.request({ op: 'get', taskId });
    if (settled(first)) return { ended: true, task: first };
    const c = await this.connect();
    try {
      const r = await c.waitUntil([taskId], settled, { timeoutMs, signal, onUpdate });
      return r.ended ? { ended: true, task: r.tasks[0]! } : { ended: false, task: r.tasks[0]!, why: r.why };
    } catch (err) {
      if (err instanceof ClientError && err.code === 'unavailable') throw new ClientError('unavailable', `the controller went away while waiting for ${taskId}`);
      throw err;
    } finally {
      c.close();
    }
  }

  /** Resolves when the task has ended, the timeout passes or `signal` aborts. */
  waitFinal(taskId: string, timeoutMs: number, signal?: AbortSignal, onUpdate?: (task: ListedTask) => void): Promise<WaitOutcome> {
    return this.waitFor(taskId, (t) => isFinal(t.state), timeoutMs, signal, onUpdate);
  }

  /** Closes the shared connection; every later request is refused and opens no new connection. */
  close(): void {
    this.closed = true;
    const shared = this.shared;
    this.shared = null;
    void shared?.then((c) => c.close(), () => {});
  }
}
