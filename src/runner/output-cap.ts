// output.log's cap: the runner keeps the first quarter and the last three quarters of a task's output
// and replaces the middle with one marker line. Readers count in the agent's own bytes ("logical"
// offsets), so a reader that follows the log by offset goes on where it was after a cut.
//
// The cut file is: head (HEAD bytes, as written) · marker line · tail. The marker sits right after
// the head, whose length run.nul's cap field gives; it is read from the same open file as the data,
// and the file is replaced by rename, so one handle always sees a consistent pair.
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { readRunCap } from './run-file.js';

/** run.nul's cap field for a log of at most `maxBytes` (0: no cap): "HEAD TAIL", or "". */
export function capField(maxBytes: number): string {
  if (maxBytes <= 0) return '';
  const head = Math.floor(maxBytes / 4);
  return `${head} ${maxBytes - head}`;
}

/** The head's length, or null when the log is not capped. */
export function readCapHead(taskDir: string): number | null {
  const head = Number(readRunCap(taskDir)?.split(' ')[0]);
  return Number.isSafeInteger(head) && head > 0 ? head : null;
}

/** Where a cut file's parts are: the head's length, the marker line's, and how much it stands for. */
export interface Cut {
  head: number;
  marker: number;
  dropped: number;
}

const MARKER = /^\n\[panecrew: (\d+) bytes of output dropped here[^\n\]]*\]\n/;
const MARKER_MAX = 200;

/** The cut of the open file, or null when it has not been cut (or has no cap: head null). */
export async function readCut(handle: FileHandle, head: number | null): Promise<Cut | null> {
  if (head === null) return null;
  const buf = Buffer.alloc(MARKER_MAX);
  const { bytesRead } = await handle.read(buf, 0, MARKER_MAX, head);
  return cutOf(buf.subarray(0, bytesRead), head);
}

/** readCut, on a file descriptor, at once. */
export function readCutSync(fd: number, head: number | null): Cut | null {
  if (head === null) return null;
  const buf = Buffer.alloc(MARKER_MAX);
  return cutOf(buf.subarray(0, readSync(fd, buf, 0, MARKER_MAX, head)), head);
}

function cutOf(atHead: Buffer, head: number): Cut | null {
  const m = MARKER.exec(atHead.toString('latin1'));
  return m ? { head, marker: m[0].length, dropped: Number(m[1]) } : null;
}

/** The agent's byte count for a physical size. */
export function logicalSize(cut: Cut | null, size: number): number {
  return cut && size >= cut.head + cut.marker ? size - cut.marker + cut.dropped : size;
}

/**
 * Where to read for logical offset `at`: a read that starts in the head stops at its end (`until`),
 * one at a dropped offset starts at the marker, which then says what was dropped.
 */
export function physicalRead(cut: Cut | null, at: number): { from: number; until: number } {
  if (!cut) return { from: at, until: Infinity };
  if (at < cut.head) return { from: at, until: cut.head };
  if (at < cut.head + cut.dropped) return { from: cut.head, until: Infinity };
  return { from: at - cut.dropped + cut.marker, until: Infinity };
}

/** The logical offset just after physical byte `end` (never inside the marker). */
export function logicalEnd(cut: Cut | null, end: number): number {
  if (!cut || end <= cut.head) return end;
  return Math.max(end, cut.head + cut.marker) - cut.marker + cut.dropped;
}
