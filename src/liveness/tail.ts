// Reads what was appended to a file since the last read and feeds it to a parser; one read at a time.
import { open } from 'node:fs/promises';

export class FileTail {
  private offset = 0;

  /** Bytes read so far. */
  get position(): number {
    return this.offset;
  }
  private reading: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly path: string,
    private readonly onChunk: (chunk: Buffer) => void,
  ) {}

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
        const buf = Buffer.allocUnsafe(256 * 1024);
        for (;;) {
          const { bytesRead } = await handle.read(buf, 0, buf.length, this.offset);
          if (bytesRead === 0) break;
          this.offset += bytesRead;
          this.onChunk(Buffer.from(buf.subarray(0, bytesRead)));
        }
      } finally {
        await handle.close();
      }
    } while (this.again);
  }
}
