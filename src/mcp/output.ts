// Reading a task's output.log through the controller's `output` op: only what is new after a
// cursor, or the tail of it.
import type { ControllerLink } from './connection.js';
import { stripAnsi } from './render.js';

export interface OutputSlice {
  text: string;
  /** Byte offset where this slice starts. */
  from: number;
  /** The cursor for the next call: the byte offset after this slice. */
  next: number;
  /** More output follows `next` already (the slice was cut at its size limit). */
  more: boolean;
}

/** Output written after byte `since`, at most `maxBytes` of it. */
export async function outputSince(link: ControllerLink, taskId: string, since: number, maxBytes: number): Promise<OutputSlice> {
  const chunk = await link.request({ op: 'output', taskId, offset: since, maxBytes });
  // The controller cuts at a UTF-8 boundary, so a full read can be up to 3 bytes short.
  return { text: stripAnsi(chunk.text), from: since, next: chunk.offset, more: chunk.offset - since > maxBytes - 4 };
}

/** The last `tailBytes` of the output. */
export async function outputTail(link: ControllerLink, taskId: string, tailBytes: number): Promise<OutputSlice> {
  const chunk = await link.request({ op: 'output', taskId, tail: tailBytes });
  return { text: stripAnsi(chunk.text), from: chunk.from, next: chunk.offset, more: false };
}
