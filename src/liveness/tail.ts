// Reads what was appended to a file since the last read and feeds it to a parser; one read at a time.
// A capped output.log has its middle cut out now and then (runner/output-cap.ts): offsets count the
// writer's bytes, so the tail goes on after a cut where it was, or at the marker line if its place
// was dropped.
import { open } from 'node:fs/promises';
import { logicalEnd, physicalRead, readCut } from '../runner/output-cap.js';

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

  /** Reads new bytes; concurrent calls coalesce into one more read after the current one. */
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
      let handle;
      try {
        handle = await open(this.path, 'r');
      } catch {
        return; // not created yet
      }
      try {
        if (this.head === undefined) this.head = this.capHead();
        const cut = await readCut(handle, this.head);
        const buf = Buffer.allocUnsafe(256 * 1024);
        for (;;) {
          const { from, until } = physicalRead(cut, this.offset);
          const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, until - from), from);
          if (bytesRead === 0) break;
          this.offset = logicalEnd(cut, from + bytesRead);
          this.onChunk(Buffer.from(buf.subarray(0, bytesRead)));
        }
      } finally {
        await handle.close();
      }
    } while (this.again);
  }
}
