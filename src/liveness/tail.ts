// Reads what was appended to a file since the last read and feeds it to a parser; one read at a time.
// A capped output.log has its middle cut out now and then (runner/output-cap.ts): offsets count the
// writer's bytes, so the tail goes on after a cut where it was, or at the marker line if its place
// was dropped.
//
// The reads are synchronous: most are a few bytes, and on the path of every task's end (the last
// output is read before the end is recorded) an open/read/close through the thread pool costs several
// turns of the event loop. A large backlog (a restart after a chatty agent) is read a slice per turn.
import { closeSync, openSync, readSync } from 'node:fs';
import { logicalEnd, physicalRead, readCutSync } from '../runner/output-cap.js';

/** At most this much is read in one turn of the event loop. */
const SLICE_BYTES = 1024 * 1024;
/** One buffer for every tail: a read is copied out before the next one. */
const buf = Buffer.allocUnsafe(256 * 1024);

export class FileTail {
  private offset = 0;

  /** Bytes read so far. */
  get position(): number {
    return this.offset;
  }
  private reading: Promise<void> | null = null;
  private again = false;

  /** `capHead`: for a capped log, the length of the head its cuts keep (read once); null: not capped. */
  constructor(
    private readonly path: string,
    private readonly onChunk: (chunk: Buffer) => void,
    private readonly capHead: () => number | null = () => null,
  ) {}
  private head: number | null | undefined;

  /** Reads new bytes (the first slice before it returns); concurrent calls coalesce into one more read
   *  after the current one. */
  read(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.drain().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      while (!this.readSlice()) await new Promise((resolve) => setImmediate(resolve));
    } while (this.again);
  }

  /** Reads up to a slice; true when it got to the end of the file (or there is no file yet). */
  private readSlice(): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return true; // not created yet
    }
    try {
      if (this.head === undefined) this.head = this.capHead();
      const cut = readCutSync(fd, this.head);
      for (let left = SLICE_BYTES; left > 0; ) {
        const { from, until } = physicalRead(cut, this.offset);
        const bytesRead = readSync(fd, buf, 0, Math.min(buf.length, until - from), from);
        if (bytesRead === 0) return true;
        this.offset = logicalEnd(cut, from + bytesRead);
        left -= bytesRead;
        this.onChunk(Buffer.from(buf.subarray(0, bytesRead)));
      }
      return false;
    } finally {
      closeSync(fd);
    }
  }
}
