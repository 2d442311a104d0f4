// The start of a file without reading the rest: a result's text within a budget, a program's first
// bytes (how the kernel would run it), the leading fields of run.nul.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The first `max` bytes of a file, and its size; nothing (size 0) when it cannot be read. */
export function readHead(file: string, max: number): { head: Buffer; size: number } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return { head: Buffer.alloc(0), size: 0 };
  }
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, max));
    return { head: head.subarray(0, readSync(fd, head, 0, head.length, 0)), size };
  } finally {
    closeSync(fd);
  }
}
