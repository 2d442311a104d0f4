// A turn's result when Claude Code's Stop hook did not carry it (`last_assistant_message` is absent
// in some versions): the last assistant text in the session's transcript. The transcript grows
// with the whole conversation, so only its tail is read. Claude Code 2.1.197 writes the turn's last
// message to the transcript only after the Stop hook has run: read it a moment after `turn-end`.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { AgentSignal } from '../../core/signal.js';

/** How much of the transcript's end is read: a last message longer than this is not found. */
export const TRANSCRIPT_TAIL_BYTES = 4 * 1024 * 1024;

const EntrySchema = z.object({
  type: z.literal('assistant'),
  message: z.object({ content: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })) }),
});

/** The result of the turn a `turn-end` signal ended: its own, or the transcript's last assistant text. */
export function claudeTurnResult(signal: Pick<AgentSignal, 'result' | 'transcriptPath'>, tailBytes = TRANSCRIPT_TAIL_BYTES): string | undefined {
  if (signal.result !== undefined) return signal.result;
  const path = signal.transcriptPath;
  if (!path || !isAbsolute(path) || !path.endsWith('.jsonl')) return undefined;
  let tail: string;
  try {
    tail = readTail(path, tailBytes);
  } catch {
    return undefined;
  }
  // Claude Code writes one line per content block; the last one with text is the answer.
  const lines = tail.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    let json: unknown;
    try {
      json = JSON.parse(lines[i]!);
    } catch {
      continue; // the cut first line, or a line being written
    }
    const entry = EntrySchema.safeParse(json);
    if (!entry.success) continue;
    const text = entry.data.message.content.flatMap((b) => (b.type === 'text' && b.text ? [b.text] : [])).join('\n');
    if (text) return text;
  }
  return undefined;
}

function readTail(path: string, maxBytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buf = Buffer.alloc(length);
    const got = readSync(fd, buf, 0, length, size - length);
    return buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
