// One client's connection: splits its bytes into request lines, answers them with a bounded number in
// flight, writes the replies in request order, and stops reading while its replies go unread. What it
// buffers is bounded: an unfinished request (MAX_REQUEST_BYTES, and a share of a budget for all
// connections), one read's worth of waiting lines, the in-flight replies and the reply backlog.
import type { Socket } from 'node:net';
import { MAX_REQUEST_BYTES, type Reply } from './protocol.js';
import type { SocketLimits } from './socket-limits.js';

/** Produces the reply at the moment it is written (see Handler in server.ts). */
export type ReplyThunk = () => Reply;

export interface ConnectionHost {
  readonly limits: SocketLimits;
  answer(line: string, connection: Connection): Promise<ReplyThunk>;
  /** Resolves once every change so far is on disk. */
  synced(): Promise<void>;
  /** Takes `bytes` more of the unfinished-requests budget for a frame now `frameBytes` long; false when over. */
  reserveFrame(bytes: number, frameBytes: number): boolean;
  releaseFrame(bytes: number): void;
}

const NEWLINE = 0x0a;
const NO_ID = 0;

export class Connection {
  /** The unfinished request: chunks received since the last newline. */
  private parts: Buffer[] = [];
  private frameBytes = 0;
  private frameStartedAt = 0;
  /** Complete request lines not yet being answered. */
  private lines: Buffer[] = [];
  /** Requests being answered, in request order; `reply` is set when its answer is ready. */
  private slots: Array<{ reply: ReplyThunk | null }> = [];
  private flushing = false;
  private flushAgain = false;
  private lastActivity = Date.now();
  subscribed = false;
  private closing = false;
  /** Writes are held until the end of this turn of the event loop, then go out in one system call
   *  (a burst of task events would otherwise wake the client once per event). */
  private corked = false;

  constructor(
    readonly socket: Socket,
    private readonly host: ConnectionHost,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('drain', () => {
      this.lastActivity = Date.now();
      void this.flush();
    });
    socket.on('close', () => this.release());
  }

  private receive(chunk: Buffer): void {
    if (this.closing) return;
    let start = 0;
    let nl: number;
    while ((nl = chunk.indexOf(NEWLINE, start)) >= 0) {
      const piece = chunk.subarray(start, nl);
      const line = this.frameBytes ? Buffer.concat([...this.parts, piece]) : piece;
      this.dropFrame();
      this.lines.push(line);
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length && !this.holdFrame(rest)) return;
    this.lastActivity = Date.now();
    this.pump();
  }

  /** Keeps the start of an unfinished request, unless it is too large for the connection or the budget. */
  private holdFrame(rest: Buffer): boolean {
    const size = this.frameBytes + rest.length;
    if (size > MAX_REQUEST_BYTES) {
      this.refuse('bad-request', `request over ${MAX_REQUEST_BYTES} bytes; connection closed`);
      return false;
    }
    if (!this.host.reserveFrame(rest.length, size)) {
      const mb = Math.round(this.host.limits.framesBudgetBytes / 1048576);
      this.refuse('internal', `the controller holds ${mb} MB of large requests in progress, its limit; connection closed, retry in a moment`);
      return false;
    }
    if (!this.frameBytes) this.frameStartedAt = Date.now();
    // Not copied: only a frame's first chunk can be shared with the line before it.
    this.parts.push(rest);
    this.frameBytes = size;
    return true;
  }

  private dropFrame(): void {
    this.host.releaseFrame(this.frameBytes);
    this.parts = [];
    this.frameBytes = 0;
  }

  /** Starts answering waiting lines while there is room; stops reading the socket while there is not. */
  private pump(): void {
    const { maxInFlight, replyBacklogBytes } = this.host.limits;
    while (this.lines.length && this.slots.length < maxInFlight && this.socket.writableLength <= replyBacklogBytes && !this.closing) {
      const line = this.lines.shift()!.toString('utf8');
      if (!line.trim()) continue;
      const slot: { reply: ReplyThunk | null } = { reply: null };
      this.slots.push(slot);
      void this.host.answer(line, this).then((reply) => {
        slot.reply = reply;
        void this.flush();
      });
    }
    if (this.lines.length) this.socket.pause();
    else if (!this.closing) this.socket.resume();
  }

  /** Writes the ready replies at the head, in order, in one turn after every change so far is on disk. */
  private async flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.flushing = true;
    try {
      do {
        this.flushAgain = false;
        if (!this.head()) break;
        await this.host.synced();
        let reply: ReplyThunk | null;
        while ((reply = this.head()) && this.socket.writableLength <= this.host.limits.replyBacklogBytes && !this.socket.destroyed) {
          this.slots.shift();
          this.write(reply());
          this.lastActivity = Date.now();
        }
      } while (this.flushAgain);
    } finally {
      this.flushing = false;
    }
    this.pump();
  }

  private head(): ReplyThunk | null {
    return this.slots[0]?.reply ?? null;
  }

  write(message: object): void {
    this.send(`${JSON.stringify(message)}\n`);
  }

  /** Writes a line (an event is serialised once for every subscriber), together with the others of this turn. */
  send(line: string): void {
    if (this.socket.destroyed) return;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      setImmediate(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(line);
  }

  /** Replies with an error for the connection as a whole, then closes it. */
  refuse(code: 'bad-request' | 'internal', message: string): void {
    this.write({ id: NO_ID, ok: false, error: { code, message } } satisfies Reply);
    this.close();
  }

  /** Ends the connection after what is written; a peer that does not read it is cut off a second later. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.release();
    this.socket.pause();
    this.socket.end();
    this.socket.setTimeout(1000, () => this.socket.destroy());
  }

  /** Why the connection should be closed now, if it should. */
  expired(now: number): 'frame' | 'idle' | null {
    if (this.closing) return null;
    const paused = this.lines.length > 0; // our doing: its frame cannot grow until its replies are read
    if (this.frameBytes && !paused && now - this.frameStartedAt > this.host.limits.frameMs) return 'frame';
    const answering = this.slots.some((s) => !s.reply);
    if (!this.subscribed && !answering && now - this.lastActivity > this.host.limits.idleMs) return 'idle';
    return null;
  }

  /** Since when the connection has had nothing to do, or null if it has (or is subscribed): it may be closed to make room. */
  idleSince(): number | null {
    const busy = this.subscribed || this.closing || this.frameBytes > 0 || this.lines.length > 0 || this.slots.length > 0;
    return busy ? null : this.lastActivity;
  }

  /** Lets go of everything the connection holds (also when the peer closes first). */
  private release(): void {
    this.dropFrame();
    this.lines = [];
    this.slots = [];
  }
}
