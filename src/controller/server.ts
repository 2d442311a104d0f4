// The controller's Unix socket: newline-delimited JSON, validated at the door, events pushed to subscribers.
// Connections are capped, reaped when idle or too slow, and bounded in what they buffer (connection.ts).
import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { Connection, type ConnectionHost, type ReplyThunk } from './connection.js';
import { formatZodError, RequestError, RequestSchema, type Reply, type Request, type ServerEvent } from './protocol.js';
import { SMALL_FRAME_BYTES, type SocketLimits } from './socket-limits.js';

/** A subscriber that cannot keep up is dropped rather than let the controller buffer without bound. */
const MAX_SUBSCRIBER_BACKLOG = 8 * 1024 * 1024;

/**
 * A handler's result, or a function that computes it. The server calls such a function right before
 * it writes the reply, after every change so far is on disk, in the same turn as the write: so a
 * reply that tells a task's state is never older than an event the client already received.
 */
export type Handler = (request: Request) => unknown | Promise<unknown>;

export class SocketServer implements ConnectionHost {
  private readonly server: Server;
  private readonly connections = new Map<Socket, Connection>();
  private current: SocketLimits;
  /** Bytes of unfinished requests held across all connections. */
  private frameBytes = 0;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly handle: Handler,
    /** Resolves once every change so far is on disk (the journal batches its fsyncs). */
    readonly synced: () => Promise<void>,
    limits: SocketLimits,
  ) {
    this.current = limits;
    this.server = createServer((socket) => this.accept(socket));
  }

  get limits(): SocketLimits {
    return this.current;
  }

  /** New limits (a config reload): the cap holds for the next connection, the deadlines for the
   *  next sweep, whose interval follows them. Connections over a lowered cap are not closed. */
  setLimits(limits: SocketLimits): void {
    this.current = limits;
    if (this.sweeper) {
      this.stopSweeping();
      this.startSweeping();
    }
  }

  listen(path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(path, () => {
        this.server.off('error', reject);
        chmodSync(path, 0o600);
        resolve();
      });
    });
  }

  broadcast(event: ServerEvent): void {
    let line: string | undefined;
    for (const connection of this.connections.values()) {
      if (!connection.subscribed) continue;
      line ??= `${JSON.stringify(event)}\n`;
      if (connection.socket.writableLength > MAX_SUBSCRIBER_BACKLOG) connection.socket.destroy();
      else connection.send(line);
    }
  }

  private accept(socket: Socket): void {
    socket.on('error', () => socket.destroy());
    const connection = new Connection(socket, this);
    if (this.connections.size >= this.limits.maxConnections && !this.evictIdlest()) {
      connection.refuse(
        'internal',
        `the controller has ${this.connections.size} busy connections open, its limit (socket.max_connections in the configuration); close some clients (dashboards, waits) or retry in a moment`,
      );
      return;
    }
    this.connections.set(socket, connection);
    socket.on('close', () => {
      this.connections.delete(socket);
      if (!this.connections.size) this.stopSweeping();
    });
    this.startSweeping();
  }

  /**
   * At the cap, the connection idle the longest gives way to the new one, so idle connections
   * (careless or hostile) cannot lock everyone out; only busy and subscribed ones are kept.
   */
  private evictIdlest(): boolean {
    let idlest: Connection | null = null;
    let since = Infinity;
    for (const connection of this.connections.values()) {
      const at = connection.idleSince();
      if (at !== null && at < since) [idlest, since] = [connection, at];
    }
    if (!idlest) return false;
    this.connections.delete(idlest.socket);
    idlest.refuse('internal', `closed to make room: the controller has ${this.limits.maxConnections} connections open, its limit, and this one was the longest idle`);
    return true;
  }

  /** Closes connections whose request is overdue or that have been idle too long. */
  private sweep(): void {
    const now = Date.now();
    for (const connection of this.connections.values()) {
      const why = connection.expired(now);
      if (why === 'frame') connection.refuse('bad-request', `the request did not arrive within ${this.limits.frameMs / 1000} s of its first byte; connection closed`);
      else if (why === 'idle') connection.close();
    }
  }

  /** One timer checks every connection's deadlines, often enough for the shortest of them. */
  private startSweeping(): void {
    this.sweeper ??= setInterval(() => this.sweep(), Math.max(50, Math.min(this.limits.idleMs, this.limits.frameMs) / 4)).unref();
  }

  private stopSweeping(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  reserveFrame(bytes: number, frameBytes: number): boolean {
    if (frameBytes > SMALL_FRAME_BYTES && this.frameBytes + bytes > this.limits.framesBudgetBytes) return false;
    this.frameBytes += bytes;
    return true;
  }

  releaseFrame(bytes: number): void {
    this.frameBytes -= bytes;
  }

  async answer(line: string, connection: Connection): Promise<ReplyThunk> {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return () => ({ id: 0, ok: false, error: { code: 'bad-request', message: 'the request is not valid JSON' } });
    }
    const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : 0;
    const parsed = RequestSchema.safeParse(raw);
    if (!parsed.success) return () => ({ id, ok: false, error: { code: 'bad-request', message: formatZodError(parsed.error) } });
    const failed = (err: unknown): Reply => {
      const known = err instanceof RequestError;
      return { id, ok: false, error: { code: known ? err.code : 'internal', message: (err as Error).message } };
    };
    let outcome: unknown;
    try {
      outcome = await this.handle(parsed.data);
      await this.synced();
    } catch (err) {
      return () => failed(err);
    }
    return () => {
      try {
        const result = typeof outcome === 'function' ? (outcome as () => unknown)() : outcome;
        if (parsed.data.op === 'subscribe') connection.subscribed = true;
        return { id, ok: true, result };
      } catch (err) {
        return failed(err);
      }
    };
  }

  close(path: string): Promise<void> {
    this.stopSweeping();
    for (const s of this.connections.keys()) s.destroy();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    });
  }
}
