// The controller's Unix socket: newline-delimited JSON, validated at the door, events pushed to subscribers.
import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { formatZodError, MAX_REQUEST_BYTES, RequestError, RequestSchema, type Reply, type Request, type ServerEvent } from './protocol.js';

/** A subscriber that cannot keep up is dropped rather than let the controller buffer without bound. */
const MAX_SUBSCRIBER_BACKLOG = 8 * 1024 * 1024;

/**
 * A handler's result, or a function that computes it. The server calls such a function right before
 * it writes the reply, after every change so far is on disk, in the same turn as the write: so a
 * reply that tells a task's state is never older than an event the client already received.
 */
export type Handler = (request: Request) => unknown | Promise<unknown>;

export class SocketServer {
  private readonly server: Server;
  private readonly subscribers = new Set<Socket>();
  private readonly connections = new Set<Socket>();

  constructor(
    private readonly handle: Handler,
    /** Resolves once every change so far is on disk (the journal batches its fsyncs). */
    private readonly synced: () => Promise<void>,
  ) {
    this.server = createServer((socket) => this.accept(socket));
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
    if (!this.subscribers.size) return;
    const line = `${JSON.stringify(event)}\n`;
    for (const socket of this.subscribers) {
      if (socket.writableLength > MAX_SUBSCRIBER_BACKLOG) socket.destroy();
      else socket.write(line);
    }
  }

  private accept(socket: Socket): void {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    this.connections.add(socket);
    socket.on('close', () => {
      this.subscribers.delete(socket);
      this.connections.delete(socket);
    });
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.length > MAX_REQUEST_BYTES && !buffered.includes('\n')) {
        this.reply(socket, { id: 0, ok: false, error: { code: 'bad-request', message: `request over ${MAX_REQUEST_BYTES} bytes; connection closed` } });
        socket.end();
        buffered = '';
        return;
      }
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.trim()) void this.serve(socket, line);
      }
    });
  }

  private async serve(socket: Socket, line: string): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      this.reply(socket, { id: 0, ok: false, error: { code: 'bad-request', message: 'the request is not valid JSON' } });
      return;
    }
    const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : 0;
    const parsed = RequestSchema.safeParse(raw);
    if (!parsed.success) {
      this.reply(socket, { id, ok: false, error: { code: 'bad-request', message: formatZodError(parsed.error) } });
      return;
    }
    try {
      const outcome = await this.handle(parsed.data);
      await this.synced();
      const result = typeof outcome === 'function' ? (outcome as () => unknown)() : outcome;
      if (parsed.data.op === 'subscribe' && !socket.destroyed) this.subscribers.add(socket);
      this.reply(socket, { id, ok: true, result });
    } catch (err) {
      const known = err instanceof RequestError;
      this.reply(socket, { id, ok: false, error: { code: known ? err.code : 'internal', message: (err as Error).message } });
    }
  }

  private reply(socket: Socket, reply: Reply): void {
    if (!socket.destroyed) socket.write(`${JSON.stringify(reply)}\n`);
  }

  close(path: string): Promise<void> {
    for (const s of this.connections) s.destroy();
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
