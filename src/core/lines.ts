// A child's output read as whole lines: a read may end in the middle of a line (or of a character),
// which waits for the next one.
import type { Readable } from 'node:stream';

/** Calls `onLine` with each line of `stream` (UTF-8, without its '\n'), in order; a last line without '\n' is not passed. */
export function readLines(stream: Readable, onLine: (line: string) => void): void {
  let partial = '';
  stream.setEncoding('utf8').on('data', (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    for (const line of lines) onLine(line);
  });
}
